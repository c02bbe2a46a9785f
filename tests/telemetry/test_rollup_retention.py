"""Rollups are exact on known input; retention deletes what it should and nothing else."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select

from openrig.core.db import Database
from openrig.models import Activity, Farm, Rig, RigRollup, RigSample
from openrig.telemetry.retention import Retention, apply_retention
from openrig.telemetry.rollup import run_rollups

T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def rig_ids(database: Database) -> list[str]:
    with database.transaction() as db:
        farm = Farm(name="f", config={})
        db.add(farm)
        db.flush()
        rigs = [Rig(farm_id=farm.id, name=f"r{i}", config={}) for i in range(2)]
        db.add_all(rigs)
        db.flush()
        return [r.id for r in rigs]


def _sample(rig_id: str, at: datetime, hashrate: float, temp: float, accepted: int) -> dict:
    return {
        "rig_id": rig_id,
        "at": at,
        "hashrate_hs": hashrate,
        "power_w": 100.0 + hashrate / 1e6,
        "max_temp_c": temp,
        "accepted": accepted,
        "rejected": 0,
        "invalid": 0,
        "gpus": [
            [0, hashrate / 2, temp, None, 50, 50.0],
            [1, hashrate / 2, temp - 5, 80, 60, 50.0],
        ],
    }


def test_five_minute_and_hourly_rollups_are_exact(database: Database, rig_ids: list[str]) -> None:
    a, b = rig_ids
    rows = []
    # Rig a: 12 hourly buckets' worth of samples every 30 s for the first hour.
    for i in range(120):
        at = T0 + timedelta(seconds=30 * i)
        rows.append(
            _sample(a, at, hashrate=1e8 if i % 2 == 0 else 2e8, temp=60 + (i % 10), accepted=10 * i)
        )
    # Rig b: two samples in the first bucket only.
    rows += [
        _sample(b, T0 + timedelta(seconds=10), 5e7, 70, 100),
        _sample(b, T0 + timedelta(seconds=40), 7e7, 72, 90),
    ]
    with database.transaction() as db:
        db.execute(insert(RigSample), rows)
        closed = run_rollups(db, T0 + timedelta(hours=1, minutes=2))
    assert closed == {300: 12, 3600: 1}
    with database.session(write=False) as db:
        first = db.get(RigRollup, (a, 300, T0))
        assert first is not None
        assert first.samples == 10
        assert first.hashrate_hs == pytest.approx(1.5e8)
        assert first.max_temp_c == 69
        assert first.accepted == 90  # counter grew from 0 to 90 in the bucket
        gpu0, gpu1 = first.gpus
        assert gpu0[0] == 0 and gpu0[1] == pytest.approx(0.75e8) and gpu0[3] is None
        assert gpu1[3] == pytest.approx(80)
        b_first = db.get(RigRollup, (b, 300, T0))
        assert b_first is not None and b_first.samples == 2
        assert b_first.hashrate_hs == pytest.approx(6e7)
        assert b_first.accepted == 90  # the miner restarted: counted from zero
        hour = db.get(RigRollup, (a, 3600, T0))
        assert hour is not None and hour.samples == 120
        assert hour.hashrate_hs == pytest.approx(1.5e8)
        assert hour.accepted == 12 * 90
        assert hour.max_temp_c == 69
        hour_b = db.get(RigRollup, (b, 3600, T0))
        assert hour_b is not None and hour_b.hashrate_hs == pytest.approx(6e7)


def test_rollups_are_not_done_twice_and_wait_for_late_data(
    database: Database, rig_ids: list[str]
) -> None:
    with database.transaction() as db:
        db.execute(insert(RigSample), [_sample(rig_ids[0], T0 + timedelta(seconds=5), 1e8, 60, 0)])
        # The first bucket ends at T0+5min; it closes only a minute later.
        assert run_rollups(db, T0 + timedelta(minutes=5, seconds=30)) == {300: 0, 3600: 0}
        assert run_rollups(db, T0 + timedelta(minutes=6)) == {300: 1, 3600: 0}
        assert run_rollups(db, T0 + timedelta(minutes=6)) == {300: 0, 3600: 0}
    with database.session(write=False) as db:
        assert db.scalar(select(func.count()).select_from(RigRollup)) == 1


def _rollup(rig_id: str, step_s: int, bucket: datetime) -> dict:
    return {
        "rig_id": rig_id,
        "step_s": step_s,
        "bucket": bucket,
        "samples": 1,
        "hashrate_hs": 1,
        "power_w": 1,
        "accepted": 0,
        "rejected": 0,
        "gpus": [],
    }


def test_retention_deletes_only_what_is_old(database: Database, rig_ids: list[str]) -> None:
    now = T0 + timedelta(days=400)
    rig = rig_ids[0]
    with database.transaction() as db:
        farm_id = db.get(Rig, rig).farm_id  # type: ignore[union-attr]
        db.execute(
            insert(RigSample),
            [
                _sample(rig, now - timedelta(hours=49), 1, 1, 0),
                _sample(rig, now - timedelta(hours=47), 1, 1, 0),
            ],
        )
        db.execute(
            insert(RigRollup),
            [
                _rollup(rig, 300, now - timedelta(days=31)),
                _rollup(rig, 300, now - timedelta(days=29)),
                _rollup(rig, 3600, now - timedelta(days=366)),
                _rollup(rig, 3600, now - timedelta(days=31)),
            ],
        )
        db.add_all(
            [
                Activity(farm_id=farm_id, rig_id=rig, kind="boot", at=now - timedelta(days=91)),
                Activity(farm_id=farm_id, rig_id=rig, kind="boot", at=now - timedelta(days=1)),
            ]
        )
        deleted = apply_retention(db, now, Retention())
    assert deleted == {"raw": 1, "5m": 1, "1h": 1, "activity": 1}
    with database.session(write=False) as db:
        assert db.scalar(select(func.count()).select_from(RigSample)) == 1
        kept = sorted((r.step_s, r.bucket) for r in db.scalars(select(RigRollup)))
        assert kept == [(300, now - timedelta(days=29)), (3600, now - timedelta(days=31))]
        assert db.scalar(select(func.count()).select_from(Activity)) == 1
