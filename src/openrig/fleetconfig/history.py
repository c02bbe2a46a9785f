"""The change history of config layers: one row per change, written in the same
transaction as the change itself."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from openrig.core.db import utcnow
from openrig.fleetconfig import repository as repo
from openrig.models import ConfigHistory

LAYER_KINDS = ("farm", "group", "rig", "flight_sheet", "oc_profile")
ACTIONS = ("create", "update", "delete", "restore", "bulk")


def record_history(
    db: Session,
    *,
    farm_id: str,
    layer_kind: str,
    layer_id: str,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    actor_user_id: str | None,
    layer_name: str = "",
) -> ConfigHistory:
    """Record one change of one layer. ``before`` is None for a creation and ``after``
    None for a deletion; both are the layer's whole state as the history shows it:
    farm/group/rig ``{"config", "flight_sheet_id", "oc_profile_id"}``, flight sheet
    ``{"name", "miner"}``, OC profile ``{"name", "oc"}``. Never commits."""
    if layer_kind not in LAYER_KINDS or action not in ACTIONS:
        raise ValueError(f"unknown history entry {layer_kind}/{action}")
    entry = ConfigHistory(
        farm_id=farm_id,
        layer_kind=layer_kind,
        layer_id=layer_id,
        layer_name=layer_name[:100],
        action=action,
        actor_user_id=actor_user_id,
        at=utcnow(),
        before=before,
        after=after,
    )
    db.add(entry)
    return entry


def entry_public(entry: ConfigHistory, actor_email: str | None) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": entry.at,
        "layer_kind": entry.layer_kind,
        "layer_id": entry.layer_id,
        "layer_name": entry.layer_name,
        "action": entry.action,
        "actor_user_id": entry.actor_user_id,
        "actor_email": actor_email,
        "before": entry.before,
        "after": entry.after,
    }


def list_history(
    db: Session,
    farm_id: str,
    *,
    layer_kind: str | None,
    layer_id: str | None,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    rows, total = repo.history_page(db, farm_id, layer_kind, layer_id, limit, offset)
    items = [entry_public(entry, email) for entry, email in rows]
    return {"items": items, "total": total, "limit": limit, "offset": offset}
