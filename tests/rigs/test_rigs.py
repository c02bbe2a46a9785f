"""Rigs: create, read, update (partial, tags replace), delete, unique names, tags list."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from openrig.core.db import Database
from openrig.models import Group, RigTag
from tests.farms.helpers import assert_error, make_group, make_rig, snapshot
from tests.support.actors import Actors

API = "/api/v1"


def _create(actors: Actors, **body: Any) -> Any:
    return actors.operator.post(f"{API}/farms/{actors.farm_id}/rigs", json=body)


def test_create_and_get(actors: Actors, database: Database) -> None:
    group = make_group(database, actors.farm_id, "Main")
    response = _create(
        actors, name="rig-01", group_id=group, tags=["gpu", " 3080 ", "gpu"], notes="a\nb"
    )
    assert response.status_code == 201, response.text
    rig = response.json()
    assert rig["name"] == "rig-01" and rig["farm_id"] == actors.farm_id
    assert (rig["group_id"], rig["group_name"]) == (group, "Main")
    assert rig["tags"] == ["3080", "gpu"]  # trimmed, de-duplicated, sorted
    assert rig["notes"] == "a\nb"
    assert rig["status"] == "offline" and rig["last_seen_at"] is None
    assert rig["maintenance"] is False and rig["token_issued_at"] is None
    assert rig["config_version"]  # computed by the config refresh
    detail = actors.viewer.get(f"{API}/rigs/{rig['id']}").json()
    assert {k: detail[k] for k in rig} == rig
    assert (detail["report"], detail["inventory"]) == (None, None)  # never reported


def test_create_defaults(actors: Actors) -> None:
    rig = _create(actors, name="bare").json()
    assert (rig["group_id"], rig["tags"], rig["notes"]) == (None, [], "")


def test_names_are_unique_per_farm(actors: Actors, database: Database) -> None:
    make_rig(database, actors.farm_id, "rig-01")
    other = make_rig(database, actors.farm_id, "rig-02")
    make_rig(database, actors.other_farm_id, "rig-03")
    before = snapshot(database)
    assert_error(_create(actors, name="rig-01"), 409, "rig_name_taken")
    rename = actors.operator.patch(f"{API}/rigs/{other}", json={"name": "rig-01"})
    assert_error(rename, 409, "rig_name_taken")
    assert snapshot(database) == before
    assert _create(actors, name="rig-03").status_code == 201


def test_patch_changes_only_what_is_sent(actors: Actors, database: Database) -> None:
    group = make_group(database, actors.farm_id, "Main")
    rig = _create(actors, name="r", group_id=group, tags=["a", "b"], notes="n").json()
    url = f"{API}/rigs/{rig['id']}"
    renamed = actors.operator.patch(url, json={"name": "r2"}).json()
    assert (renamed["name"], renamed["group_id"], renamed["tags"], renamed["notes"]) == (
        "r2",
        group,
        ["a", "b"],
        "n",
    )
    retagged = actors.operator.patch(url, json={"tags": ["b", "c"]}).json()
    assert retagged["tags"] == ["b", "c"] and retagged["group_id"] == group
    ungrouped = actors.operator.patch(url, json={"group_id": None}).json()
    assert ungrouped["group_id"] is None and ungrouped["group_name"] is None
    cleared = actors.operator.patch(url, json={"tags": [], "notes": ""}).json()
    assert cleared["tags"] == [] and cleared["notes"] == ""
    with database.session(write=False) as db:
        assert db.scalars(select(RigTag).where(RigTag.rig_id == rig["id"])).all() == []


def test_patch_refuses_null_for_required_fields(actors: Actors, database: Database) -> None:
    rig = make_rig(database, actors.farm_id, "r")
    before = snapshot(database)
    for field in ("name", "tags", "notes"):
        response = actors.operator.patch(f"{API}/rigs/{rig}", json={field: None})
        assert_error(response, 422, "validation_error")
    assert snapshot(database) == before


def test_group_change_refreshes_config(actors: Actors, database: Database) -> None:
    group = make_group(database, actors.farm_id, "Maint")
    with database.transaction() as db:
        row = db.get(Group, group)
        assert row is not None
        row.config = {"maintenance": True}
    rig = _create(actors, name="r").json()
    moved = actors.operator.patch(f"{API}/rigs/{rig['id']}", json={"group_id": group}).json()
    assert moved["maintenance"] is True and moved["status"] == "maintenance"
    assert moved["config_version"] != rig["config_version"]


def test_delete(actors: Actors, database: Database) -> None:
    rig = make_rig(database, actors.farm_id, "r", tags=("a",))
    assert actors.operator.delete(f"{API}/rigs/{rig}").status_code == 204
    assert actors.viewer.get(f"{API}/rigs/{rig}").status_code == 404
    assert snapshot(database)["rig_tags"] == []


def test_tags_with_counts(actors: Actors, database: Database) -> None:
    make_rig(database, actors.farm_id, "r1", tags=("gpu", "hall-1"))
    make_rig(database, actors.farm_id, "r2", tags=("gpu",))
    make_rig(database, actors.other_farm_id, "theirs", tags=("gpu", "secret"))
    page = actors.viewer.get(f"{API}/farms/{actors.farm_id}/tags").json()
    assert page["total"] == 2
    assert page["items"] == [{"tag": "gpu", "rig_count": 2}, {"tag": "hall-1", "rig_count": 1}]
    second = actors.viewer.get(f"{API}/farms/{actors.farm_id}/tags", params={"offset": 1}).json()
    assert [t["tag"] for t in second["items"]] == ["hall-1"]


def test_tag_limits(actors: Actors, database: Database) -> None:
    before = snapshot(database)
    too_many = [f"t{i}" for i in range(33)]
    assert_error(_create(actors, name="r", tags=too_many), 422)
    assert_error(_create(actors, name="r", tags=["x" * 65]), 422)
    assert_error(_create(actors, name="r", tags=["bad\ttag"]), 422)
    assert_error(_create(actors, name="r", tags=[""]), 422)
    assert snapshot(database) == before
    ok = _create(actors, name="r", tags=[f"t{i}" for i in range(32)] + ["x" * 64])
    assert ok.status_code == 422  # 33 distinct tags
    ok = _create(actors, name="r", tags=[f"t{i}" for i in range(31)] + ["x" * 64])
    assert ok.status_code == 201, ok.text
    assert len(ok.json()["tags"]) == 32
