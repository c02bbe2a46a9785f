"""Request-scoped dependencies: settings, database session, the caller's client address."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from openrig.core.db import Database
from openrig.settings import Settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_database(request: Request) -> Database:
    database: Database = request.app.state.db
    return database


def get_session(request: Request) -> Iterator[Session]:
    """One session per request; the request boundary commits, errors roll back.

    Declared with ``scope="function"`` so the commit happens before the response
    is sent: a client never sees success for a write that did not land.
    """
    database = get_database(request)
    writes = request.method not in SAFE_METHODS or getattr(request.state, "writes", False)
    session = database.session(write=writes)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def writing_get(request: Request) -> None:
    """Route-level dependency (``dependencies=[Depends(writing_get)]``) for a GET that
    changes state: the request's session starts as a writer (SQLite: BEGIN IMMEDIATE),
    since a read transaction that later writes can fail with "database is locked".
    Route dependencies are solved before parameters, so this runs before get_session.
    Such a GET must also defend itself against CSRF (see rigs rig.conf)."""
    request.state.writes = True


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


SettingsDep = Annotated[Settings, Depends(get_settings)]
DatabaseDep = Annotated[Database, Depends(get_database)]
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
ClientIpDep = Annotated[str, Depends(client_ip)]
