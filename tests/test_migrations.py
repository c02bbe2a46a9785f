"""Migrations: empty → head → base → head on SQLite and PostgreSQL, and the migrated
schema matches the models (no autogenerate difference)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

import openrig.models  # noqa: F401 - registers the tables
from openrig.core import migrate
from openrig.core.db import Base, make_engine
from tests.conftest import PG_URL, require
from tests.support.db import migrated_postgres_schema


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
        yield engine
        engine.dispose()
        return
    require(bool(PG_URL), "PostgreSQL (OPENRIG_TEST_DATABASE_URL)")
    with migrated_postgres_schema(PG_URL, migrate_to=None) as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_up_down_up(empty_engine: Engine) -> None:
    assert _tables(empty_engine) == set()
    migrate.upgrade(empty_engine)
    assert _tables(empty_engine) == set(Base.metadata.tables)
    assert migrate.is_at_head(empty_engine)
    migrate.downgrade(empty_engine, "base")
    assert _tables(empty_engine) == set()
    assert migrate.current_revision(empty_engine) is None
    migrate.upgrade(empty_engine)
    assert migrate.is_at_head(empty_engine)


def test_schema_matches_models(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    with empty_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"


def test_cli_migrate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from openrig.cli import main

    monkeypatch.setenv("OPENRIG_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("OPENRIG_DATABASE_URL", raising=False)
    assert main(["migrate"]) == 0
    engine = make_engine(f"sqlite:///{(tmp_path / 'openrig.sqlite3').resolve()}")
    assert migrate.is_at_head(engine)
    assert main(["migrate", "base", "--down"]) == 0
    assert migrate.current_revision(engine) is None
    engine.dispose()
    assert os.path.exists(tmp_path / "secret_key")
