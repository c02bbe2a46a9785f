"""Login throttling, kept in the database so it holds across instances and restarts.

Failures are counted per email and per client IP over a sliding window. The check
runs before the password is verified, so a locked account cannot be probed.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from openrig.accounts import repository as repo
from openrig.core.db import utcnow
from openrig.core.errors import TooManyRequests
from openrig.settings import Settings


def _window(settings: Settings) -> timedelta:
    return timedelta(minutes=settings.login_window_minutes)


def _unlocks_at(times: list[datetime], limit: int, window: timedelta) -> datetime | None:
    """When the count drops below ``limit``: the limit-th newest failure leaves the window.

    ``times`` are the newest ``limit`` failures, newest first; fewer means not locked.
    """
    if len(times) < limit:
        return None
    return times[limit - 1] + window


def check(db: Session, settings: Settings, email: str, ip: str) -> None:
    """Raise 429 with Retry-After when the email or the IP has too many recent failures."""
    now = utcnow()
    window = _window(settings)
    limit = settings.login_max_failures
    since = now - window
    candidates = [
        _unlocks_at(repo.recent_failures_by_email(db, email, since, limit), limit, window),
        _unlocks_at(repo.recent_failures_by_ip(db, ip, since, limit), limit, window),
    ]
    unlocks = [at for at in candidates if at is not None]
    if not unlocks:
        return
    wait = math.ceil((max(unlocks) - now).total_seconds())
    raise TooManyRequests("too many failed attempts; try again later", retry_after_s=wait)


def record_failure(db: Session, settings: Settings, email: str, ip: str) -> None:
    now = utcnow()
    # Pruning on insert keeps the table small without a scheduled job.
    repo.prune_failures(db, email, ip, now - _window(settings))
    repo.add_failure(db, email, ip, now)
    db.flush()


def clear_email(db: Session, email: str) -> None:
    repo.detach_failures_from_email(db, email)
