"""The alert jobs for the worker (inside ``openrig serve`` or ``openrig worker``).

Returned as (name, every_s, fn) so the worker owns its Job type without an import
cycle. Evaluation every 5 s keeps detection within grace + 5 s; routing and sending
every second keep a notice within a second or two of ``group_wait``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from openrig.alerts.baselines import refresh_baselines
from openrig.alerts.channels.telegram.link import poll_links
from openrig.alerts.deliver import deliver_due
from openrig.alerts.evaluate import evaluate
from openrig.alerts.reminders import remind
from openrig.alerts.route import route
from openrig.settings import Settings

JobSpec = tuple[str, float, Callable[[Session, datetime], object]]


def alert_jobs(settings: Settings) -> list[JobSpec]:
    wait = timedelta(seconds=settings.alert_group_wait_s)

    def route_job(db: Session, now: datetime) -> int:
        return route(db, now, wait, settings.public_url)

    def deliver_job(db: Session, now: datetime) -> dict[str, int]:
        return deliver_due(db, settings, now)

    jobs: list[JobSpec] = [
        ("alerts_evaluate", 5, evaluate),
        ("alerts_baselines", 60, refresh_baselines),
        ("alerts_reminders", 60, remind),
        ("alerts_route", 1, route_job),
        ("alerts_deliver", 1, deliver_job),
    ]
    if settings.telegram_bot_token:

        def poll_job(db: Session, now: datetime) -> int:
            return poll_links(db, settings, now)

        jobs.append(("alerts_telegram_link", 3, poll_job))
    return jobs
