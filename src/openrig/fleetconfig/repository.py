"""Every query of the fleetconfig domain."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from sqlalchemy import Select, and_, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from openrig.models import ConfigHistory, Farm, FlightSheet, Group, OcProfile, Rig, RigTag, User

T = TypeVar("T")
# Bound parameters per IN (...) list: well under SQLite's and PostgreSQL's limits.
CHUNK = 500


def chunks(ids: Iterable[str], size: int = CHUNK) -> Iterable[list[str]]:
    batch: list[str] = []
    for item in ids:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _fresh(db: Session, stmt: Select[T]) -> Sequence[T]:
    # populate_existing: rows changed by UPDATE statements in this transaction are
    # re-read instead of served stale from the identity map (autoflush runs first).
    return db.scalars(stmt.execution_options(populate_existing=True)).all()


def lock_farm(db: Session, farm_id: str) -> Farm | None:
    """The farm row, locked until commit: config writes of one farm run one at a time,
    so a rig's stored version is never computed from a layer another writer replaced.
    (SQLite has no row locks; its writers are serialised by BEGIN IMMEDIATE.)"""
    # FOR NO KEY UPDATE: does not conflict with the KEY SHARE locks that inserting
    # rows referencing the farm takes (a rig enrolling), so that cannot deadlock.
    stmt = select(Farm).where(Farm.id == farm_id).with_for_update(key_share=True)
    rows = _fresh(db, stmt)
    return rows[0] if rows else None


def rigs_of_farm(db: Session, farm_id: str, rig_ids: Iterable[str] | None = None) -> list[Rig]:
    base = select(Rig).where(Rig.farm_id == farm_id).order_by(Rig.name)
    if rig_ids is None:
        return list(_fresh(db, base))
    found: list[Rig] = []
    for batch in chunks(dict.fromkeys(rig_ids)):
        found.extend(_fresh(db, base.where(Rig.id.in_(batch))))
    return found


def groups_by_id(db: Session, farm_id: str, ids: Iterable[str]) -> dict[str, Group]:
    found: dict[str, Group] = {}
    for batch in chunks(set(ids)):
        stmt = select(Group).where(Group.farm_id == farm_id, Group.id.in_(batch))
        found.update((g.id, g) for g in _fresh(db, stmt))
    return found


def sheets_by_id(db: Session, farm_id: str, ids: Iterable[str]) -> dict[str, FlightSheet]:
    found: dict[str, FlightSheet] = {}
    for batch in chunks(set(ids)):
        stmt = select(FlightSheet).where(FlightSheet.farm_id == farm_id, FlightSheet.id.in_(batch))
        found.update((s.id, s) for s in _fresh(db, stmt))
    return found


def profiles_by_id(db: Session, farm_id: str, ids: Iterable[str]) -> dict[str, OcProfile]:
    found: dict[str, OcProfile] = {}
    for batch in chunks(set(ids)):
        stmt = select(OcProfile).where(OcProfile.farm_id == farm_id, OcProfile.id.in_(batch))
        found.update((p.id, p) for p in _fresh(db, stmt))
    return found


def get_group(db: Session, group_id: str, farm_id: str | None = None) -> Group | None:
    stmt = select(Group).where(Group.id == group_id)
    if farm_id is not None:
        stmt = stmt.where(Group.farm_id == farm_id)
    return db.scalars(stmt).first()


def get_rig(db: Session, rig_id: str, farm_id: str | None = None) -> Rig | None:
    stmt = select(Rig).where(Rig.id == rig_id)
    if farm_id is not None:
        stmt = stmt.where(Rig.farm_id == farm_id)
    return db.scalars(stmt).first()


def group_rig_ids(db: Session, group_id: str) -> list[str]:
    return list(db.scalars(select(Rig.id).where(Rig.group_id == group_id)))


def rigs_using(db: Session, farm_id: str, kind: str, layer_id: str) -> list[str]:
    """Rigs whose resolved flight sheet (kind "flight_sheet") or OC profile is this one:
    their own pointer, else their group's, else the farm's."""
    column = "flight_sheet_id" if kind == "flight_sheet" else "oc_profile_id"
    rig_col, group_col, farm_col = (getattr(m, column) for m in (Rig, Group, Farm))
    stmt = (
        select(Rig.id)
        .join(Farm, Farm.id == Rig.farm_id)
        .outerjoin(Group, Group.id == Rig.group_id)
        .where(
            Rig.farm_id == farm_id,
            or_(
                rig_col == layer_id,
                and_(rig_col.is_(None), group_col == layer_id),
                and_(rig_col.is_(None), group_col.is_(None), farm_col == layer_id),
            ),
        )
    )
    return list(db.scalars(stmt))


def history_page(
    db: Session,
    farm_id: str,
    layer_kind: str | None,
    layer_id: str | None,
    limit: int,
    offset: int,
) -> tuple[list[tuple[ConfigHistory, str | None]], int]:
    where = [ConfigHistory.farm_id == farm_id]
    if layer_kind is not None:
        where.append(ConfigHistory.layer_kind == layer_kind)
    if layer_id is not None:
        where.append(ConfigHistory.layer_id == layer_id)
    total = db.scalar(select(func.count()).select_from(ConfigHistory).where(*where)) or 0
    stmt = (
        select(ConfigHistory, User.email)
        .outerjoin(User, User.id == ConfigHistory.actor_user_id)
        .where(*where)
        .order_by(ConfigHistory.at.desc(), ConfigHistory.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return [(entry, email) for entry, email in db.execute(stmt)], total


def history_entry(db: Session, farm_id: str, entry_id: str) -> ConfigHistory | None:
    stmt = select(ConfigHistory).where(
        ConfigHistory.id == entry_id, ConfigHistory.farm_id == farm_id
    )
    return db.scalars(stmt).first()


L = TypeVar("L", FlightSheet, OcProfile)


def library_list(db: Session, model: type[L], farm_id: str) -> list[L]:
    stmt = select(model).where(model.farm_id == farm_id).order_by(model.name)
    return list(db.scalars(stmt))


def library_get(db: Session, model: type[L], farm_id: str, item_id: str) -> L | None:
    stmt = select(model).where(model.farm_id == farm_id, model.id == item_id)
    return db.scalars(stmt).first()


def library_name_taken(
    db: Session, model: type[L], farm_id: str, name: str, exclude_id: str | None
) -> bool:
    stmt = select(model.id).where(model.farm_id == farm_id, model.name == name)
    if exclude_id is not None:
        stmt = stmt.where(model.id != exclude_id)
    return db.scalars(stmt).first() is not None


def clear_pointers(db: Session, farm_id: str, column: str, item_id: str) -> None:
    """Unset every farm/group/rig pointer at a flight sheet or OC profile about to go.

    The foreign keys would SET NULL too; doing it here keeps loaded objects in step
    (the ORM updates them) and does not depend on SQLite's foreign_keys pragma."""
    for model in (Farm, Group, Rig):
        col = getattr(model, column)
        farm_col = model.id if model is Farm else getattr(model, "farm_id")  # noqa: B009
        db.execute(update(model).where(farm_col == farm_id, col == item_id).values({col: None}))


def rigs_in_group(db: Session, farm_id: str, group_id: str) -> list[Rig]:
    stmt = select(Rig).where(Rig.farm_id == farm_id, Rig.group_id == group_id)
    return list(_fresh(db, stmt.order_by(Rig.name)))


def rigs_with_tag(db: Session, farm_id: str, tag: str) -> list[Rig]:
    stmt = (
        select(Rig)
        .join(RigTag, RigTag.rig_id == Rig.id)
        .where(Rig.farm_id == farm_id, RigTag.tag == tag)
        .order_by(Rig.name)
    )
    return list(_fresh(db, stmt))


def tag_pairs(db: Session, rig_ids: list[str]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for batch in chunks(rig_ids):
        rows = db.execute(select(RigTag.rig_id, RigTag.tag).where(RigTag.rig_id.in_(batch)))
        found.update((rig_id, tag) for rig_id, tag in rows)
    return found


def add_tags(db: Session, pairs: list[tuple[str, str]]) -> None:
    if pairs:
        db.execute(insert(RigTag), [{"rig_id": r, "tag": t} for r, t in pairs])


def remove_tags(db: Session, rig_ids: list[str], tags: list[str]) -> None:
    for batch in chunks(rig_ids):
        db.execute(delete(RigTag).where(RigTag.rig_id.in_(batch), RigTag.tag.in_(tags)))
