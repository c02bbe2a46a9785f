"""Metric series ready for charts (columnar: one list per measure, ``t`` in epoch s).

The source follows the step: raw samples for steps under 5 minutes (raw data is
kept 48 h), 5-minute rollups under an hour, hourly rollups above. Points are
averaged into ``step_s`` buckets, weighted by how many samples each point holds.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from openrig.core.errors import Invalid
from openrig.models import Rig, RigRollup, RigSample
from openrig.telemetry.rollup import GPU_FIELDS, Accumulator, floor_time

MAX_POINTS = 2000
STEP_CHOICES = (30, 60, 300, 900, 3600, 6 * 3600, 86400)


def pick_step(start: datetime, end: datetime, step_s: int | None) -> int:
    span = (end - start).total_seconds()
    if span <= 0:
        raise Invalid.at("from", "must be before to")
    if step_s is None:
        step_s = next((s for s in STEP_CHOICES if span / s <= 360), STEP_CHOICES[-1])
    if span / step_s > MAX_POINTS:
        raise Invalid.at("step", f"at most {MAX_POINTS} points per series; use a larger step")
    return step_s


def _source(step_s: int, minimum: int = 0) -> int:
    """0 = raw samples, else the rollup step to read."""
    if step_s < 300 and minimum == 0:
        return 0
    return 300 if step_s < 3600 else 3600


def _points(db: Session, rig_ids: Any, source: int, start: datetime, end: datetime) -> Any:
    if source == 0:
        return db.execute(
            select(
                RigSample.rig_id,
                RigSample.at,
                1,
                RigSample.hashrate_hs,
                RigSample.power_w,
                RigSample.max_temp_c,
                RigSample.accepted,
                RigSample.rejected,
                RigSample.gpus,
            )
            .where(RigSample.rig_id.in_(rig_ids), RigSample.at >= start, RigSample.at < end)
            .order_by(RigSample.at)
        )
    return db.execute(
        select(
            RigRollup.rig_id,
            RigRollup.bucket,
            RigRollup.samples,
            RigRollup.hashrate_hs,
            RigRollup.power_w,
            RigRollup.max_temp_c,
            RigRollup.accepted,
            RigRollup.rejected,
            RigRollup.gpus,
        )
        .where(
            RigRollup.rig_id.in_(rig_ids),
            RigRollup.step_s == source,
            RigRollup.bucket >= start,
            RigRollup.bucket < end,
        )
        .order_by(RigRollup.bucket)
    )


def rig_series(
    db: Session, rig: Rig, start: datetime, end: datetime, step_s: int | None
) -> dict[str, Any]:
    step = pick_step(start, end, step_s)
    source = _source(step)
    buckets: dict[datetime, Accumulator] = defaultdict(Accumulator)
    for _rig, at, weight, hr, pw, temp, acc, rej, point_gpus in _points(
        db, [rig.id], source, start, end
    ):
        # Raw share counters are cumulative; per-bucket shares come from rollups.
        accepted, rejected = (0, 0) if source == 0 else (acc, rej)
        buckets[floor_time(at, step)].add(
            weight, hr, pw, temp, accepted, rejected, point_gpus or []
        )
    times = sorted(buckets)
    rows = [buckets[t].row(rig.id, step, t) for t in times]
    gpu_indexes = sorted({g[0] for r in rows for g in r["gpus"]})
    gpus: dict[str, dict[str, list[float | None]]] = {}
    for index in gpu_indexes:
        per_time = [{g[0]: g[1:] for g in r["gpus"]}.get(index) for r in rows]
        gpus[str(index)] = {
            name: [(vals[i] if vals else None) for vals in per_time]
            for i, name in enumerate(GPU_FIELDS)
        }
    return {
        "step_s": step,
        "source": "raw" if source == 0 else f"rollup_{source}s",
        "t": [int(t.timestamp()) for t in times],
        "hashrate_hs": [r["hashrate_hs"] for r in rows],
        "power_w": [r["power_w"] for r in rows],
        "max_temp_c": [r["max_temp_c"] for r in rows],
        "accepted": [r["accepted"] for r in rows] if source else None,
        "rejected": [r["rejected"] for r in rows] if source else None,
        "gpus": gpus,
    }


def farm_series(
    db: Session, farm_id: str, start: datetime, end: datetime, step_s: int | None
) -> dict[str, Any]:
    """Fleet totals per bucket: the sum over rigs of each rig's average (rollups only,
    so a large farm never drags raw samples through Python)."""
    step = max(pick_step(start, end, step_s), 300)
    source = _source(step, minimum=300)
    rig_ids = select(Rig.id).where(Rig.farm_id == farm_id)
    per_rig: dict[tuple[datetime, str], Accumulator] = defaultdict(Accumulator)
    for rig_id, at, weight, hr, pw, temp, acc, rej, _gpus in _points(
        db, rig_ids, source, start, end
    ):
        per_rig[(floor_time(at, step), rig_id)].add(weight, hr, pw, temp, acc, rej, [])
    totals: dict[datetime, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for (t, _rig_id), acc in per_rig.items():
        total = totals[t]
        total["hashrate_hs"] += acc.hashrate / acc.samples
        total["power_w"] += acc.power / acc.samples
        total["rigs"] += 1
    times = sorted(totals)
    return {
        "step_s": step,
        "source": f"rollup_{source}s",
        "t": [int(t.timestamp()) for t in times],
        "hashrate_hs": [totals[t]["hashrate_hs"] for t in times],
        "power_w": [totals[t]["power_w"] for t in times],
        "rigs": [int(totals[t]["rigs"]) for t in times],
    }
