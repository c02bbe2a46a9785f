"""Small helpers shared by the accounts tests."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from openrig.accounts.principal import CSRF_HEADER
from openrig.core.db import Base, Database
from openrig.models import LoginAttempt, User, UserSession

PASSWORD = "a long enough password"
NEW_PASSWORD = "another long passphrase"
API = "/api/v1/auth"


def signup(client: TestClient, email: str, password: str = PASSWORD) -> Any:
    response = client.post(f"{API}/signup", json={"email": email, "password": password})
    if response.status_code == 201 and response.json()["csrf_token"]:
        client.headers[CSRF_HEADER] = response.json()["csrf_token"]
    return response


def login(client: TestClient, email: str, password: str = PASSWORD) -> Any:
    response = client.post(f"{API}/login", json={"email": email, "password": password})
    if response.status_code == 200:
        client.headers[CSRF_HEADER] = response.json()["csrf_token"]
    return response


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    assert isinstance(body["error"]["details"], list)
    if code is not None:
        assert body["error"]["code"] == code, body
    error: dict[str, Any] = body["error"]
    return error


def row_counts(database: Database) -> dict[str, int]:
    counts = {}
    with database.transaction() as db:
        for table in Base.metadata.sorted_tables:
            counts[table.name] = db.scalar(select(func.count()).select_from(table)) or 0
    return counts


def set_columns(database: Database, model: Any, where: Any, **values: Any) -> None:
    with database.transaction() as db:
        db.execute(update(model).where(where).values(**values))


def user_row(database: Database, email: str) -> User:
    with database.transaction() as db:
        user = db.scalar(select(User).where(User.email == email))
        assert user is not None
        return user


def sessions_of(database: Database, user_id: str) -> list[UserSession]:
    with database.transaction() as db:
        return list(db.scalars(select(UserSession).where(UserSession.user_id == user_id)))


def failures(database: Database) -> list[LoginAttempt]:
    with database.transaction() as db:
        return list(db.scalars(select(LoginAttempt)))


def link_token(body: str, route: str) -> str:
    match = re.search(rf"/#/{route}\?token=([A-Za-z0-9_\-]+)", body)
    assert match, body
    return match.group(1)
