"""One change to many rigs, in one transaction: everything is validated before
anything is written, so a bad rig or a foreign id leaves the farm untouched."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from openrig.core.errors import Invalid
from openrig.farms.access import FarmAccess
from openrig.fleetconfig import layers
from openrig.fleetconfig import repository as repo
from openrig.fleetconfig.document import check_layer
from openrig.fleetconfig.merge import merge_patch
from openrig.fleetconfig.schemas import BulkAction, BulkRequest, BulkSelector
from openrig.fleetconfig.service import refresh_rigs
from openrig.models import Rig

MAX_DETAILS = 20  # one rig list can hold 10,000 bad ids; the first ones are enough


def select_rigs(db: Session, farm_id: str, selector: BulkSelector) -> list[Rig]:
    if selector.rig_ids is not None:
        rigs = repo.rigs_of_farm(db, farm_id, selector.rig_ids)
        found = {r.id for r in rigs}
        missing = [
            {"path": f"selector.rig_ids.{i}", "message": "no such rig in this farm"}
            for i, rig_id in enumerate(selector.rig_ids)
            if rig_id not in found
        ]
        if missing:
            raise Invalid(
                f"{len(missing)} rig id(s) not in this farm", details=missing[:MAX_DETAILS]
            )
        return rigs
    if selector.group_id is not None:
        if repo.get_group(db, selector.group_id, farm_id) is None:
            raise Invalid.at("selector.group_id", "no such group in this farm")
        return repo.rigs_in_group(db, farm_id, selector.group_id)
    if selector.tag is not None:
        return repo.rigs_with_tag(db, farm_id, selector.tag)
    return repo.rigs_of_farm(db, farm_id)


def check_action(db: Session, farm_id: str, action: BulkAction) -> None:
    """Checks that do not depend on the rig: run once, not once per rig."""
    if action.config_patch is not None:
        check_layer(action.config_patch)
        if "exec_allowed" in action.config_patch:
            raise Invalid.at("action.config_patch.exec_allowed", "only in the farm layer")
    if action.flight_sheet_id and not repo.sheets_by_id(db, farm_id, [action.flight_sheet_id]):
        raise Invalid.at("action.flight_sheet_id", "no such flight sheet in this farm")
    if action.oc_profile_id and not repo.profiles_by_id(db, farm_id, [action.oc_profile_id]):
        raise Invalid.at("action.oc_profile_id", "no such OC profile in this farm")
    if action.group_id and repo.get_group(db, action.group_id, farm_id) is None:
        raise Invalid.at("action.group_id", "no such group in this farm")


def new_states(rigs: list[Rig], action: BulkAction) -> dict[str, dict[str, Any]]:
    """Each rig's new layer state, every one validated; all errors at once."""
    states: dict[str, dict[str, Any]] = {}
    errors: list[dict[str, Any]] = []
    for rig in rigs:
        new = layers.state(rig)
        try:
            if action.config_patch is not None:
                new["config"] = check_layer(merge_patch(new["config"], action.config_patch))
        except Invalid as exc:
            errors += [{**d, "rig_id": rig.id} for d in exc.details]
            continue
        for key in layers.POINTERS:
            if key in action.model_fields_set:
                new[key] = getattr(action, key)
        states[rig.id] = new
    if errors:
        first = errors[0]
        raise Invalid(
            f"rig {first['rig_id']}: {first['path']}: {first['message']}",
            details=errors[:MAX_DETAILS],
        )
    return states


def apply_tags(db: Session, rig_ids: list[str], action: BulkAction) -> None:
    if action.remove_tags:
        repo.remove_tags(db, rig_ids, action.remove_tags)
    if action.add_tags:
        have = repo.tag_pairs(db, rig_ids)
        wanted = dict.fromkeys((r, t) for r in rig_ids for t in action.add_tags)
        repo.add_tags(db, [pair for pair in wanted if pair not in have])


def run(db: Session, access: FarmAccess, request: BulkRequest) -> dict[str, Any]:
    farm_id, action = access.farm.id, request.action
    repo.lock_farm(db, farm_id)
    rigs = select_rigs(db, farm_id, request.selector)
    check_action(db, farm_id, action)
    states = new_states(rigs, action)
    for rig in rigs:
        layers.write(db, access, rig, states[rig.id], "bulk")
        if "group_id" in action.model_fields_set:
            rig.group_id = action.group_id
    apply_tags(db, [r.id for r in rigs], action)
    versions = refresh_rigs(db, farm_id, [r.id for r in rigs])
    items = [{"id": r.id, "config_version": versions[r.id]} for r in rigs]
    return {"rigs": items, "count": len(items)}
