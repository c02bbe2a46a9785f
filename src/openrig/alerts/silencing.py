"""Does a silence (or maintenance mode) mute an alert? Pure code, shared by the
dispatcher (drop the notice) and the alert list (show it, marked)."""

from __future__ import annotations

from collections.abc import Sequence

from openrig.models import AlertSilence


def matches(silence: AlertSilence, rig_id: str, group_id: str | None, rule: str) -> bool:
    """Every field the silence sets must match; unset fields match anything."""
    return (
        (silence.rig_id is None or silence.rig_id == rig_id)
        and (silence.group_id is None or silence.group_id == group_id)
        and (silence.rule is None or silence.rule == rule)
    )


def silenced_by(
    silences: Sequence[AlertSilence],
    farm_id: str,
    rig_id: str,
    group_id: str | None,
    rule: str,
    maintenance: bool,
) -> str | None:
    """What mutes it: ``"maintenance"``, ``"silence:<id>"``, or None."""
    if maintenance:
        return "maintenance"
    for silence in silences:
        if silence.farm_id == farm_id and matches(silence, rig_id, group_id, rule):
            return f"silence:{silence.id}"
    return None
