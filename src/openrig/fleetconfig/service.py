"""Effective config of rigs and keeping their denormalised version up to date."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from openrig.fleetconfig import repository as repo
from openrig.fleetconfig.effective import (
    BUILTIN,
    Layer,
    RigInfo,
    base_layers,
    finish,
    merge_layers,
)
from openrig.fleetconfig.effective import sources as layer_sources
from openrig.fleetconfig.merge import Doc, merge_patch
from openrig.models import Farm, FlightSheet, Group, OcProfile, Rig


@dataclass
class FarmLayers:
    """The rows a batch of rigs draws its config from, each loaded once."""

    farm: Farm
    groups: dict[str, Group]
    sheets: dict[str, FlightSheet]
    profiles: dict[str, OcProfile]

    def sheet_id(self, rig: Rig) -> str | None:
        group = self.groups.get(rig.group_id or "")
        return rig.flight_sheet_id or (group and group.flight_sheet_id) or self.farm.flight_sheet_id

    def profile_id(self, rig: Rig) -> str | None:
        group = self.groups.get(rig.group_id or "")
        return rig.oc_profile_id or (group and group.oc_profile_id) or self.farm.oc_profile_id

    def below_rig(self, rig: Rig) -> list[Layer]:
        sheet = self.sheets.get(self.sheet_id(rig) or "")
        profile = self.profiles.get(self.profile_id(rig) or "")
        group = self.groups.get(rig.group_id or "")
        return base_layers(
            self.farm.config or {},
            (sheet.id, sheet.miner) if sheet else None,
            (profile.id, profile.oc) if profile else None,
            (group.id, group.config or {}) if group else None,
        )


def load_layers(db: Session, farm: Farm, rigs: list[Rig]) -> FarmLayers:
    groups = repo.groups_by_id(db, farm.id, {r.group_id for r in rigs if r.group_id})
    layers = FarmLayers(farm, groups, {}, {})
    sheet_ids = {s for s in map(layers.sheet_id, rigs) if s}
    profile_ids = {p for p in map(layers.profile_id, rigs) if p}
    layers.sheets = repo.sheets_by_id(db, farm.id, sheet_ids)
    layers.profiles = repo.profiles_by_id(db, farm.id, profile_ids)
    return layers


def _info(rig: Rig) -> RigInfo:
    return RigInfo(id=rig.id, name=rig.name, farm_id=rig.farm_id, group_id=rig.group_id)


def _denormalise(rig: Rig, doc: Doc) -> None:
    """Copy what the rig-protocol hot path reads; assign only changes (no idle UPDATEs)."""
    values = {
        "config_version": doc["version"],
        "maintenance": bool(doc.get("maintenance")),
        "report_interval_s": int(doc.get("report_interval_s") or BUILTIN["report_interval_s"]),
    }
    for column, value in values.items():
        if getattr(rig, column) != value:
            setattr(rig, column, value)


def refresh_rigs(db: Session, farm_id: str, rig_ids: Iterable[str] | None = None) -> dict[str, str]:
    """Recompute the denormalised ``config_version``, ``maintenance`` and
    ``report_interval_s`` of the given rigs (all rigs of the farm when ``rig_ids`` is
    None) from their effective config; return {rig_id: version}.

    Call it in the transaction that changed a layer, a rig's group or created a rig;
    it flushes, locks the farm row (see ``repository.lock_farm``) and never commits.
    Rig ids of other farms are ignored.
    """
    db.flush()
    farm = repo.lock_farm(db, farm_id)
    if farm is None:
        return {}
    rigs = repo.rigs_of_farm(db, farm_id, rig_ids)
    layers = load_layers(db, farm, rigs)
    # Rigs share their lower layers; merge each combination once.
    bases: dict[tuple[str | None, str | None, str | None], Doc] = {}
    versions: dict[str, str] = {}
    for rig in rigs:
        key = (layers.sheet_id(rig), layers.profile_id(rig), rig.group_id)
        if key not in bases:
            bases[key] = merge_layers(layers.below_rig(rig))
        doc = finish(merge_patch(bases[key], rig.config or {}), _info(rig))
        _denormalise(rig, doc)
        versions[rig.id] = doc["version"]
    db.flush()
    return versions


def effective_config(db: Session, rig: Rig) -> tuple[Doc, dict[str, str]]:
    """The rig's effective document and, per leaf path, the layer it came from."""
    farm = db.get(Farm, rig.farm_id)
    if farm is None:  # the rig row holds a non-null FK to its farm
        raise LookupError(f"farm {rig.farm_id} of rig {rig.id} not found")
    layers = [*load_layers(db, farm, [rig]).below_rig(rig), Layer("rig", rig.config or {})]
    doc = finish(merge_layers(layers), _info(rig))
    return doc, layer_sources(layers, doc)
