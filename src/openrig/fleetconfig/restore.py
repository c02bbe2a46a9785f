"""Putting a layer back into the state a history entry recorded after its change."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from openrig.core.errors import Conflict, NotFound
from openrig.farms.access import FarmAccess
from openrig.fleetconfig import layers, library
from openrig.fleetconfig import repository as repo
from openrig.models import ConfigHistory


def _layer_row(db: Session, access: FarmAccess, entry: ConfigHistory) -> layers.LayerRow | None:
    if entry.layer_kind == "farm":
        return access.farm if entry.layer_id == access.farm.id else None
    if entry.layer_kind == "group":
        return repo.get_group(db, entry.layer_id, access.farm.id)
    return repo.get_rig(db, entry.layer_id, access.farm.id)


def _restore_layer(db: Session, access: FarmAccess, entry: ConfigHistory) -> int:
    row = _layer_row(db, access, entry)
    if row is None:
        raise Conflict(f"the {entry.layer_kind} was deleted since this change")
    layers.lock_for_write(db, access, row)
    after: dict[str, Any] = entry.after or {}
    target = {key: after.get(key) for key in layers.POINTERS}
    target["config"] = after.get("config") or {}
    _pointers_exist(db, access.farm.id, target)
    return layers.set_state(db, access, row, target, "restore")


def _pointers_exist(db: Session, farm_id: str, target: dict[str, Any]) -> None:
    sheet, profile = target["flight_sheet_id"], target["oc_profile_id"]
    if sheet and not repo.sheets_by_id(db, farm_id, [sheet]):
        raise Conflict("the flight sheet this state points at was deleted since")
    if profile and not repo.profiles_by_id(db, farm_id, [profile]):
        raise Conflict("the OC profile this state points at was deleted since")


def _restore_item(db: Session, access: FarmAccess, entry: ConfigHistory) -> int:
    kind = library.SHEETS if entry.layer_kind == "flight_sheet" else library.PROFILES
    repo.lock_farm(db, access.farm.id)
    try:
        item = library.get_item(db, kind, access.farm.id, entry.layer_id)
    except NotFound:
        raise Conflict(f"the {kind.label} was deleted since this change") from None
    db.refresh(item)
    return library.set_state(db, access, kind, item, dict(entry.after or {}), "restore")


def restore(db: Session, access: FarmAccess, entry_id: str) -> int:
    """Restore the layer of history entry ``entry_id``; the number of rigs refreshed."""
    entry = repo.history_entry(db, access.farm.id, entry_id)
    if entry is None:
        raise NotFound("history entry not found")
    if entry.after is None:
        raise Conflict("this entry records a deletion; there is no state to restore")
    if entry.layer_kind in ("farm", "group", "rig"):
        return _restore_layer(db, access, entry)
    return _restore_item(db, access, entry)
