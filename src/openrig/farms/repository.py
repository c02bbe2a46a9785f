"""Queries of the farms domain (farms, members). The only module here that builds SQL."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from openrig.core.errors import Conflict
from openrig.models import Farm, FarmMember, Rig, User


def flush_or_conflict(db: Session, message: str, code: str = "conflict") -> None:
    """Flush; a unique constraint lost to a concurrent writer becomes a 409.

    The service checks first for a friendly message; this catches the race.
    """
    try:
        db.flush()
    except IntegrityError as exc:
        raise Conflict(message, code=code) from exc


def list_farms_of(
    db: Session, user_id: str, limit: int, offset: int
) -> tuple[Sequence[tuple[Farm, str]], int]:
    """The user's farms with their role, ordered by name (then id, for stable pages)."""
    where = FarmMember.user_id == user_id
    total = db.scalar(select(func.count()).select_from(FarmMember).where(where)) or 0
    rows = db.execute(
        select(Farm, FarmMember.role)
        .join(FarmMember, FarmMember.farm_id == Farm.id)
        .where(where)
        .order_by(Farm.name, Farm.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return [(farm, role) for farm, role in rows], total


def rig_counts(db: Session, farm_ids: Sequence[str]) -> dict[str, int]:
    if not farm_ids:
        return {}
    rows = db.execute(
        select(Rig.farm_id, func.count()).where(Rig.farm_id.in_(farm_ids)).group_by(Rig.farm_id)
    ).all()
    return {farm_id: count for farm_id, count in rows}


def delete_farm(db: Session, farm_id: str) -> None:
    """One DELETE; the database cascades to members, groups, rigs and the rest."""
    db.execute(delete(Farm).where(Farm.id == farm_id))


def lock_farm(db: Session, farm_id: str) -> None:
    """Serialise membership changes of one farm (PostgreSQL row lock; SQLite writers
    are already serialised by BEGIN IMMEDIATE), so two owners demoting each other
    at once cannot leave the farm without an owner."""
    # FOR NO KEY UPDATE: does not conflict with the KEY SHARE locks that inserting
    # rows referencing the farm takes, so concurrent inserts cannot deadlock on it.
    db.execute(select(Farm.id).where(Farm.id == farm_id).with_for_update(key_share=True))


def farm_by_enroll_key_id(db: Session, key_id: str) -> Farm | None:
    return db.scalar(select(Farm).where(Farm.enroll_key_id == key_id))


def list_members(
    db: Session, farm_id: str, limit: int, offset: int
) -> tuple[Sequence[tuple[FarmMember, str]], int]:
    where = FarmMember.farm_id == farm_id
    total = db.scalar(select(func.count()).select_from(FarmMember).where(where)) or 0
    rows = db.execute(
        select(FarmMember, User.email)
        .join(User, User.id == FarmMember.user_id)
        .where(where)
        .order_by(User.email, User.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return [(member, email) for member, email in rows], total


def get_member(db: Session, farm_id: str, user_id: str) -> FarmMember | None:
    return db.get(FarmMember, (farm_id, user_id))


def member_email(db: Session, user_id: str) -> str:
    return db.scalar(select(User.email).where(User.id == user_id)) or ""


def user_by_email(db: Session, email: str) -> User | None:
    """Case-insensitive: emails are compared the way people type them."""
    return db.scalar(select(User).where(func.lower(User.email) == email.lower()))


def count_owners(db: Session, farm_id: str) -> int:
    return (
        db.scalar(
            select(func.count())
            .select_from(FarmMember)
            .where(FarmMember.farm_id == farm_id, FarmMember.role == "owner")
        )
        or 0
    )


def remove_member(db: Session, member: FarmMember) -> None:
    db.delete(member)
    db.flush()
