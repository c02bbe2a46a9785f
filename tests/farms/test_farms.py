"""Farms: creation makes the caller owner with a key, listing with roles, rename,
and deletion cascading to everything in the farm."""

from __future__ import annotations

from sqlalchemy import func, select

from openrig.core.db import Base, Database, utcnow
from openrig.farms.enroll import verify_enroll_key
from openrig.models import (
    Activity,
    Command,
    ConfigHistory,
    Farm,
    FarmMember,
    FlightSheet,
    Group,
    OcProfile,
    Rig,
    RigSample,
    RigState,
    RigTag,
    User,
)
from openrig.settings import Settings
from tests.farms.helpers import make_group, make_rig
from tests.support.actors import Actors

API = "/api/v1"


def test_create_makes_the_caller_owner_with_an_enroll_key(
    actors: Actors, database: Database, settings: Settings
) -> None:
    response = actors.viewer.post(f"{API}/farms", json={"name": "  My farm  "})
    assert response.status_code == 201, response.text
    farm = response.json()
    assert farm["name"] == "My farm"  # surrounding blanks are trimmed
    assert farm["role"] == "owner"
    assert farm["rig_count"] == 0
    key = actors.viewer.get(f"{API}/farms/{farm['id']}/enroll-key").json()["enroll_key"]
    assert key.startswith("ore_")
    with database.session(write=False) as db:
        found = verify_enroll_key(db, settings, key)
        assert found is not None and found.id == farm["id"]


def test_list_shows_only_own_farms_with_role(actors: Actors, database: Database) -> None:
    make_rig(database, actors.farm_id, "rig-1")
    make_rig(database, actors.farm_id, "rig-2")
    for name in ("owner", "admin", "operator", "viewer"):
        page = getattr(actors, name).get(f"{API}/farms").json()
        assert page["total"] == 1
        assert [(f["id"], f["role"], f["rig_count"]) for f in page["items"]] == [
            (actors.farm_id, name, 2)
        ]
    one = actors.viewer.get(f"{API}/farms/{actors.farm_id}").json()
    assert one["role"] == "viewer" and one["name"] == "Farm A"


def test_list_paginates(actors: Actors) -> None:
    for i in range(5):
        assert actors.outsider.post(f"{API}/farms", json={"name": f"f{i}"}).status_code == 201
    first = actors.outsider.get(f"{API}/farms", params={"limit": 2}).json()
    rest = actors.outsider.get(f"{API}/farms", params={"limit": 10, "offset": 2}).json()
    assert first["total"] == rest["total"] == 6
    assert (first["limit"], first["offset"]) == (2, 0)
    ids = [f["id"] for f in first["items"] + rest["items"]]
    assert len(ids) == len(set(ids)) == 6


def test_rename(actors: Actors) -> None:
    response = actors.admin.patch(f"{API}/farms/{actors.farm_id}", json={"name": "Renamed"})
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "Renamed"
    assert response.json()["role"] == "admin"
    assert actors.viewer.get(f"{API}/farms/{actors.farm_id}").json()["name"] == "Renamed"


def _count(database: Database, model: type, farm_id: str) -> int:
    with database.session(write=False) as db:
        column = model.farm_id  # type: ignore[attr-defined]
        return db.scalar(select(func.count()).select_from(model).where(column == farm_id)) or 0


def test_delete_cascades_to_everything(actors: Actors, database: Database) -> None:
    group = make_group(database, actors.farm_id, "G")
    make_rig(database, actors.farm_id, "rig-1", group_id=group, tags=("a", "b"))
    other_rig = make_rig(database, actors.other_farm_id, "theirs", tags=("a",))
    response = actors.owner.delete(f"{API}/farms/{actors.farm_id}")
    assert response.status_code == 204, response.text
    for model in (FarmMember, Group, Rig):
        assert _count(database, model, actors.farm_id) == 0
    with database.session(write=False) as db:
        assert db.get(Farm, actors.farm_id) is None
        tags = db.execute(select(RigTag.rig_id, RigTag.tag)).all()
        assert [tuple(t) for t in tags] == [(other_rig, "a")]  # the other farm is untouched
    assert actors.owner.get(f"{API}/farms/{actors.farm_id}").status_code == 404
    assert actors.outsider.get(f"{API}/farms/{actors.other_farm_id}").status_code == 200


def _fill_other_domains(database: Database, farm_id: str, rig_id: str, user_id: str) -> None:
    """Rows of other domains pointing at the farm, including the farm's own pointer
    back to its flight sheet (a cycle the delete must resolve)."""
    now = utcnow()
    with database.transaction() as db:
        sheet = FlightSheet(farm_id=farm_id, name="sheet", miner={})
        profile = OcProfile(farm_id=farm_id, name="oc", oc={})
        db.add_all([sheet, profile])
        db.flush()
        farm = db.get(Farm, farm_id)
        assert farm is not None
        farm.flight_sheet_id, farm.oc_profile_id = sheet.id, profile.id
        rig = db.get(Rig, rig_id)
        assert rig is not None
        rig.flight_sheet_id, rig.oc_profile_id = sheet.id, profile.id
        db.add_all(
            [
                RigState(rig_id=rig_id, farm_id=farm_id, last_seen_at=now, offline_after=now),
                RigSample(rig_id=rig_id, at=now),
                Command(farm_id=farm_id, rig_id=rig_id, type="reboot", expires_at=now),
                Activity(farm_id=farm_id, rig_id=rig_id, kind="boot", actor_user_id=user_id),
                ConfigHistory(
                    farm_id=farm_id, layer_kind="farm", layer_id=farm_id, action="update"
                ),
            ]
        )


def _leftovers(database: Database, farm_id: str, rig_ids: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    with database.session(write=False) as db:
        for table in Base.metadata.sorted_tables:
            for column, values in (("farm_id", {farm_id}), ("rig_id", rig_ids)):
                if column in table.c:
                    where = table.c[column].in_(values)
                    count = db.scalar(select(func.count()).select_from(table).where(where))
                    if count:
                        found[f"{table.name}.{column}"] = count
        if db.get(Farm, farm_id) is not None:
            found["farms"] = 1
    return found


def test_delete_leaves_no_row_of_the_farm_in_any_table(actors: Actors, database: Database) -> None:
    group = make_group(database, actors.farm_id, "G")
    rig = make_rig(database, actors.farm_id, "rig-1", group_id=group, tags=("a",))
    _fill_other_domains(database, actors.farm_id, rig, actors.owner.user_id)
    other_rig = make_rig(database, actors.other_farm_id, "theirs")
    _fill_other_domains(database, actors.other_farm_id, other_rig, actors.outsider.user_id)
    assert _leftovers(database, actors.farm_id, {rig})  # the check sees the rows
    other_before = _leftovers(database, actors.other_farm_id, {other_rig})
    assert actors.owner.delete(f"{API}/farms/{actors.farm_id}").status_code == 204
    assert _leftovers(database, actors.farm_id, {rig}) == {}
    assert _leftovers(database, actors.other_farm_id, {other_rig}) == other_before
    with database.session(write=False) as db:
        assert db.get(User, actors.owner.user_id) is not None  # users are not the farm's
