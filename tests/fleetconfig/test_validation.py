"""Validation: errors name document paths; bad input is a 4xx and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from openrig.core.db import Database
from openrig.models import Farm, FlightSheet, Group, Rig
from tests.fleetconfig.factories import history_count, make_group, make_rig, make_sheet
from tests.fleetconfig.test_api_scenario import API, MINER, ok
from tests.support.actors import Actors

POOL = {"url": "stratum+tcp://pool.example:3333"}
HUGE = "x" * 100_000
BAD_LAYERS: list[tuple[dict[str, Any], str]] = [
    ({"miner": {"name": "cgminer"}}, "miner.name"),
    ({"miner": {"pools": [{"url": "ftp://pool.example"}]}}, "miner.pools.0.url"),
    ({"miner": {"pools": [POOL, {"url": "stratum+tcp://"}]}}, "miner.pools.1.url"),
    ({"miner": {"pools": [POOL, {"url": "stratum+tcp://h:99999"}]}}, "miner.pools.1.url"),
    ({"miner": {"pools": [{"user": "w"}]}}, "miner.pools.0.url"),
    ({"miner": {"pools": [POOL] * 9}}, "miner.pools"),
    ({"miner": {"pools": [{**POOL, "user": HUGE}]}}, "miner.pools.0.user"),
    ({"miner": {"pools": [{**POOL, "pass": "a\x00b"}]}}, "miner.pools.0.pass"),
    ({"miner": {"pools": [{**POOL, "user": None}]}}, "miner.pools.0.user"),
    ({"miner": {"pools": [{**POOL, "extra": 1}]}}, "miner.pools.0.extra"),
    ({"miner": {"extra_args": ["ok", "line\nbreak"]}}, "miner.extra_args.1"),
    ({"miner": {"extra_args": ["a"] * 65}}, "miner.extra_args"),
    ({"miner": {"extra_args": ["a" * 257]}}, "miner.extra_args.0"),
    ({"miner": {"download_url": "file:///etc/passwd"}}, "miner.download_url"),
    ({"miner": {"download_sha256": "abc"}}, "miner.download_sha256"),
    ({"miner": {"binary": "../bin/sh"}}, "miner.binary"),
    ({"miner": 5}, "miner"),
    ({"oc": {"nvidia": {"power_limit_w": -1}}}, "oc.nvidia.power_limit_w"),
    ({"oc": {"nvidia": {"power_limit_w": 10**30}}}, "oc.nvidia.power_limit_w"),
    ({"oc": {"nvidia": {"power_limit_w": 120.5}}}, "oc.nvidia.power_limit_w"),
    ({"oc": {"nvidia": {"core_offset_mhz": -2001}}}, "oc.nvidia.core_offset_mhz"),
    ({"oc": {"nvidia": {"mem_offset_mhz": 4001}}}, "oc.nvidia.mem_offset_mhz"),
    ({"oc": {"nvidia": {"fan": {"mode": "fixed", "pct": 101}}}}, "oc.nvidia.fan.pct"),
    ({"oc": {"nvidia": {"fan": {"mode": "auto", "pct": 50}}}}, "oc.nvidia.fan.pct"),
    (
        {"oc": {"nvidia": {"fan": {"mode": "target", "target_temp_c": 95}}}},
        "oc.nvidia.fan.target_temp_c",
    ),
    ({"oc": {"nvidia": {"fan": {"mode": "turbo"}}}}, "oc.nvidia.fan.mode"),
    ({"oc": {"amd": {"core_state": 8}}}, "oc.amd.core_state"),
    ({"oc": {"amd": {"core_voltage_mv": 2000}}}, "oc.amd.core_voltage_mv"),
    ({"oc": {"per_gpu": {"32": {}}}}, "oc.per_gpu.32"),
    (
        {"oc": {"per_gpu": {"3": {"nvidia": {"power_limit_w": 2000}}}}},
        "oc.per_gpu.3.nvidia.power_limit_w",
    ),
    ({"watchdog": {"max_temp_c": 500}}, "watchdog.max_temp_c"),
    ({"watchdog": {"max_temp_action": "explode"}}, "watchdog.max_temp_action"),
    ({"watchdog": {"min_hashrate_hs": -1.0}}, "watchdog.min_hashrate_hs"),
    ({"report_interval_s": 9}, "report_interval_s"),
    ({"report_interval_s": 601}, "report_interval_s"),
    ({"maintenance": "true"}, "maintenance"),
    ({"currency": "euro"}, "currency"),
    ({"unknown": 1}, "unknown"),
    ({"unknown": None}, "unknown"),
    ({"version": "x"}, "version"),
]


def farm_snapshot(database: Database, farm_id: str) -> tuple[Any, ...]:
    with database.session(write=False) as db:
        farm = db.scalars(select(Farm).where(Farm.id == farm_id)).one()
        rigs = db.scalars(select(Rig.config_version).where(Rig.farm_id == farm_id)).all()
        sheets = db.scalars(select(FlightSheet.miner).where(FlightSheet.farm_id == farm_id)).all()
        return farm.config, farm.flight_sheet_id, sorted(rigs), sheets, history_count(database)


def assert_rejected(response: Any, path: str | None = None, status: int = 422) -> None:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == ("validation_error" if status == 422 else error["code"])
    if path is not None:
        assert path in [d["path"] for d in error["details"]], error


@pytest.mark.parametrize(("patch", "path"), BAD_LAYERS, ids=[p for _, p in BAD_LAYERS])
def test_invalid_layer_names_the_path(
    actors: Actors, database: Database, patch: dict[str, Any], path: str
) -> None:
    make_rig(database, actors.farm_id, "r")
    before = farm_snapshot(database, actors.farm_id)
    response = actors.owner.patch(f"{API}/farms/{actors.farm_id}/config", json={"config": patch})
    assert_rejected(response, path)
    assert farm_snapshot(database, actors.farm_id) == before


def test_shell_metacharacters_are_data(actors: Actors, database: Database) -> None:
    rig = make_rig(database, actors.farm_id, "r")
    nasty = "$(reboot); `id` 'a' \"b\" | & > < \\ * ?"
    miner = {
        "name": "custom",
        "binary": "my-miner_2.1",
        "pools": [{"url": "stratum+ssl://p.example:443", "user": nasty, "pass": nasty}],
        "extra_args": [nasty, "--worker={rig}"],
        "download_url": "https://example.com/miner.tar.gz",
        "download_sha256": "a" * 64,
    }
    ok(actors.operator.patch(f"{API}/rigs/{rig}/config", json={"config": {"miner": miner}}))
    doc = ok(actors.viewer.get(f"{API}/rigs/{rig}/config"))["effective"]
    assert doc["miner"]["pools"][0]["user"] == nasty
    assert doc["miner"]["extra_args"] == [nasty, "--worker=r"]


def test_flight_sheet_must_be_complete(actors: Actors, database: Database) -> None:
    url = f"{API}/farms/{actors.farm_id}/flight-sheets"
    before = farm_snapshot(database, actors.farm_id)
    cases = [
        ({"name": "s", "miner": {"algo": "kawpow"}}, "miner.name"),
        ({"name": "s", "miner": {"name": "custom"}}, "miner.binary"),
        ({"name": "s", "miner": {"name": "trex", "pools": "x"}}, "miner.pools"),
        ({"name": "", "miner": MINER}, "name"),
        ({"name": HUGE, "miner": MINER}, "name"),
        ({"name": "a\tb", "miner": MINER}, "name"),
        ({"name": "s"}, "miner"),
        ({"name": "s", "miner": MINER, "extra": 1}, "extra"),
    ]
    for body, path in cases:
        assert_rejected(actors.operator.post(url, json=body), path)
    sheet = make_sheet(database, actors.farm_id, "s", MINER)
    for body, path in (
        ({"miner": {"name": None}}, "miner.name"),
        ({"name": None}, "name"),
        ({"miner": {"bogus": None}}, "miner.bogus"),
    ):
        assert_rejected(actors.operator.patch(f"{url}/{sheet}", json=body), path)
    assert farm_snapshot(database, actors.farm_id)[0:3] == before[0:3]


def test_exec_allowed_only_in_farm_layer(actors: Actors, database: Database) -> None:
    group = make_group(database, actors.farm_id, "g")
    rig = make_rig(database, actors.farm_id, "r", group_id=group)
    for url in (f"{API}/groups/{group}/config", f"{API}/rigs/{rig}/config"):
        assert_rejected(
            actors.owner.patch(url, json={"config": {"exec_allowed": True}}), "exec_allowed"
        )
    farm_url = f"{API}/farms/{actors.farm_id}/config"
    assert (
        actors.operator.patch(farm_url, json={"config": {"exec_allowed": True}}).status_code == 403
    )
    ok(actors.admin.patch(farm_url, json={"config": {"exec_allowed": True}}))
    doc = ok(actors.viewer.get(f"{API}/rigs/{rig}/config"))["effective"]
    assert doc["exec_allowed"] is True
    # An operator may not sneak it back through restore either.
    ok(actors.admin.patch(farm_url, json={"config": {"exec_allowed": None}}))
    history = ok(actors.viewer.get(f"{API}/farms/{actors.farm_id}/history"))["items"]
    enabling = history[-1]["id"]
    restore = f"{API}/farms/{actors.farm_id}/history/{enabling}/restore"
    assert actors.operator.post(restore).status_code == 403
    ok(actors.admin.post(restore))
    with database.session(write=False) as db:
        assert db.get(Group, group) is not None
        assert db.scalars(select(Farm.config).where(Farm.id == actors.farm_id)).one() == {
            "exec_allowed": True
        }


def test_pointers_must_be_in_the_same_farm(actors: Actors, database: Database) -> None:
    foreign = make_sheet(database, actors.other_farm_id, "theirs", MINER)
    url = f"{API}/farms/{actors.farm_id}/config"
    before = farm_snapshot(database, actors.farm_id)
    assert_rejected(actors.owner.patch(url, json={"flight_sheet_id": foreign}), "flight_sheet_id")
    assert_rejected(actors.owner.patch(url, json={"oc_profile_id": "nope"}), "oc_profile_id")
    assert_rejected(actors.owner.patch(url, json={"flight_sheet_id": "x" * 100}), "flight_sheet_id")
    assert_rejected(actors.owner.patch(url, json={"flight_sheet_id": 5}), "flight_sheet_id")
    assert farm_snapshot(database, actors.farm_id) == before


@pytest.mark.parametrize(
    "raw",
    [
        b'{"config": {"power_price_per_kwh": NaN}}',
        b'{"config": {"power_price_per_kwh": Infinity}}',
        b'{"config": {"report_interval_s": 1e400}}',
        b'{"config": []}',
        b'{"config": null}',
        b'{"config": {}, "more": 1}',
        b'{"config": ',
        b"[]",
        b'"config"',
        b'{"config": ' + b'{"a": ' * 2000 + b"1" + b"}" * 2001,
    ],
)
def test_malformed_bodies(actors: Actors, database: Database, raw: bytes) -> None:
    make_rig(database, actors.farm_id, "r")
    before = farm_snapshot(database, actors.farm_id)
    response = actors.owner.patch(
        f"{API}/farms/{actors.farm_id}/config",
        content=raw,
        headers={"content-type": "application/json"},
    )
    assert 400 <= response.status_code < 500, response.text
    assert set(response.json()["error"]) == {"code", "message", "details"}
    assert farm_snapshot(database, actors.farm_id) == before
