"""Database engine, session factories and portable column types.

The same code runs on SQLite (default, embedded) and PostgreSQL. Only portable
column types are used; times are stored as naive UTC and handed out tz-aware.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import JSON, DateTime, Engine, MetaData, String, TypeDecorator, create_engine, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite has no time zones)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


JSONDoc = JSON().with_variant(JSONB(), "postgresql")


def new_id() -> str:
    return str(uuid.uuid4())


def IdColumn() -> String:
    return String(36)


def upsert_insert(db: Session, target: Any) -> Any:
    """An INSERT that can take ``on_conflict_do_*`` on this session's database (SQLite
    and PostgreSQL spell the clause alike but through different dialect classes)."""
    dialect = db.get_bind().dialect.name
    return sqlite_insert(target) if dialect == "sqlite" else pg_insert(target)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _sqlite_pragmas(engine: Engine, *, immediate: bool) -> None:
    """WAL, foreign keys and a busy timeout; writers take the lock up front.

    pysqlite's own transaction handling is disabled so that we emit BEGIN
    ourselves: BEGIN IMMEDIATE for sessions that will write avoids the
    "database is locked" upgrade failure of deferred transactions under
    concurrent writers.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=15000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _json_dumps(value: Any) -> str:
    """orjson: JSON columns are on the ingest hot path, where json.dumps dominated."""
    return orjson.dumps(value).decode()


def make_engine(url: str, *, immediate: bool = False) -> Engine:
    json_options: dict[str, Any] = {
        "json_serializer": _json_dumps,
        "json_deserializer": orjson.loads,
    }
    if url.startswith("sqlite"):
        engine = create_engine(url, pool_size=8, max_overflow=16, pool_timeout=30, **json_options)
        _sqlite_pragmas(engine, immediate=immediate)
        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True, **json_options)


@dataclass
class Database:
    """A reader and a writer session factory over one database.

    On PostgreSQL both share one engine; on SQLite the writer begins IMMEDIATE.
    """

    url: str
    reader_engine: Engine
    writer_engine: Engine
    _reader: sessionmaker[Session]
    _writer: sessionmaker[Session]

    @classmethod
    def connect(cls, url: str) -> Database:
        reader = make_engine(url)
        writer = make_engine(url, immediate=True) if url.startswith("sqlite") else reader
        return cls(
            url=url,
            reader_engine=reader,
            writer_engine=writer,
            _reader=sessionmaker(bind=reader, expire_on_commit=False),
            _writer=sessionmaker(bind=writer, expire_on_commit=False),
        )

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    def session(self, *, write: bool) -> Session:
        return self._writer() if write else self._reader()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A writing session committed on success, rolled back on error."""
        session = self.session(write=True)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.reader_engine.dispose()
        if self.writer_engine is not self.reader_engine:
            self.writer_engine.dispose()
