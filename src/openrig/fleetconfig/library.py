"""Flight sheets (named ``miner`` documents) and OC profiles (named ``oc`` documents)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from openrig.core.errors import Conflict, NotFound
from openrig.farms.access import FarmAccess
from openrig.fleetconfig import repository as repo
from openrig.fleetconfig.document import check_miner, check_miner_patch, check_oc
from openrig.fleetconfig.history import record_history
from openrig.fleetconfig.merge import merge_patch
from openrig.fleetconfig.service import refresh_rigs
from openrig.models import FlightSheet, OcProfile

Item = FlightSheet | OcProfile


@dataclass(frozen=True)
class Kind:
    name: str  # the history's layer kind, also the rig-pointer column's stem
    model: type[FlightSheet] | type[OcProfile]
    field: str  # the document column: "miner" | "oc"
    label: str
    check: Callable[[Any], dict[str, Any]]  # a complete document
    check_patch: Callable[[Any], dict[str, Any]]  # a merge patch for one

    @property
    def pointer(self) -> str:
        return f"{self.name}_id"


SHEETS = Kind("flight_sheet", FlightSheet, "miner", "flight sheet", check_miner, check_miner_patch)
PROFILES = Kind("oc_profile", OcProfile, "oc", "OC profile", check_oc, check_oc)


def item_state(kind: Kind, item: Item) -> dict[str, Any]:
    return {"name": item.name, kind.field: getattr(item, kind.field)}


def public(kind: Kind, item: Item, rigs_affected: int | None = None) -> dict[str, Any]:
    return {
        "id": item.id,
        "farm_id": item.farm_id,
        "created_at": item.created_at,
        "updated_at": item.updated_at,
        "rigs_affected": rigs_affected,
        **item_state(kind, item),
    }


def list_items(db: Session, kind: Kind, farm_id: str) -> list[Item]:
    if kind.model is FlightSheet:
        return list(repo.library_list(db, FlightSheet, farm_id))
    return list(repo.library_list(db, OcProfile, farm_id))


def get_item(db: Session, kind: Kind, farm_id: str, item_id: str) -> Item:
    item: Item | None
    if kind.model is FlightSheet:
        item = repo.library_get(db, FlightSheet, farm_id, item_id)
    else:
        item = repo.library_get(db, OcProfile, farm_id, item_id)
    if item is None:
        raise NotFound(f"{kind.label} not found")
    return item


def _check_name(db: Session, kind: Kind, farm_id: str, name: str, item_id: str | None) -> None:
    taken = (
        repo.library_name_taken(db, FlightSheet, farm_id, name, item_id)
        if kind.model is FlightSheet
        else repo.library_name_taken(db, OcProfile, farm_id, name, item_id)
    )
    if taken:
        raise Conflict(f"a {kind.label} named {name!r} already exists in this farm")


def _record(
    db: Session, access: FarmAccess, kind: Kind, item: Item, action: str, before: Any, after: Any
) -> None:
    record_history(
        db,
        farm_id=access.farm.id,
        layer_kind=kind.name,
        layer_id=item.id,
        layer_name=item.name,
        action=action,
        before=before,
        after=after,
        actor_user_id=access.user_id,
    )


def create(db: Session, access: FarmAccess, kind: Kind, name: str, doc: Any) -> Item:
    checked = kind.check(doc)
    repo.lock_farm(db, access.farm.id)
    _check_name(db, kind, access.farm.id, name, None)
    item = kind.model(farm_id=access.farm.id, name=name, **{kind.field: checked})
    db.add(item)
    db.flush()
    _record(db, access, kind, item, "create", None, item_state(kind, item))
    return item


def set_state(
    db: Session, access: FarmAccess, kind: Kind, item: Item, new: dict[str, Any], action: str
) -> int:
    """Give the item a whole new state ({name, doc}); refresh the rigs using it."""
    new = {"name": new["name"], kind.field: kind.check(new[kind.field])}
    old = item_state(kind, item)
    if new == old:
        return len(repo.rigs_using(db, access.farm.id, kind.name, item.id))
    if new["name"] != old["name"]:
        _check_name(db, kind, access.farm.id, new["name"], item.id)
    item.name = new["name"]
    setattr(item, kind.field, new[kind.field])
    _record(db, access, kind, item, action, old, new)
    rigs = repo.rigs_using(db, access.farm.id, kind.name, item.id)
    return len(refresh_rigs(db, access.farm.id, rigs))


def update(
    db: Session, access: FarmAccess, kind: Kind, item: Item, name: str | None, patch: Any
) -> int:
    if patch is not None:
        kind.check_patch(patch)  # name bad keys even when they are sent as null
    repo.lock_farm(db, access.farm.id)
    db.refresh(item)
    new = item_state(kind, item)
    if name is not None:
        new["name"] = name
    if patch is not None:
        new[kind.field] = merge_patch(new[kind.field], patch)
    return set_state(db, access, kind, item, new, "update")


def delete(db: Session, access: FarmAccess, kind: Kind, item: Item) -> int:
    """Delete; layers pointing here fall back to the next layer's pointer."""
    repo.lock_farm(db, access.farm.id)
    rigs = repo.rigs_using(db, access.farm.id, kind.name, item.id)
    _record(db, access, kind, item, "delete", item_state(kind, item), None)
    repo.clear_pointers(db, access.farm.id, kind.pointer, item.id)
    db.delete(item)
    return len(refresh_rigs(db, access.farm.id, rigs))
