"""A small scheduler of periodic jobs. Every job is safe to run on several instances
at once (conditional updates, locked cursors), so no leader election is needed."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from openrig.alerts.jobs import alert_jobs
from openrig.commands.service import expire
from openrig.core.background import SharedThread
from openrig.core.db import Database, utcnow
from openrig.settings import Settings
from openrig.telemetry.retention import Retention, apply_retention
from openrig.telemetry.rollup import run_rollups

log = logging.getLogger("openrig.worker")

JobFn = Callable[[Session, datetime], object]


@dataclass
class Job:
    name: str
    every_s: float
    run: JobFn
    next_at: float = 0.0


def retention_from(settings: Settings) -> Retention:
    return Retention(
        raw=timedelta(hours=settings.retention_raw_hours),
        five_minutes=timedelta(days=settings.retention_5m_days),
        hourly=timedelta(days=settings.retention_1h_days),
        activity=timedelta(days=settings.retention_activity_days),
    )


def default_jobs(settings: Settings) -> list[Job]:
    keep = retention_from(settings)
    return [
        Job("expire_commands", 10, expire),
        Job("rollups", 60, run_rollups),
        Job("retention", 3600, lambda db, now: apply_retention(db, now, keep)),
        *(Job(name, every, run) for name, every, run in alert_jobs(settings)),
    ]


class Worker:
    def __init__(self, database: Database, jobs: list[Job], tick_s: float = 1.0) -> None:
        self._database = database
        self.jobs = jobs
        self._tick = tick_s
        self._thread = SharedThread("openrig-worker", self.loop)

    def add(self, job: Job) -> None:
        self.jobs.append(job)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._thread.stop()

    def run_due(self) -> None:
        now = time.monotonic()
        for job in self.jobs:
            if job.next_at <= now:
                job.next_at = now + job.every_s
                self.run_job(job)

    def run_job(self, job: Job) -> None:
        try:
            with self._database.transaction() as db:
                result = job.run(db, utcnow())
            log.debug("job %s: %s", job.name, result)
        except Exception:  # one failing job must not stop the others
            log.exception("job %s failed", job.name)

    def loop(self, stop: threading.Event) -> None:
        while not stop.is_set():
            self.run_due()
            stop.wait(self._tick)
