"""refresh_rigs and effective_config against real databases (other domains call them)."""

from __future__ import annotations

from sqlalchemy import select

from openrig.core.db import Database
from openrig.fleetconfig.service import effective_config, refresh_rigs
from openrig.models import Farm, Group, Rig
from tests.fleetconfig.factories import make_group, make_profile, make_rig, make_sheet
from tests.support.actors import create_farm, create_user

MINER = {"name": "trex", "algo": "kawpow", "pools": [{"url": "stratum+tcp://p.example:3333"}]}


def _versions(database: Database, farm_id: str) -> dict[str, tuple[str, bool]]:
    with database.session(write=False) as db:
        rigs = db.scalars(select(Rig).where(Rig.farm_id == farm_id))
        return {r.id: (r.config_version, r.maintenance) for r in rigs}


def test_refresh_sets_versions_and_maintenance(database: Database) -> None:
    owner = create_user(database, "o@example.com")
    farm = create_farm(database, "F", owner.id)
    group = make_group(database, farm.id, "g", config={"maintenance": True})
    in_group = make_rig(database, farm.id, "r1", group_id=group)
    alone = make_rig(database, farm.id, "r2")
    with database.transaction() as db:
        versions = refresh_rigs(db, farm.id)
    state = _versions(database, farm.id)
    assert set(versions) == {in_group, alone}
    assert state[in_group] == (versions[in_group], True)
    assert state[alone] == (versions[alone], False)
    assert versions[in_group] != versions[alone]


def test_refresh_only_given_rigs_and_ignores_foreign(database: Database) -> None:
    owner = create_user(database, "o@example.com")
    farm = create_farm(database, "F", owner.id)
    other = create_farm(database, "G", owner.id)
    one = make_rig(database, farm.id, "r1")
    two = make_rig(database, farm.id, "r2")
    foreign = make_rig(database, other.id, "x")
    with database.transaction() as db:
        versions = refresh_rigs(db, farm.id, [one, foreign])
    assert set(versions) == {one}
    state = _versions(database, farm.id)
    assert state[one][0] and state[two][0] == ""


def test_effective_resolves_pointers_rig_then_group_then_farm(database: Database) -> None:
    owner = create_user(database, "o@example.com")
    farm = create_farm(database, "F", owner.id)
    farm_sheet = make_sheet(database, farm.id, "farm", MINER)
    group_sheet = make_sheet(database, farm.id, "group", {**MINER, "name": "gminer"})
    profile = make_profile(database, farm.id, "oc", {"nvidia": {"power_limit_w": 120}})
    with database.transaction() as db:
        row = db.get(Farm, farm.id)
        assert row is not None
        row.flight_sheet_id, row.oc_profile_id = farm_sheet, profile
    group = make_group(database, farm.id, "g", flight_sheet_id=group_sheet)
    plain = make_rig(database, farm.id, "plain")
    grouped = make_rig(database, farm.id, "grouped", group_id=group)
    own = make_rig(database, farm.id, "own", group_id=group, flight_sheet_id=farm_sheet)
    with database.transaction() as db:
        names = {}
        for rig_id in (plain, grouped, own):
            rig = db.get(Rig, rig_id)
            assert rig is not None
            doc, sources = effective_config(db, rig)
            names[rig_id] = (doc["miner"]["name"], sources["miner.name"])
            assert sources["oc.nvidia.power_limit_w"] == f"oc_profile:{profile}"
            assert db.get(Group, group) is not None
    assert names[plain] == ("trex", f"flight_sheet:{farm_sheet}")
    assert names[grouped] == ("gminer", f"flight_sheet:{group_sheet}")
    assert names[own] == ("trex", f"flight_sheet:{farm_sheet}")
