"""Commands: queue for one rig or a selection, list with results, cancel."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from openrig.accounts.principal import CurrentUser
from openrig.commands import repository, service
from openrig.commands.schemas import (
    BulkCommandCreate,
    BulkCommandResult,
    CommandCreate,
    CommandPublic,
    CommandStatus,
)
from openrig.core.db import utcnow
from openrig.core.deps import SessionDep
from openrig.core.schemas import Page
from openrig.farms.access import Role, farm_access
from openrig.fleetconfig.bulk import select_rigs
from openrig.rigs.service import rig_access

router = APIRouter(tags=["commands"])


@router.post("/rigs/{rig_id}/commands", status_code=201, response_model=CommandPublic)
def create_command(
    rig_id: str, body: CommandCreate, user: CurrentUser, db: SessionDep
) -> CommandPublic:
    """Queue a command for one rig. ``exec`` needs the admin role and the farm's
    ``exec_allowed``; every command is logged in the activity log."""
    rig, access = rig_access(db, user, rig_id, Role.OPERATOR)
    service.check_allowed(access, body)
    [command] = service.queue(db, access, [rig.id], body, utcnow())
    return CommandPublic.model_validate(command)


@router.post("/farms/{farm_id}/commands", status_code=201, response_model=BulkCommandResult)
def create_bulk_command(
    farm_id: str, body: BulkCommandCreate, user: CurrentUser, db: SessionDep
) -> BulkCommandResult:
    """Queue the same command for a selection of rigs (ids, group, tag or all)."""
    access = farm_access(db, user, farm_id, Role.OPERATOR)
    service.check_allowed(access, body)
    rig_ids = [rig.id for rig in select_rigs(db, farm_id, body.selector)]
    command = CommandCreate(type=body.type, args=body.args, ttl_s=body.ttl_s)
    commands = service.queue(db, access, rig_ids, command, utcnow())
    return BulkCommandResult(
        count=len(commands), commands=[CommandPublic.model_validate(c) for c in commands]
    )


@router.get("/rigs/{rig_id}/commands", response_model=Page[CommandPublic])
def list_commands(
    rig_id: str,
    user: CurrentUser,
    db: SessionDep,
    status: CommandStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Page[CommandPublic]:
    rig, _ = rig_access(db, user, rig_id, Role.VIEWER)
    rows, total = repository.page_for_rig(db, rig.id, status, limit, offset)
    items = [CommandPublic.model_validate(c) for c in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/commands/{command_id}", response_model=CommandPublic)
def get_command(command_id: str, user: CurrentUser, db: SessionDep) -> CommandPublic:
    return CommandPublic.model_validate(service.command_access(db, user, command_id, Role.VIEWER))


@router.post("/commands/{command_id}/cancel", response_model=CommandPublic)
def cancel_command(command_id: str, user: CurrentUser, db: SessionDep) -> CommandPublic:
    """Cancel a command that no rig has started yet (operator+)."""
    command = service.command_access(db, user, command_id, Role.OPERATOR)
    return CommandPublic.model_validate(service.cancel(db, command, utcnow()))
