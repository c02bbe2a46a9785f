"""Groups: create, list with rig counts, rename, unique names, delete un-groups rigs."""

from __future__ import annotations

from typing import Any

import pytest

from openrig.core.db import Database
from openrig.models import Group, Rig
from tests.farms.helpers import (
    SQLISH,
    assert_error,
    bad_bodies,
    make_group,
    make_rig,
    snapshot,
    table_counts,
)
from tests.support.actors import Actors

API = "/api/v1"


def test_create_list_get(actors: Actors, database: Database) -> None:
    url = f"{API}/farms/{actors.farm_id}/groups"
    created = actors.operator.post(url, json={"name": "Main"})
    assert created.status_code == 201, created.text
    group = created.json()
    assert group["name"] == "Main" and group["rig_count"] == 0
    assert group["farm_id"] == actors.farm_id
    make_rig(database, actors.farm_id, "r1", group_id=group["id"])
    make_rig(database, actors.farm_id, "r2", group_id=group["id"])
    make_rig(database, actors.farm_id, "r3")
    actors.operator.post(url, json={"name": "Empty"})
    page = actors.viewer.get(url).json()
    assert page["total"] == 2
    assert [(g["name"], g["rig_count"]) for g in page["items"]] == [("Empty", 0), ("Main", 2)]
    one = actors.viewer.get(f"{API}/groups/{group['id']}").json()
    assert one["rig_count"] == 2


def test_list_paginates(actors: Actors, database: Database) -> None:
    for i in range(5):
        make_group(database, actors.farm_id, f"g{i}")
    url = f"{API}/farms/{actors.farm_id}/groups"
    page = actors.viewer.get(url, params={"limit": 2, "offset": 3}).json()
    assert page["total"] == 5
    assert [g["name"] for g in page["items"]] == ["g3", "g4"]


def test_names_are_unique_per_farm(actors: Actors, database: Database) -> None:
    make_group(database, actors.farm_id, "Main")
    other = make_group(database, actors.farm_id, "Other")
    make_group(database, actors.other_farm_id, "Same")
    before = snapshot(database)
    url = f"{API}/farms/{actors.farm_id}/groups"
    assert_error(actors.operator.post(url, json={"name": "Main"}), 409, "group_name_taken")
    assert_error(actors.operator.post(url, json={"name": " Main "}), 409, "group_name_taken")
    rename = actors.operator.patch(f"{API}/groups/{other}", json={"name": "Main"})
    assert_error(rename, 409, "group_name_taken")
    assert snapshot(database) == before
    # Same name in another farm is fine; renaming to its own name is a no-op.
    assert actors.operator.post(url, json={"name": "Same"}).status_code == 201
    assert actors.operator.patch(f"{API}/groups/{other}", json={"name": "Other"}).status_code == 200


def test_rename(actors: Actors, database: Database) -> None:
    group = make_group(database, actors.farm_id, "Main")
    response = actors.operator.patch(f"{API}/groups/{group}", json={"name": "Renamed"})
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "Renamed"


def test_delete_ungroups_and_refreshes_rigs(actors: Actors, database: Database) -> None:
    group = make_group(database, actors.farm_id, "Main")
    keep = make_group(database, actors.farm_id, "Keep")
    with database.transaction() as db:
        # A group layer that puts its rigs in maintenance: visible once refreshed.
        row = db.get(Group, group)
        assert row is not None
        row.config = {"maintenance": True}
    url = f"{API}/farms/{actors.farm_id}/rigs"
    rigs = [
        actors.operator.post(url, json={"name": f"r{i}", "group_id": group}).json()
        for i in range(2)
    ]
    kept = actors.operator.post(url, json={"name": "k", "group_id": keep}).json()
    assert [r["status"] for r in rigs] == ["maintenance", "maintenance"]
    response = actors.operator.delete(f"{API}/groups/{group}")
    assert response.status_code == 204, response.text
    assert actors.viewer.get(f"{API}/groups/{group}").status_code == 404
    for rig in rigs:
        now = actors.viewer.get(f"{API}/rigs/{rig['id']}").json()
        assert now["group_id"] is None and now["group_name"] is None
        assert now["maintenance"] is False and now["status"] == "offline"
        assert now["config_version"] != rig["config_version"]
    assert actors.viewer.get(f"{API}/rigs/{kept['id']}").json()["group_id"] == keep
    with database.session(write=False) as db:
        assert db.get(Rig, rigs[0]["id"]) is not None


GROUP_WRITES: list[tuple[str, str]] = [
    ("POST", "/farms/{farm}/groups"),
    ("PATCH", "/groups/{group}"),
]


@pytest.mark.parametrize(("method", "path"), GROUP_WRITES)
def test_bad_bodies_are_refused(actors: Actors, database: Database, method: str, path: str) -> None:
    group = make_group(database, actors.farm_id, "Main")
    url = API + path.format(farm=actors.farm_id, group=group)
    before = snapshot(database)
    for label, body in bad_bodies({"name": "Good"}, sql_ok=("name",)):
        response = actors.owner.client.request(method, url, json=body)
        assert 400 <= response.status_code < 500, (label, response.text)
        assert_error(response, response.status_code)
        assert snapshot(database) == before, label


def test_sql_looking_name_is_plain_text(actors: Actors, database: Database) -> None:
    counts = table_counts(database)
    url = f"{API}/farms/{actors.farm_id}/groups"
    response = actors.operator.post(url, json={"name": SQLISH})
    assert response.status_code == 201
    assert actors.viewer.get(url).json()["items"][0]["name"] == SQLISH
    assert table_counts(database)["groups"] == counts["groups"] + 1


@pytest.mark.parametrize("params", [{"limit": -1}, {"limit": 10**30}, {"offset": "x"}])
def test_bad_paging(actors: Actors, params: dict[str, Any]) -> None:
    response = actors.viewer.get(f"{API}/farms/{actors.farm_id}/groups", params=params)
    assert_error(response, 422, "validation_error")
