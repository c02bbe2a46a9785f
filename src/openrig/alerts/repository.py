"""Queries behind the alerts API: alert lists, rule layers, channels, silences."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from openrig.core.db import utcnow
from openrig.models import (
    Alert,
    AlertAttempt,
    AlertChannel,
    AlertNotification,
    AlertRuleLayer,
    AlertSilence,
    Rig,
    TelegramLink,
)

OPEN_STATES = ("pending", "firing")


def _alert_rows() -> Select[Alert, str, str | None, bool]:
    return select(Alert, Rig.name.label("rig_name"), Rig.group_id, Rig.maintenance).join(
        Rig, Rig.id == Alert.rig_id
    )


def alert_page(
    db: Session, farm_id: str, filters: dict[str, Any], limit: int, offset: int
) -> tuple[Sequence[Any], int]:
    query = _alert_rows().where(Alert.farm_id == farm_id)
    state = filters.get("state")
    if state == "active":
        query = query.where(Alert.state.in_(OPEN_STATES))
    elif state:
        query = query.where(Alert.state == state)
    for key in ("rig_id", "rule"):
        if filters.get(key):
            query = query.where(getattr(Alert, key) == filters[key])
    if filters.get("group_id"):
        query = query.where(Rig.group_id == filters["group_id"])
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.execute(
        query.order_by(Alert.started_at.desc(), Alert.id).limit(limit).offset(offset)
    ).all()
    return rows, int(total)


def open_alerts_of_rigs(db: Session, rig_ids: Sequence[str]) -> Sequence[Any]:
    return db.execute(
        _alert_rows()
        .where(Alert.rig_id.in_(rig_ids), Alert.state.in_(OPEN_STATES))
        .order_by(Alert.started_at)
    ).all()


def layer(db: Session, scope: str) -> AlertRuleLayer | None:
    return db.get(AlertRuleLayer, scope)


def layers(db: Session, scopes: Sequence[str]) -> dict[str, dict[str, Any]]:
    rows = db.execute(
        select(AlertRuleLayer.scope, AlertRuleLayer.doc).where(AlertRuleLayer.scope.in_(scopes))
    ).all()
    return {r.scope: r.doc for r in rows}


def save_layer(db: Session, scope: str, values: dict[str, Any], doc: dict[str, Any]) -> None:
    row = db.get(AlertRuleLayer, scope)
    if row is None:
        row = AlertRuleLayer(scope=scope, **values)
        db.add(row)
    row.doc, row.updated_at = doc, utcnow()
    db.flush()


def channels(db: Session, farm_id: str) -> list[AlertChannel]:
    return list(
        db.scalars(
            select(AlertChannel)
            .where(AlertChannel.farm_id == farm_id)
            .order_by(AlertChannel.created_at)
        )
    )


def notifications(db: Session, channel_id: str, limit: int) -> list[AlertNotification]:
    return list(
        db.scalars(
            select(AlertNotification)
            .where(AlertNotification.channel_id == channel_id)
            .order_by(AlertNotification.created_at.desc())
            .limit(limit)
        )
    )


def attempts(db: Session, notification_ids: Sequence[str]) -> dict[str, list[AlertAttempt]]:
    found: dict[str, list[AlertAttempt]] = {}
    for row in db.scalars(
        select(AlertAttempt)
        .where(AlertAttempt.notification_id.in_(notification_ids))
        .order_by(AlertAttempt.id)
    ):
        found.setdefault(row.notification_id, []).append(row)
    return found


def silences(db: Session, farm_id: str, now: datetime, active_only: bool) -> list[AlertSilence]:
    query = select(AlertSilence).where(AlertSilence.farm_id == farm_id)
    if active_only:
        query = query.where(AlertSilence.ends_at > now)
    return list(db.scalars(query.order_by(AlertSilence.ends_at.desc())))


def telegram_link(db: Session, farm_id: str, code: str) -> TelegramLink | None:
    link = db.get(TelegramLink, code)
    return link if link is not None and link.farm_id == farm_id else None
