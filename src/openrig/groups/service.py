"""Rules of the groups domain. Services flush but never commit."""

from __future__ import annotations

from sqlalchemy.orm import Session

from openrig.accounts.principal import Principal
from openrig.core.errors import Conflict, NotFound
from openrig.farms.access import FarmAccess, Role, farm_access
from openrig.farms.repository import flush_or_conflict
from openrig.fleetconfig.service import refresh_rigs
from openrig.groups import repository
from openrig.groups.schemas import GroupPublic
from openrig.models import Group

NAME_TAKEN = "a group with this name already exists in the farm"


def group_access(
    db: Session, principal: Principal, group_id: str, need: Role
) -> tuple[Group, FarmAccess]:
    """The group and the caller's access to its farm; a group in a farm the caller
    is not a member of answers 404 like a missing one."""
    group = repository.get(db, group_id)
    if group is None:
        raise NotFound("group not found")
    try:
        access = farm_access(db, principal, group.farm_id, need)
    except NotFound:
        raise NotFound("group not found") from None
    return group, access


def public(db: Session, group: Group) -> GroupPublic:
    count = repository.rig_counts(db, [group.id]).get(group.id, 0)
    return _public(group, count)


def _public(group: Group, rig_count: int) -> GroupPublic:
    return GroupPublic(
        id=group.id,
        farm_id=group.farm_id,
        name=group.name,
        rig_count=rig_count,
        created_at=group.created_at,
        updated_at=group.updated_at,
    )


def list_groups(
    db: Session, farm_id: str, limit: int, offset: int
) -> tuple[list[GroupPublic], int]:
    groups, total = repository.list_page(db, farm_id, limit, offset)
    counts = repository.rig_counts(db, [g.id for g in groups])
    return [_public(g, counts.get(g.id, 0)) for g in groups], total


def _check_name_free(db: Session, farm_id: str, name: str, keep: Group | None = None) -> None:
    existing = repository.by_name(db, farm_id, name)
    if existing is not None and existing is not keep:
        raise Conflict(NAME_TAKEN, code="group_name_taken")


def create_group(db: Session, farm_id: str, name: str) -> Group:
    _check_name_free(db, farm_id, name)
    group = Group(farm_id=farm_id, name=name, config={})
    db.add(group)
    flush_or_conflict(db, NAME_TAKEN, "group_name_taken")
    return group


def rename_group(db: Session, group: Group, name: str) -> Group:
    _check_name_free(db, group.farm_id, name, keep=group)
    group.name = name
    flush_or_conflict(db, NAME_TAKEN, "group_name_taken")
    return group


def delete_group(db: Session, group: Group) -> list[str]:
    """Delete the group; its rigs stay, ungrouped, and get their config recomputed."""
    rig_ids = repository.ungroup_rigs(db, group.id)
    repository.delete_group(db, group.id)
    db.expunge(group)
    db.flush()
    if rig_ids:
        refresh_rigs(db, group.farm_id, rig_ids)
    return rig_ids
