"""Queries of the dispatcher: claiming transitions and notifications with conditional
UPDATEs (exactly one worker wins a row), channels, silences and reminders."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.orm import Session

from openrig.models import (
    Alert,
    AlertAttempt,
    AlertChannel,
    AlertNotification,
    AlertSilence,
    AlertTransition,
    Farm,
    Group,
    Rig,
)


def farms_due(db: Session, oldest_before: datetime) -> list[str]:
    """Farms with an unclaimed transition older than the group wait."""
    rows = db.execute(
        select(AlertTransition.farm_id)
        .where(AlertTransition.claimed_at.is_(None))
        .group_by(AlertTransition.farm_id)
        .having(func.min(AlertTransition.at) <= oldest_before)
    ).all()
    return [r.farm_id for r in rows]


def claim_transitions(db: Session, farm_id: str, batch_id: str, now: datetime) -> int:
    """Claim every unclaimed transition of a farm; rows another worker took first are
    skipped by the ``claimed_at IS NULL`` condition."""
    result = db.execute(
        update(AlertTransition)
        .where(
            AlertTransition.farm_id == farm_id,
            AlertTransition.claimed_at.is_(None),
            AlertTransition.at <= now,
        )
        .values(claimed_at=now, batch_id=batch_id)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def batch_rows(db: Session, batch_id: str) -> Sequence[Any]:
    return db.execute(
        select(
            AlertTransition,
            Alert.started_at,
            Alert.notified_at,
            Rig.name.label("rig_name"),
            Rig.group_id,
            Rig.maintenance,
            Group.name.label("group_name"),
        )
        .join(Alert, Alert.id == AlertTransition.alert_id)
        .join(Rig, Rig.id == AlertTransition.rig_id)
        .outerjoin(Group, Group.id == Rig.group_id)
        .where(AlertTransition.batch_id == batch_id)
        .order_by(Rig.name, AlertTransition.id)
    ).all()


def farm_name_and_size(db: Session, farm_id: str) -> tuple[str, int]:
    name = db.scalar(select(Farm.name).where(Farm.id == farm_id)) or "?"
    size = db.scalar(select(func.count()).select_from(Rig).where(Rig.farm_id == farm_id)) or 0
    return name, int(size)


def active_silences(db: Session, farm_ids: Sequence[str], now: datetime) -> list[AlertSilence]:
    return list(
        db.scalars(
            select(AlertSilence).where(
                AlertSilence.farm_id.in_(farm_ids),
                AlertSilence.starts_at <= now,
                AlertSilence.ends_at > now,
            )
        )
    )


def enabled_channels(db: Session, farm_id: str | None = None) -> list[AlertChannel]:
    query = select(AlertChannel).where(AlertChannel.enabled.is_(True))
    if farm_id is not None:
        query = query.where(AlertChannel.farm_id == farm_id)
    return list(db.scalars(query.order_by(AlertChannel.created_at)))


def add_notifications(db: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        db.execute(insert(cast(Table, AlertNotification.__table__)), rows)


def mark_notified(db: Session, alert_ids: Sequence[str], now: datetime) -> None:
    if alert_ids:
        db.execute(
            update(Alert)
            .where(Alert.id.in_(alert_ids), Alert.notified_at.is_(None))
            .values(notified_at=now)
            .execution_options(synchronize_session=False)
        )


def due_notifications(db: Session, now: datetime, limit: int) -> list[str]:
    rows = db.execute(
        select(AlertNotification.id)
        .join(AlertChannel, AlertChannel.id == AlertNotification.channel_id)
        .where(
            AlertNotification.status == "pending",
            AlertNotification.next_attempt_at <= now,
            AlertChannel.enabled.is_(True),
        )
        .order_by(AlertNotification.next_attempt_at)
        .limit(limit)
    ).all()
    return [r.id for r in rows]


def claim_notification(db: Session, notification_id: str, now: datetime, lease: Any) -> bool:
    """Take a lease on one notification; exactly one worker gets True."""
    result = db.execute(
        update(AlertNotification)
        .where(
            AlertNotification.id == notification_id,
            AlertNotification.status == "pending",
            AlertNotification.next_attempt_at <= now,
            (AlertNotification.lease_until.is_(None)) | (AlertNotification.lease_until <= now),
        )
        .values(lease_until=now + lease, attempts=AlertNotification.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


def notification_and_channel(
    db: Session, notification_id: str
) -> tuple[AlertNotification, AlertChannel]:
    row = db.execute(
        select(AlertNotification, AlertChannel)
        .join(AlertChannel, AlertChannel.id == AlertNotification.channel_id)
        .where(AlertNotification.id == notification_id)
    ).one()
    return row[0], row[1]


def add_attempt(db: Session, **values: Any) -> None:
    db.add(AlertAttempt(**values))


def fail_pending_of_channel(db: Session, channel_id: str, reason: str) -> None:
    """A disabled channel's queue is dropped: re-enabling it must not flood old news."""
    db.execute(
        update(AlertNotification)
        .where(AlertNotification.channel_id == channel_id, AlertNotification.status == "pending")
        .values(status="failed", last_error=reason[:500], lease_until=None)
        .execution_options(synchronize_session=False)
    )


def alerts_due_reminder(
    db: Session, channel_id: str, farm_id: str, cutoff: datetime
) -> Sequence[Alert]:
    """Firing alerts of the farm not reminded through this channel since ``cutoff``."""
    last = (
        select(AlertTransition.alert_id, func.max(AlertTransition.at).label("at"))
        .where(AlertTransition.kind == "reminder", AlertTransition.channel_id == channel_id)
        .group_by(AlertTransition.alert_id)
        .subquery()
    )
    return db.scalars(
        select(Alert)
        .outerjoin(last, last.c.alert_id == Alert.id)
        .where(
            Alert.farm_id == farm_id,
            Alert.state == "firing",
            Alert.fired_at <= cutoff,
            (last.c.at.is_(None)) | (last.c.at <= cutoff),
        )
    ).all()
