"""Zero-touch enrollment: a rig holding its farm's enrollment key gets its own token.

The same farm + hardware_id always maps to the same rig (new token, old one
revoked), so a re-flashed USB key never duplicates a rig. Failures are throttled
per client address in the database, so the limit holds across instances.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from openrig.core.errors import TooManyRequests, Unauthorized
from openrig.core.security import new_token, token_hash
from openrig.farms.enroll import verify_enroll_key
from openrig.fleetconfig.layers import record_lifecycle
from openrig.fleetconfig.service import refresh_rigs
from openrig.models import EnrollAttempt, Rig
from openrig.rigapi.auth import RIG_TOKEN_PREFIX
from openrig.rigapi.schemas import EnrollIn
from openrig.rigapi.service import log_activity
from openrig.settings import Settings

WINDOW = timedelta(minutes=15)
MAX_FAILURES = 20
_NAME_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class Enrolled:
    rig: Rig
    token: str
    created: bool


def _check_throttle(db: Session, client_ip: str, now: datetime) -> None:
    since = now - WINDOW
    count, oldest = db.execute(
        select(func.count(), func.min(EnrollAttempt.at)).where(
            EnrollAttempt.client_ip == client_ip, EnrollAttempt.at > since
        )
    ).one()
    if count >= MAX_FAILURES and oldest is not None:
        retry = int((oldest + WINDOW - now).total_seconds()) + 1
        raise TooManyRequests("too many failed enrollments; try later", retry_after_s=retry)


def record_failure(db: Session, client_ip: str, now: datetime) -> None:
    db.execute(delete(EnrollAttempt).where(EnrollAttempt.at <= now - WINDOW))
    db.add(EnrollAttempt(client_ip=client_ip, at=now))


def _free_name(db: Session, farm_id: str, wanted: str) -> str:
    base = _NAME_SAFE.sub("-", wanted).strip("-")[:90] or "rig"
    taken = set(
        db.scalars(select(Rig.name).where(Rig.farm_id == farm_id, Rig.name.startswith(base)))
    )
    if base not in taken:
        return base
    suffix = 2
    while f"{base}-{suffix}" in taken:
        suffix += 1
    return f"{base}-{suffix}"


def enroll(
    db: Session, settings: Settings, body: EnrollIn, client_ip: str, now: datetime
) -> Enrolled:
    """Raise Unauthorized for a bad key (the caller records the failure after rollback)."""
    _check_throttle(db, client_ip, now)
    farm = verify_enroll_key(db, settings, body.enroll_key)
    if farm is None:
        raise Unauthorized("unknown or revoked enrollment key", code="invalid_enroll_key")
    rig = db.scalar(select(Rig).where(Rig.farm_id == farm.id, Rig.hardware_id == body.hardware_id))
    created = rig is None
    if rig is None:
        rig = Rig(
            farm_id=farm.id,
            name=_free_name(db, farm.id, body.hostname or "rig"),
            hardware_id=body.hardware_id,
            config={},
        )
        db.add(rig)
    token = new_token(RIG_TOKEN_PREFIX)
    rig.token_hash, rig.token_issued_at = token_hash(token), now
    db.flush()
    if created:
        refresh_rigs(db, farm.id, [rig.id])
        record_lifecycle(db, rig, "create", actor_user_id=None)
    log_activity(
        db,
        rig,
        "enrolled",
        "enrolled (new rig)" if created else "re-enrolled (new token)",
        {"hardware_id": body.hardware_id, "hostname": body.hostname},
    )
    return Enrolled(rig=rig, token=token, created=created)
