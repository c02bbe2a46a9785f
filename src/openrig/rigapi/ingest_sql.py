"""The statements of one ingest batch: a fixed number, whatever the batch size.

Core statements, built once at import, on a plain Connection (the same code runs in
a Session for the long-poll claim): on this path the ORM's per-statement bookkeeping,
and even building an upsert statement, cost more than the database work itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Connection, Executable, Table, and_, bindparam, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from openrig.models import Command, Rig, RigSample, RigState
from openrig.rigapi.schemas import ReportIn

if TYPE_CHECKING:
    from openrig.rigapi.ingest import Pending

RIGS = cast(Table, Rig.__table__)
SAMPLES = cast(Table, RigSample.__table__)
STATES = cast(Table, RigState.__table__)
COMMANDS = cast(Table, Command.__table__)
Db = Session | Connection

# A command delivered but not acknowledged within this time is delivered again.
REDELIVER_AFTER = timedelta(seconds=60)
_STATE_COLUMNS = (
    "last_seen_at", "offline_after", "report", "miner_running", "miner_name", "algo",
    "hashrate_hs", "power_w", "gpu_count", "max_temp_c", "config_version_applied",
)  # fmt: skip

_RIGS_BY_TOKEN = select(
    RIGS.c.id, RIGS.c.farm_id, RIGS.c.token_hash, RIGS.c.config_version,
    RIGS.c.report_interval_s,
).where(RIGS.c.token_hash.in_(bindparam("hashes", expanding=True)))  # fmt: skip
_INSERT_SAMPLES = insert(SAMPLES)
_PENDING_COMMANDS = (
    select(COMMANDS.c.id, COMMANDS.c.rig_id, COMMANDS.c.type, COMMANDS.c.args)
    .where(
        COMMANDS.c.rig_id.in_(bindparam("rig_ids", expanding=True)),
        COMMANDS.c.expires_at > bindparam("now"),
        or_(
            COMMANDS.c.status == "queued",
            and_(
                COMMANDS.c.status == "delivered",
                COMMANDS.c.delivered_at < bindparam("redeliver_before"),
            ),
        ),
    )
    .order_by(COMMANDS.c.created_at)
)
_MARK_DELIVERED = (
    update(COMMANDS)
    .where(
        COMMANDS.c.id.in_(bindparam("ids", expanding=True)),
        COMMANDS.c.status.in_(("queued", "delivered")),
    )
    .values(status="delivered", delivered_at=bindparam("now"), deliveries=COMMANDS.c.deliveries + 1)
)


def _build_upserts() -> dict[str, Executable]:
    built: dict[str, Executable] = {}
    for name, make in (("sqlite", sqlite_insert), ("postgresql", pg_insert)):
        ins = make(STATES)
        built[name] = ins.on_conflict_do_update(
            index_elements=[STATES.c.rig_id],
            set_={col: ins.excluded[col] for col in _STATE_COLUMNS},
        )
    return built


_UPSERT_STATES = _build_upserts()


def store_batch(db: Db, batch: Sequence[Pending], now: datetime) -> list[dict[str, Any] | None]:
    rigs = _rigs_by_token(db, {p.hashed_token for p in batch})
    latest: dict[str, dict[str, Any]] = {}
    samples: list[dict[str, Any]] = []
    for item in batch:
        rig = rigs.get(item.hashed_token)
        if rig is None:
            continue
        latest[rig.id], sample = report_rows(rig, item.report, item.received_at)
        samples.append(sample)
    if latest:
        upsert_states(db, list(latest.values()))
        db.execute(_INSERT_SAMPLES, samples)
    commands = claim_commands(db, list(latest), now)
    return [_answer(rigs.get(p.hashed_token), commands) for p in batch]


def _rigs_by_token(db: Db, hashes: set[str]) -> dict[str, Any]:
    rows = db.execute(_RIGS_BY_TOKEN, {"hashes": list(hashes)}).all()
    return {row.token_hash: row for row in rows}


def _answer(rig: Any, commands: dict[str, list[dict[str, Any]]]) -> dict[str, Any] | None:
    if rig is None:
        return None
    return {
        "config_version": rig.config_version,
        "commands": commands.get(rig.id, []),
        "report_interval_s": rig.report_interval_s,
    }


def report_rows(
    rig: Any, report: ReportIn, received_at: datetime
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The rig_state row and the rig_samples row of one report; the totals both
    rows share are computed once (this runs for every report)."""
    miner = report.miner
    temps = [g.temp_c for g in report.gpus if g.temp_c is not None]
    hashrate = miner.hashrate_hs if miner else 0.0
    power = sum(g.power_w or 0.0 for g in report.gpus)
    max_temp = max(temps) if temps else None
    state = {
        "rig_id": rig.id,
        "farm_id": rig.farm_id,
        "last_seen_at": received_at,
        "offline_after": offline_after(received_at, rig.report_interval_s),
        "report": report.model_dump(exclude_none=True),
        "miner_running": bool(miner and miner.running),
        "miner_name": miner.name if miner else "",
        "algo": miner.algo if miner else "",
        "hashrate_hs": hashrate,
        "power_w": power,
        "gpu_count": len(report.gpus),
        "max_temp_c": max_temp,
        "config_version_applied": report.config_version,
    }
    shares = miner.shares if miner else None
    sample = {
        "rig_id": rig.id,
        "at": received_at,
        "hashrate_hs": hashrate,
        "power_w": power,
        "max_temp_c": max_temp,
        "accepted": shares.accepted if shares else 0,
        "rejected": shares.rejected if shares else 0,
        "invalid": shares.invalid if shares else 0,
        "gpus": [
            [g.index, g.hashrate_hs, g.temp_c, g.mem_temp_c, g.fan_pct, g.power_w]
            for g in report.gpus
        ],
    }
    return state, sample


def offline_after(received_at: datetime, report_interval_s: int) -> datetime:
    """When a rig that just reported counts as offline: three intervals, ≥ 90 s."""
    return received_at + timedelta(seconds=max(3 * report_interval_s, 90))


def upsert_states(db: Db, rows: list[dict[str, Any]]) -> None:
    """Insert or update the latest state (one row per rig in ``rows``)."""
    dialect = db.get_bind().dialect.name if isinstance(db, Session) else db.dialect.name
    db.execute(_UPSERT_STATES[dialect], rows)


def claim_commands(db: Db, rig_ids: list[str], now: datetime) -> dict[str, list[dict[str, Any]]]:
    """Commands to hand to these rigs now, marked delivered (at-least-once)."""
    if not rig_ids:
        return {}
    rows = db.execute(
        _PENDING_COMMANDS,
        {"rig_ids": rig_ids, "now": now, "redeliver_before": now - REDELIVER_AFTER},
    ).all()
    if not rows:
        return {}
    db.execute(_MARK_DELIVERED, {"ids": [r.id for r in rows], "now": now})
    found: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        found.setdefault(row.rig_id, []).append({"id": row.id, "type": row.type, "args": row.args})
    return found
