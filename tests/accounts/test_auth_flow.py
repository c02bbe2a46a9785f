"""Sign-up, login, logout and /me through HTTP with the session cookie."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from openrig.accounts.principal import CSRF_HEADER, SESSION_COOKIE
from openrig.core.db import Database
from openrig.core.security import token_hash
from openrig.settings import Settings
from tests.accounts.helpers import (
    API,
    PASSWORD,
    assert_error,
    login,
    sessions_of,
    signup,
    user_row,
)


def test_signup_logs_in_and_me_round_trip(client: TestClient, database: Database) -> None:
    response = signup(client, "Alice@Example.COM")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["user"]["email"] == "alice@example.com"
    assert set(body["user"]) == {"id", "email", "is_admin", "email_verified", "created_at"}
    assert body["verification_required"] is False
    assert client.cookies.get(SESSION_COOKIE)

    me = client.get(f"{API}/me")
    assert me.status_code == 200, me.text
    assert me.json()["user"]["id"] == body["user"]["id"]
    assert me.json()["auth"] == "session"
    assert me.json()["csrf_token"] == body["csrf_token"]


def test_only_the_hash_of_the_session_secret_is_stored(
    client: TestClient, database: Database
) -> None:
    user_id = signup(client, "alice@example.com").json()["user"]["id"]
    raw = client.cookies.get(SESSION_COOKIE)
    assert raw and len(raw) >= 22  # >= 128 bits of urlsafe base64
    [row] = sessions_of(database, user_id)
    assert row.token_hash == token_hash(raw)
    assert raw not in (row.token_hash, row.csrf_token)


def test_login_logout_round_trip(client: TestClient, database: Database) -> None:
    signup(client, "alice@example.com")
    client.cookies.clear()
    assert client.get(f"{API}/me").status_code == 401

    response = login(client, "ALICE@example.com")
    assert response.status_code == 200, response.text
    assert response.json()["user"]["email"] == "alice@example.com"
    raw = client.cookies.get(SESSION_COOKIE)
    assert client.get(f"{API}/me").status_code == 200

    out = client.post(f"{API}/logout")
    assert out.status_code == 204, out.text
    assert SESSION_COOKIE in out.headers["set-cookie"]
    assert "Max-Age=0" in out.headers["set-cookie"]
    assert client.get(f"{API}/me").status_code == 401
    # The old cookie value is dead on the server too, not only forgotten by the browser.
    client.cookies.set(SESSION_COOKIE, raw or "")
    assert_error(client.get(f"{API}/me"), 401, "unauthorized")


def test_logout_needs_csrf(client: TestClient) -> None:
    signup(client, "alice@example.com")
    del client.headers[CSRF_HEADER]
    assert_error(client.post(f"{API}/logout"), 403, "csrf_failed")
    assert client.get(f"{API}/me").status_code == 200


def test_cookie_flags(client: TestClient) -> None:
    cookie = signup(client, "alice@example.com").headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "SameSite=Lax" in cookie
    assert "Path=/" in cookie
    assert "Secure" not in cookie  # public_url is http:// in tests


def test_cookie_is_secure_behind_https(
    settings: Settings, client_with: Callable[[Settings], TestClient]
) -> None:
    https = client_with(settings.model_copy(update={"public_url": "https://rigs.example.com"}))
    response = signup(https, "alice@example.com")
    assert response.status_code == 201, response.text
    cookie = response.headers["set-cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie
    login_cookie = login(https, "alice@example.com").headers["set-cookie"]
    assert "Secure" in login_cookie


def test_first_user_is_admin_second_is_not(client: TestClient) -> None:
    first = signup(client, "first@example.com").json()["user"]
    client.cookies.clear()
    second = signup(client, "second@example.com").json()["user"]
    assert first["is_admin"] is True
    assert second["is_admin"] is False


def test_duplicate_email_is_409_case_insensitively(client: TestClient) -> None:
    assert signup(client, "alice@example.com").status_code == 201
    assert_error(signup(client, "ALICE@Example.com"), 409, "email_taken")


def test_signup_closed(
    settings: Settings, client_with: Callable[[Settings], TestClient], database: Database
) -> None:
    closed = client_with(settings.model_copy(update={"signup_open": False}))
    assert_error(signup(closed, "alice@example.com"), 403, "signup_closed")
    assert_error(login(closed, "alice@example.com"), 401, "invalid_credentials")


def test_password_rules(client: TestClient) -> None:
    assert_error(signup(client, "a@example.com", "x" * 9), 422, "validation_error")
    assert_error(signup(client, "a@example.com", "x" * 1025), 422, "validation_error")
    assert_error(signup(client, "a@example.com", "ten chars\x00!"), 422, "validation_error")
    assert signup(client, "a@example.com", "x" * 10).status_code == 201
    client.cookies.clear()
    assert signup(client, "b@example.com", "é" * 1024).status_code == 201


def test_email_is_validated(client: TestClient) -> None:
    for bad in ("not-an-email", "a@b", "a b@example.com", "@example.com", "a@example.com\n"):
        error = assert_error(signup(client, bad), 422, "validation_error")
        assert error["details"][0]["path"] == "email"


def test_same_answer_for_unknown_email_and_wrong_password(client: TestClient) -> None:
    signup(client, "alice@example.com")
    client.cookies.clear()
    unknown = client.post(f"{API}/login", json={"email": "bob@example.com", "password": PASSWORD})
    wrong = client.post(f"{API}/login", json={"email": "alice@example.com", "password": "x" * 12})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()
    assert_error(unknown, 401, "invalid_credentials")
    assert SESSION_COOKIE not in unknown.headers.get("set-cookie", "")


def test_login_rehashes_outdated_password_hash(client: TestClient, database: Database) -> None:
    from argon2 import PasswordHasher

    from openrig.models import User
    from tests.accounts.helpers import set_columns

    signup(client, "alice@example.com")
    weak = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1).hash(PASSWORD)
    set_columns(database, User, User.email == "alice@example.com", password_hash=weak)
    assert login(client, "alice@example.com").status_code == 200
    assert user_row(database, "alice@example.com").password_hash != weak
    assert login(client, "alice@example.com").status_code == 200


def test_me_by_token_has_no_csrf(client: TestClient) -> None:
    signup(client, "alice@example.com")
    secret = client.post(f"{API}/tokens", json={"name": "script", "scope": "read"}).json()
    client.cookies.clear()
    me = client.get(f"{API}/me", headers={"Authorization": f"Bearer {secret['secret']}"})
    assert me.status_code == 200, me.text
    assert me.json()["auth"] == "token"
    assert me.json()["csrf_token"] is None
