"""Queries of the groups domain. The only module here that builds SQL."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from openrig.models import Group, Rig


def get(db: Session, group_id: str) -> Group | None:
    return db.get(Group, group_id)


def by_name(db: Session, farm_id: str, name: str) -> Group | None:
    return db.scalar(select(Group).where(Group.farm_id == farm_id, Group.name == name))


def list_page(db: Session, farm_id: str, limit: int, offset: int) -> tuple[Sequence[Group], int]:
    where = Group.farm_id == farm_id
    total = db.scalar(select(func.count()).select_from(Group).where(where)) or 0
    groups = db.scalars(
        select(Group).where(where).order_by(Group.name, Group.id).limit(limit).offset(offset)
    ).all()
    return groups, total


def rig_counts(db: Session, group_ids: Sequence[str]) -> dict[str, int]:
    """Rigs per group, for a whole page in one query."""
    if not group_ids:
        return {}
    rows = db.execute(
        select(Rig.group_id, func.count()).where(Rig.group_id.in_(group_ids)).group_by(Rig.group_id)
    ).all()
    return {group_id: count for group_id, count in rows if group_id is not None}


def ungroup_rigs(db: Session, group_id: str) -> list[str]:
    """Detach every rig from the group; return their ids (to refresh their config)."""
    rig_ids = list(db.scalars(select(Rig.id).where(Rig.group_id == group_id)).all())
    if rig_ids:
        db.execute(
            update(Rig).where(Rig.group_id == group_id).values(group_id=None),
            execution_options={"synchronize_session": "fetch"},
        )
    return rig_ids


def delete_group(db: Session, group_id: str) -> None:
    db.execute(delete(Group).where(Group.id == group_id))
