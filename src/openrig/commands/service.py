"""Queueing commands for rigs, with the rules on who may send what."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import insert
from sqlalchemy.orm import Session

from openrig.accounts.principal import Principal
from openrig.commands import repository
from openrig.commands.schemas import CommandCreate
from openrig.core.db import new_id
from openrig.core.errors import Conflict, Forbidden, NotFound
from openrig.farms.access import FarmAccess, Role
from openrig.models import Activity, Command, Farm
from openrig.rigs.service import rig_access


def command_access(db: Session, principal: Principal, command_id: str, need: Role) -> Command:
    """The command, if the caller may see it with ``need``; else 404 (403 when too low)."""
    command = repository.get(db, command_id)
    if command is None:
        raise NotFound("command not found")
    try:
        rig_access(db, principal, command.rig_id, need)
    except NotFound:
        raise NotFound("command not found") from None
    return command


def check_allowed(access: FarmAccess, body: CommandCreate) -> None:
    """exec needs the admin role and the farm's ``exec_allowed`` switch."""
    if body.type != "exec":
        return
    if access.role < Role.ADMIN:
        raise Forbidden("exec needs the admin role")
    if not _exec_allowed(access.farm):
        raise Forbidden(
            "exec is disabled for this farm (farm config exec_allowed)", code="exec_disabled"
        )


def _exec_allowed(farm: Farm) -> bool:
    return bool((farm.config or {}).get("exec_allowed", False))


def queue(
    db: Session, access: FarmAccess, rig_ids: list[str], body: CommandCreate, now: datetime
) -> list[Command]:
    """One command per rig in one INSERT, each use logged in the activity log."""
    expires = now + timedelta(seconds=body.ttl_s)
    rows = [
        {
            "id": new_id(),
            "farm_id": access.farm.id,
            "rig_id": rig_id,
            "type": body.type,
            "args": body.args,
            "status": "queued",
            "created_by": access.user_id,
            "created_at": now,
            "expires_at": expires,
            "deliveries": 0,
            "output": "",
        }
        for rig_id in rig_ids
    ]
    if not rows:
        return []
    db.execute(insert(Command), rows)
    summary = body.type if body.type != "exec" else f"exec: {body.args['command']}"
    db.execute(
        insert(Activity),
        [
            {
                "farm_id": access.farm.id,
                "rig_id": row["rig_id"],
                "at": now,
                "kind": "command",
                "actor_user_id": access.user_id,
                "message": summary[:500],
                "data": {"command_id": row["id"], "type": body.type},
            }
            for row in rows
        ],
    )
    return [Command(**row) for row in rows]


def cancel(db: Session, command: Command, now: datetime) -> Command:
    if command.status not in ("queued", "delivered"):
        raise Conflict(f"a {command.status} command cannot be cancelled", code="not_cancellable")
    command.status, command.finished_at = "cancelled", now
    return command


def expire(db: Session, now: datetime) -> int:
    return repository.expire_due(db, now)
