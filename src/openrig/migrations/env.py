"""Alembic environment: the URL comes from the caller (openrig.core.migrate)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import openrig.models  # noqa: F401 - registers every table on Base.metadata
from openrig.core.db import Base

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite can only ALTER through table copies
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through openrig.core.migrate")
_run(connection)
