"""The rig's own watchdog, end to end: a hashrate drop restarts the miner, and after
`reboot_after_restarts` restarts that did not help the rig reboots (a recording fake).
The agent's footprint is measured on the same rig while it is healthy.

Rig-side behaviour only (the server just stores the events), so it runs on SQLite."""

from __future__ import annotations

import json
from collections.abc import Callable

from tests.e2e.conftest import sqlite_only
from tests.e2e.harness import RigRoot, measure_footprint, wait_for
from tests.support.actors import Actors


def test_hashrate_drop_restarts_then_reboots(
    database_url: str,
    actors: Actors,
    enroll_conf: str,
    farm: Callable[..., str],
    make_rig: Callable[..., RigRoot],
) -> None:
    sqlite_only(database_url, "the watchdog decides on the rig")
    farm(
        config={
            "watchdog": {
                "enabled": True,
                "min_hashrate_hs": 1e6,
                "restart_after_min": 2,
                "reboot_after_restarts": 2,
            }
        }
    )
    # A watchdog "minute" lasts one second here (OROS_WD_MINUTE_S, tests only).
    rig = make_rig(enroll_conf, OROS_WD_MINUTE_S="1")
    rig.start()
    wait_for(lambda: rig.miner_pid(), 30, "the miner to run")

    footprint = measure_footprint(rig, cycles=3)
    (rig.records / "footprint.json").write_text(json.dumps(footprint))
    print(f"\nagent footprint: {footprint}")
    assert footprint["cpu_s_per_cycle"] < 2.0
    assert footprint["rss_steady_kb"] < 64 * 1024
    assert len(rig.miner_starts()) == 1  # healthy: nothing restarted

    rig.set_hashrate(0)
    wait_for(lambda: len(rig.miner_starts()) >= 2, 30, "a watchdog miner restart")
    wait_for(lambda: len(rig.miner_starts()) >= 3, 30, "a second restart")
    wait_for(lambda: rig.power_calls(), 30, "the watchdog reboot")
    assert rig.power_calls() == ["reboot"]
    assert len(rig.miner_starts()) == 3

    rig_id = actors.owner.get(f"/api/v1/farms/{actors.farm_id}/rigs").json()["items"][0]["id"]

    def kinds() -> list[str]:
        page = actors.owner.get(f"/api/v1/rigs/{rig_id}/activity", params={"limit": 200})
        return [item["kind"] for item in page.json()["items"]]

    wait_for(
        lambda: {"rig:miner_restarted", "rig:rig_rebooting"} <= set(kinds()),
        20,
        "watchdog events on the server",
    )
