"""Retention: raw samples 48 h, 5-minute rollups 30 days, hourly 1 year, activity
90 days (all configurable). Deletes are bounded per run so a large backlog never
holds a long lock; the next run continues."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from openrig.models import Activity, RigRollup, RigSample

BATCH = 20_000


@dataclass(frozen=True)
class Retention:
    raw: timedelta = timedelta(hours=48)
    five_minutes: timedelta = timedelta(days=30)
    hourly: timedelta = timedelta(days=365)
    activity: timedelta = timedelta(days=90)


def _delete_samples(db: Session, before: datetime) -> int:
    ids = list(db.scalars(select(RigSample.id).where(RigSample.at < before).limit(BATCH)))
    if ids:
        db.execute(delete(RigSample).where(RigSample.id.in_(ids)))
    return len(ids)


def _delete_activity(db: Session, before: datetime) -> int:
    ids = list(db.scalars(select(Activity.id).where(Activity.at < before).limit(BATCH)))
    if ids:
        db.execute(delete(Activity).where(Activity.id.in_(ids)))
    return len(ids)


def _delete_rollups(db: Session, step_s: int, before: datetime) -> int:
    result = db.execute(
        delete(RigRollup).where(RigRollup.step_s == step_s, RigRollup.bucket < before)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def apply_retention(db: Session, now: datetime, keep: Retention) -> dict[str, int]:
    return {
        "raw": _delete_samples(db, now - keep.raw),
        "5m": _delete_rollups(db, 300, now - keep.five_minutes),
        "1h": _delete_rollups(db, 3600, now - keep.hourly),
        "activity": _delete_activity(db, now - keep.activity),
    }
