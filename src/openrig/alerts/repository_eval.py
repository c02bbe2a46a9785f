"""Queries of the evaluator. Every condition is one set-based statement over
``rig_state`` (never a query per rig), and nothing here touches the ingest path."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Table,
    and_,
    bindparam,
    exists,
    false,
    func,
    insert,
    or_,
    select,
    text,
    true,
    update,
)
from sqlalchemy.orm import Session, aliased

from openrig.core.db import UTCDateTime, upsert_insert
from openrig.models import (
    Activity,
    Alert,
    AlertBaseline,
    AlertCursor,
    AlertRuleLayer,
    AlertTransition,
    Rig,
    RigSample,
    RigState,
)

CHUNK = 1000  # ids per IN (…) list
# Activity ids are read only once this old: a row with a lower id committed late by
# another transaction is still seen (commits take far less than this).
ACTIVITY_LAG = timedelta(seconds=5)
EVENT_KINDS = ("rig:watchdog_action", "boot")


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def lock_cursor(db: Session, name: str) -> AlertCursor | None:
    """Lock a named cursor row for this transaction; None when another worker holds it
    (PostgreSQL SKIP LOCKED; SQLite writers are already serialised by BEGIN IMMEDIATE)."""
    db.execute(
        upsert_insert(db, AlertCursor).values(name=name, position=0).on_conflict_do_nothing()
    )
    return db.scalar(
        select(AlertCursor).where(AlertCursor.name == name).with_for_update(skip_locked=True)
    )


def rule_layers(db: Session) -> dict[str, dict[str, Any]]:
    return {s: d for s, d in db.execute(select(AlertRuleLayer.scope, AlertRuleLayer.doc)).all()}


def _rig_columns() -> tuple[Any, ...]:
    return (RigState.rig_id, Rig.farm_id, Rig.group_id)


def _online(now: datetime) -> ColumnElement[bool]:
    return and_(RigState.offline_after.is_not(None), RigState.offline_after > now)


def offline_rows(db: Session, now: datetime) -> Sequence[Any]:
    return db.execute(
        select(*_rig_columns(), RigState.last_seen_at, RigState.offline_after)
        .join(Rig, Rig.id == RigState.rig_id)
        .where(RigState.offline_after.is_not(None), RigState.offline_after <= now)
    ).all()


def state_rows(db: Session, now: datetime, condition: ColumnElement[bool]) -> Sequence[Any]:
    """Online rigs with a report that meet ``condition``, with their latest numbers."""
    return db.execute(
        select(
            *_rig_columns(),
            RigState.hashrate_hs,
            RigState.gpu_count,
            RigState.inventory_gpus,
            RigState.last_seen_at,
        )
        .join(Rig, Rig.id == RigState.rig_id)
        .where(_online(now), RigState.report.is_not(None), condition)
    ).all()


def miner_down_rows(db: Session, now: datetime) -> Sequence[Any]:
    return state_rows(db, now, RigState.miner_running == false())


def zero_hashrate_rows(db: Session, now: datetime) -> Sequence[Any]:
    return state_rows(db, now, and_(RigState.miner_running == true(), RigState.hashrate_hs <= 0))


def gpu_lost_rows(db: Session, now: datetime) -> Sequence[Any]:
    return state_rows(
        db, now, and_(RigState.inventory_gpus > 0, RigState.gpu_count < RigState.inventory_gpus)
    )


def hashrate_low_rows(db: Session, now: datetime, floor: float, ratio: float) -> Sequence[Any]:
    """Running rigs under the highest floor of any layer, or under ``ratio`` times their
    median (the loosest ratio of any layer); the exact rule is applied by the caller."""
    return db.execute(
        select(*_rig_columns(), RigState.hashrate_hs, AlertBaseline.median_hs)
        .join(Rig, Rig.id == RigState.rig_id)
        .outerjoin(AlertBaseline, AlertBaseline.rig_id == RigState.rig_id)
        .where(
            _online(now),
            RigState.miner_running == true(),
            RigState.hashrate_hs > 0,
            or_(
                RigState.hashrate_hs < floor,
                RigState.hashrate_hs < AlertBaseline.median_hs * ratio,
            ),
        )
    ).all()


_GPU_SQLITE = """
SELECT rs.rig_id, r.farm_id, r.group_id,
       json_extract(g.value, '$.index') AS idx, json_extract(g.value, '$.temp_c') AS temp,
       json_extract(g.value, '$.mem_temp_c') AS mem, json_extract(g.value, '$.fan_pct') AS fan
FROM rig_state rs JOIN rigs r ON r.id = rs.rig_id, json_each(rs.report, '$.gpus') g
WHERE rs.offline_after > :now AND (
  json_extract(g.value, '$.temp_c') >= :core OR json_extract(g.value, '$.mem_temp_c') >= :mem
  OR (COALESCE(json_extract(g.value, '$.fan_pct'), 0) = 0
      AND json_extract(g.value, '$.temp_c') >= :fan_temp))
"""
_GPU_POSTGRES = """
SELECT rs.rig_id, r.farm_id, r.group_id,
       (g->>'index')::int AS idx, (g->>'temp_c')::float AS temp,
       (g->>'mem_temp_c')::float AS mem, (g->>'fan_pct')::float AS fan
FROM rig_state rs JOIN rigs r ON r.id = rs.rig_id,
     jsonb_array_elements(rs.report->'gpus') g
WHERE rs.offline_after > :now AND (
  (g->>'temp_c')::float >= :core OR (g->>'mem_temp_c')::float >= :mem
  OR (COALESCE((g->>'fan_pct')::float, 0) = 0 AND (g->>'temp_c')::float >= :fan_temp))
"""


def hot_gpu_rows(
    db: Session, now: datetime, core: float, mem: float, fan_temp: float
) -> Sequence[Any]:
    """Per-GPU rows of online rigs that are hot, or warm with a stopped/unread fan.

    Portable SQL has no way into a JSON array, so this one statement has a spelling
    per backend; either way the database, not Python, scans the reports.
    """
    sql = _GPU_SQLITE if db.get_bind().dialect.name == "sqlite" else _GPU_POSTGRES
    stmt = text(sql).bindparams(bindparam("now", type_=UTCDateTime()))
    return db.execute(stmt, {"now": now, "core": core, "mem": mem, "fan_temp": fan_temp}).all()


def share_rows(db: Session, now: datetime, window: timedelta) -> Sequence[Any]:
    """Accepted and rejected shares of online rigs over ``window``, from the spread of
    the cumulative counters (a miner restart inside the window overstates both)."""
    spread = (
        select(
            RigSample.rig_id,
            (func.max(RigSample.accepted) - func.min(RigSample.accepted)).label("accepted"),
            (func.max(RigSample.rejected) - func.min(RigSample.rejected)).label("rejected"),
        )
        .where(RigSample.at >= now - window)
        .group_by(RigSample.rig_id)
        .having(func.max(RigSample.rejected) > func.min(RigSample.rejected))
        .subquery()
    )
    return db.execute(
        select(*_rig_columns(), spread.c.accepted, spread.c.rejected)
        .join(Rig, Rig.id == RigState.rig_id)
        .join(spread, spread.c.rig_id == RigState.rig_id)
        .where(_online(now))
    ).all()


def new_events(db: Session, after_id: int, now: datetime, limit: int = 5000) -> Sequence[Any]:
    """Watchdog actions and boots after ``after_id``; ``rebooted`` says whether a boot
    had an earlier one (the first boot of a new rig is not a reboot)."""
    earlier = aliased(Activity)
    rebooted = exists().where(
        earlier.rig_id == Activity.rig_id, earlier.kind == "boot", earlier.id < Activity.id
    )
    return db.execute(
        select(
            Activity.id,
            Activity.rig_id,
            Activity.kind,
            Activity.message,
            Activity.at,
            Rig.farm_id,
            Rig.group_id,
            rebooted.label("rebooted"),
        )
        .join(Rig, Rig.id == Activity.rig_id)
        .where(
            Activity.id > after_id,
            Activity.kind.in_(EVENT_KINDS),
            Activity.at <= now - ACTIVITY_LAG,
        )
        .order_by(Activity.id)
        .limit(limit)
    ).all()


def open_alerts(db: Session) -> Sequence[Any]:
    return db.execute(
        select(Alert, Rig.group_id)
        .join(Rig, Rig.id == Alert.rig_id)
        .where(Alert.state.in_(("pending", "firing")))
    ).all()


def liveness(db: Session, rig_ids: Sequence[str]) -> dict[str, datetime | None]:
    found: dict[str, datetime | None] = {}
    for chunk in _chunks(rig_ids):
        rows = db.execute(
            select(RigState.rig_id, RigState.offline_after).where(RigState.rig_id.in_(chunk))
        ).all()
        found.update({r.rig_id: r.offline_after for r in rows})
    return found


def insert_alerts(db: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        db.execute(insert(cast(Table, Alert.__table__)), rows)


def update_alerts(db: Session, rows: list[dict[str, Any]]) -> None:
    """Bulk update by primary key; every dict carries the same keys."""
    if rows:
        db.execute(update(Alert), rows)


def delete_alerts(db: Session, ids: list[str]) -> None:
    for chunk in _chunks(ids):
        db.query(Alert).filter(Alert.id.in_(chunk)).delete(synchronize_session=False)


def insert_transitions(db: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        db.execute(insert(cast(Table, AlertTransition.__table__)), rows)


def rigs_to_refresh(db: Session, now: datetime, limit: int) -> list[str]:
    """Online rigs whose baseline is missing or oldest."""
    rows = db.execute(
        select(RigState.rig_id)
        .outerjoin(AlertBaseline, AlertBaseline.rig_id == RigState.rig_id)
        .where(_online(now))
        .order_by(AlertBaseline.computed_at.is_not(None), AlertBaseline.computed_at)
        .limit(limit)
    ).all()
    return [r.rig_id for r in rows]


def hashrate_samples(db: Session, rig_ids: Sequence[str], since: datetime) -> Sequence[Any]:
    return db.execute(
        select(RigSample.rig_id, RigSample.hashrate_hs).where(
            RigSample.rig_id.in_(rig_ids), RigSample.at >= since, RigSample.hashrate_hs > 0
        )
    ).all()


def upsert_baselines(db: Session, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    ins = upsert_insert(db, AlertBaseline)
    db.execute(
        ins.on_conflict_do_update(
            index_elements=[AlertBaseline.rig_id],
            set_={k: ins.excluded[k] for k in ("median_hs", "samples", "computed_at")},
        ),
        rows,
    )


def max_activity_id(db: Session) -> int:
    return int(db.scalar(select(func.coalesce(func.max(Activity.id), 0))) or 0)


def recent_resolves(db: Session, since: datetime) -> dict[tuple[str, str], int]:
    """How often each (rig, rule) fired and resolved since ``since``: flap damping."""
    rows = db.execute(
        select(Alert.rig_id, Alert.rule, func.count())
        .where(Alert.resolved_at > since, Alert.fired_at.is_not(None))
        .group_by(Alert.rig_id, Alert.rule)
    ).all()
    return {(r[0], r[1]): int(r[2]) for r in rows}
