"""Groups, rigs, tags, flight sheets and OC profiles inserted directly through the models,
so these tests do not depend on the groups and rigs endpoints."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from openrig.core.db import Database
from openrig.models import ConfigHistory, FlightSheet, Group, OcProfile, Rig, RigTag


def make_group(database: Database, farm_id: str, name: str, **fields: Any) -> str:
    with database.transaction() as db:
        group = Group(farm_id=farm_id, name=name, config=fields.pop("config", {}), **fields)
        db.add(group)
        db.flush()
        return group.id


def make_rig(
    database: Database,
    farm_id: str,
    name: str,
    *,
    group_id: str | None = None,
    tags: tuple[str, ...] = (),
    **fields: Any,
) -> str:
    with database.transaction() as db:
        rig = Rig(
            farm_id=farm_id,
            name=name,
            group_id=group_id,
            config=fields.pop("config", {}),
            **fields,
        )
        db.add(rig)
        db.flush()
        for tag in tags:
            db.add(RigTag(rig_id=rig.id, tag=tag))
        return rig.id


def make_sheet(database: Database, farm_id: str, name: str, miner: dict[str, Any]) -> str:
    with database.transaction() as db:
        sheet = FlightSheet(farm_id=farm_id, name=name, miner=miner)
        db.add(sheet)
        db.flush()
        return sheet.id


def make_profile(database: Database, farm_id: str, name: str, oc: dict[str, Any]) -> str:
    with database.transaction() as db:
        profile = OcProfile(farm_id=farm_id, name=name, oc=oc)
        db.add(profile)
        db.flush()
        return profile.id


def rig_state(database: Database, farm_id: str) -> dict[str, tuple[Any, ...]]:
    """Every rig's layer, pointers, group, version and tags: compare before and after."""
    with database.session(write=False) as db:
        rigs = db.scalars(select(Rig).where(Rig.farm_id == farm_id)).all()
        tags = db.execute(select(RigTag.rig_id, RigTag.tag)).all()
        return {
            r.id: (
                r.config,
                r.flight_sheet_id,
                r.oc_profile_id,
                r.group_id,
                r.config_version,
                r.maintenance,
                sorted(t for rid, t in tags if rid == r.id),
            )
            for r in rigs
        }


def history_count(database: Database) -> int:
    with database.session(write=False) as db:
        return len(db.scalars(select(ConfigHistory.id)).all())
