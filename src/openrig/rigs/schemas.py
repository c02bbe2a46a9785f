"""Request and response models of the rigs domain."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import datetime
from typing import Annotated, Any, Literal

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
    hashrate_hs: float | None = Field(description="Total of the last report, H/s")
    power_w: float | None
    gpu_count: int | None = Field(description="GPUs in the last report")
    gpus_expected: int | None = Field(description="GPUs in the boot inventory")
    max_temp_c: float | None = Field(description="The hottest GPU of the last report")
    miner: str | None
    algo: str | None
    config_version_applied: str | None = Field(
        description="The config version the rig says it runs (compare with config_version)"
    )
    agent_version: str | None
    alerts: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Open alerts (pending or firing): id, rule, title, state, severity, "
        "summary, silenced, since",
    )
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


class RigDetail(RigPublic):
    """One rig with its last report (per GPU) and boot inventory."""

    report: dict[str, Any] | None = Field(description="The last report as the rig sent it")
    inventory: dict[str, Any] | None = Field(description="The inventory from the last hello")
    boot_time: datetime | None
