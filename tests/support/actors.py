"""Users with roles in one farm, each with their own logged-in HTTP client.

Users, sessions and memberships are inserted directly (not through the accounts
API) so that every domain's tests stand on the models alone.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from openrig.accounts.principal import CSRF_HEADER, SESSION_COOKIE
from openrig.core.db import Database, utcnow
from openrig.core.security import hash_password, token_hash
from openrig.models import Farm, FarmMember, User, UserSession

ROLES = ("owner", "admin", "operator", "viewer")
PASSWORD = "correct horse battery staple"


@dataclass
class Actor:
    name: str
    user_id: str
    email: str
    client: TestClient
    role: str | None = None  # role in the shared farm; None for outsider/anonymous

    def get(self, url: str, **kw: Any) -> Any:
        return self.client.get(url, **kw)

    def post(self, url: str, **kw: Any) -> Any:
        return self.client.post(url, **kw)

    def patch(self, url: str, **kw: Any) -> Any:
        return self.client.patch(url, **kw)

    def put(self, url: str, **kw: Any) -> Any:
        return self.client.put(url, **kw)

    def delete(self, url: str, **kw: Any) -> Any:
        return self.client.delete(url, **kw)


@dataclass
class Actors:
    farm_id: str
    other_farm_id: str  # owned by the outsider
    by_name: dict[str, Actor] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Actor:
        try:
            return self.by_name[name]
        except KeyError:
            raise AttributeError(name) from None

    def all(self) -> list[Actor]:
        return list(self.by_name.values())


def create_user(database: Database, email: str, *, is_admin: bool = False) -> User:
    with database.transaction() as db:
        user = User(
            email=email,
            password_hash=hash_password(PASSWORD),
            is_admin=is_admin,
            email_verified_at=utcnow(),
        )
        db.add(user)
    return user


def create_farm(database: Database, name: str, owner_id: str) -> Farm:
    with database.transaction() as db:
        farm = Farm(name=name, config={})
        db.add(farm)
        db.flush()
        db.add(FarmMember(farm_id=farm.id, user_id=owner_id, role="owner"))
    return farm


def add_member(database: Database, farm_id: str, user_id: str, role: str) -> None:
    with database.transaction() as db:
        db.add(FarmMember(farm_id=farm_id, user_id=user_id, role=role))


def logged_in_client(app: FastAPI, database: Database, user_id: str) -> TestClient:
    """A client holding a fresh session cookie and sending its CSRF token."""
    raw = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = utcnow()
    with database.transaction() as db:
        db.add(
            UserSession(
                user_id=user_id,
                token_hash=token_hash(raw),
                csrf_token=csrf,
                created_at=now,
                last_seen_at=now,
                expires_at=now + timedelta(days=1),
            )
        )
    client = TestClient(app, headers={CSRF_HEADER: csrf})
    client.cookies.set(SESSION_COOKIE, raw)
    return client


@contextmanager
def make_actors(app: FastAPI, database: Database) -> Iterator[Actors]:
    with ExitStack() as stack:
        owner = create_user(database, "owner@example.com", is_admin=True)
        farm = create_farm(database, "Farm A", owner.id)
        outsider = create_user(database, "outsider@example.com")
        other = create_farm(database, "Outsider farm", outsider.id)
        actors = Actors(farm_id=farm.id, other_farm_id=other.id)
        for role in ROLES:
            user = owner if role == "owner" else create_user(database, f"{role}@example.com")
            if role != "owner":
                add_member(database, farm.id, user.id, role)
            client = stack.enter_context(logged_in_client(app, database, user.id))
            actors.by_name[role] = Actor(role, user.id, user.email, client, role)
        out_client = stack.enter_context(logged_in_client(app, database, outsider.id))
        actors.by_name["outsider"] = Actor("outsider", outsider.id, outsider.email, out_client)
        anon = stack.enter_context(TestClient(app))
        actors.by_name["anonymous"] = Actor("anonymous", "", "", anon)
        yield actors
