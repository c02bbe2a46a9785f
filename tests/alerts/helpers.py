"""Helpers for alert tests: controlled time over real reports."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from openrig.alerts.evaluate import evaluate
from openrig.core.db import Database
from openrig.models import Alert, AlertTransition, RigState

GRACE = timedelta(seconds=90)


def seen(database: Database, rig_id: str, at: datetime) -> None:
    """As if the rig's latest report had been received at ``at``."""
    with database.transaction() as db:
        db.execute(
            update(RigState)
            .where(RigState.rig_id == rig_id)
            .values(last_seen_at=at, offline_after=at + GRACE)
        )


def run_eval(database: Database, now: datetime) -> dict[str, int]:
    with database.transaction() as db:
        return evaluate(db, now)


def alerts(database: Database, **where: Any) -> list[Alert]:
    with database.transaction() as db:
        query = select(Alert).order_by(Alert.started_at)
        for key, value in where.items():
            query = query.where(getattr(Alert, key) == value)
        return list(db.scalars(query))


def transitions(database: Database) -> list[AlertTransition]:
    with database.transaction() as db:
        return list(db.scalars(select(AlertTransition).order_by(AlertTransition.id)))
