"""HTTP endpoints of the fleetconfig domain: layers, miners, bulk changes, history.

Flight sheets and OC profiles live in ``library_endpoints`` and join this router.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query

from openrig.accounts.principal import CurrentUser, Principal
from openrig.core.deps import SessionDep
from openrig.core.errors import NotFound
from openrig.farms.access import FarmAccess, Role, farm_access
from openrig.fleetconfig import bulk, history, layers, restore
from openrig.fleetconfig import repository as repo
from openrig.fleetconfig.library_endpoints import router as library_router
from openrig.fleetconfig.miners import registry
from openrig.fleetconfig.schemas import (
    BulkRequest,
    BulkResult,
    HistoryPage,
    LayerPatch,
    LayerPublic,
    LayerUpdated,
    RigLayerPublic,
)
from openrig.models import Group, Rig

router = APIRouter(tags=["fleetconfig"])
router.include_router(library_router)

PathId = Annotated[str, Path(min_length=1, max_length=64)]
LayerKind = Literal["farm", "group", "rig", "flight_sheet", "oc_profile"]


@router.get("/miners")
def list_miners() -> dict[str, Any]:
    """The miner registry. Public: it describes the software, nothing of any farm."""
    return {"miners": registry()}


# --- layers ------------------------------------------------------------------------


def _group(
    db: SessionDep, principal: Principal, group_id: str, need: Role
) -> tuple[FarmAccess, Group]:
    group = repo.get_group(db, group_id)
    if group is None:
        raise NotFound("group not found")
    return farm_access(db, principal, group.farm_id, need), group


def _rig(db: SessionDep, principal: Principal, rig_id: str, need: Role) -> tuple[FarmAccess, Rig]:
    rig = repo.get_rig(db, rig_id)
    if rig is None:
        raise NotFound("rig not found")
    return farm_access(db, principal, rig.farm_id, need), rig


@router.get("/farms/{farm_id}/config", response_model=LayerPublic)
def get_farm_layer(db: SessionDep, principal: CurrentUser, farm_id: PathId) -> Any:
    """The farm-default layer: applies to every rig of the farm."""
    return layers.state(farm_access(db, principal, farm_id, Role.VIEWER).farm)


@router.patch("/farms/{farm_id}/config", response_model=LayerUpdated)
def patch_farm_layer(
    db: SessionDep, principal: CurrentUser, farm_id: PathId, body: LayerPatch
) -> Any:
    """Merge-patch the farm layer (operator; ``exec_allowed`` needs admin)."""
    access = farm_access(db, principal, farm_id, Role.OPERATOR)
    count = layers.patch_layer(db, access, access.farm, body)
    return {**layers.state(access.farm), "rigs_affected": count}


@router.get("/groups/{group_id}/config", response_model=LayerPublic)
def get_group_layer(db: SessionDep, principal: CurrentUser, group_id: PathId) -> Any:
    return layers.state(_group(db, principal, group_id, Role.VIEWER)[1])


@router.patch("/groups/{group_id}/config", response_model=LayerUpdated)
def patch_group_layer(
    db: SessionDep, principal: CurrentUser, group_id: PathId, body: LayerPatch
) -> Any:
    access, group = _group(db, principal, group_id, Role.OPERATOR)
    count = layers.patch_layer(db, access, group, body)
    return {**layers.state(group), "rigs_affected": count}


@router.get("/rigs/{rig_id}/config", response_model=RigLayerPublic)
def get_rig_layer(db: SessionDep, principal: CurrentUser, rig_id: PathId) -> Any:
    """The rig's own layer, its effective document and where each value came from."""
    return layers.rig_view(db, _rig(db, principal, rig_id, Role.VIEWER)[1])


@router.patch("/rigs/{rig_id}/config", response_model=LayerUpdated)
def patch_rig_layer(
    db: SessionDep, principal: CurrentUser, rig_id: PathId, body: LayerPatch
) -> Any:
    access, rig = _rig(db, principal, rig_id, Role.OPERATOR)
    count = layers.patch_layer(db, access, rig, body)
    return {**layers.state(rig), "rigs_affected": count}


# --- bulk and history --------------------------------------------------------------


@router.post("/farms/{farm_id}/bulk", response_model=BulkResult)
def bulk_change(db: SessionDep, principal: CurrentUser, farm_id: PathId, body: BulkRequest) -> Any:
    """One change to many rigs; all or nothing."""
    return bulk.run(db, farm_access(db, principal, farm_id, Role.OPERATOR), body)


@router.get("/farms/{farm_id}/history", response_model=HistoryPage)
def list_history(
    db: SessionDep,
    principal: CurrentUser,
    farm_id: PathId,
    layer_kind: Annotated[LayerKind | None, Query()] = None,
    layer_id: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Any:
    """Config changes of the farm, newest first."""
    farm_access(db, principal, farm_id, Role.VIEWER)
    return history.list_history(
        db, farm_id, layer_kind=layer_kind, layer_id=layer_id, limit=limit, offset=offset
    )


@router.post("/farms/{farm_id}/history/{entry_id}/restore", response_model=None)
def restore_entry(
    db: SessionDep, principal: CurrentUser, farm_id: PathId, entry_id: PathId
) -> dict[str, Any]:
    """Put the entry's layer back in the state the entry recorded after its change."""
    access = farm_access(db, principal, farm_id, Role.OPERATOR)
    count = restore.restore(db, access, entry_id)
    return {"restored": entry_id, "rigs_affected": count}
