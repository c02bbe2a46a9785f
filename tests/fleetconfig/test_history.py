"""Every layer change is recorded; restore puts a layer back."""

from __future__ import annotations

from openrig.core.db import Database
from tests.fleetconfig.factories import history_count, make_group, make_rig
from tests.fleetconfig.test_api_scenario import API, MINER, ok, rig_config
from tests.support.actors import Actors


def history(actors: Actors, **params: str) -> list[dict[str, object]]:
    page = ok(actors.viewer.get(f"{API}/farms/{actors.farm_id}/history", params=params))
    return page["items"]  # type: ignore[no-any-return]


def test_changes_are_recorded_newest_first(actors: Actors, database: Database) -> None:
    farm = actors.farm_id
    group = make_group(database, farm, "g")
    rig = make_rig(database, farm, "r1", group_id=group)
    op = actors.operator
    ok(op.patch(f"{API}/farms/{farm}/config", json={"config": {"currency": "EUR"}}))
    ok(op.patch(f"{API}/groups/{group}/config", json={"config": {"report_interval_s": 60}}))
    ok(op.patch(f"{API}/rigs/{rig}/config", json={"config": {"maintenance": True}}))
    sheet = ok(
        op.post(f"{API}/farms/{farm}/flight-sheets", json={"name": "s", "miner": MINER}), 201
    )
    ok(op.patch(f"{API}/rigs/{rig}/config", json={"config": {"maintenance": True}}))  # no-op
    entries = history(actors)
    assert [(e["layer_kind"], e["action"]) for e in entries] == [
        ("flight_sheet", "create"),
        ("rig", "update"),
        ("group", "update"),
        ("farm", "update"),
    ]
    rig_entry = entries[1]
    assert rig_entry["layer_id"] == rig and rig_entry["layer_name"] == "r1"
    assert rig_entry["actor_email"] == "operator@example.com"
    assert rig_entry["before"] == {"config": {}, "flight_sheet_id": None, "oc_profile_id": None}
    assert rig_entry["after"] == {
        "config": {"maintenance": True},
        "flight_sheet_id": None,
        "oc_profile_id": None,
    }
    assert entries[0]["before"] is None and entries[0]["layer_id"] == sheet["id"]
    assert [e["layer_kind"] for e in history(actors, layer_kind="group")] == ["group"]
    assert [e["layer_id"] for e in history(actors, layer_id=rig)] == [rig]
    page = ok(actors.viewer.get(f"{API}/farms/{farm}/history", params={"limit": 2, "offset": 1}))
    assert page["total"] == 4 and [e["layer_kind"] for e in page["items"]] == ["rig", "group"]


def test_restore_returns_layer_to_entry_state(actors: Actors, database: Database) -> None:
    farm = actors.farm_id
    rig = make_rig(database, farm, "r1")
    op = actors.operator
    url = f"{API}/rigs/{rig}/config"
    ok(op.patch(url, json={"config": {"currency": "EUR"}}))
    first_version = rig_config(actors, rig)["effective"]["version"]
    ok(op.patch(url, json={"config": {"currency": "GBP", "maintenance": True}}))
    entry = history(actors, layer_id=rig)[-1]  # the oldest: currency EUR
    restored = ok(op.post(f"{API}/farms/{farm}/history/{entry['id']}/restore"))
    assert restored["rigs_affected"] == 1
    view = rig_config(actors, rig)
    assert view["config"] == {"currency": "EUR"}
    assert view["effective"]["version"] == first_version
    newest = history(actors, layer_id=rig)[0]
    assert newest["action"] == "restore" and newest["after"] == entry["after"]
    assert (
        actors.viewer.post(f"{API}/farms/{farm}/history/{entry['id']}/restore").status_code == 403
    )
    missing = op.post(f"{API}/farms/{farm}/history/nope/restore")
    assert missing.status_code == 404


def test_restore_of_a_deleted_layer_is_409(actors: Actors, database: Database) -> None:
    farm = actors.farm_id
    op = actors.operator
    url = f"{API}/farms/{farm}/flight-sheets"
    sheet = ok(op.post(url, json={"name": "s", "miner": MINER}), 201)
    ok(op.patch(f"{url}/{sheet['id']}", json={"miner": {"algo": "etchash"}}))
    created = history(actors, layer_kind="flight_sheet")[-1]
    assert op.delete(f"{url}/{sheet['id']}").status_code == 204
    deleted = history(actors, layer_kind="flight_sheet")[0]
    assert deleted["action"] == "delete" and deleted["after"] is None
    count = history_count(database)
    for entry in (created, deleted):
        response = op.post(f"{API}/farms/{farm}/history/{entry['id']}/restore")
        assert response.status_code == 409, response.text
    assert history_count(database) == count


def test_restore_of_a_sheet_and_of_a_pointer_to_a_deleted_sheet(
    actors: Actors, database: Database
) -> None:
    farm = actors.farm_id
    op = actors.operator
    url = f"{API}/farms/{farm}/flight-sheets"
    sheet = ok(op.post(url, json={"name": "s", "miner": MINER}), 201)
    ok(op.patch(f"{url}/{sheet['id']}", json={"name": "renamed", "miner": {"algo": "x"}}))
    created = history(actors, layer_kind="flight_sheet")[-1]
    ok(op.post(f"{API}/farms/{farm}/history/{created['id']}/restore"))
    assert ok(op.get(f"{url}/{sheet['id']}"))["miner"] == MINER
    ok(op.patch(f"{API}/farms/{farm}/config", json={"flight_sheet_id": sheet["id"]}))
    pointing = history(actors, layer_kind="farm")[0]
    assert op.delete(f"{url}/{sheet['id']}").status_code == 204
    response = op.post(f"{API}/farms/{farm}/history/{pointing['id']}/restore")
    assert response.status_code == 409


def test_history_is_per_farm(actors: Actors) -> None:
    ok(
        actors.operator.patch(
            f"{API}/farms/{actors.farm_id}/config", json={"config": {"currency": "EUR"}}
        )
    )
    entry = history(actors)[0]
    other = f"{API}/farms/{actors.other_farm_id}"
    assert ok(actors.outsider.get(f"{other}/history"))["items"] == []
    assert actors.outsider.post(f"{other}/history/{entry['id']}/restore").status_code == 404
    assert actors.outsider.get(f"{API}/farms/{actors.farm_id}/history").status_code == 404


def test_restore_after_the_group_was_deleted_is_409(actors: Actors, database: Database) -> None:
    from openrig.models import Group

    group = make_group(database, actors.farm_id, "g")
    ok(actors.operator.patch(f"{API}/groups/{group}/config", json={"config": {"currency": "EUR"}}))
    entry = history(actors, layer_id=group)[0]
    with database.transaction() as db:
        row = db.get(Group, group)
        assert row is not None
        db.delete(row)
    response = actors.operator.post(f"{API}/farms/{actors.farm_id}/history/{entry['id']}/restore")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
