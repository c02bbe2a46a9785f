"""Request and response models of the fleetconfig API.

Config documents travel as plain JSON objects here and are validated by ``document``,
so that errors name document paths (``miner.pools.0.url``) rather than body paths.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from openrig.core.schemas import Id, Name, RequestModel, Tag

JsonObject = dict[str, Any]
MAX_BULK_RIGS = 10_000
MAX_TAGS = 50


def _not_null(value: Any) -> Any:
    # Runs only for values that were sent: absent means "unchanged", null is an error.
    if value is None:
        raise ValueError("must not be null")
    return value


class LayerPatch(RequestModel):
    """A merge patch for a layer's config; a pointer sent as null clears it."""

    config: JsonObject = Field(default_factory=dict)
    flight_sheet_id: Id | None = None
    oc_profile_id: Id | None = None


class LayerPublic(BaseModel):
    config: JsonObject
    flight_sheet_id: str | None
    oc_profile_id: str | None


class LayerUpdated(LayerPublic):
    rigs_affected: int


class RigLayerPublic(LayerPublic):
    effective: JsonObject
    sources: dict[str, str]


class FlightSheetCreate(RequestModel):
    name: Name
    miner: JsonObject


class FlightSheetUpdate(RequestModel):
    name: Name | None = None
    miner: JsonObject | None = None  # a merge patch onto the sheet's miner

    _present = field_validator("name", "miner", mode="before")(_not_null)


class OcProfileCreate(RequestModel):
    name: Name
    oc: JsonObject


class OcProfileUpdate(RequestModel):
    name: Name | None = None
    oc: JsonObject | None = None  # a merge patch onto the profile's oc

    _present = field_validator("name", "oc", mode="before")(_not_null)


class FlightSheetPublic(BaseModel):
    id: str
    farm_id: str
    name: str
    miner: JsonObject
    created_at: datetime
    updated_at: datetime
    rigs_affected: int | None = None


class OcProfilePublic(BaseModel):
    id: str
    farm_id: str
    name: str
    oc: JsonObject
    created_at: datetime
    updated_at: datetime
    rigs_affected: int | None = None


class BulkSelector(RequestModel):
    rig_ids: Annotated[list[Id], Field(min_length=1, max_length=MAX_BULK_RIGS)] | None = None
    group_id: Id | None = None
    tag: Tag | None = None
    all: Literal[True] | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> BulkSelector:
        chosen = [k for k in ("rig_ids", "group_id", "tag", "all") if getattr(self, k) is not None]
        if len(chosen) != 1:
            raise ValueError("give exactly one of rig_ids, group_id, tag, all")
        return self


class BulkAction(RequestModel):
    config_patch: JsonObject | None = None
    flight_sheet_id: Id | None = None
    oc_profile_id: Id | None = None
    group_id: Id | None = None
    add_tags: Annotated[list[Tag], Field(max_length=MAX_TAGS)] | None = None
    remove_tags: Annotated[list[Tag], Field(max_length=MAX_TAGS)] | None = None

    @model_validator(mode="after")
    def _something(self) -> BulkAction:
        if not self.model_fields_set:
            raise ValueError("the action changes nothing")
        return self


class BulkRequest(RequestModel):
    selector: BulkSelector
    action: BulkAction


class BulkRig(BaseModel):
    id: str
    config_version: str


class BulkResult(BaseModel):
    rigs: list[BulkRig]
    count: int


class HistoryEntryPublic(BaseModel):
    id: str
    at: datetime
    layer_kind: str
    layer_id: str
    layer_name: str
    action: str
    actor_user_id: str | None
    actor_email: str | None
    before: JsonObject | None
    after: JsonObject | None


class HistoryPage(BaseModel):
    items: list[HistoryEntryPublic]
    total: int
    limit: int
    offset: int
