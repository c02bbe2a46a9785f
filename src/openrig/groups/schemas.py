"""Request and response models of the groups domain."""

from __future__ import annotations

from datetime import datetime

from openrig.core.schemas import Name, RequestModel, ResponseModel


class GroupCreate(RequestModel):
    name: Name


class GroupUpdate(RequestModel):
    name: Name


class GroupPublic(ResponseModel):
    id: str
    farm_id: str
    name: str
    rig_count: int
    created_at: datetime
    updated_at: datetime
