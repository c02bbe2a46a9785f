"""Migrated test databases and cleaning between tests."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, text

from openrig.core import migrate
from openrig.core.db import Base, Database, make_engine

_serial = itertools.count()


def migrated_sqlite(folder: Path) -> str:
    url = f"sqlite:///{folder / 'test.sqlite3'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    return url


def _pg(url: str) -> str:
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


@contextmanager
def migrated_postgres_schema(base_url: str, migrate_to: str | None = "head") -> Iterator[str]:
    """A fresh schema for this process (pid-named, so parallel runs don't collide),
    migrated to ``migrate_to`` (None: left empty)."""
    base_url = _pg(base_url)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    schema = f"openrig_t_{os.getpid()}_{worker}_{next(_serial)}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base_url else "?"
    url = f"{base_url}{sep}options={quote(f'-csearch_path={schema}')}"
    if migrate_to is not None:
        engine = make_engine(url)
        migrate.upgrade(engine, migrate_to)
        engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def clean_database(database: Database) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with database.writer_engine.begin() as conn:
        if database.is_sqlite:
            for name in tables:
                conn.execute(text(f'DELETE FROM "{name}"'))
        else:
            conn.execute(text("TRUNCATE " + ", ".join(f'"{n}"' for n in tables) + " CASCADE"))
