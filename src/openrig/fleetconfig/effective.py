"""The effective config of a rig: built-in defaults and five layers, merged (pure code).

Order, later wins: built-in <- farm <- flight sheet <- OC profile <- group <- rig.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from openrig.fleetconfig.merge import Doc, content_version, has_path, leaves, merge_patch

BUILTIN: Doc = {
    "oc": {},
    "watchdog": {
        "enabled": True,
        # 0 disables the hashrate check: a sane number depends on the rig's GPUs.
        "min_hashrate_hs": 0.0,
        "restart_after_min": 5,
        "reboot_after_restarts": 3,
        "max_temp_c": 85,
        "max_temp_action": "stop_miner",
        "gpu_lost_action": "reboot",
    },
    "report_interval_s": 30,
    "maintenance": False,
    "exec_allowed": False,
    "power_price_per_kwh": 0.1,
    "currency": "USD",
}

RIG_PLACEHOLDER = "{rig}"
# Fan fields each mode uses; the others are left over from a lower layer and dropped.
_FAN_FIELDS = {"auto": {"mode"}, "fixed": {"mode", "pct"}, "target": {"mode", "target_temp_c"}}


@dataclass(frozen=True)
class Layer:
    source: str  # "builtin" | "farm" | "flight_sheet:<id>" | "oc_profile:<id>" | ...
    doc: Doc


@dataclass(frozen=True)
class RigInfo:
    id: str
    name: str
    farm_id: str
    group_id: str | None


def base_layers(
    farm_config: Doc,
    sheet: tuple[str, Doc] | None,
    profile: tuple[str, Doc] | None,
    group: tuple[str, Doc] | None,
) -> list[Layer]:
    """Every layer below the rig's own; ``sheet``/``profile``/``group`` are (id, doc)."""
    layers = [Layer("builtin", BUILTIN), Layer("farm", farm_config)]
    if sheet is not None:
        layers.append(Layer(f"flight_sheet:{sheet[0]}", {"miner": sheet[1]}))
    if profile is not None:
        layers.append(Layer(f"oc_profile:{profile[0]}", {"oc": profile[1]}))
    if group is not None:
        layers.append(Layer(f"group:{group[0]}", group[1]))
    return layers


def merge_layers(layers: list[Layer], start: Doc | None = None) -> Doc:
    doc: Doc = start if start is not None else {}
    for layer in layers:
        doc = merge_patch(doc, layer.doc)
    return doc


def finish(merged: Doc, rig: RigInfo) -> Doc:
    """The document a rig receives: rig block, ``{rig}`` substituted, fans tidied, version."""
    doc = copy.deepcopy(merged)
    doc.setdefault("miner", None)
    doc["rig"] = {"id": rig.id, "name": rig.name, "farm_id": rig.farm_id, "group_id": rig.group_id}
    if isinstance(doc["miner"], dict):
        _substitute(doc["miner"], rig.name)
    _tidy_fans(doc.get("oc"))
    doc["version"] = content_version(doc)
    return doc


def _substitute(miner: Doc, rig_name: str) -> None:
    # Shapes are checked rather than trusted: a stored layer may predate a schema rule.
    pools = miner.get("pools")
    for pool in pools if isinstance(pools, list) else []:
        for key in ("user", "pass"):
            if isinstance(pool, dict) and isinstance(pool.get(key), str):
                pool[key] = pool[key].replace(RIG_PLACEHOLDER, rig_name)
    args = miner.get("extra_args")
    if isinstance(args, list):
        miner["extra_args"] = [
            a.replace(RIG_PLACEHOLDER, rig_name) if isinstance(a, str) else a for a in args
        ]


def _tidy_fans(oc: Any) -> None:
    """Drop fan fields of another mode (a lower layer's ``pct`` under a ``target`` mode).

    Per-GPU fans without a mode are partial overrides of the card-wide fan: kept as is.
    """
    if not isinstance(oc, dict):
        return
    vendors = [oc.get("nvidia"), oc.get("amd")]
    per_gpu = oc.get("per_gpu")
    for gpu in per_gpu.values() if isinstance(per_gpu, dict) else []:
        if isinstance(gpu, dict):
            vendors += [gpu.get("nvidia"), gpu.get("amd")]
    for vendor in vendors:
        if not isinstance(vendor, dict):
            continue
        fan = vendor.get("fan")
        if isinstance(fan, dict) and fan.get("mode") in _FAN_FIELDS:
            keep = _FAN_FIELDS[fan["mode"]]
            vendor["fan"] = {k: v for k, v in fan.items() if k in keep}


def compute(layers: list[Layer], rig: RigInfo) -> Doc:
    return finish(merge_layers(layers), rig)


def sources(layers: list[Layer], doc: Doc) -> dict[str, str]:
    """For each leaf that came from a layer: the last layer holding that path.

    Stored layers hold no nulls, so a path present in the result came from the last
    layer that contains it (a later layer replacing an ancestor would have removed it).
    """
    found: dict[str, str] = {}
    body = {k: v for k, v in doc.items() if k not in ("rig", "version")}
    for path in leaves(body):
        for layer in reversed(layers):
            if has_path(layer.doc, path):
                found[path] = layer.source
                break
    return found
