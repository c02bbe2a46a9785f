"""oros end to end on loopback: enroll, report, config changes, commands, outage.

One rig goes through a whole life in one test (starting a rig costs seconds, so the
steps share it): enrollment from the farm's enroll.conf, online with per-GPU stats, a
flight-sheet change restarting the miner with the new argv, an OC-only change
re-applying OC without a restart, a reboot command by long-poll, and a server outage
the miner does not notice (events queued, delivered when the server is back)."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from typing import Any

from tests.e2e.conftest import LiveServer
from tests.e2e.harness import RigRoot, wait_for
from tests.support.actors import Actors

INTERVAL = 2  # OROS_REPORT_INTERVAL in the harness


def rig_id_of(actors: Actors) -> str | None:
    rigs = actors.owner.get(f"/api/v1/farms/{actors.farm_id}/rigs").json()["items"]
    return rigs[0]["id"] if rigs else None


def online_with_gpus(actors: Actors, rig_id: str) -> dict[str, Any] | None:
    rig = actors.owner.get(f"/api/v1/rigs/{rig_id}").json()
    if rig["status"] != "online":
        return None
    metrics = actors.owner.get(f"/api/v1/rigs/{rig_id}/metrics").json()
    return metrics if len(metrics["gpus"]) == 3 else None


def mining_summary(actors: Actors) -> dict[str, Any] | None:
    summary: dict[str, Any] = actors.owner.get(f"/api/v1/farms/{actors.farm_id}/summary").json()
    rows = summary["hashrate"]
    return summary if rows and rows[0]["hashrate_hs"] > 0 else None


def finished(actors: Actors, command_id: str) -> dict[str, Any] | None:
    command: dict[str, Any] = actors.owner.get(f"/api/v1/commands/{command_id}").json()
    return command if command["status"] in ("succeeded", "failed") else None


def activity_kinds(actors: Actors, rig_id: str) -> list[str]:
    page = actors.owner.get(f"/api/v1/rigs/{rig_id}/activity", params={"limit": 200}).json()
    return [item["kind"] for item in page["items"]]


def enroll_and_come_online(
    actors: Actors, rig: RigRoot, enroll_key: str
) -> tuple[str, dict[str, Any]]:
    rig.start()
    conf = wait_for(
        lambda: "RIG_TOKEN=" in rig.conf_path.read_text() and rig.conf_path.read_text(),
        20,
        "rig.conf to be rewritten with RIG_ID/RIG_TOKEN",
    )
    values = dict(
        line.split("=", 1) for line in conf.splitlines() if line and not line.startswith("#")
    )
    assert set(values) == {"SERVER_URL", "RIG_ID", "RIG_TOKEN"}, conf  # ENROLL_KEY dropped
    assert values["SERVER_URL"] == rig.server_url
    assert values["RIG_TOKEN"].startswith("orr_")
    assert enroll_key not in conf
    assert oct(rig.conf_path.stat().st_mode & 0o777) == "0o600"
    assert not list(rig.conf_path.parent.glob(".rig.conf.*"))  # no temp file left
    rig_id = values["RIG_ID"]
    assert rig_id_of(actors) == rig_id
    metrics = wait_for(lambda: online_with_gpus(actors, rig_id), 20, "online with 3 GPUs")
    return rig_id, metrics


def test_rig_life(
    actors: Actors,
    enroll_key: str,
    enroll_conf: str,
    farm: Callable[..., str],
    make_rig: Callable[..., RigRoot],
    live: LiveServer,
) -> None:
    sheet_id = farm(config={"oc": {"nvidia": {"power_limit_w": 120}}})
    rig = make_rig(enroll_conf)

    # 1. Enrollment, then online with per-GPU stats from the fake nvidia-smi and miner.
    rig_id, metrics = enroll_and_come_online(actors, rig, enroll_key)
    temps = {index: series["temp_c"][-1] for index, series in metrics["gpus"].items()}
    assert temps == {"0": 52, "1": 60, "2": 55}
    summary = wait_for(lambda: mining_summary(actors), 10, "hashrate in the farm summary")
    assert summary["hashrate"][0] == {**summary["hashrate"][0], "algo": "ethash", "rigs": 1}
    assert summary["hashrate"][0]["hashrate_hs"] == 123852470
    assert summary["gpus"]["online"] == 3
    assert (rig.run_dir / "agent" / ".bundle-sha256").exists()  # runs the server's bundle
    starts = rig.miner_starts()
    assert len(starts) == 1
    name = actors.owner.get(f"/api/v1/rigs/{rig_id}").json()["name"]  # from the hostname
    assert starts[0][starts[0].index("-u") + 1] == f"WALLET.{name}"
    assert ["-i", "0", "-pl", "120"] in rig.nvidia_calls()

    # 2. A flight-sheet change restarts the miner with the new argv within one interval.
    changed = actors.owner.patch(
        f"/api/v1/farms/{actors.farm_id}/flight-sheets/{sheet_id}",
        json={"miner": {"pools": [{"url": "stratum+ssl://new.pool:5555", "user": "W2"}]}},
    )
    assert changed.status_code == 200, changed.text
    t0 = time.monotonic()
    wait_for(lambda: len(rig.miner_starts()) == 2, 3 * INTERVAL + 5, "miner restart")
    assert time.monotonic() - t0 < 2 * INTERVAL + 5
    argv = rig.miner_starts()[-1]
    assert argv[argv.index("-o") + 1] == "stratum+ssl://new.pool:5555"
    assert argv[argv.index("-u") + 1] == "W2"

    # 3. An OC-only change re-applies OC (nvidia-smi -pl) and leaves the miner alone.
    pid_before = rig.miner_pid()
    changed = actors.owner.patch(
        f"/api/v1/farms/{actors.farm_id}/config",
        json={"config": {"oc": {"nvidia": {"power_limit_w": 150}}}},
    )
    assert changed.status_code == 200, changed.text
    wait_for(
        lambda: any(c[:4] == ["-i", "0", "-pl", "150"] for c in rig.nvidia_calls()),
        3 * INTERVAL + 5,
        "nvidia-smi -pl 150",
    )
    time.sleep(INTERVAL)
    assert len(rig.miner_starts()) == 2
    assert rig.miner_pid() == pid_before

    # 4. A reboot command arrives by long-poll within 2 s; its result is in the API.
    cmd = actors.owner.post(f"/api/v1/rigs/{rig_id}/commands", json={"type": "reboot"})
    assert cmd.status_code == 201, cmd.text
    t0 = time.monotonic()
    wait_for(lambda: rig.power_calls() == ["reboot"], 2.0, "the fake reboot", every=0.05)
    assert time.monotonic() - t0 <= 2.0
    done = wait_for(lambda: finished(actors, cmd.json()["id"]), 5, "the reboot result")
    assert (done["status"], done["exit_code"]) == ("succeeded", 0)
    listed = actors.owner.get(f"/api/v1/rigs/{rig_id}/commands").json()["items"]
    assert [c["status"] for c in listed if c["id"] == done["id"]] == ["succeeded"]

    # 4b. upgrade_agent: the verified bundle is fetched again and the agent re-executes
    # itself from it; the miner is not touched.
    (rig.run_dir / "agent" / ".bundle-sha256").write_text("0" * 64 + "\n")  # "older"
    pid_before = rig.miner_pid()
    cmd = actors.owner.post(f"/api/v1/rigs/{rig_id}/commands", json={"type": "upgrade_agent"})
    assert cmd.status_code == 201, cmd.text
    done = wait_for(lambda: finished(actors, cmd.json()["id"]), 10, "the upgrade result")
    assert done["status"] == "succeeded", done
    assert "agent upgraded" in done["output"]
    wait_for(lambda: "rig:agent_upgraded" in activity_kinds(actors, rig_id), 15, "agent_upgraded")
    assert rig.miner_pid() == pid_before
    assert len(rig.miner_starts()) == 2

    # 5. The server goes away: the miner keeps running, events queue up on the rig...
    live.stop()
    miner = rig.miner_pid()
    assert miner is not None
    cycles = rig.cycles()
    wait_for(lambda: rig.cycles() >= cycles + 2, 6 * INTERVAL + 10, "cycles without the server")
    assert rig.miner_pid() == miner
    os.kill(miner, signal.SIGKILL)  # a crash while the server is away
    queued = wait_for(
        lambda: list((rig.run_dir / "events").glob("*.json")), 15, "queued events on the rig"
    )
    assert queued
    assert "miner_crashed" not in " ".join(activity_kinds(actors, rig_id))
    # ... and arrive once it is back on the same port.
    live.start()
    wait_for(lambda: "rig:miner_crashed" in activity_kinds(actors, rig_id), 20, "the queued event")
    wait_for(lambda: rig.miner_pid() not in (None, miner), 20, "the miner restarted")
