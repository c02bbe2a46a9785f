"""Role checks. A farm you are not a member of answers 404, as if it did not exist."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from openrig.accounts.principal import Principal
from openrig.core.errors import Forbidden, NotFound
from openrig.models import Farm, FarmMember


class Role(IntEnum):
    """Ordered so that ``role >= Role.OPERATOR`` reads as "at least operator"."""

    VIEWER = 1
    OPERATOR = 2
    ADMIN = 3
    OWNER = 4

    @classmethod
    def parse(cls, name: str) -> Role:
        return cls[name.upper()]

    @property
    def label(self) -> str:
        return self.name.lower()


ROLE_NAMES = tuple(r.label for r in Role)


@dataclass
class FarmAccess:
    farm: Farm
    role: Role
    principal: Principal

    @property
    def user_id(self) -> str:
        return self.principal.user.id


def farm_access(db: Session, principal: Principal, farm_id: str, need: Role) -> FarmAccess:
    """Load the farm for ``principal`` and require at least ``need``.

    Non-members get 404 (no existence leak); members below ``need`` get 403.
    """
    row = db.execute(
        select(Farm, FarmMember.role)
        .join(FarmMember, FarmMember.farm_id == Farm.id)
        .where(Farm.id == farm_id, FarmMember.user_id == principal.user.id)
    ).first()
    if row is None:
        raise NotFound("farm not found")
    farm, role_name = row
    role = Role.parse(role_name)
    if role < need:
        raise Forbidden(f"this needs the {need.label} role or higher; you are {role.label}")
    return FarmAccess(farm=farm, role=role, principal=principal)
