"""Bulk changes: selectors, and all-or-nothing when any rig or id is wrong."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openrig.core.db import Database
from tests.fleetconfig.factories import history_count, make_group, make_rig, rig_state
from tests.fleetconfig.test_api_scenario import API, MINER, ok, rig_config
from tests.support.actors import Actors


def bulk(actors: Actors, body: dict[str, Any], who: str = "operator") -> Any:
    return getattr(actors, who).post(f"{API}/farms/{actors.farm_id}/bulk", json=body)


def fleet(actors: Actors, database: Database) -> dict[str, str]:
    farm = actors.farm_id
    group = make_group(database, farm, "g")
    rigs = {
        "a": make_rig(database, farm, "a", group_id=group, tags=("hot",)),
        "b": make_rig(database, farm, "b", group_id=group),
        "c": make_rig(database, farm, "c", tags=("hot", "old")),
    }
    ok(bulk(actors, {"selector": {"all": True}, "action": {"add_tags": []}}))  # versions set
    return {**rigs, "group": group}


def selected(actors: Actors, selector: dict[str, Any]) -> set[str]:
    body = {"selector": selector, "action": {"config_patch": {"currency": "EUR"}}}
    return {r["id"] for r in ok(bulk(actors, body))["rigs"]}


def test_selectors(actors: Actors, database: Database) -> None:
    f = fleet(actors, database)
    assert selected(actors, {"rig_ids": [f["a"], f["c"]]}) == {f["a"], f["c"]}
    assert selected(actors, {"group_id": f["group"]}) == {f["a"], f["b"]}
    assert selected(actors, {"tag": "hot"}) == {f["a"], f["c"]}
    assert selected(actors, {"tag": "none"}) == set()
    assert selected(actors, {"all": True}) == {f["a"], f["b"], f["c"]}
    for bad in ({}, {"all": True, "tag": "hot"}, {"all": False}, {"rig_ids": []}):
        assert bulk(actors, {"selector": bad, "action": {"add_tags": ["x"]}}).status_code == 422


def test_bulk_applies_every_action(actors: Actors, database: Database) -> None:
    f = fleet(actors, database)
    sheet = ok(
        actors.operator.post(
            f"{API}/farms/{actors.farm_id}/flight-sheets", json={"name": "s", "miner": MINER}
        ),
        201,
    )
    other_group = make_group(database, actors.farm_id, "g2")
    before = history_count(database)
    body = {
        "selector": {"tag": "hot"},
        "action": {
            "config_patch": {"watchdog": {"max_temp_c": 80}},
            "flight_sheet_id": sheet["id"],
            "group_id": other_group,
            "add_tags": ["new", "hot"],
            "remove_tags": ["old"],
        },
    }
    result = ok(bulk(actors, body))
    assert result["count"] == 2
    state = rig_state(database, actors.farm_id)
    for rig in (f["a"], f["c"]):
        config, sheet_id, _, group_id, version, _, tags = state[rig]
        assert config == {"watchdog": {"max_temp_c": 80}} and sheet_id == sheet["id"]
        assert group_id == other_group and tags == ["hot", "new"]
        assert {"id": rig, "config_version": version} in result["rigs"]
        assert rig_config(actors, rig)["effective"]["version"] == version
    assert state[f["b"]][3] == f["group"]
    assert history_count(database) == before + 2
    cleared = ok(bulk(actors, {"selector": {"all": True}, "action": {"flight_sheet_id": None}}))
    assert cleared["count"] == 3 and rig_state(database, actors.farm_id)[f["a"]][1] is None


def assert_nothing_changed(actors: Actors, database: Database, body: dict[str, Any]) -> None:
    state, count = rig_state(database, actors.farm_id), history_count(database)
    response = bulk(actors, body)
    assert response.status_code in (404, 422), response.text
    assert response.json()["error"]["details"], response.text
    assert rig_state(database, actors.farm_id) == state
    assert history_count(database) == count


def test_one_invalid_rig_layer_changes_nothing(actors: Actors, database: Database) -> None:
    f = fleet(actors, database)
    # Rig b's own layer says a fan "target" mode; a patch adding pct makes it invalid.
    ok(
        actors.operator.patch(
            f"{API}/rigs/{f['b']}/config",
            json={"config": {"oc": {"nvidia": {"fan": {"mode": "target"}}}}},
        )
    )
    body = {
        "selector": {"all": True},
        "action": {
            "config_patch": {"currency": "EUR", "oc": {"nvidia": {"fan": {"pct": 50}}}},
            "add_tags": ["x"],
        },
    }
    state = rig_state(database, actors.farm_id)
    response = bulk(actors, body)
    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert details == [
        {"path": "oc.nvidia.fan.pct", "message": "only with mode 'fixed'", "rig_id": f["b"]}
    ]
    assert rig_state(database, actors.farm_id) == state


def test_foreign_or_unknown_ids_change_nothing(actors: Actors, database: Database) -> None:
    f = fleet(actors, database)
    foreign_rig = make_rig(database, actors.other_farm_id, "theirs")
    foreign_group = make_group(database, actors.other_farm_id, "theirs")
    patch = {"config_patch": {"currency": "EUR"}, "add_tags": ["x"]}
    assert_nothing_changed(
        actors, database, {"selector": {"rig_ids": [f["a"], foreign_rig]}, "action": patch}
    )
    assert_nothing_changed(
        actors, database, {"selector": {"rig_ids": [f["a"], "no-such-rig"]}, "action": patch}
    )
    assert_nothing_changed(
        actors, database, {"selector": {"group_id": foreign_group}, "action": patch}
    )
    for action in (
        {"group_id": foreign_group},
        {"flight_sheet_id": "no-such-sheet"},
        {"oc_profile_id": "no-such-profile"},
        {"config_patch": {"exec_allowed": True}},
        {"config_patch": {"report_interval_s": 1}},
    ):
        assert_nothing_changed(actors, database, {"selector": {"all": True}, "action": action})


def test_bulk_needs_operator(actors: Actors, database: Database) -> None:
    fleet(actors, database)
    body = {"selector": {"all": True}, "action": {"add_tags": ["x"]}}
    expected = {
        "owner": 200,
        "admin": 200,
        "operator": 200,
        "viewer": 403,
        "outsider": 404,
        "anonymous": 401,
    }
    for who, status in expected.items():
        assert bulk(actors, body, who).status_code == status, who


PATCH_VALUES = st.fixed_dictionaries(
    {},
    optional={
        "currency": st.sampled_from(["EUR", "USD", "eur", None]),
        "report_interval_s": st.sampled_from([10, 30, 600, 5, None]),
        "maintenance": st.sampled_from([True, False, None, "yes"]),
    },
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(patch=PATCH_VALUES, pick=st.lists(st.sampled_from("abc"), min_size=1, max_size=3))
def test_bulk_is_all_or_nothing_property(
    actors: Actors, database: Database, patch: dict[str, Any], pick: list[str]
) -> None:
    """Valid patches reach every picked rig and only them; invalid ones change nothing."""
    # Function-scoped fixtures live across examples: the fleet is made by the first one.
    farm = actors.farm_id
    existing = rig_state(database, farm)
    if not existing:
        fleet(actors, database)
        existing = rig_state(database, farm)
    ids = sorted(existing)
    chosen = sorted({ids["abc".index(p)] for p in pick})
    invalid = (
        patch.get("currency") == "eur"
        or patch.get("report_interval_s") == 5
        or (patch.get("maintenance") == "yes")
    )
    count = history_count(database)
    response = bulk(actors, {"selector": {"rig_ids": chosen}, "action": {"config_patch": patch}})
    after = rig_state(database, farm)
    if invalid:
        assert response.status_code == 422 and after == existing
        assert history_count(database) == count
        return
    assert response.status_code == 200, response.text
    for rig, state in after.items():
        if rig not in chosen:
            assert state == existing[rig]
            continue
        for key, value in patch.items():
            assert state[0].get(key) == value
