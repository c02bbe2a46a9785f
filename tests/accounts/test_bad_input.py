"""Malformed input on every write endpoint: a 4xx in the one error shape, nothing stored."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from openrig.core.db import Database
from tests.accounts.helpers import API, PASSWORD, assert_error, login, row_counts, signup
from tests.support.actors import PASSWORD as ACTOR_PASSWORD
from tests.support.actors import Actors

VALID_NEW = "a valid new password"
# (path, a valid body) for every write endpoint taking a JSON body.
ENDPOINTS: dict[str, dict[str, Any]] = {
    "signup": {"email": "new@example.com", "password": VALID_NEW},
    "login": {"email": "viewer@example.com", "password": ACTOR_PASSWORD},
    "password": {"current_password": ACTOR_PASSWORD, "new_password": VALID_NEW},
    "password-reset": {"email": "viewer@example.com"},
    "password-reset/confirm": {"token": "orp_x", "new_password": VALID_NEW},
    "verify-email": {"token": "orv_x"},
    "tokens": {"name": "script", "scope": "read"},
}
BAD_VALUES: list[Any] = [
    None,
    123,
    12.5,
    True,
    ["a"],
    {"a": "b"},
    "",
    "A" * 100_000,
    "nul\x00byte",
    "escape\x1b[31mred",
    "line\nbreak",
    "\x7f",
]
SQL = "' OR 1=1 --"
# What the valid body gets: proves the refusals above are about the body, not the caller.
VALID_STATUS = {
    "signup": 201,
    "login": 200,
    "password": 204,
    "password-reset": 202,
    "password-reset/confirm": 400,  # a well-formed but unknown token
    "verify-email": 400,
    "tokens": 201,
}


def _cases(fields: dict[str, Any]) -> list[tuple[str, Any]]:
    cases: list[tuple[str, Any]] = []
    for field in fields:
        for value in BAD_VALUES:
            cases.append((field, {**fields, field: value}))
        cases.append((f"without {field}", {k: v for k, v in fields.items() if k != field}))
    cases += [
        ("unknown field", {**fields, "is_admin": True}),
        ("list body", [fields]),
        ("string body", "body"),
        ("number body", 1),
        ("empty object", {}),
    ]
    return cases


@pytest.mark.parametrize("path", list(ENDPOINTS))
def test_malformed_bodies_are_refused_and_store_nothing(
    path: str, actors: Actors, database: Database
) -> None:
    client = actors.viewer.client
    before = row_counts(database)
    for label, body in _cases(ENDPOINTS[path]):
        response = client.post(f"{API}/{path}", json=body)
        assert response.status_code == 422, (label, response.status_code, response.text)
        assert_error(response, 422, "validation_error")
    assert row_counts(database) == before
    valid = client.post(f"{API}/{path}", json=ENDPOINTS[path])
    assert valid.status_code == VALID_STATUS[path], valid.text


@pytest.mark.parametrize("path", list(ENDPOINTS))
def test_non_json_bodies_are_refused(path: str, actors: Actors, database: Database) -> None:
    client = actors.viewer.client
    before = row_counts(database)
    for content, ctype in (
        (b"email=a@example.com&password=x", "application/x-www-form-urlencoded"),
        (b'{"email": "new@example.com", "password": "a valid new password"}', "text/plain"),
        (b"{not json", "application/json"),
        (b"\xff\xfe", "application/json"),
        (b"", "application/json"),
    ):
        response = client.post(f"{API}/{path}", content=content, headers={"content-type": ctype})
        assert response.status_code == 422, (ctype, content, response.text)
        assert_error(response, 422, "validation_error")
    assert row_counts(database) == before


def test_sql_looking_strings_are_plain_data(client: TestClient, database: Database) -> None:
    before = row_counts(database)
    assert_error(signup(client, SQL), 422, "validation_error")
    assert_error(signup(client, f"{SQL}@example.com"), 422, "validation_error")
    assert_error(client.post(f"{API}/password-reset", json={"email": SQL}), 422)
    body = {"token": SQL, "new_password": VALID_NEW}
    assert_error(client.post(f"{API}/password-reset/confirm", json=body), 400, "invalid_token")
    assert_error(client.post(f"{API}/verify-email", json={"token": SQL}), 400, "invalid_token")
    assert row_counts(database) == before
    assert_error(login(client, SQL, SQL), 401, "invalid_credentials")
    # As a password or a token name it is just text, stored and compared as such.
    assert signup(client, "alice@example.com", SQL + " and more").status_code == 201
    created = client.post(f"{API}/tokens", json={"name": SQL, "scope": "read"})
    assert created.status_code == 201 and created.json()["name"] == SQL
    client.cookies.clear()
    assert_error(login(client, "alice@example.com", PASSWORD), 401)
    assert login(client, "alice@example.com", SQL + " and more").status_code == 200


def test_bad_path_ids(actors: Actors, database: Database) -> None:
    before = row_counts(database)
    for bad in ("x" * 100, "' OR 1=1 --", "..%2F..", "00000000-0000-0000-0000-000000000000"):
        for kind in ("tokens", "sessions"):
            response = actors.viewer.delete(f"{API}/{kind}/{bad}")
            assert response.status_code in (404, 422), (kind, bad, response.text)
            assert_error(response, response.status_code)
    assert row_counts(database) == before
