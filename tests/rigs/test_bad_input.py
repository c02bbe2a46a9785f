"""Bad input on every rigs write endpoint: 4xx in the one error shape, nothing changed."""

from __future__ import annotations

from typing import Any

import pytest

from openrig.core.db import Database
from tests.farms.helpers import (
    SQLISH,
    assert_error,
    bad_bodies,
    make_group,
    make_rig,
    snapshot,
    table_counts,
)
from tests.support.actors import Actors

API = "/api/v1"
VALID = {"name": "rig", "notes": "fine"}
EXTRA_BAD: list[tuple[str, Any]] = [
    ("tags=string", {"name": "rig", "tags": "gpu"}),
    ("tags=numbers", {"name": "rig", "tags": [1, 2]}),
    ("tags=nested", {"name": "rig", "tags": [["gpu"]]}),
    ("tags=huge", {"name": "rig", "tags": ["x" * 100_000]}),
    ("tags=control", {"name": "rig", "tags": ["a\x1bb"]}),
    ("tags=too many", {"name": "rig", "tags": [str(i) for i in range(1000)]}),
    ("group_id=int", {"name": "rig", "group_id": 5}),
    ("group_id=sql", {"name": "rig", "group_id": SQLISH}),
    ("group_id=huge", {"name": "rig", "group_id": "g" * 100_000}),
    ("group_id=unknown", {"name": "rig", "group_id": "00000000-0000-0000-0000-000000000000"}),
    ("notes=too long", {"name": "rig", "notes": "n" * 10_001}),
    ("notes=nul", {"name": "rig", "notes": "a\x00b"}),
    ("config smuggled", {"name": "rig", "config": {"miner": "x"}}),
    ("token smuggled", {"name": "rig", "token_hash": "0" * 64}),
    ("farm smuggled", {"name": "rig", "farm_id": "other"}),
    ("maintenance", {"name": "rig", "maintenance": True}),
]


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_bad_bodies_are_refused(actors: Actors, database: Database, method: str) -> None:
    make_group(database, actors.farm_id, "Main")
    rig = make_rig(database, actors.farm_id, "existing", tags=("t",))
    url = f"{API}/farms/{actors.farm_id}/rigs" if method == "POST" else f"{API}/rigs/{rig}"
    before = snapshot(database)
    cases = bad_bodies(VALID, sql_ok=("name", "notes"), free_text=("notes",)) + EXTRA_BAD
    if method == "PATCH":  # an empty PATCH is a valid no-op
        cases = [(label, body) for label, body in cases if label != "empty"]
    for label, body in cases:
        response = actors.operator.client.request(method, url, json=body)
        assert 400 <= response.status_code < 500, (label, response.text)
        assert_error(response, response.status_code)
        assert snapshot(database) == before, label


def test_notes_keep_newlines_but_names_do_not(actors: Actors) -> None:
    url = f"{API}/farms/{actors.farm_id}/rigs"
    ok = actors.operator.post(url, json={"name": "r", "notes": "line 1\r\nline\t2"})
    assert ok.status_code == 201, ok.text
    assert_error(actors.operator.post(url, json={"name": "r\n2"}), 422)
    assert_error(actors.operator.post(url, json={"name": "r" * 101}), 422)
    assert actors.operator.post(url, json={"name": "r" * 100}).status_code == 201


def test_sql_looking_text_is_stored_verbatim(actors: Actors, database: Database) -> None:
    counts = table_counts(database)
    url = f"{API}/farms/{actors.farm_id}/rigs"
    body = {"name": SQLISH, "tags": [SQLISH], "notes": SQLISH}
    created = actors.operator.post(url, json=body)
    assert created.status_code == 201, created.text
    rig = actors.viewer.get(f"{API}/rigs/{created.json()['id']}").json()
    assert (rig["name"], rig["tags"], rig["notes"]) == (SQLISH, [SQLISH], SQLISH)
    after = table_counts(database)
    assert after["rigs"] == counts["rigs"] + 1 and after["rig_tags"] == counts["rig_tags"] + 1
    assert actors.viewer.get(url, params={"tag": SQLISH}).json()["total"] == 1


def test_empty_patch_changes_nothing(actors: Actors, database: Database) -> None:
    rig = make_rig(database, actors.farm_id, "r", tags=("a",))
    before = snapshot(database)
    response = actors.operator.patch(f"{API}/rigs/{rig}", json={})
    assert response.status_code == 200
    assert snapshot(database) == before


def test_non_json_body(actors: Actors, database: Database) -> None:
    before = snapshot(database)
    for content in (b"name=x", b"[", b"\x00\x01", b"null"):
        response = actors.operator.client.post(
            f"{API}/farms/{actors.farm_id}/rigs",
            content=content,
            headers={"content-type": "application/json"},
        )
        assert_error(response, 422)
    assert snapshot(database) == before
