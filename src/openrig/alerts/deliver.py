"""Sending: claim a due notification (a lease, by conditional UPDATE), commit, send
with no transaction open, record the attempt. At least once: a worker that dies
mid-send leaves a lease that runs out, and another worker sends again.

Temporary errors retry with exponential back-off (or the server's retry-after);
a permanent error disables the channel and drops its queue.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from openrig.alerts import repository_dispatch as repo
from openrig.alerts.channels import TRANSPORTS, TransportError
from openrig.alerts.messages import render
from openrig.models import AlertChannel, AlertNotification
from openrig.settings import Settings

LEASE = timedelta(seconds=120)
MAX_ATTEMPTS = 8
BACKOFF_BASE_S = 15.0
BACKOFF_MAX_S = 3600.0
BATCH = 50
BUDGET_S = 5.0  # stop taking new sends so the worker's other jobs keep their pace


@dataclass(frozen=True)
class Outcome:
    ok: bool
    error: str = ""
    permanent: bool = False
    retry_after_s: float | None = None
    duration_ms: int = 0


def backoff(attempt: int) -> timedelta:
    """15 s, 30 s, 1 min, 2 min … capped at an hour."""
    return timedelta(seconds=min(BACKOFF_BASE_S * 2 ** max(attempt - 1, 0), BACKOFF_MAX_S))


def deliver_due(db: Session, settings: Settings, now: datetime) -> dict[str, int]:
    """One worker step. Commits its own claims and results: no database transaction
    may stay open while a slow SMTP or HTTP server is being waited for."""
    counts = {"sent": 0, "retry": 0, "failed": 0}
    started = time.monotonic()
    for notification_id in repo.due_notifications(db, now, BATCH):
        if time.monotonic() - started > BUDGET_S:
            break
        claimed = repo.claim_notification(db, notification_id, now, LEASE)
        notification, channel = repo.notification_and_channel(db, notification_id)
        db.commit()
        if not claimed:
            continue
        outcome = send_one(settings, channel, notification)
        counts[record(db, notification_id, outcome, now)] += 1
        db.commit()
    return counts


def send_one(settings: Settings, channel: AlertChannel, notification: AlertNotification) -> Outcome:
    transport = TRANSPORTS[channel.kind](settings, dict(channel.config))
    message = render(notification.id, notification.payload)
    start = time.monotonic()
    try:
        transport.send(message)
    except TransportError as exc:
        ms = int((time.monotonic() - start) * 1000)
        return Outcome(False, exc.message, exc.permanent, exc.retry_after_s, ms)
    except Exception as exc:  # a bug in one transport must not stop the queue
        return Outcome(False, f"unexpected error: {type(exc).__name__}", False, None, 0)
    return Outcome(True, duration_ms=int((time.monotonic() - start) * 1000))


def record(db: Session, notification_id: str, outcome: Outcome, now: datetime) -> str:
    """Store the attempt and the new state; which counter it adds to."""
    notification, channel = repo.notification_and_channel(db, notification_id)
    repo.add_attempt(
        db,
        notification_id=notification_id,
        at=now,
        ok=outcome.ok,
        permanent=outcome.permanent,
        error=outcome.error,
        duration_ms=outcome.duration_ms,
    )
    notification.lease_until = None
    if outcome.ok:
        notification.status, notification.sent_at = "sent", now
        channel.last_sent_at = now
        return "sent"
    notification.last_error = outcome.error
    channel.last_error, channel.last_error_at = outcome.error, now
    if outcome.permanent:
        notification.status = "failed"
        channel.enabled, channel.disabled_reason = False, outcome.error
        db.flush()
        repo.fail_pending_of_channel(db, channel.id, f"channel disabled: {outcome.error}")
        return "failed"
    if notification.attempts >= MAX_ATTEMPTS:
        notification.status = "failed"
        return "failed"
    delay = backoff(notification.attempts)
    if outcome.retry_after_s is not None:
        delay = timedelta(seconds=min(max(outcome.retry_after_s, 1.0), BACKOFF_MAX_S))
    notification.next_attempt_at = now + delay
    return "retry"
