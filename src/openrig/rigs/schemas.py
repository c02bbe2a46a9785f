"""Request and response models of the rigs domain."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from openrig.core.schemas import Id, Name, Notes, RequestModel, ResponseModel, Tag
from openrig.rigs.status import RigStatus

MAX_TAGS = 32
UNGROUPED = "none"


def _dedupe(tags: list[str]) -> list[str]:
    return list(dict.fromkeys(tags))


Tags = Annotated[list[Tag], Field(max_length=MAX_TAGS), AfterValidator(_dedupe)]
RigSort = Literal[
    "name", "-name", "created_at", "-created_at", "last_seen", "-last_seen", "status", "-status"
]


class RigCreate(RequestModel):
    name: Name
    group_id: Id | None = None
    tags: Tags = Field(default_factory=list)
    notes: Notes = ""


class RigUpdate(RequestModel):
    """Only the fields sent change; ``group_id: null`` ungroups, ``tags`` replaces the set."""

    name: Name | None = None
    group_id: Id | None = None
    tags: Tags | None = None
    notes: Notes | None = None

    @model_validator(mode="after")
    def _no_null_except_group(self) -> RigUpdate:
        for field in ("name", "tags", "notes"):
            if field in self.model_fields_set and getattr(self, field) is None:
                raise ValueError(f"{field} cannot be null")
        return self


class RigPublic(ResponseModel):
    id: str
    name: str
    farm_id: str
    group_id: str | None
    group_name: str | None
    tags: list[str]
    notes: str
    config_version: str
    maintenance: bool
    status: RigStatus
    last_seen_at: datetime | None
    token_issued_at: datetime | None = Field(
        description="When the current rig.conf token was issued; null if none yet."
    )
    created_at: datetime
    updated_at: datetime


@dataclass
class RigFilters:
    """List filters from the query string, already validated by the endpoint."""

    group_id: str | None = None  # UNGROUPED = rigs in no group
    tags: list[str] = dc_field(default_factory=list)
    status: RigStatus | None = None
    q: str | None = None
    sort: RigSort = "name"


class TagCount(ResponseModel):
    tag: str
    rig_count: int
