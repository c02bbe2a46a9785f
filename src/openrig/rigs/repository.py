"""Queries of the rigs domain (rigs, tags). The only module here that builds SQL."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, func, select
from sqlalchemy.orm import Session

from openrig.models import Group, Rig, RigTag
from openrig.models.telemetry import RigState
from openrig.rigs.schemas import UNGROUPED, RigFilters
from openrig.rigs.status import LIVENESS_COLUMNS, Liveness, status_sql

RigRow = tuple[Rig, str | None, Liveness]


def get(db: Session, rig_id: str) -> Rig | None:
    return db.get(Rig, rig_id)


def by_name(db: Session, farm_id: str, name: str) -> Rig | None:
    return db.scalar(select(Rig).where(Rig.farm_id == farm_id, Rig.name == name))


def group_in_farm(db: Session, farm_id: str, group_id: str) -> Group | None:
    return db.scalar(select(Group).where(Group.id == group_id, Group.farm_id == farm_id))


def _rows() -> Select[*tuple[Any, ...]]:
    """Rig, its group's name and its liveness: one row per rig (both joins are 1:0..1)."""
    return (
        select(Rig, Group.name, *LIVENESS_COLUMNS)
        .outerjoin(Group, Group.id == Rig.group_id)
        .outerjoin(RigState, RigState.rig_id == Rig.id)
    )


def _as_row(row: Any) -> RigRow:
    rig, group_name, *live = row
    return rig, group_name, Liveness(*live)


def row_of(db: Session, rig_id: str) -> RigRow | None:
    row = db.execute(_rows().where(Rig.id == rig_id)).first()
    return None if row is None else _as_row(row)


def state_of(db: Session, rig_id: str) -> RigState | None:
    return db.get(RigState, rig_id)


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _conditions(farm_id: str, flt: RigFilters, now: datetime) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [Rig.farm_id == farm_id]
    if flt.group_id == UNGROUPED:
        where.append(Rig.group_id.is_(None))
    elif flt.group_id is not None:
        where.append(Rig.group_id == flt.group_id)
    for tag in flt.tags:  # every tag given must be on the rig
        where.append(Rig.id.in_(select(RigTag.rig_id).where(RigTag.tag == tag)))
    if flt.status is not None:
        where.append(status_sql(now) == flt.status)
    if flt.q:
        where.append(Rig.name.ilike(_like_pattern(flt.q), escape="\\"))
    return where


def _order(sort: str, now: datetime) -> list[Any]:
    """Sort keys; never-seen rigs count as the longest silent. Ties break by name, id."""
    last_seen = RigState.last_seen_at
    keys: dict[str, list[Any]] = {
        "name": [Rig.name],
        "-name": [Rig.name.desc()],
        "created_at": [Rig.created_at],
        "-created_at": [Rig.created_at.desc()],
        "last_seen": [last_seen.asc().nulls_first()],
        "-last_seen": [last_seen.desc().nulls_last()],
        "status": [status_sql(now)],
        "-status": [status_sql(now).desc()],
    }
    return [*keys[sort], Rig.name, Rig.id]


def list_page(
    db: Session, farm_id: str, flt: RigFilters, limit: int, offset: int, now: datetime
) -> tuple[list[RigRow], int]:
    where = _conditions(farm_id, flt, now)
    ids = select(Rig.id).outerjoin(RigState, RigState.rig_id == Rig.id).where(*where)
    total = db.scalar(select(func.count()).select_from(ids.subquery())) or 0
    stmt = _rows().where(*where).order_by(*_order(flt.sort, now)).limit(limit).offset(offset)
    return [_as_row(row) for row in db.execute(stmt).all()], total


def tags_of(db: Session, rig_ids: Sequence[str]) -> dict[str, list[str]]:
    """Tags of a page of rigs in one query, sorted."""
    found: dict[str, list[str]] = defaultdict(list)
    if rig_ids:
        rows = db.execute(
            select(RigTag.rig_id, RigTag.tag)
            .where(RigTag.rig_id.in_(rig_ids))
            .order_by(RigTag.rig_id, RigTag.tag)
        ).all()
        for rig_id, tag in rows:
            found[rig_id].append(tag)
    return found


def set_tags(db: Session, rig_id: str, tags: Iterable[str]) -> None:
    """Make the rig's tag set exactly ``tags`` (removes the others)."""
    wanted = set(tags)
    current = set(db.scalars(select(RigTag.tag).where(RigTag.rig_id == rig_id)).all())
    gone = current - wanted
    if gone:
        db.execute(delete(RigTag).where(RigTag.rig_id == rig_id, RigTag.tag.in_(gone)))
    db.add_all(RigTag(rig_id=rig_id, tag=tag) for tag in sorted(wanted - current))


def tag_counts(
    db: Session, farm_id: str, limit: int, offset: int
) -> tuple[list[tuple[str, int]], int]:
    """Tags used in the farm with how many rigs carry each, by tag."""
    base = select(RigTag.tag).join(Rig, Rig.id == RigTag.rig_id).where(Rig.farm_id == farm_id)
    total = db.scalar(select(func.count()).select_from(base.distinct().subquery())) or 0
    rows = db.execute(
        base.add_columns(func.count())
        .group_by(RigTag.tag)
        .order_by(RigTag.tag)
        .limit(limit)
        .offset(offset)
    ).all()
    return [(tag, count) for tag, count in rows], total


def delete_rig(db: Session, rig_id: str) -> None:
    """One DELETE; tags, state and the rest cascade in the database."""
    db.execute(delete(Rig).where(Rig.id == rig_id))
