"""A rig's status, computed in one place so the telemetry code can refine it.

Two views of the same rule must agree: ``rig_status`` (Python, for answers) and
``status_sql`` (SQL, for filtering and sorting pages). Liveness comes from the
``rig_state`` row the rig protocol upserts on every report, judged by the server's
receive time (``offline_after``), never by the rig's clock.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, NamedTuple

from sqlalchemy import ColumnElement, case, false, or_, true

from openrig.models import Rig
from openrig.models.telemetry import RigState

RigStatus = Literal["online", "offline", "miner_down", "zero_hashrate", "maintenance"]
STATUSES: tuple[RigStatus, ...] = (
    "online",
    "offline",
    "miner_down",
    "zero_hashrate",
    "maintenance",
)

# Columns of rig_state that lists show next to the rig (outer join: never reported = nulls).
LIVENESS_COLUMNS = (
    RigState.last_seen_at,
    RigState.offline_after,
    RigState.miner_running,
    RigState.hashrate_hs,
    RigState.power_w,
    RigState.gpu_count,
    RigState.inventory_gpus,
    RigState.max_temp_c,
    RigState.miner_name,
    RigState.algo,
    RigState.config_version_applied,
    RigState.agent_version,
)


class Liveness(NamedTuple):
    """The latest state of a rig as lists need it (all None: never reported)."""

    last_seen_at: datetime | None = None
    offline_after: datetime | None = None
    miner_running: bool | None = None
    hashrate_hs: float | None = None
    power_w: float | None = None
    gpu_count: int | None = None
    inventory_gpus: int | None = None
    max_temp_c: float | None = None
    miner_name: str | None = None
    algo: str | None = None
    config_version_applied: str | None = None
    agent_version: str | None = None


def rig_status(rig: Rig, live: Liveness, now: datetime) -> RigStatus:
    """maintenance when the rig is in maintenance mode; offline when its last report is
    stale (or it never reported); else miner_down when the miner is not running,
    zero_hashrate when it runs at 0 H/s, online otherwise. "Rig offline" and "miner
    down" are kept apart on purpose: a hung miner is not a dead rig."""
    if rig.maintenance:
        return "maintenance"
    if live.offline_after is None or live.offline_after <= now:
        return "offline"
    if not live.miner_running:
        return "miner_down"
    if not live.hashrate_hs:
        return "zero_hashrate"
    return "online"


def status_sql(now: datetime) -> ColumnElement[str]:
    """``rig_status`` as a SQL expression over ``rigs`` outer-joined to ``rig_state``."""
    stale = or_(RigState.offline_after.is_(None), RigState.offline_after <= now)
    return case(
        (Rig.maintenance == true(), "maintenance"),
        (stale, "offline"),
        (RigState.miner_running == false(), "miner_down"),
        (RigState.hashrate_hs <= 0, "zero_hashrate"),
        else_="online",
    )
