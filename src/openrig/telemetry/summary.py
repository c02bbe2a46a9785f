"""Farm totals from the latest state of every rig: one aggregate query per farm."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from openrig.fleetconfig.effective import BUILTIN
from openrig.models import Farm, Rig, RigState

HOURS_PER_DAY = 24


def farm_summary(db: Session, farm: Farm, now: datetime) -> dict[str, Any]:
    online = and_(RigState.offline_after.is_not(None), RigState.offline_after > now)
    rigs_total = db.scalar(select(func.count()).select_from(Rig).where(Rig.farm_id == farm.id)) or 0
    rows = db.execute(
        select(
            RigState.algo,
            func.count(),
            func.sum(RigState.hashrate_hs),
            func.sum(RigState.power_w),
            func.sum(RigState.gpu_count),
        )
        .join(Rig, Rig.id == RigState.rig_id)
        .where(Rig.farm_id == farm.id, online)
        .group_by(RigState.algo)
    ).all()
    rigs_online = sum(int(r[1]) for r in rows)
    gpus_online = sum(int(r[4] or 0) for r in rows)
    gpus_known = _gpus_known(db, farm.id)
    power_w = sum(float(r[3] or 0.0) for r in rows)
    config = {**BUILTIN, **(farm.config or {})}
    price = float(config["power_price_per_kwh"])
    currency = str(config["currency"])
    return {
        "rigs": {"total": rigs_total, "online": rigs_online, "offline": rigs_total - rigs_online},
        "gpus": {"online": gpus_online, "offline": max(gpus_known - gpus_online, 0)},
        "hashrate": [
            {
                "algo": algo or "unknown",
                "rigs": int(n),
                "hashrate_hs": float(hr or 0.0),
                "power_w": float(pw or 0.0),
                "efficiency_hs_per_w": float(hr or 0.0) / float(pw) if pw else None,
            }
            for algo, n, hr, pw, _gpus in sorted(rows, key=lambda r: -(r[2] or 0.0))
        ],
        "power_w": power_w,
        "power_cost_per_day": round(power_w / 1000 * HOURS_PER_DAY * price, 4),
        "power_price_per_kwh": price,
        "currency": currency,
        "at": now.isoformat(),
    }


def _gpus_known(db: Session, farm_id: str) -> int:
    """GPUs the fleet should have: per rig the larger of inventory (hello) and report."""
    larger = case(
        (RigState.gpu_count > RigState.inventory_gpus, RigState.gpu_count),
        else_=RigState.inventory_gpus,
    )
    return int(db.scalar(select(func.sum(larger)).where(RigState.farm_id == farm_id)) or 0)
