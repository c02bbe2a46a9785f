"""Queries of the commands domain."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from openrig.models import Command

LIVE_STATES = ("queued", "delivered", "started")


def get(db: Session, command_id: str) -> Command | None:
    return db.get(Command, command_id)


def page_for_rig(
    db: Session, rig_id: str, status: str | None, limit: int, offset: int
) -> tuple[Sequence[Command], int]:
    where = [Command.rig_id == rig_id]
    if status:
        where.append(Command.status == status)
    total = db.scalar(select(func.count()).select_from(Command).where(*where)) or 0
    rows = db.scalars(
        select(Command)
        .where(*where)
        .order_by(Command.created_at.desc(), Command.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return rows, total


def expire_due(db: Session, now: datetime) -> int:
    """Mark every command whose TTL passed before it finished as expired."""
    result = db.execute(
        update(Command)
        .where(Command.status.in_(LIVE_STATES), Command.expires_at <= now)
        .values(status="expired", finished_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)
