"""Session expiry, the account page's session list, and password change."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient

from openrig.core.db import Database, utcnow
from openrig.models import UserSession
from openrig.settings import Settings
from tests.accounts.helpers import (
    API,
    NEW_PASSWORD,
    PASSWORD,
    assert_error,
    login,
    sessions_of,
    set_columns,
    signup,
)
from tests.support.actors import Actors


def _user_id(client: TestClient) -> str:
    user_id: str = client.get(f"{API}/me").json()["user"]["id"]
    return user_id


def test_idle_session_expires(client: TestClient, database: Database, settings: Settings) -> None:
    signup(client, "alice@example.com")
    user_id = _user_id(client)
    idle = timedelta(minutes=settings.session_idle_minutes)
    almost = utcnow() - idle + timedelta(minutes=5)
    set_columns(database, UserSession, UserSession.user_id == user_id, last_seen_at=almost)
    assert client.get(f"{API}/me").status_code == 200  # and that refreshes last_seen_at
    stale = utcnow() - idle - timedelta(seconds=1)
    set_columns(database, UserSession, UserSession.user_id == user_id, last_seen_at=stale)
    assert_error(client.get(f"{API}/me"), 401)


def test_absolute_expiry_even_when_active(client: TestClient, database: Database) -> None:
    signup(client, "alice@example.com")
    user_id = _user_id(client)
    [row] = sessions_of(database, user_id)
    assert row.expires_at - row.created_at == timedelta(days=30)
    past = utcnow() - timedelta(seconds=1)
    set_columns(database, UserSession, UserSession.user_id == user_id, expires_at=past)
    assert_error(client.get(f"{API}/me"), 401)


def test_password_change_revokes_other_sessions(app: FastAPI, client: TestClient) -> None:
    signup(client, "alice@example.com")
    with TestClient(app) as laptop, TestClient(app) as phone:
        login(laptop, "alice@example.com")
        login(phone, "alice@example.com")
        body = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
        assert laptop.post(f"{API}/password", json=body).status_code == 204
        assert laptop.get(f"{API}/me").status_code == 200
        assert_error(phone.get(f"{API}/me"), 401)
        assert_error(client.get(f"{API}/me"), 401)
        assert_error(login(phone, "alice@example.com", PASSWORD), 401, "invalid_credentials")
        assert login(phone, "alice@example.com", NEW_PASSWORD).status_code == 200


def test_password_change_checks_current_and_new(client: TestClient) -> None:
    signup(client, "alice@example.com")
    wrong = {"current_password": "not my password", "new_password": NEW_PASSWORD}
    error = assert_error(client.post(f"{API}/password", json=wrong), 400, "wrong_password")
    assert error["details"][0]["path"] == "current_password"
    short = {"current_password": PASSWORD, "new_password": "short"}
    assert_error(client.post(f"{API}/password", json=short), 422, "validation_error")
    assert login(client, "alice@example.com", PASSWORD).status_code == 200


def test_sessions_list_and_revoke(app: FastAPI, client: TestClient) -> None:
    signup(client, "alice@example.com")
    with TestClient(app, headers={"User-Agent": "phone\x01browser"}) as phone:
        login(phone, "alice@example.com")
        items = client.get(f"{API}/sessions").json()["items"]
        assert len(items) == 2
        assert [i["current"] for i in items].count(True) == 1
        assert set(items[0]) == {
            "id",
            "created_at",
            "last_seen_at",
            "user_agent",
            "client_ip",
            "current",
        }
        other = next(i for i in items if not i["current"])
        assert other["user_agent"] == "phonebrowser"  # control characters dropped
        assert client.delete(f"{API}/sessions/{other['id']}").status_code == 204
        assert_error(phone.get(f"{API}/me"), 401)
        assert len(client.get(f"{API}/sessions").json()["items"]) == 1
        assert_error(client.delete(f"{API}/sessions/{other['id']}"), 404, "not_found")


def test_cannot_see_or_revoke_someone_elses_session(actors: Actors) -> None:
    [viewer_session] = actors.viewer.get(f"{API}/sessions").json()["items"]
    response = actors.outsider.delete(f"{API}/sessions/{viewer_session['id']}")
    assert_error(response, 404, "not_found")
    assert actors.viewer.get(f"{API}/me").status_code == 200
    outsider_ids = {s["id"] for s in actors.outsider.get(f"{API}/sessions").json()["items"]}
    assert viewer_session["id"] not in outsider_ids
    assert_error(actors.anonymous.get(f"{API}/sessions"), 401)
    assert_error(actors.outsider.delete(f"{API}/sessions/not a valid id!"), 422)
