"""A rig's status, computed in one place so the telemetry code can refine it.

Two views of the same rule must agree: ``rig_status`` (Python, for answers) and
``status_sql`` (SQL, for filtering and sorting pages). Liveness comes from the
``rig_state`` row the rig protocol upserts on every report, judged by the server's
receive time (``offline_after``), never by the rig's clock.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, NamedTuple

from sqlalchemy import ColumnElement, and_, case, true

from openrig.models import Rig
from openrig.models.telemetry import RigState

RigStatus = Literal["online", "offline", "maintenance"]
STATUSES: tuple[RigStatus, ...] = ("online", "offline", "maintenance")

# Columns of rig_state the status needs; lists select them next to the rig (outer join).
LIVENESS_COLUMNS = (RigState.last_seen_at, RigState.offline_after)


class Liveness(NamedTuple):
    last_seen_at: datetime | None = None
    offline_after: datetime | None = None


def rig_status(rig: Rig, live: Liveness, now: datetime) -> RigStatus:
    """maintenance when the rig is in maintenance mode; online while its last report
    is fresh; otherwise (never reported, or silent too long) offline."""
    if rig.maintenance:
        return "maintenance"
    if live.offline_after is not None and live.offline_after > now:
        return "online"
    return "offline"


def status_sql(now: datetime) -> ColumnElement[str]:
    """``rig_status`` as a SQL expression over ``rigs`` outer-joined to ``rig_state``."""
    fresh = and_(RigState.offline_after.is_not(None), RigState.offline_after > now)
    return case(
        (Rig.maintenance == true(), "maintenance"),
        (fresh, "online"),
        else_="offline",
    )
