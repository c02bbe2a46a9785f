"""The statements of one ingest batch: a fixed number, whatever the batch size."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, and_, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from openrig.models import Command, Rig, RigSample, RigState
from openrig.rigapi.schemas import ReportIn

if TYPE_CHECKING:
    from openrig.rigapi.ingest import Pending

# A command delivered but not acknowledged within this time is delivered again.
REDELIVER_AFTER = timedelta(seconds=60)
_STATE_COLUMNS = (
    "last_seen_at",
    "offline_after",
    "report",
    "miner_running",
    "miner_name",
    "algo",
    "hashrate_hs",
    "power_w",
    "gpu_count",
    "max_temp_c",
    "config_version_applied",
)


def store_batch(
    db: Session, batch: Sequence[Pending], now: datetime
) -> list[dict[str, Any] | None]:
    rigs = _rigs_by_token(db, {p.hashed_token for p in batch})
    latest: dict[str, dict[str, Any]] = {}
    samples: list[dict[str, Any]] = []
    for item in batch:
        rig = rigs.get(item.hashed_token)
        if rig is None:
            continue
        latest[rig.id] = state_row(rig, item.report, item.received_at)
        samples.append(sample_row(rig.id, item.report, item.received_at))
    if latest:
        upsert_states(db, list(latest.values()))
        # Core (table) statements: the ORM bulk path costs more per row than the write.
        db.execute(insert(cast(Table, RigSample.__table__)), samples)
    commands = claim_commands(db, list(latest), now)
    return [_answer(rigs.get(p.hashed_token), commands) for p in batch]


def _rigs_by_token(db: Session, hashes: set[str]) -> dict[str, Any]:
    rows = db.execute(
        select(
            Rig.id, Rig.farm_id, Rig.token_hash, Rig.config_version, Rig.report_interval_s
        ).where(Rig.token_hash.in_(hashes))
    ).all()
    return {row.token_hash: row for row in rows}


def _answer(rig: Any, commands: dict[str, list[dict[str, Any]]]) -> dict[str, Any] | None:
    if rig is None:
        return None
    return {
        "config_version": rig.config_version,
        "commands": commands.get(rig.id, []),
        "report_interval_s": rig.report_interval_s,
    }


def state_row(rig: Any, report: ReportIn, received_at: datetime) -> dict[str, Any]:
    miner = report.miner
    temps = [g.temp_c for g in report.gpus if g.temp_c is not None]
    return {
        "rig_id": rig.id,
        "farm_id": rig.farm_id,
        "last_seen_at": received_at,
        "offline_after": offline_after(received_at, rig.report_interval_s),
        "report": report.model_dump(mode="json", exclude_none=True),
        "miner_running": bool(miner and miner.running),
        "miner_name": miner.name if miner else "",
        "algo": miner.algo if miner else "",
        "hashrate_hs": miner.hashrate_hs if miner else 0.0,
        "power_w": sum(g.power_w or 0.0 for g in report.gpus),
        "gpu_count": len(report.gpus),
        "max_temp_c": max(temps) if temps else None,
        "config_version_applied": report.config_version,
    }


def sample_row(rig_id: str, report: ReportIn, received_at: datetime) -> dict[str, Any]:
    miner = report.miner
    shares = miner.shares if miner else None
    temps = [g.temp_c for g in report.gpus if g.temp_c is not None]
    return {
        "rig_id": rig_id,
        "at": received_at,
        "hashrate_hs": miner.hashrate_hs if miner else 0.0,
        "power_w": sum(g.power_w or 0.0 for g in report.gpus),
        "max_temp_c": max(temps) if temps else None,
        "accepted": shares.accepted if shares else 0,
        "rejected": shares.rejected if shares else 0,
        "invalid": shares.invalid if shares else 0,
        "gpus": [
            [g.index, g.hashrate_hs, g.temp_c, g.mem_temp_c, g.fan_pct, g.power_w]
            for g in report.gpus
        ],
    }


def offline_after(received_at: datetime, report_interval_s: int) -> datetime:
    """When a rig that just reported counts as offline: three intervals, ≥ 90 s."""
    return received_at + timedelta(seconds=max(3 * report_interval_s, 90))


def upsert_states(db: Session, rows: list[dict[str, Any]]) -> None:
    """Insert or update the latest state (one row per rig in ``rows``)."""
    dialect = db.get_bind().dialect.name
    table = cast(Table, RigState.__table__)
    ins = sqlite_insert(table) if dialect == "sqlite" else pg_insert(table)
    stmt = ins.on_conflict_do_update(
        index_elements=[table.c.rig_id],
        set_={name: ins.excluded[name] for name in _STATE_COLUMNS},
    )
    db.execute(stmt, rows)


def claim_commands(
    db: Session, rig_ids: list[str], now: datetime
) -> dict[str, list[dict[str, Any]]]:
    """Commands to hand to these rigs now, marked delivered (at-least-once)."""
    if not rig_ids:
        return {}
    rows = db.execute(
        select(Command.id, Command.rig_id, Command.type, Command.args)
        .where(
            Command.rig_id.in_(rig_ids),
            Command.expires_at > now,
            or_(
                Command.status == "queued",
                and_(Command.status == "delivered", Command.delivered_at < now - REDELIVER_AFTER),
            ),
        )
        .order_by(Command.created_at)
    ).all()
    if not rows:
        return {}
    db.execute(
        update(Command)
        .where(Command.id.in_([r.id for r in rows]), Command.status.in_(("queued", "delivered")))
        .values(status="delivered", delivered_at=now, deliveries=Command.deliveries + 1)
    )
    found: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        found.setdefault(row.rig_id, []).append({"id": row.id, "type": row.type, "args": row.args})
    return found
