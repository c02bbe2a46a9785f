"""Silences: by farm, group, rig or rule (any combination), with an end and a comment."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from openrig.alerts.schemas import SilenceCreate, SilencePublic, SilenceUpdate
from openrig.core.errors import Invalid
from openrig.farms.access import FarmAccess
from openrig.models import AlertSilence, Group, Rig

MAX_LENGTH = timedelta(days=366)


def public(silence: AlertSilence, now: datetime) -> SilencePublic:
    return SilencePublic(
        id=silence.id,
        farm_id=silence.farm_id,
        group_id=silence.group_id,
        rig_id=silence.rig_id,
        rule=silence.rule,
        starts_at=silence.starts_at,
        ends_at=silence.ends_at,
        comment=silence.comment,
        created_by=silence.created_by,
        created_at=silence.created_at,
        active=silence.starts_at <= now < silence.ends_at,
    )


def _check_times(starts: datetime, ends: datetime, now: datetime) -> None:
    if ends <= max(starts, now):
        raise Invalid.at("ends_at", "must be in the future and after starts_at")
    if ends - now > MAX_LENGTH:
        raise Invalid.at("ends_at", "at most a year ahead")


def create(db: Session, access: FarmAccess, body: SilenceCreate, now: datetime) -> AlertSilence:
    farm_id = access.farm.id
    if body.group_id is not None:
        group = db.get(Group, body.group_id)
        if group is None or group.farm_id != farm_id:
            raise Invalid.at("group_id", "no such group in this farm")
    if body.rig_id is not None:
        rig = db.get(Rig, body.rig_id)
        if rig is None or rig.farm_id != farm_id:
            raise Invalid.at("rig_id", "no such rig in this farm")
    starts = body.starts_at or now
    _check_times(starts, body.ends_at, now)
    silence = AlertSilence(
        farm_id=farm_id,
        group_id=body.group_id,
        rig_id=body.rig_id,
        rule=body.rule,
        starts_at=starts,
        ends_at=body.ends_at,
        comment=body.comment,
        created_by=access.user_id,
        created_at=now,
    )
    db.add(silence)
    db.flush()
    return silence


def update(db: Session, silence: AlertSilence, body: SilenceUpdate, now: datetime) -> None:
    if body.ends_at is not None:
        _check_times(silence.starts_at, body.ends_at, now)
        silence.ends_at = body.ends_at
    if body.comment is not None:
        silence.comment = body.comment
    db.flush()
