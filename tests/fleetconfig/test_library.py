"""Flight sheets and OC profiles: CRUD, unique names, deletion clearing references."""

from __future__ import annotations

from sqlalchemy import select

from openrig.core.db import Database
from openrig.models import Farm, Group, Rig
from tests.fleetconfig.factories import make_group, make_rig
from tests.fleetconfig.test_api_scenario import API, MINER, OC, ok, rig_config
from tests.support.actors import Actors


def test_flight_sheet_crud_and_unique_name(actors: Actors) -> None:
    url = f"{API}/farms/{actors.farm_id}/flight-sheets"
    op = actors.operator
    sheet = ok(op.post(url, json={"name": "rvn", "miner": MINER}), 201)
    assert sheet["miner"] == MINER and sheet["farm_id"] == actors.farm_id
    conflict = op.post(url, json={"name": "rvn", "miner": MINER})
    assert conflict.status_code == 409 and conflict.json()["error"]["code"] == "conflict"
    other = ok(op.post(url, json={"name": "erg", "miner": {"name": "lolminer"}}), 201)
    assert op.patch(f"{url}/{other['id']}", json={"name": "rvn"}).status_code == 409
    changed = ok(op.patch(f"{url}/{sheet['id']}", json={"miner": {"algo": None, "version": "1"}}))
    assert "algo" not in changed["miner"] and changed["miner"]["version"] == "1"
    assert changed["miner"]["pools"] == MINER["pools"]
    listed = ok(actors.viewer.get(url))["items"]
    assert [s["name"] for s in listed] == ["erg", "rvn"]
    assert ok(actors.viewer.get(f"{url}/{sheet['id']}"))["miner"]["version"] == "1"
    assert op.delete(f"{url}/{sheet['id']}").status_code == 204
    assert actors.viewer.get(f"{url}/{sheet['id']}").status_code == 404
    # The other farm's sheet id is unknown here.
    foreign = ok(
        actors.outsider.post(
            f"{API}/farms/{actors.other_farm_id}/flight-sheets", json={"name": "x", "miner": MINER}
        ),
        201,
    )
    assert actors.owner.get(f"{url}/{foreign['id']}").status_code == 404
    # Same name in another farm is fine.
    assert foreign["name"] == "x"


def test_oc_profile_crud(actors: Actors) -> None:
    url = f"{API}/farms/{actors.farm_id}/oc-profiles"
    op = actors.operator
    profile = ok(op.post(url, json={"name": "eff", "oc": OC}), 201)
    assert profile["oc"] == OC
    patched = ok(op.patch(f"{url}/{profile['id']}", json={"oc": {"per_gpu": {"3": None}}}))
    assert patched["oc"] == {"nvidia": OC["nvidia"], "per_gpu": {}}
    assert op.post(url, json={"name": "eff", "oc": {}}).status_code == 409
    assert op.delete(f"{url}/{profile['id']}").status_code == 204
    assert ok(actors.viewer.get(url))["items"] == []


def test_deleting_a_referenced_sheet_clears_references_and_refreshes(
    actors: Actors, database: Database
) -> None:
    farm = actors.farm_id
    op = actors.operator
    url = f"{API}/farms/{farm}/flight-sheets"
    sheet = ok(op.post(url, json={"name": "rvn", "miner": MINER}), 201)
    fallback = ok(op.post(url, json={"name": "erg", "miner": {"name": "lolminer"}}), 201)
    group = make_group(database, farm, "g", flight_sheet_id=sheet["id"])
    in_group = make_rig(database, farm, "r1", group_id=group)
    own = make_rig(database, farm, "r2", flight_sheet_id=sheet["id"])
    ok(op.patch(f"{API}/farms/{farm}/config", json={"flight_sheet_id": fallback["id"]}))
    ok(op.patch(f"{API}/rigs/{own}/config", json={}))  # refresh after direct inserts
    ok(op.patch(f"{API}/rigs/{in_group}/config", json={}))
    before = {r: rig_config(actors, r)["effective"] for r in (in_group, own)}
    assert before[own]["miner"]["name"] == "trex"
    assert op.delete(f"{url}/{sheet['id']}").status_code == 204
    with database.session(write=False) as db:
        assert db.get(Group, group).flight_sheet_id is None  # type: ignore[union-attr]
        rigs = {r.id: r for r in db.scalars(select(Rig).where(Rig.farm_id == farm))}
        assert db.get(Farm, farm).flight_sheet_id == fallback["id"]  # type: ignore[union-attr]
    for rig_id in (in_group, own):
        view = rig_config(actors, rig_id)
        assert view["flight_sheet_id"] is None
        assert view["effective"]["miner"]["name"] == "lolminer"
        assert rigs[rig_id].config_version == view["effective"]["version"]
        assert view["effective"]["version"] != before[rig_id]["version"]


def test_editing_a_sheet_refreshes_rigs_using_it(actors: Actors, database: Database) -> None:
    farm = actors.farm_id
    op = actors.operator
    sheet = ok(
        op.post(f"{API}/farms/{farm}/flight-sheets", json={"name": "a", "miner": MINER}), 201
    )
    using = make_rig(database, farm, "r1", flight_sheet_id=sheet["id"])
    other = make_rig(database, farm, "r2")
    ok(op.patch(f"{API}/farms/{farm}/config", json={"config": {"currency": "EUR"}}))
    versions = {r: rig_config(actors, r)["effective"]["version"] for r in (using, other)}
    changed = ok(
        op.patch(
            f"{API}/farms/{farm}/flight-sheets/{sheet['id']}", json={"miner": {"algo": "etchash"}}
        )
    )
    assert changed["rigs_affected"] == 1
    assert rig_config(actors, using)["effective"]["version"] != versions[using]
    assert rig_config(actors, other)["effective"]["version"] == versions[other]
