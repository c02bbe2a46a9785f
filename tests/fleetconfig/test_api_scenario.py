"""The whole layering through HTTP: flight sheet, OC profile, farm, group and rig layers."""

from __future__ import annotations

from typing import Any

from openrig.core.db import Database
from tests.fleetconfig.factories import make_group, make_rig
from tests.support.actors import Actors

API = "/api/v1"
MINER = {
    "name": "trex",
    "version": "0.26.8",
    "algo": "kawpow",
    "pools": [{"url": "stratum+tcp://pool.example:3333", "user": "WALLET.{rig}", "pass": "x"}],
    "extra_args": ["--intensity", "22", "--worker={rig}"],
}
OC = {
    "nvidia": {"power_limit_w": 120, "core_offset_mhz": 100, "fan": {"mode": "auto"}},
    "per_gpu": {"3": {"nvidia": {"power_limit_w": 100}}},
}


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def rig_config(actors: Actors, rig_id: str) -> Any:
    return ok(actors.viewer.get(f"{API}/rigs/{rig_id}/config"))


def test_layers_merge_in_order_with_sources(actors: Actors, database: Database) -> None:
    farm = actors.farm_id
    group = make_group(database, farm, "kawpow")
    rig = make_rig(database, farm, "rig-07", group_id=group)
    op = actors.operator
    sheet = ok(
        op.post(f"{API}/farms/{farm}/flight-sheets", json={"name": "rvn", "miner": MINER}), 201
    )
    profile = ok(op.post(f"{API}/farms/{farm}/oc-profiles", json={"name": "eff", "oc": OC}), 201)
    ok(
        op.patch(
            f"{API}/farms/{farm}/config",
            json={
                "config": {"currency": "EUR", "watchdog": {"max_temp_c": 80}},
                "flight_sheet_id": sheet["id"],
            },
        )
    )
    updated = ok(
        op.patch(
            f"{API}/groups/{group}/config",
            json={"config": {"report_interval_s": 60}, "oc_profile_id": profile["id"]},
        )
    )
    assert updated["rigs_affected"] == 1 and updated["oc_profile_id"] == profile["id"]
    ok(
        op.patch(
            f"{API}/rigs/{rig}/config",
            json={"config": {"oc": {"nvidia": {"power_limit_w": 110}}, "maintenance": True}},
        )
    )
    view = rig_config(actors, rig)
    doc, sources = view["effective"], view["sources"]
    assert view["config"] == {"oc": {"nvidia": {"power_limit_w": 110}}, "maintenance": True}
    assert doc["rig"] == {"id": rig, "name": "rig-07", "farm_id": farm, "group_id": group}
    assert doc["miner"]["pools"][0]["user"] == "WALLET.rig-07"
    assert doc["miner"]["extra_args"] == ["--intensity", "22", "--worker=rig-07"]
    assert doc["oc"]["nvidia"] == {
        "power_limit_w": 110,
        "core_offset_mhz": 100,
        "fan": {"mode": "auto"},
    }
    assert doc["currency"] == "EUR" and doc["report_interval_s"] == 60 and doc["maintenance"]
    assert doc["watchdog"]["max_temp_c"] == 80 and doc["watchdog"]["enabled"] is True
    assert doc["exec_allowed"] is False and doc["power_price_per_kwh"] == 0.1
    assert sources["miner.name"] == f"flight_sheet:{sheet['id']}"
    assert sources["miner.pools"] == f"flight_sheet:{sheet['id']}"
    assert sources["oc.nvidia.core_offset_mhz"] == f"oc_profile:{profile['id']}"
    assert sources["oc.nvidia.power_limit_w"] == "rig"
    assert sources["report_interval_s"] == f"group:{group}"
    assert sources["currency"] == "farm" and sources["watchdog.max_temp_c"] == "farm"
    assert sources["watchdog.enabled"] == "builtin"
    assert "rig.name" not in sources and "version" not in sources


def test_version_changes_exactly_when_effective_changes(actors: Actors, database: Database) -> None:
    farm = actors.farm_id
    rig = make_rig(database, farm, "r1")
    op = actors.operator
    ok(op.patch(f"{API}/farms/{farm}/config", json={"config": {"currency": "EUR"}}))
    first = rig_config(actors, rig)["effective"]["version"]
    # Same value again, an empty patch, and removing a key that is not there: no change.
    for body in ({"config": {"currency": "EUR"}}, {}, {"config": {"watchdog": None}}):
        ok(op.patch(f"{API}/farms/{farm}/config", json=body))
        assert rig_config(actors, rig)["effective"]["version"] == first
    # A rig override equal to the inherited value: the layer changes, the document not.
    ok(op.patch(f"{API}/rigs/{rig}/config", json={"config": {"currency": "EUR"}}))
    assert rig_config(actors, rig)["effective"]["version"] == first
    ok(op.patch(f"{API}/farms/{farm}/config", json={"config": {"currency": "USD"}}))
    assert rig_config(actors, rig)["effective"]["version"] == first  # rig still says EUR
    ok(op.patch(f"{API}/rigs/{rig}/config", json={"config": {"currency": None}}))
    second = rig_config(actors, rig)["effective"]
    assert second["currency"] == "USD" and second["version"] != first
    ok(op.patch(f"{API}/farms/{farm}/config", json={"config": {"currency": "EUR"}}))
    assert rig_config(actors, rig)["effective"]["version"] == first


def test_stored_version_follows_effective(actors: Actors, database: Database) -> None:
    from sqlalchemy import select

    from openrig.models import Rig

    farm = actors.farm_id
    rig = make_rig(database, farm, "r1")
    op = actors.operator
    ok(
        op.patch(
            f"{API}/farms/{farm}/config",
            json={"config": {"maintenance": True, "report_interval_s": 45}},
        )
    )
    view = rig_config(actors, rig)
    with database.session(write=False) as db:
        row = db.scalars(select(Rig).where(Rig.id == rig)).one()
        assert row.config_version == view["effective"]["version"]
        assert row.maintenance is True and row.report_interval_s == 45
