"""Test fixtures: every database test runs on SQLite and, when configured, PostgreSQL.

- ``OPENRIG_TEST_DATABASE_URL``: a PostgreSQL URL; each test run works in its own
  schema there (created, migrated, dropped), so parallel runs do not collide.
- ``OPENRIG_TEST_STRICT=1``: a test that would skip for a missing component fails.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from openrig.app import create_app
from openrig.core.db import Database
from openrig.core.security import use_fast_password_hashing
from openrig.settings import Settings, load_settings
from tests.support.actors import Actors, make_actors
from tests.support.db import clean_database, migrated_postgres_schema, migrated_sqlite

pytest_plugins = ["tests.support.rigs"]

STRICT = os.environ.get("OPENRIG_TEST_STRICT") == "1"
PG_URL = os.environ.get("OPENRIG_TEST_DATABASE_URL", "")

use_fast_password_hashing()


def require(available: bool, what: str) -> None:
    """Skip when ``what`` is missing; in strict mode (CI) fail instead."""
    if available:
        return
    if STRICT:
        pytest.fail(f"{what} is required in strict mode (OPENRIG_TEST_STRICT=1)")
    pytest.skip(f"{what} not available")


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        yield migrated_sqlite(tmp_path_factory.mktemp("sqlite"))
        return
    require(bool(PG_URL), "PostgreSQL (OPENRIG_TEST_DATABASE_URL)")
    with migrated_postgres_schema(PG_URL) as url:
        yield url


@pytest.fixture(scope="session")
def _database(database_url: str) -> Iterator[Database]:
    database = Database.connect(database_url)
    yield database
    database.dispose()


@pytest.fixture
def database(_database: Database) -> Iterator[Database]:
    """A migrated database, emptied after each test."""
    yield _database
    clean_database(_database)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def settings(database_url: str, data_dir: Path) -> Settings:
    return load_settings(
        {},
        data_dir=str(data_dir),
        database_url=database_url,
        public_url="http://testserver",
        # Tests run background jobs directly, at the moment they choose.
        worker_in_serve="false",
    )


@pytest.fixture
def app(settings: Settings, database: Database) -> FastAPI:
    return create_app(settings, database)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """An anonymous client."""
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def actors(app: FastAPI, database: Database) -> Iterator[Actors]:
    """Owner, admin, operator and viewer of one farm, an outsider with a farm of
    their own, and an anonymous client: access control is tested everywhere."""
    with make_actors(app, database) as made:
        yield made
