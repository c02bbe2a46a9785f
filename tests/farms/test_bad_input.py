"""Bad input on every farms write endpoint: 4xx in the one error shape, nothing changed."""

from __future__ import annotations

from typing import Any

import pytest

from openrig.core.db import Database
from tests.farms.helpers import SQLISH, assert_error, bad_bodies, snapshot, table_counts
from tests.support.actors import Actors

API = "/api/v1"

ENDPOINTS: list[tuple[str, str, dict[str, Any], tuple[str, ...]]] = [
    ("POST", "/farms", {"name": "Farm"}, ("name",)),
    ("PATCH", "/farms/{farm}", {"name": "Farm"}, ("name",)),
    ("POST", "/farms/{farm}/members", {"email": "x@example.com", "role": "viewer"}, ()),
    ("PATCH", "/farms/{farm}/members", {"user_id": "{viewer}", "role": "operator"}, ()),
    ("DELETE", "/farms/{farm}/members", {"user_id": "{viewer}"}, ()),
]


def _fill(body: Any, ids: dict[str, str]) -> Any:
    if isinstance(body, dict):
        return {
            k: v.format(**ids) if isinstance(v, str) and "{" in v else v for k, v in body.items()
        }
    return body


@pytest.mark.parametrize(
    ("method", "path", "valid", "sql_ok"), ENDPOINTS, ids=[f"{m} {p}" for m, p, _, _ in ENDPOINTS]
)
def test_bad_bodies_are_refused(
    actors: Actors,
    database: Database,
    method: str,
    path: str,
    valid: dict[str, Any],
    sql_ok: tuple[str, ...],
) -> None:
    ids = {"farm": actors.farm_id, "viewer": actors.viewer.user_id}
    url = API + path.format(**ids)
    before = snapshot(database)
    for label, body in bad_bodies(valid, sql_ok):
        response = actors.owner.client.request(method, url, json=_fill(body, ids))
        assert 400 <= response.status_code < 500, (label, response.text)
        assert_error(response, response.status_code)
        assert snapshot(database) == before, label


def test_non_json_body(actors: Actors, database: Database) -> None:
    before = snapshot(database)
    for content in (b"name=x", b"{", b"\xff\xfe", b'{"name": "a", "name": "' + b"x" * 200 + b'"}'):
        response = actors.owner.client.post(
            f"{API}/farms", content=content, headers={"content-type": "application/json"}
        )
        assert_error(response, 422)
    assert snapshot(database) == before


@pytest.mark.parametrize(
    "params",
    [{"limit": -1}, {"limit": 0}, {"limit": 10**30}, {"offset": -5}, {"limit": "ten"}],
)
def test_bad_paging(actors: Actors, params: dict[str, Any]) -> None:
    for path in ("/farms", f"/farms/{actors.farm_id}/members"):
        assert_error(actors.owner.get(API + path, params=params), 422, "validation_error")


def test_sql_looking_names_are_plain_text(actors: Actors, database: Database) -> None:
    counts = table_counts(database)
    response = actors.owner.post(f"{API}/farms", json={"name": SQLISH})
    assert response.status_code == 201, response.text
    assert response.json()["name"] == SQLISH
    after = table_counts(database)
    assert after["farms"] == counts["farms"] + 1
    assert after["farm_members"] == counts["farm_members"] + 1


def test_bad_path_ids(actors: Actors) -> None:
    for farm_id in ("x" * 65, "' OR 1=1 --", "00000000-0000-0000-0000-000000000000"):
        response = actors.owner.get(f"{API}/farms/{farm_id}")
        assert response.status_code in (404, 422), response.text
        assert_error(response, response.status_code)
