"""The simulator against a real server on loopback: rigs appear online, totals add up,
commands are run and reported back."""

from __future__ import annotations

import asyncio
import threading
import time

import httpx
import pytest
from fastapi import FastAPI

from openrig.simulator.rig import SimRig
from openrig.simulator.runner import Options, run
from tests.support.actors import Actors
from tests.support.live import serve


def test_simulated_fleet_is_online_with_right_totals(
    app: FastAPI, actors: Actors, enroll_key: str
) -> None:
    rigs, gpus = 6, 4
    with serve(app) as url:
        opts = Options(
            url=url,
            enroll_key=enroll_key,
            rigs=rigs,
            gpus=gpus,
            interval_s=1.0,
            duration_s=4.0,
            progress=False,
            seed=7,
        )
        done: dict[str, object] = {}

        def simulate() -> None:
            done["stats"] = asyncio.run(run(opts))

        thread = threading.Thread(target=simulate)
        thread.start()
        time.sleep(2.5)
        rig_list = actors.viewer.get(f"/api/v1/farms/{actors.farm_id}/rigs").json()["items"]
        target = rig_list[0]["id"]
        queued = actors.operator.post(
            f"/api/v1/rigs/{target}/commands", json={"type": "restart_miner"}
        )
        assert queued.status_code == 201
        thread.join(timeout=30)
        summary = httpx.get(
            f"{url}/api/v1/farms/{actors.farm_id}/summary",
            cookies=dict(actors.viewer.client.cookies),
        ).json()
    stats = done["stats"]
    assert stats.enrolled == rigs and stats.errors == 0  # type: ignore[attr-defined]
    assert stats.reports >= rigs * 2  # type: ignore[attr-defined]
    assert summary["rigs"] == {"total": rigs, "online": rigs, "offline": 0}
    assert summary["gpus"] == {"online": rigs * gpus, "offline": 0}
    expected = sum(g.base_hs for i in range(rigs) for g in SimRig.build(i + 1, gpus, 7).gpus)
    assert summary["hashrate"][0]["algo"] == "kawpow"
    assert summary["hashrate"][0]["hashrate_hs"] == pytest.approx(expected, rel=0.03)
    result = actors.viewer.get(f"/api/v1/rigs/{target}/commands").json()["items"][0]
    assert result["status"] == "succeeded" and "restart_miner" in result["output"]
