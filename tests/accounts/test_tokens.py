"""Personal API tokens, CSRF for cookie sessions and scopes for Bearer tokens."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from openrig.accounts.principal import CSRF_HEADER
from openrig.core.db import Database
from openrig.models import ApiToken
from tests.accounts.helpers import API, assert_error, row_counts, signup
from tests.support.actors import Actors


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def _create(client: TestClient, scope: str = "write", name: str = "script") -> dict[str, str]:
    response = client.post(f"{API}/tokens", json={"name": name, "scope": scope})
    assert response.status_code == 201, response.text
    body: dict[str, str] = response.json()
    return body


def test_created_token_is_shown_once_and_listed_without_secret(client: TestClient) -> None:
    signup(client, "alice@example.com")
    created = _create(client, "read", "grafana")
    assert created["secret"].startswith("ort_")
    assert created["secret"].startswith(created["prefix"])
    assert len(created["prefix"]) < len(created["secret"]) // 3
    listed = client.get(f"{API}/tokens").json()["items"]
    assert [t["name"] for t in listed] == ["grafana"]
    assert set(listed[0]) == {"id", "name", "prefix", "scope", "created_at", "last_used_at"}
    assert created["secret"] not in str(listed)


def test_csrf_required_for_cookie_writes(client: TestClient, database: Database) -> None:
    signup(client, "alice@example.com")
    csrf = client.headers.pop(CSRF_HEADER)
    token_id = _create_with(client, csrf)["id"]
    before = row_counts(database)
    for headers in ({}, {CSRF_HEADER: "wrong"}, {CSRF_HEADER: ""}):
        body = {"name": "x", "scope": "read"}
        assert_error(client.post(f"{API}/tokens", json=body, headers=headers), 403, "csrf_failed")
        assert_error(client.delete(f"{API}/tokens/{token_id}", headers=headers), 403, "csrf_failed")
        pw = {"current_password": "a long enough password", "new_password": "z" * 12}
        assert_error(client.post(f"{API}/password", json=pw, headers=headers), 403, "csrf_failed")
    assert row_counts(database) == before
    # Reads need no CSRF token.
    assert client.get(f"{API}/tokens").status_code == 200


def _create_with(client: TestClient, csrf: str) -> dict[str, str]:
    response = client.post(
        f"{API}/tokens", json={"name": "s", "scope": "write"}, headers={CSRF_HEADER: csrf}
    )
    assert response.status_code == 201, response.text
    body: dict[str, str] = response.json()
    return body


def test_bearer_needs_no_csrf_and_write_token_can_write(client: TestClient, app: FastAPI) -> None:
    signup(client, "alice@example.com")
    secret = _create(client, "write")["secret"]
    with TestClient(app) as script:
        response = script.post(
            f"{API}/tokens",
            json={"name": "made by script", "scope": "read"},
            headers=_bearer(secret),
        )
        assert response.status_code == 201, response.text


def test_read_only_token_cannot_write(client: TestClient, app: FastAPI, database: Database) -> None:
    signup(client, "alice@example.com")
    read = _create(client, "read")
    before = row_counts(database)
    with TestClient(app) as script:
        headers = _bearer(read["secret"])
        assert script.get(f"{API}/tokens", headers=headers).status_code == 200
        body = {"name": "escalate", "scope": "write"}
        assert_error(script.post(f"{API}/tokens", json=body, headers=headers), 403)
        assert_error(script.delete(f"{API}/tokens/{read['id']}", headers=headers), 403)
    assert row_counts(database) == before


def test_revoked_token_is_401(client: TestClient, app: FastAPI) -> None:
    signup(client, "alice@example.com")
    token = _create(client, "read")
    assert client.delete(f"{API}/tokens/{token['id']}").status_code == 204
    assert client.get(f"{API}/tokens").json()["items"] == []
    with TestClient(app) as script:
        response = script.get(f"{API}/me", headers=_bearer(token["secret"]))
        assert_error(response, 401, "unauthorized")
    assert_error(client.delete(f"{API}/tokens/{token['id']}"), 404, "not_found")


def test_unknown_and_malformed_tokens_are_401(client: TestClient) -> None:
    for secret in ("ort_nope", "orr_something", "x" * 300):
        assert_error(client.get(f"{API}/me", headers=_bearer(secret)), 401)


def test_last_used_at_is_set(client: TestClient, app: FastAPI) -> None:
    signup(client, "alice@example.com")
    token = _create(client, "read")
    assert token["last_used_at"] is None
    with TestClient(app) as script:
        assert script.get(f"{API}/me", headers=_bearer(token["secret"])).status_code == 200
    [listed] = client.get(f"{API}/tokens").json()["items"]
    assert listed["last_used_at"] is not None


def test_someone_elses_token_is_404(actors: Actors, database: Database) -> None:
    token = _create(actors.viewer.client)
    before = row_counts(database)
    assert_error(actors.outsider.delete(f"{API}/tokens/{token['id']}"), 404, "not_found")
    assert actors.outsider.get(f"{API}/tokens").json()["items"] == []
    assert row_counts(database) == before
    assert actors.viewer.get(f"{API}/me", headers=_bearer(token["secret"])).status_code == 200


def test_anonymous_cannot_manage_tokens(actors: Actors) -> None:
    assert_error(actors.anonymous.get(f"{API}/tokens"), 401)
    body = {"name": "x", "scope": "read"}
    assert_error(actors.anonymous.post(f"{API}/tokens", json=body), 401)


def test_token_limit(client: TestClient, database: Database) -> None:
    signup(client, "alice@example.com")
    user_id = client.get(f"{API}/me").json()["user"]["id"]
    with database.transaction() as db:
        for n in range(50):
            db.add(
                ApiToken(
                    user_id=user_id,
                    name=f"t{n}",
                    token_hash=f"{n:064d}",
                    prefix="ort_x",
                    scope="read",
                )
            )
    assert_error(
        client.post(f"{API}/tokens", json={"name": "51st", "scope": "read"}),
        409,
        "too_many_tokens",
    )
    first = client.get(f"{API}/tokens").json()["items"][0]["id"]
    assert client.delete(f"{API}/tokens/{first}").status_code == 204
    assert _create(client)["secret"].startswith("ort_")
