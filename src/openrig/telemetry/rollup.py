"""Rollups: raw samples → 5-minute averages → hourly averages.

Safe with several instances: each step has a cursor row (``rollup_cursors``) that a
run locks for its transaction (FOR UPDATE on PostgreSQL; SQLite writers are
serialised by BEGIN IMMEDIATE), so a bucket is computed exactly once. Buckets close
``LAG`` after their end so that late reports still count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from openrig.models import RigRollup, RigSample, RollupCursor

STEPS = (300, 3600)
LAG = timedelta(seconds=60)
MAX_BUCKETS_PER_RUN = 288  # a day of 5-minute buckets: bounded work per run
GPU_FIELDS = ("hashrate_hs", "temp_c", "mem_temp_c", "fan_pct", "power_w")


def floor_time(at: datetime, step_s: int) -> datetime:
    epoch = int(at.timestamp())
    return datetime.fromtimestamp(epoch - epoch % step_s, UTC)


@dataclass
class Accumulator:
    """Running sums for one rig in one bucket."""

    samples: int = 0
    hashrate: float = 0.0
    power: float = 0.0
    max_temp: float | None = None
    accepted: int = 0
    rejected: int = 0
    gpu_sums: dict[int, list[float]] = field(default_factory=dict)
    gpu_counts: dict[int, list[int]] = field(default_factory=dict)

    def add(
        self,
        weight: int,
        hashrate: float,
        power: float,
        max_temp: float | None,
        accepted: int,
        rejected: int,
        gpus: Iterable[list[Any]],
    ) -> None:
        self.samples += weight
        self.hashrate += hashrate * weight
        self.power += power * weight
        if max_temp is not None:
            self.max_temp = max_temp if self.max_temp is None else max(self.max_temp, max_temp)
        self.accepted += accepted
        self.rejected += rejected
        for row in gpus:
            index, values = int(row[0]), row[1:]
            sums = self.gpu_sums.setdefault(index, [0.0] * len(GPU_FIELDS))
            counts = self.gpu_counts.setdefault(index, [0] * len(GPU_FIELDS))
            for i, value in enumerate(values[: len(GPU_FIELDS)]):
                if value is not None:
                    sums[i] += float(value) * weight
                    counts[i] += weight

    def row(self, rig_id: str, step_s: int, bucket: datetime) -> dict[str, Any]:
        gpus = [
            [
                index,
                *[
                    (s / c if c else None)
                    for s, c in zip(sums, self.gpu_counts[index], strict=True)
                ],
            ]
            for index, sums in sorted(self.gpu_sums.items())
        ]
        return {
            "rig_id": rig_id,
            "step_s": step_s,
            "bucket": bucket,
            "samples": self.samples,
            "hashrate_hs": self.hashrate / self.samples,
            "power_w": self.power / self.samples,
            "max_temp_c": self.max_temp,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "gpus": gpus,
        }


def _raw_bucket(db: Session, start: datetime, end: datetime) -> dict[str, Accumulator]:
    """Averages of raw samples; share counts are the growth of the miner's counters."""
    accs: dict[str, Accumulator] = defaultdict(Accumulator)
    first_last: dict[str, list[int]] = {}
    rows = db.execute(
        select(
            RigSample.rig_id,
            RigSample.hashrate_hs,
            RigSample.power_w,
            RigSample.max_temp_c,
            RigSample.accepted,
            RigSample.rejected,
            RigSample.gpus,
        )
        .where(RigSample.at >= start, RigSample.at < end)
        .order_by(RigSample.rig_id, RigSample.at)
    )
    for rig_id, hashrate, power, temp, accepted, rejected, gpus in rows:
        accs[rig_id].add(1, hashrate, power, temp, 0, 0, gpus or [])
        span = first_last.setdefault(rig_id, [accepted, rejected, accepted, rejected])
        span[2], span[3] = accepted, rejected
    for rig_id, (a0, r0, a1, r1) in first_last.items():
        # A miner restart resets its counters: count from zero then.
        accs[rig_id].accepted = a1 - a0 if a1 >= a0 else a1
        accs[rig_id].rejected = r1 - r0 if r1 >= r0 else r1
    return accs


def _rollup_bucket(
    db: Session, source_step: int, start: datetime, end: datetime
) -> dict[str, Accumulator]:
    accs: dict[str, Accumulator] = defaultdict(Accumulator)
    rows = db.scalars(
        select(RigRollup).where(
            RigRollup.step_s == source_step, RigRollup.bucket >= start, RigRollup.bucket < end
        )
    )
    for r in rows:
        accs[r.rig_id].add(
            r.samples, r.hashrate_hs, r.power_w, r.max_temp_c, r.accepted, r.rejected, r.gpus or []
        )
    return accs


def _cursor(db: Session, step_s: int, now: datetime) -> RollupCursor:
    cursor = db.scalar(select(RollupCursor).where(RollupCursor.step_s == step_s).with_for_update())
    if cursor is None:
        cursor = RollupCursor(step_s=step_s, done_until=_first_bucket(db, step_s, now))
        db.add(cursor)
        db.flush()
    return cursor


def _first_bucket(db: Session, step_s: int, now: datetime) -> datetime:
    oldest = db.scalar(select(RigSample.at).order_by(RigSample.at).limit(1))
    return floor_time(oldest or now, step_s)


def run_step(db: Session, step_s: int, now: datetime, ready_until: datetime | None = None) -> int:
    """Close every finished bucket of ``step_s`` (whose source data is complete up to
    ``ready_until``); the number of buckets closed."""
    cursor = _cursor(db, step_s, now)
    closed = 0
    step = timedelta(seconds=step_s)
    limit = now - LAG if ready_until is None else min(now - LAG, ready_until)
    while cursor.done_until + step <= limit and closed < MAX_BUCKETS_PER_RUN:
        start = cursor.done_until
        end = start + step
        accs = (
            _raw_bucket(db, start, end)
            if step_s == STEPS[0]
            else _rollup_bucket(db, STEPS[0], start, end)
        )
        db.execute(delete(RigRollup).where(RigRollup.step_s == step_s, RigRollup.bucket == start))
        rows = [acc.row(rig_id, step_s, start) for rig_id, acc in accs.items() if acc.samples]
        if rows:
            db.execute(insert(RigRollup), rows)
        cursor.done_until = end
        closed += 1
    return closed


def run_rollups(db: Session, now: datetime) -> dict[int, int]:
    """5-minute buckets from raw samples, then hours from complete 5-minute buckets."""
    five, hour = STEPS
    closed = {five: run_step(db, five, now)}
    ready = db.scalar(select(RollupCursor.done_until).where(RollupCursor.step_s == five))
    closed[hour] = run_step(db, hour, now, ready_until=ready)
    return closed
