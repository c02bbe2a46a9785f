"""Request and response models of the farms domain: farms, members, enrollment key."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import EmailStr, Field

from openrig.core.schemas import Id, Name, RequestModel, ResponseModel

RoleName = Literal["owner", "admin", "operator", "viewer"]


class FarmCreate(RequestModel):
    name: Name


class FarmUpdate(RequestModel):
    name: Name


class FarmPublic(ResponseModel):
    id: str
    name: str
    role: RoleName = Field(description="The caller's role in this farm.")
    rig_count: int
    created_at: datetime
    updated_at: datetime


class MemberAdd(RequestModel):
    email: EmailStr = Field(max_length=254)
    role: RoleName


class MemberUpdate(RequestModel):
    user_id: Id
    role: RoleName


class MemberRemove(RequestModel):
    user_id: Id


class MemberPublic(ResponseModel):
    user_id: str
    email: str
    role: RoleName
    created_at: datetime


class EnrollKeyPublic(ResponseModel):
    enroll_key: str | None = Field(
        description="The farm's enrollment key (`ore_…`), or null when revoked."
    )
