"""Config layer service (being written): effective config, rig refresh, layer edits."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session


def refresh_rigs(db: Session, farm_id: str, rig_ids: Iterable[str] | None = None) -> dict[str, str]:
    """Recompute ``config_version`` and ``maintenance`` of the given rigs (all rigs of the
    farm when ``rig_ids`` is None) from their effective config; return {rig_id: version}."""
    raise NotImplementedError("fleetconfig helper implements this")
