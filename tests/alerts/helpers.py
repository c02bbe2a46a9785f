"""Helpers for alert tests: controlled time over real reports."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from openrig.alerts.deliver import deliver_due
from openrig.alerts.evaluate import evaluate
from openrig.alerts.reminders import remind
from openrig.alerts.route import route
from openrig.core.db import Database, utcnow
from openrig.models import (
    Alert,
    AlertChannel,
    AlertNotification,
    AlertTransition,
    Rig,
    RigState,
)
from openrig.settings import Settings

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


def dispatch(database: Database, settings: Settings, now: datetime) -> dict[str, int]:
    """The dispatcher's steps at ``now``: reminders, grouping, sending."""
    with database.transaction() as db:
        reminded = remind(db, now)
    with database.transaction() as db:
        routed = route(db, now, timedelta(seconds=settings.alert_group_wait_s), settings.public_url)
    with database.transaction() as db:
        sent = deliver_due(db, settings, now)
    return {"reminded": reminded, "routed": routed, **sent}


def tick(database: Database, settings: Settings, now: datetime) -> dict[str, int]:
    run_eval(database, now)
    return dispatch(database, settings, now)


def make_channel(client: Any, farm_id: str, kind: str, config: dict[str, Any], **extra: Any) -> Any:
    response = client.post(
        f"/api/v1/farms/{farm_id}/channels",
        json={"kind": kind, "name": f"{kind} channel", "config": config, **extra},
    )
    assert response.status_code == 201, response.text
    return response.json()


def notifications(database: Database) -> list[AlertNotification]:
    with database.transaction() as db:
        return list(db.scalars(select(AlertNotification).order_by(AlertNotification.created_at)))


def fire_offline(database: Database, settings: Settings, rig_id: str) -> datetime:
    """Make the rig's offline alert fire and queue its notification; returns the
    moment the notification is due (call ``dispatch`` with it or later)."""
    t0 = utcnow()
    seen(database, rig_id, t0 - timedelta(seconds=200))
    run_eval(database, t0)
    due = t0 + timedelta(seconds=settings.alert_group_wait_s)
    with database.transaction() as db:
        route(db, due, timedelta(seconds=settings.alert_group_wait_s), settings.public_url)
    return due


def rename_rig(database: Database, rig_id: str, name: str) -> None:
    with database.transaction() as db:
        db.execute(update(Rig).where(Rig.id == rig_id).values(name=name))


def channel_row(database: Database, channel_id: str) -> AlertChannel:
    with database.transaction() as db:
        row = db.get(AlertChannel, channel_id)
        assert row is not None
        return row
