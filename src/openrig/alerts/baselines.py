"""Each rig's median hashrate over the last hour, for "X % under its own median".

Refreshed in chunks, oldest first: a small fleet gets fresh medians every run, a
fleet of 100,000 rigs a full pass every ~50 minutes — a one-hour median moves
slowly, and the evaluator never has to read an hour of samples per rig.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from openrig.alerts import repository_eval as repo

WINDOW = timedelta(hours=1)
CHUNK = 2000
MIN_SAMPLES = 10  # five minutes at 30 s: fewer gives no baseline (median 0)


def refresh_baselines(db: Session, now: datetime, chunk: int = CHUNK) -> int:
    rig_ids = repo.rigs_to_refresh(db, now, chunk)
    if not rig_ids:
        return 0
    values: dict[str, list[float]] = defaultdict(list)
    for row in repo.hashrate_samples(db, rig_ids, now - WINDOW):
        values[row.rig_id].append(row.hashrate_hs)
    rows = []
    for rig_id in rig_ids:
        samples = values.get(rig_id, [])
        median = statistics.median(samples) if len(samples) >= MIN_SAMPLES else 0.0
        rows.append(
            {"rig_id": rig_id, "median_hs": median, "samples": len(samples), "computed_at": now}
        )
    repo.upsert_baselines(db, rows)
    return len(rows)
