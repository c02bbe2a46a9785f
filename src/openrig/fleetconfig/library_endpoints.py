"""Flight sheets and OC profiles: the same five endpoints each."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response, status

from openrig.accounts.principal import CurrentUser
from openrig.core.deps import SessionDep
from openrig.farms.access import Role, farm_access
from openrig.fleetconfig import library
from openrig.fleetconfig.library import PROFILES, SHEETS
from openrig.fleetconfig.schemas import (
    FlightSheetCreate,
    FlightSheetPublic,
    FlightSheetUpdate,
    OcProfileCreate,
    OcProfilePublic,
    OcProfileUpdate,
)

router = APIRouter()
PathId = Annotated[str, Path(min_length=1, max_length=64)]
SHEETS_URL = "/farms/{farm_id}/flight-sheets"
PROFILES_URL = "/farms/{farm_id}/oc-profiles"


@router.get(SHEETS_URL, response_model=dict[str, list[FlightSheetPublic]])
def list_sheets(db: SessionDep, principal: CurrentUser, farm_id: PathId) -> Any:
    farm_access(db, principal, farm_id, Role.VIEWER)
    items = library.list_items(db, SHEETS, farm_id)
    return {"items": [library.public(SHEETS, item) for item in items]}


@router.post(SHEETS_URL, status_code=status.HTTP_201_CREATED, response_model=FlightSheetPublic)
def create_sheet(
    db: SessionDep, principal: CurrentUser, farm_id: PathId, body: FlightSheetCreate
) -> Any:
    access = farm_access(db, principal, farm_id, Role.OPERATOR)
    item = library.create(db, access, SHEETS, body.name, body.miner)
    return library.public(SHEETS, item, 0)


@router.get(SHEETS_URL + "/{item_id}", response_model=FlightSheetPublic)
def get_sheet(db: SessionDep, principal: CurrentUser, farm_id: PathId, item_id: PathId) -> Any:
    farm_access(db, principal, farm_id, Role.VIEWER)
    return library.public(SHEETS, library.get_item(db, SHEETS, farm_id, item_id))


@router.patch(SHEETS_URL + "/{item_id}", response_model=FlightSheetPublic)
def update_sheet(
    db: SessionDep,
    principal: CurrentUser,
    farm_id: PathId,
    item_id: PathId,
    body: FlightSheetUpdate,
) -> Any:
    """Rename and/or merge-patch the miner document; rigs using it are refreshed."""
    access = farm_access(db, principal, farm_id, Role.OPERATOR)
    item = library.get_item(db, SHEETS, farm_id, item_id)
    count = library.update(db, access, SHEETS, item, body.name, body.miner)
    return library.public(SHEETS, item, count)


@router.delete(SHEETS_URL + "/{item_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_sheet(
    db: SessionDep, principal: CurrentUser, farm_id: PathId, item_id: PathId
) -> Response:
    """Delete; farm, groups and rigs pointing at it fall back to the next pointer."""
    access = farm_access(db, principal, farm_id, Role.OPERATOR)
    library.delete(db, access, SHEETS, library.get_item(db, SHEETS, farm_id, item_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(PROFILES_URL, response_model=dict[str, list[OcProfilePublic]])
def list_profiles(db: SessionDep, principal: CurrentUser, farm_id: PathId) -> Any:
    farm_access(db, principal, farm_id, Role.VIEWER)
    items = library.list_items(db, PROFILES, farm_id)
    return {"items": [library.public(PROFILES, item) for item in items]}


@router.post(PROFILES_URL, status_code=status.HTTP_201_CREATED, response_model=OcProfilePublic)
def create_profile(
    db: SessionDep, principal: CurrentUser, farm_id: PathId, body: OcProfileCreate
) -> Any:
    access = farm_access(db, principal, farm_id, Role.OPERATOR)
    item = library.create(db, access, PROFILES, body.name, body.oc)
    return library.public(PROFILES, item, 0)


@router.get(PROFILES_URL + "/{item_id}", response_model=OcProfilePublic)
def get_profile(db: SessionDep, principal: CurrentUser, farm_id: PathId, item_id: PathId) -> Any:
    farm_access(db, principal, farm_id, Role.VIEWER)
    return library.public(PROFILES, library.get_item(db, PROFILES, farm_id, item_id))


@router.patch(PROFILES_URL + "/{item_id}", response_model=OcProfilePublic)
def update_profile(
    db: SessionDep,
    principal: CurrentUser,
    farm_id: PathId,
    item_id: PathId,
    body: OcProfileUpdate,
) -> Any:
    access = farm_access(db, principal, farm_id, Role.OPERATOR)
    item = library.get_item(db, PROFILES, farm_id, item_id)
    count = library.update(db, access, PROFILES, item, body.name, body.oc)
    return library.public(PROFILES, item, count)


@router.delete(PROFILES_URL + "/{item_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_profile(
    db: SessionDep, principal: CurrentUser, farm_id: PathId, item_id: PathId
) -> Response:
    access = farm_access(db, principal, farm_id, Role.OPERATOR)
    library.delete(db, access, PROFILES, library.get_item(db, PROFILES, farm_id, item_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
