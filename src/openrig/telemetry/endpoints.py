"""Telemetry endpoints: farm summary, metric series, activity log."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query

from openrig.accounts.principal import CurrentUser
from openrig.core.db import utcnow
from openrig.core.deps import SessionDep
from openrig.core.errors import Invalid
from openrig.farms.access import Role, farm_access
from openrig.rigs.service import rig_access
from openrig.telemetry.activity import activity_page
from openrig.telemetry.metrics import farm_series, rig_series
from openrig.telemetry.summary import farm_summary

router = APIRouter(tags=["telemetry"])

Step = Annotated[int | None, Query(ge=10, le=7 * 86400, description="bucket size in seconds")]
Limit = Annotated[int, Query(ge=1, le=500)]


def _window(start: datetime | None, end: datetime | None) -> tuple[datetime, datetime]:
    end = end or utcnow()
    start = start or end - timedelta(hours=1)
    if start.tzinfo is None or end.tzinfo is None:
        raise Invalid.at("from", "times need a time zone (e.g. 2026-12-04T10:00:00Z)")
    return start, end


@router.get("/farms/{farm_id}/summary")
def summary(farm_id: str, user: CurrentUser, db: SessionDep) -> dict[str, Any]:
    """Rigs and GPUs online/offline, hashrate per algorithm, power, efficiency and the
    daily power cost at the farm's price."""
    access = farm_access(db, user, farm_id, Role.VIEWER)
    return farm_summary(db, access.farm, utcnow())


@router.get("/rigs/{rig_id}/metrics")
def rig_metrics(
    rig_id: str,
    user: CurrentUser,
    db: SessionDep,
    start: Annotated[datetime | None, Query(alias="from")] = None,
    end: Annotated[datetime | None, Query(alias="to")] = None,
    step: Step = None,
) -> dict[str, Any]:
    rig, _ = rig_access(db, user, rig_id, Role.VIEWER)
    start, end = _window(start, end)
    return rig_series(db, rig, start, end, step)


@router.get("/farms/{farm_id}/metrics")
def farm_metrics(
    farm_id: str,
    user: CurrentUser,
    db: SessionDep,
    start: Annotated[datetime | None, Query(alias="from")] = None,
    end: Annotated[datetime | None, Query(alias="to")] = None,
    step: Step = None,
) -> dict[str, Any]:
    farm_access(db, user, farm_id, Role.VIEWER)
    start, end = _window(start, end)
    return farm_series(db, farm_id, start, end, step)


@router.get("/farms/{farm_id}/activity")
def farm_activity(
    farm_id: str,
    user: CurrentUser,
    db: SessionDep,
    limit: Limit = 50,
    before: Annotated[int | None, Query(ge=1)] = None,
    kind: Annotated[str | None, Query(max_length=40)] = None,
) -> dict[str, Any]:
    farm_access(db, user, farm_id, Role.VIEWER)
    return activity_page(db, farm_id=farm_id, rig_id=None, before_id=before, limit=limit, kind=kind)


@router.get("/rigs/{rig_id}/activity")
def rig_activity(
    rig_id: str,
    user: CurrentUser,
    db: SessionDep,
    limit: Limit = 50,
    before: Annotated[int | None, Query(ge=1)] = None,
    kind: Annotated[str | None, Query(max_length=40)] = None,
) -> dict[str, Any]:
    rig, _ = rig_access(db, user, rig_id, Role.VIEWER)
    return activity_page(
        db, farm_id=rig.farm_id, rig_id=rig.id, before_id=before, limit=limit, kind=kind
    )
