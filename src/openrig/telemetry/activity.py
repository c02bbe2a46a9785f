"""The activity log of a rig or a farm, newest first, paged by id."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from openrig.models import Activity, Rig


def activity_page(
    db: Session,
    *,
    farm_id: str,
    rig_id: str | None,
    before_id: int | None,
    limit: int,
    kind: str | None = None,
) -> dict[str, Any]:
    query = (
        select(Activity, Rig.name)
        .outerjoin(Rig, Rig.id == Activity.rig_id)
        .where(Activity.farm_id == farm_id)
    )
    if rig_id is not None:
        query = query.where(Activity.rig_id == rig_id)
    if before_id is not None:
        query = query.where(Activity.id < before_id)
    if kind is not None:
        query = query.where(Activity.kind == kind)
    rows = db.execute(query.order_by(Activity.id.desc()).limit(limit + 1)).all()
    items = [
        {
            "id": a.id,
            "at": a.at.isoformat(),
            "kind": a.kind,
            "rig_id": a.rig_id,
            "rig_name": name,
            "actor_user_id": a.actor_user_id,
            "message": a.message,
            "data": a.data,
        }
        for a, name in rows[:limit]
    ]
    next_before = items[-1]["id"] if len(rows) > limit else None
    return {"items": items, "next_before": next_before}
