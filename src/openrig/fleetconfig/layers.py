"""Farm, group and rig config layers: read, patch, and set a whole state (restore).

A layer's state is ``{"config", "flight_sheet_id", "oc_profile_id"}``. The stored
config never holds nulls: a patch is an RFC 7386 merge patch, null removes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.orm import Session

from openrig.core.errors import Forbidden, Invalid, NotFound
from openrig.farms.access import FarmAccess, Role
from openrig.fleetconfig import repository as repo
from openrig.fleetconfig.document import check_layer
from openrig.fleetconfig.history import record_history
from openrig.fleetconfig.merge import merge_patch
from openrig.fleetconfig.schemas import LayerPatch
from openrig.fleetconfig.service import effective_config, refresh_rigs
from openrig.models import Farm, Group, Rig

LayerRow = Farm | Group | Rig
POINTERS = ("flight_sheet_id", "oc_profile_id")


def kind_of(row: LayerRow) -> str:
    return "farm" if isinstance(row, Farm) else "group" if isinstance(row, Group) else "rig"


def state(row: LayerRow) -> dict[str, Any]:
    return {
        "config": dict(row.config or {}),
        "flight_sheet_id": row.flight_sheet_id,
        "oc_profile_id": row.oc_profile_id,
    }


def record_lifecycle(db: Session, row: Group | Rig, action: str, actor_user_id: str | None) -> None:
    """History of a group or rig layer being created or deleted (``action``), so the
    farm's history shows every layer that ever existed, and who made or removed it."""
    now_state = state(row)
    record_history(
        db,
        farm_id=row.farm_id,
        layer_kind=kind_of(row),
        layer_id=row.id,
        layer_name=row.name,
        action=action,
        before=None if action == "create" else now_state,
        after=now_state if action == "create" else None,
        actor_user_id=actor_user_id,
    )


def rig_view(db: Session, rig: Rig) -> dict[str, Any]:
    doc, sources = effective_config(db, rig)
    return {**state(rig), "effective": doc, "sources": sources}


def lock_for_write(db: Session, access: FarmAccess, row: LayerRow) -> None:
    """Take the farm's config lock, then re-read the row: it may have changed since."""
    repo.lock_farm(db, access.farm.id)
    if isinstance(row, Farm):
        return
    try:
        db.refresh(row)
    except InvalidRequestError:  # deleted by another transaction meanwhile
        raise NotFound(f"{kind_of(row)} not found") from None


def check_exec_patch(kind: str, patch: dict[str, Any], role: Role) -> None:
    """``exec_allowed`` lets the server run commands on rigs: farm layer, admins only."""
    if "exec_allowed" not in patch:
        return
    if kind != "farm":
        raise Invalid.at("exec_allowed", "can only be set in the farm layer")
    if role < Role.ADMIN:
        raise Forbidden("only an admin or owner may change exec_allowed")


def check_pointers(db: Session, farm_id: str, new: dict[str, Any], old: dict[str, Any]) -> None:
    """A layer may point only at its own farm's flight sheets and OC profiles."""
    sheet, profile = new["flight_sheet_id"], new["oc_profile_id"]
    if sheet and sheet != old["flight_sheet_id"] and not repo.sheets_by_id(db, farm_id, [sheet]):
        raise Invalid.at("flight_sheet_id", "no such flight sheet in this farm")
    if (
        profile
        and profile != old["oc_profile_id"]
        and not repo.profiles_by_id(db, farm_id, [profile])
    ):
        raise Invalid.at("oc_profile_id", "no such OC profile in this farm")


def validated(
    db: Session, access: FarmAccess, kind: str, old: dict[str, Any], new: dict[str, Any]
) -> dict[str, Any]:
    """The new state, normalised, once it passed every rule; raises otherwise."""
    config = check_layer(new["config"])
    if config.get("exec_allowed") != old["config"].get("exec_allowed"):
        check_exec_patch(kind, {"exec_allowed": True}, access.role)
    check_pointers(db, access.farm.id, new, old)
    return {**new, "config": config}


def write(db: Session, access: FarmAccess, row: LayerRow, new: dict[str, Any], action: str) -> bool:
    """Store ``new`` (already validated) and record the change; False when unchanged."""
    old = state(row)
    if new == old:
        return False
    row.config = new["config"]
    row.flight_sheet_id, row.oc_profile_id = new["flight_sheet_id"], new["oc_profile_id"]
    record_history(
        db,
        farm_id=access.farm.id,
        layer_kind=kind_of(row),
        layer_id=row.id,
        layer_name=row.name,
        action=action,
        before=old,
        after=new,
        actor_user_id=access.user_id,
    )
    return True


def rig_scope(db: Session, row: LayerRow) -> list[str] | None:
    """The rigs a layer reaches (None: the whole farm)."""
    if isinstance(row, Farm):
        return None
    if isinstance(row, Group):
        return repo.group_rig_ids(db, row.id)
    return [row.id]


def set_state(
    db: Session, access: FarmAccess, row: LayerRow, new: dict[str, Any], action: str
) -> int:
    """Validate and store a whole layer state; refresh its rigs; the number of rigs."""
    new = validated(db, access, kind_of(row), state(row), new)
    write(db, access, row, new, action)
    return len(refresh_rigs(db, access.farm.id, rig_scope(db, row)))


def patch_layer(db: Session, access: FarmAccess, row: LayerRow, patch: LayerPatch) -> int:
    # The patch itself is checked first so that a bad key sent as null is still named.
    check_layer(patch.config)
    check_exec_patch(kind_of(row), patch.config, access.role)
    lock_for_write(db, access, row)
    new = state(row)
    new["config"] = merge_patch(new["config"], patch.config)
    for key in POINTERS:
        if key in patch.model_fields_set:
            new[key] = getattr(patch, key)
    return set_state(db, access, row, new, "update")
