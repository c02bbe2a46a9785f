"""rig.conf: content, a new token on every download, and CSRF on this state-changing GET."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from openrig.accounts.principal import CSRF_HEADER
from openrig.core.db import Database
from openrig.core.security import token_hash
from openrig.farms.conffile import parse_conf
from openrig.models import ApiToken, Rig
from openrig.settings import Settings
from tests.farms.helpers import assert_error, make_rig, snapshot
from tests.support.actors import Actors

API = "/api/v1"
NO_CSRF = {CSRF_HEADER: ""}


def _stored(database: Database, rig_id: str) -> Rig:
    with database.session(write=False) as db:
        rig = db.get(Rig, rig_id)
        assert rig is not None
        return rig


def _csrf(actors: Actors, name: str) -> str:
    return str(getattr(actors, name).client.headers[CSRF_HEADER])


def test_content_and_stored_hash(actors: Actors, database: Database, settings: Settings) -> None:
    rig = make_rig(database, actors.farm_id, "rig 7 (hall A)")
    response = actors.operator.get(f"{API}/rigs/{rig}/rig.conf")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    assert response.headers["content-disposition"] == 'attachment; filename="rig.conf"'
    assert response.headers["cache-control"] == "no-store"
    lines = response.text.splitlines()
    header = [line for line in lines if line.startswith("#")]
    assert any("rig 7 (hall A)" in line for line in header)
    assert any("secret" in line.lower() for line in header)
    values = parse_conf(response.text)
    assert set(values) == {"SERVER_URL", "RIG_ID", "RIG_TOKEN"}
    assert values["SERVER_URL"] == settings.public_url
    assert values["RIG_ID"] == rig
    assert values["RIG_TOKEN"].startswith("orr_")
    for line in lines:
        assert line.startswith("#") or (" " not in line and '"' not in line), line
    stored = _stored(database, rig)
    assert stored.token_hash == hashlib.sha256(values["RIG_TOKEN"].encode()).hexdigest()
    assert stored.token_issued_at is not None
    assert values["RIG_TOKEN"] not in str(snapshot(database))


def test_every_download_rotates_the_token(actors: Actors, database: Database) -> None:
    rig = make_rig(database, actors.farm_id, "r")
    url = f"{API}/rigs/{rig}/rig.conf"
    first = parse_conf(actors.operator.get(url).text)["RIG_TOKEN"]
    first_hash = _stored(database, rig).token_hash
    second = parse_conf(actors.admin.get(url).text)["RIG_TOKEN"]
    stored = _stored(database, rig)
    assert second != first
    assert stored.token_hash == token_hash(second) != first_hash
    shown = actors.viewer.get(f"{API}/rigs/{rig}").json()
    assert shown["token_issued_at"] is not None
    assert "token_hash" not in shown


def test_cookie_session_needs_the_csrf_token(actors: Actors, database: Database) -> None:
    rig = make_rig(database, actors.farm_id, "r")
    url = f"{API}/rigs/{rig}/rig.conf"
    before = snapshot(database)
    assert_error(actors.operator.get(url, headers=NO_CSRF), 403, "csrf_failed")
    wrong = actors.operator.get(url, params={"csrf": "nope"}, headers=NO_CSRF)
    assert_error(wrong, 403, "csrf_failed")
    # Another user's CSRF token does not work either.
    theirs = actors.operator.get(url, params={"csrf": _csrf(actors, "admin")}, headers=NO_CSRF)
    assert_error(theirs, 403, "csrf_failed")
    assert snapshot(database) == before
    by_query = actors.operator.get(url, params={"csrf": _csrf(actors, "operator")}, headers=NO_CSRF)
    assert by_query.status_code == 200, by_query.text
    assert by_query.headers["referrer-policy"] == "no-referrer"
    assert actors.operator.get(url).status_code == 200  # header form


def test_csrf_does_not_bypass_roles(actors: Actors, database: Database) -> None:
    rig = make_rig(database, actors.farm_id, "r")
    before = snapshot(database)
    response = actors.viewer.get(f"{API}/rigs/{rig}/rig.conf")
    assert_error(response, 403)
    assert snapshot(database) == before


@pytest.fixture
def bearer(app: FastAPI, database: Database, actors: Actors) -> Iterator[dict[str, TestClient]]:
    """Clients authenticated by the operator's API tokens (no cookie, no CSRF)."""
    clients: dict[str, TestClient] = {}
    for scope in ("read", "write"):
        raw = f"ort_{secrets.token_urlsafe(32)}"
        with database.transaction() as db:
            db.add(
                ApiToken(
                    user_id=actors.operator.user_id,
                    name=scope,
                    token_hash=token_hash(raw),
                    prefix=raw[:8],
                    scope=scope,
                )
            )
        clients[scope] = TestClient(app, headers={"Authorization": f"Bearer {raw}"})
    yield clients
    for client in clients.values():
        client.close()


def test_api_tokens_need_write_scope_not_csrf(
    bearer: dict[str, TestClient], actors: Actors, database: Database
) -> None:
    rig = make_rig(database, actors.farm_id, "r")
    url = f"{API}/rigs/{rig}/rig.conf"
    before = snapshot(database)
    assert_error(bearer["read"].get(url), 403, "token_read_only")
    assert snapshot(database) == before
    assert bearer["read"].get(f"{API}/rigs/{rig}").status_code == 200
    response = bearer["write"].get(url)
    assert response.status_code == 200, response.text
    assert _stored(database, rig).token_hash == token_hash(parse_conf(response.text)["RIG_TOKEN"])


def test_openapi_says_the_download_rotates(actors: Actors) -> None:
    spec = actors.anonymous.get("/api/v1/openapi.json").json()
    operation = spec["paths"]["/api/v1/rigs/{rig_id}/rig.conf"]["get"]
    assert "revokes the previous one" in operation["description"]
    assert "csrf" in {p["name"] for p in operation["parameters"]}
