"""The alert rules: built-in defaults, layer validation and merging (pure code).

A rules document maps a rule name to its settings. Layers (farm ← group ← rig) are
RFC 7386 merge patches over the built-in defaults, as for the config document: a
layer holds only what it changes, and ``null`` removes a key from a layer.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from openrig.core.errors import Invalid
from openrig.fleetconfig.merge import Doc, has_path, leaves, merge_patch

SEVERITIES = ("critical", "warning", "info")
DAY_S = 86_400


@dataclass(frozen=True)
class RuleDef:
    name: str
    title: str  # a short phrase: "offline", "GPU too hot"
    defaults: Doc
    # Extra numeric parameters with their allowed range.
    params: dict[str, tuple[float, float]] = field(default_factory=dict)
    # Rig events fire at once and are cleared quietly after hold_s.
    event: bool = False


def _base(severity: str, for_s: int, clear_for_s: int = 120) -> Doc:
    return {"enabled": True, "severity": severity, "for_s": for_s, "clear_for_s": clear_for_s}


RULES: dict[str, RuleDef] = {
    r.name: r
    for r in (
        # The grace period lives in rig_state.offline_after (3 intervals, ≥ 90 s);
        # for_s adds to it for a user who wants more patience.
        RuleDef("rig_offline", "offline", _base("critical", 0)),
        RuleDef("miner_down", "miner not running", _base("critical", 180)),
        RuleDef("zero_hashrate", "at 0 H/s", _base("critical", 300)),
        RuleDef(
            "hashrate_low",
            "hashrate low",
            {**_base("warning", 600), "min_hs": 0, "drop_pct": 30},
            {"min_hs": (0, 1e18), "drop_pct": (0, 100)},
        ),
        RuleDef(
            "gpu_temp_high",
            "GPU too hot",
            {**_base("warning", 120), "core_c": 85, "mem_c": 105},
            {"core_c": (0, 200), "mem_c": (0, 200)},
        ),
        RuleDef("gpu_lost", "lost a GPU", _base("critical", 60)),
        RuleDef(
            "fan_failure",
            "fan failure",
            {**_base("critical", 120), "temp_c": 60},
            {"temp_c": (0, 200)},
        ),
        RuleDef(
            "shares_rejected_high",
            "rejecting shares",
            {**_base("warning", 0, 300), "ratio_pct": 5},
            {"ratio_pct": (0, 100)},
        ),
        RuleDef(
            "watchdog_action",
            "watchdog acted",
            {"enabled": True, "severity": "warning", "hold_s": 900},
            {"hold_s": (0, DAY_S)},
            event=True,
        ),
        RuleDef(
            "rig_rebooted",
            "rebooted",
            {"enabled": True, "severity": "info", "hold_s": 900},
            {"hold_s": (0, DAY_S)},
            event=True,
        ),
    )
}

BUILTIN: Doc = {name: rule.defaults for name, rule in RULES.items()}
_COMMON = {"enabled", "severity", "for_s", "clear_for_s"}


def _check_value(path: str, key: str, value: Any, rule: RuleDef) -> None:
    if key == "enabled":
        if not isinstance(value, bool):
            raise Invalid.at(path, "must be true or false")
    elif key == "severity":
        if value not in SEVERITIES:
            raise Invalid.at(path, f"must be one of {', '.join(SEVERITIES)}")
    elif key in ("for_s", "clear_for_s"):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= DAY_S:
            raise Invalid.at(path, f"must be a whole number of seconds, 0 to {DAY_S}")
    else:
        low, high = rule.params[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Invalid.at(path, "must be a number")
        if not low <= value <= high:
            raise Invalid.at(path, f"must be between {low:g} and {high:g}")


def _allowed_keys(rule: RuleDef) -> set[str]:
    common = {"enabled", "severity"} if rule.event else _COMMON
    return common | set(rule.params)


def check_patch(patch: Any) -> Doc:
    """Validate a merge patch over a rules layer (nulls allowed: they remove)."""
    if not isinstance(patch, dict):
        raise Invalid.at("body", "must be an object of rules")
    for name, body in patch.items():
        rule = RULES.get(name)
        if rule is None:
            raise Invalid.at(name, f"unknown rule; known: {', '.join(RULES)}")
        if body is None:
            continue
        if not isinstance(body, dict):
            raise Invalid.at(name, "must be an object")
        allowed = _allowed_keys(rule)
        for key, value in body.items():
            path = f"{name}.{key}"
            if key not in allowed:
                raise Invalid.at(path, f"unknown setting; known: {', '.join(sorted(allowed))}")
            if value is not None:
                _check_value(path, key, value, rule)
    return patch


def apply_patch(layer: Doc, patch: Doc) -> Doc:
    """The layer after ``patch``; rules left empty are dropped to keep layers small."""
    merged = merge_patch(layer, check_patch(patch))
    return {name: body for name, body in merged.items() if body}


def effective(layers: list[Doc]) -> Doc:
    doc: Doc = copy.deepcopy(BUILTIN)
    for layer in layers:
        doc = merge_patch(doc, layer)
    return doc


def sources(named_layers: list[tuple[str, Doc]]) -> dict[str, str]:
    """For each setting, the layer it came from ("builtin", "farm", "group", "rig")."""
    found: dict[str, str] = {}
    every = [("builtin", BUILTIN), *named_layers]
    for path in leaves(effective([doc for _, doc in named_layers])):
        for source, doc in reversed(every):
            if has_path(doc, path):
                found[path] = source
                break
    return found


def loosest(layers: list[Doc], rule: str, key: str, *, high: bool) -> float:
    """The extreme value of a setting over the built-in and every stored layer.

    Condition queries filter with it, so no rig is missed whatever layer wins;
    the exact per-rig threshold is applied afterwards.
    """
    values = [float(BUILTIN[rule][key])]
    for layer in layers:
        value = (layer.get(rule) or {}).get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            values.append(float(value))
    return max(values) if high else min(values)


class RuleBook:
    """Effective rules for many rigs from every stored layer, merged once per
    distinct (farm, group, rig layer) so 100,000 rigs cost a handful of merges."""

    def __init__(self, layers: dict[str, Doc]) -> None:
        self._layers = layers
        self._cache: dict[tuple[str, str | None, str | None], Doc] = {}

    @property
    def docs(self) -> list[Doc]:
        return list(self._layers.values())

    def for_rig(self, farm_id: str, group_id: str | None, rig_id: str) -> Doc:
        rig_scope = f"rig:{rig_id}"
        key = (farm_id, group_id, rig_scope if rig_scope in self._layers else None)
        doc = self._cache.get(key)
        if doc is None:
            chain = [f"farm:{farm_id}", f"group:{group_id}" if group_id else "", key[2] or ""]
            doc = effective([self._layers[s] for s in chain if s in self._layers])
            self._cache[key] = doc
        return doc

    def rule(self, farm_id: str, group_id: str | None, rig_id: str, name: str) -> Doc | None:
        """The rule's settings for this rig, or None when it is disabled."""
        body: Doc = self.for_rig(farm_id, group_id, rig_id).get(name) or {}
        return body if body.get("enabled") else None

    def loosest(self, rule: str, key: str, *, high: bool) -> float:
        return loosest(self.docs, rule, key, high=high)
