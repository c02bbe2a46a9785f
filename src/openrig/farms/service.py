"""Rules of the farms domain: farms, their members and roles.

Services flush but never commit; the request boundary commits.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy.orm import Session

from openrig.accounts.principal import Principal
from openrig.core.errors import Conflict, Forbidden, NotFound
from openrig.farms import enroll, repository
from openrig.farms.access import FarmAccess, Role
from openrig.farms.schemas import FarmPublic, MemberPublic, RoleName
from openrig.models import Farm, FarmMember


def farm_public(db: Session, farm: Farm, role: Role | str) -> FarmPublic:
    label = role.label if isinstance(role, Role) else role
    count = repository.rig_counts(db, [farm.id]).get(farm.id, 0)
    return FarmPublic(
        id=farm.id,
        name=farm.name,
        role=cast(RoleName, label),
        rig_count=count,
        created_at=farm.created_at,
        updated_at=farm.updated_at,
    )


def list_farms(
    db: Session, principal: Principal, limit: int, offset: int
) -> tuple[list[FarmPublic], int]:
    rows, total = repository.list_farms_of(db, principal.user.id, limit, offset)
    counts = repository.rig_counts(db, [farm.id for farm, _ in rows])
    items = [
        FarmPublic(
            id=farm.id,
            name=farm.name,
            role=cast(RoleName, role),
            rig_count=counts.get(farm.id, 0),
            created_at=farm.created_at,
            updated_at=farm.updated_at,
        )
        for farm, role in rows
    ]
    return items, total


def create_farm(db: Session, principal: Principal, name: str) -> Farm:
    """A new farm owned by the caller, with an enrollment key ready to use."""
    farm = Farm(name=name, config={}, enroll_key_id=enroll.new_key_id())
    db.add(farm)
    db.flush()
    db.add(FarmMember(farm_id=farm.id, user_id=principal.user.id, role=Role.OWNER.label))
    db.flush()
    return farm


def rename_farm(db: Session, farm: Farm, name: str) -> Farm:
    farm.name = name
    db.flush()
    return farm


def delete_farm(db: Session, farm: Farm) -> None:
    repository.delete_farm(db, farm.id)
    db.expunge(farm)


# --- members -----------------------------------------------------------------------


def _member_public(db: Session, member: FarmMember) -> MemberPublic:
    return MemberPublic(
        user_id=member.user_id,
        email=repository.member_email(db, member.user_id),
        role=cast(RoleName, member.role),
        created_at=member.created_at,
    )


def list_members(
    db: Session, farm_id: str, limit: int, offset: int
) -> tuple[list[MemberPublic], int]:
    rows, total = repository.list_members(db, farm_id, limit, offset)
    items = [
        MemberPublic(
            user_id=m.user_id,
            email=email,
            role=cast(RoleName, m.role),
            created_at=m.created_at,
        )
        for m, email in rows
    ]
    return items, total


def _require_owner_for(access: FarmAccess, *roles: str) -> None:
    """Only an owner grants, changes or removes the owner role."""
    if Role.OWNER.label in roles and access.role < Role.OWNER:
        raise Forbidden("only an owner can grant, change or remove the owner role")


def add_member(db: Session, access: FarmAccess, email: str, role: str) -> MemberPublic:
    _require_owner_for(access, role)
    user = repository.user_by_email(db, email)
    if user is None:
        raise NotFound("no user with this email address", code="user_not_found")
    if repository.get_member(db, access.farm.id, user.id) is not None:
        raise Conflict("this user is already a member of the farm", code="already_member")
    member = FarmMember(farm_id=access.farm.id, user_id=user.id, role=role)
    db.add(member)
    repository.flush_or_conflict(db, "this user is already a member", "already_member")
    return _member_public(db, member)


def _target(db: Session, farm_id: str, user_id: str) -> FarmMember:
    member = repository.get_member(db, farm_id, user_id)
    if member is None:
        raise NotFound("this user is not a member of the farm", code="member_not_found")
    return member


def _keep_an_owner(db: Session, farm_id: str, member: FarmMember) -> None:
    """Refuse a change that would take away the farm's last owner."""
    if member.role != Role.OWNER.label:
        return
    if repository.count_owners(db, farm_id) <= 1:
        raise Conflict("a farm must keep at least one owner", code="last_owner")


def change_role(db: Session, access: FarmAccess, user_id: str, role: str) -> MemberPublic:
    repository.lock_farm(db, access.farm.id)
    member = _target(db, access.farm.id, user_id)
    _require_owner_for(access, member.role, role)
    if member.role != role:
        _keep_an_owner(db, access.farm.id, member)
        member.role = role
        db.flush()
    return _member_public(db, member)


def remove_member(db: Session, access: FarmAccess, user_id: str) -> None:
    """Admins remove members; anyone may leave, except the last owner."""
    repository.lock_farm(db, access.farm.id)
    leaving = user_id == access.user_id
    if not leaving and access.role < Role.ADMIN:
        raise Forbidden(f"this needs the admin role or higher; you are {access.role.label}")
    member = _target(db, access.farm.id, user_id)
    if not leaving:
        _require_owner_for(access, member.role)
    _keep_an_owner(db, access.farm.id, member)
    repository.remove_member(db, member)
