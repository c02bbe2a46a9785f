"""Rig protocol rules outside the hot report path: hello, results, events, claims."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from openrig.core.db import upsert_insert
from openrig.core.errors import NotFound
from openrig.models import Activity, Command, Rig, RigState
from openrig.rigapi.ingest_sql import claim_commands
from openrig.rigapi.schemas import CommandResultIn, EventIn, HelloIn

OUTPUT_LIMIT = 64 * 1024
FINAL_STATES = frozenset({"succeeded", "failed", "expired", "cancelled"})


def record_hello(db: Session, rig: Rig, hello: HelloIn, now: datetime) -> None:
    """Keep the inventory and log the boot."""
    values: dict[str, Any] = {
        "rig_id": rig.id,
        "farm_id": rig.farm_id,
        "hello_at": now,
        "last_seen_at": now,
        "boot_time": hello.boot_time,
        "agent_version": hello.agent_version,
        "inventory": hello.model_dump(mode="json", exclude_none=True),
        "inventory_gpus": len(hello.gpus),
    }
    ins = upsert_insert(db, RigState)
    update_cols = {k: ins.excluded[k] for k in values if k not in ("rig_id", "farm_id")}
    db.execute(
        ins.values(**values).on_conflict_do_update(
            index_elements=[RigState.rig_id], set_=update_cols
        )
    )
    gpus = ", ".join(g.model for g in hello.gpus if g.model) or "no GPUs"
    log_activity(
        db,
        rig,
        "boot",
        f"booted with {len(hello.gpus)} GPU(s): {gpus}"[:500],
        {
            "agent_version": hello.agent_version,
            "boot_time": hello.boot_time.isoformat() if hello.boot_time else None,
        },
    )


def log_activity(
    db: Session,
    rig: Rig,
    kind: str,
    message: str,
    data: dict[str, Any] | None = None,
    actor_user_id: str | None = None,
) -> None:
    db.add(
        Activity(
            farm_id=rig.farm_id,
            rig_id=rig.id,
            kind=kind,
            message=message[:500],
            data=data or {},
            actor_user_id=actor_user_id,
        )
    )


def record_events(db: Session, rig: Rig, events: list[EventIn], now: datetime) -> int:
    rows = [
        {
            "farm_id": rig.farm_id,
            "rig_id": rig.id,
            "at": now,
            "kind": f"rig:{event.kind}",
            "message": event.message[:500],
            "data": {
                "rig_time": event.at.isoformat() if event.at else None,
                "gpu_index": event.gpu_index,
                "data": event.data,
                "log_tail": event.log_tail,
            },
        }
        for event in events
    ]
    db.execute(insert(Activity), rows)
    return len(rows)


def claim_for_rig(db: Session, rig_id: str, now: datetime) -> list[dict[str, Any]]:
    return claim_commands(db, [rig_id], now).get(rig_id, [])


def record_result(
    db: Session, rig: Rig, command_id: str, result: CommandResultIn, now: datetime
) -> tuple[Command, bool]:
    """Apply an acknowledgement or result; (command, applied?). Repeats are ignored."""
    command = db.scalar(select(Command).where(Command.id == command_id, Command.rig_id == rig.id))
    if command is None:
        raise NotFound("command not found")
    if command.status in FINAL_STATES or (
        result.status == "started" and command.status == "started"
    ):
        return command, False
    if result.status == "started":
        command.status, command.started_at = "started", now
    else:
        command.status, command.finished_at = result.status, now
        command.started_at = command.started_at or now
        command.exit_code = result.exit_code
        command.output = result.output[-OUTPUT_LIMIT:]
        log_activity(
            db,
            rig,
            "command_result",
            f"{command.type} {result.status}",
            {"command_id": command.id, "exit_code": result.exit_code},
        )
    return command, True
