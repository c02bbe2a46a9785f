"""Every query of the fleetconfig domain."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from openrig.models import Farm, FlightSheet, Group, OcProfile, Rig

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
    stmt = select(Farm).where(Farm.id == farm_id).with_for_update()
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
