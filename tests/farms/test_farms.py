"""Farms: creation makes the caller owner with a key, listing with roles, rename,
and deletion cascading to everything in the farm."""

from __future__ import annotations

from sqlalchemy import func, select

from openrig.core.db import Database
from openrig.farms.enroll import verify_enroll_key
from openrig.models import Farm, FarmMember, Group, Rig, RigTag
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
