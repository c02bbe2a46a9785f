"""Rules of the rigs domain: inventory, groups membership, tags, rig.conf tokens.

Services flush but never commit; the request boundary commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from openrig.accounts.principal import Principal
from openrig.alerts.service import active_alerts_for
from openrig.core.db import utcnow
from openrig.core.errors import Conflict, Invalid, NotFound
from openrig.core.security import new_token, token_hash
from openrig.farms.access import FarmAccess, Role, farm_access
from openrig.farms.conffile import render_conf
from openrig.farms.repository import flush_or_conflict
from openrig.fleetconfig.service import refresh_rigs
from openrig.models import Rig
from openrig.rigs import repository
from openrig.rigs.repository import RigRow
from openrig.rigs.schemas import (
    RigCreate,
    RigDetail,
    RigFilters,
    RigPublic,
    RigUpdate,
    TagCount,
)
from openrig.rigs.status import rig_status
from openrig.settings import Settings

NAME_TAKEN = "a rig with this name already exists in the farm"
RIG_TOKEN_PREFIX = "orr"  # noqa: S105 - a type prefix, not a secret


def rig_access(
    db: Session, principal: Principal, rig_id: str, need: Role
) -> tuple[Rig, FarmAccess]:
    """The rig and the caller's access to its farm; a rig in a farm the caller is
    not a member of answers 404 like a missing one."""
    rig = repository.get(db, rig_id)
    if rig is None:
        raise NotFound("rig not found")
    try:
        access = farm_access(db, principal, rig.farm_id, need)
    except NotFound:
        raise NotFound("rig not found") from None
    return rig, access


def _public(
    row: RigRow, tags: list[str], now: datetime, alerts: list[dict[str, Any]] | None = None
) -> RigPublic:
    rig, group_name, live = row
    return RigPublic(
        alerts=alerts or [],
        id=rig.id,
        name=rig.name,
        farm_id=rig.farm_id,
        group_id=rig.group_id,
        group_name=group_name,
        tags=tags,
        notes=rig.notes,
        config_version=rig.config_version,
        maintenance=rig.maintenance,
        status=rig_status(rig, live, now),
        last_seen_at=live.last_seen_at,
        hashrate_hs=live.hashrate_hs,
        power_w=live.power_w,
        gpu_count=live.gpu_count,
        gpus_expected=live.inventory_gpus,
        max_temp_c=live.max_temp_c,
        miner=live.miner_name or None,
        algo=live.algo or None,
        config_version_applied=live.config_version_applied or None,
        agent_version=live.agent_version or None,
        token_issued_at=rig.token_issued_at,
        created_at=rig.created_at,
        updated_at=rig.updated_at,
    )


def public(db: Session, rig: Rig) -> RigPublic:
    row = repository.row_of(db, rig.id)
    assert row is not None  # the caller holds the rig
    tags = repository.tags_of(db, [rig.id]).get(rig.id, [])
    return _public(row, tags, utcnow(), active_alerts_for(db, [rig.id])[rig.id])


def detail(db: Session, rig: Rig) -> RigDetail:
    """The rig with its last report and inventory (lists leave those big parts out)."""
    state = repository.state_of(db, rig.id)
    return RigDetail(
        **public(db, rig).model_dump(),
        report=state.report if state else None,
        inventory=state.inventory if state else None,
        boot_time=state.boot_time if state else None,
    )


def list_rigs(
    db: Session, farm_id: str, flt: RigFilters, limit: int, offset: int
) -> tuple[list[RigPublic], int]:
    """A page of rigs, a fixed number of queries whatever the page size (count, rows,
    tags, open alerts and the silences that mark them)."""
    now = utcnow()
    rows, total = repository.list_page(db, farm_id, flt, limit, offset, now)
    ids = [rig.id for rig, _, _ in rows]
    tags = repository.tags_of(db, ids)
    alerts = active_alerts_for(db, ids, now)
    return [_public(row, tags.get(row[0].id, []), now, alerts[row[0].id]) for row in rows], total


def _check_name_free(db: Session, farm_id: str, name: str, keep: Rig | None = None) -> None:
    existing = repository.by_name(db, farm_id, name)
    if existing is not None and existing is not keep:
        raise Conflict(NAME_TAKEN, code="rig_name_taken")


def _check_group(db: Session, farm_id: str, group_id: str | None) -> None:
    if group_id is not None and repository.group_in_farm(db, farm_id, group_id) is None:
        raise Invalid.at("group_id", "no such group in this farm")


def create_rig(db: Session, farm_id: str, body: RigCreate) -> Rig:
    _check_name_free(db, farm_id, body.name)
    _check_group(db, farm_id, body.group_id)
    rig = Rig(farm_id=farm_id, name=body.name, group_id=body.group_id, notes=body.notes)
    rig.config = {}
    db.add(rig)
    flush_or_conflict(db, NAME_TAKEN, "rig_name_taken")
    repository.set_tags(db, rig.id, body.tags)
    db.flush()
    refresh_rigs(db, farm_id, [rig.id])
    return rig


def update_rig(db: Session, rig: Rig, body: RigUpdate) -> Rig:
    """Apply the fields sent. The config is recomputed after any change: the group
    brings its layer, and the name may be substituted into miner arguments."""
    sent = body.model_fields_set
    if body.name is not None:
        _check_name_free(db, rig.farm_id, body.name, keep=rig)
        rig.name = body.name
    if "group_id" in sent:
        _check_group(db, rig.farm_id, body.group_id)
        rig.group_id = body.group_id
    if body.notes is not None:
        rig.notes = body.notes
    if body.tags is not None:
        repository.set_tags(db, rig.id, body.tags)
    flush_or_conflict(db, NAME_TAKEN, "rig_name_taken")
    if sent:
        refresh_rigs(db, rig.farm_id, [rig.id])
    return rig


def delete_rig(db: Session, rig: Rig) -> None:
    """Delete the rig; its token dies with it, so the machine can no longer report."""
    repository.delete_rig(db, rig.id)
    db.expunge(rig)


def tag_counts(db: Session, farm_id: str, limit: int, offset: int) -> tuple[list[TagCount], int]:
    rows, total = repository.tag_counts(db, farm_id, limit, offset)
    return [TagCount(tag=tag, rig_count=count) for tag, count in rows], total


def issue_rig_conf(db: Session, settings: Settings, rig: Rig) -> str:
    """A new rig token in a rig.conf; the previous token stops working now.

    Only the token's SHA-256 is kept, so the file is the one place the token exists.
    """
    token = new_token(RIG_TOKEN_PREFIX)
    now = utcnow()
    rig.token_hash = token_hash(token)
    rig.token_issued_at = now
    db.flush()
    header = [
        f"openrig rig.conf for rig {rig.name}",
        f"generated {now.strftime('%Y-%m-%d %H:%M:%S')} UTC",
        "Keep this file secret: the token in it is this rig's password.",
        "Downloading rig.conf again issues a new token and revokes this one.",
    ]
    values = [("SERVER_URL", settings.public_url), ("RIG_ID", rig.id), ("RIG_TOKEN", token)]
    return render_conf(header, values)
