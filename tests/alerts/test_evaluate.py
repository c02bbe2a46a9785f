"""The evaluator with controlled time: conditions, for/clear durations, events."""

from __future__ import annotations

from datetime import timedelta

from openrig.core.db import Database, utcnow
from tests.alerts.helpers import alerts, run_eval, seen, transitions
from tests.support.rigs import HELLO, RigClient, report_payload


def test_silent_rig_fires_once_after_grace_and_resolves_once(
    rig: RigClient, database: Database
) -> None:
    assert rig.post("/report", json=report_payload()).status_code == 200
    t0 = utcnow()
    seen(database, rig.rig_id, t0)
    run_eval(database, t0)
    for s in (30, 60, 89):
        run_eval(database, t0 + timedelta(seconds=s))
    assert alerts(database) == []
    for s in (91, 96, 101, 300):
        run_eval(database, t0 + timedelta(seconds=s))
    [alert] = alerts(database)
    assert alert.rule == "rig_offline" and alert.state == "firing"
    assert alert.fired_at == t0 + timedelta(seconds=91)
    back = t0 + timedelta(seconds=400)
    for s in (0, 60, 119, 120, 180):  # reporting again
        seen(database, rig.rig_id, back + timedelta(seconds=s))
        run_eval(database, back + timedelta(seconds=s))
    [alert] = alerts(database)
    assert alert.state == "resolved" and alert.resolved_at == back + timedelta(seconds=120)
    assert [(t.kind, t.rule) for t in transitions(database)] == [
        ("firing", "rig_offline"),
        ("resolved", "rig_offline"),
    ]


def test_state_rules_with_for_durations(rig: RigClient, database: Database) -> None:
    rig.post("/hello", json={**HELLO, "gpus": HELLO["gpus"] * 3})
    payload = report_payload(gpus=2, running=True)
    payload["gpus"][1]["temp_c"] = 91
    payload["gpus"][0]["mem_temp_c"] = 108
    payload["gpus"][0]["fan_pct"] = 0
    payload["gpus"][0]["temp_c"] = 70
    assert rig.post("/report", json=payload).status_code == 200
    t0 = utcnow()
    run_eval(database, t0)
    pending = {a.rule: a for a in alerts(database)}
    assert set(pending) == {"gpu_temp_high", "gpu_lost", "fan_failure"}
    assert all(a.state == "pending" for a in pending.values())
    assert pending["gpu_temp_high"].summary == (
        "GPU 0 memory at 108 °C, limit 105 °C; GPU 1 at 91 °C, limit 85 °C"
    )
    assert pending["fan_failure"].summary == "GPU 0 fan at 0 % at 70 °C"
    assert pending["gpu_lost"].summary == "2 of 3 GPUs reporting"
    for s in (61, 119):
        seen(database, rig.rig_id, t0 + timedelta(seconds=s))
        run_eval(database, t0 + timedelta(seconds=s))
    assert {a.rule for a in alerts(database, state="firing")} == {"gpu_lost"}
    seen(database, rig.rig_id, t0 + timedelta(seconds=121))
    run_eval(database, t0 + timedelta(seconds=121))
    assert {a.rule for a in alerts(database, state="firing")} == {
        "gpu_lost",
        "gpu_temp_high",
        "fan_failure",
    }


def test_pending_that_clears_is_dropped_and_miner_down(rig: RigClient, database: Database) -> None:
    rig.post("/report", json=report_payload(running=False, hashrate=0))
    t0 = utcnow()
    run_eval(database, t0)
    [pending] = alerts(database)
    assert pending.rule == "miner_down" and pending.state == "pending"
    rig.post("/report", json=report_payload())
    run_eval(database, t0 + timedelta(seconds=5))
    assert alerts(database) == [] and transitions(database) == []


def test_offline_rig_keeps_other_alerts_as_they_are(rig: RigClient, database: Database) -> None:
    rig.post("/report", json=report_payload(running=False, hashrate=0))
    t0 = utcnow()
    seen(database, rig.rig_id, t0)
    run_eval(database, t0)
    run_eval(database, t0 + timedelta(seconds=85))
    assert [a.state for a in alerts(database)] == ["pending"]
    run_eval(database, t0 + timedelta(seconds=200))
    states = {a.rule: a.state for a in alerts(database)}
    # The miner alert neither fired nor cleared on stale numbers.
    assert states == {"miner_down": "pending", "rig_offline": "firing"}


def test_rig_events_fire_at_once_and_end_quietly(rig: RigClient, database: Database) -> None:
    t0 = utcnow()
    run_eval(database, t0)  # first run: existing activity is history
    rig.post("/hello", json=HELLO)
    rig.post("/hello", json=HELLO)
    rig.post("/events", json={"events": [{"kind": "watchdog_action", "message": "restarted"}]})
    rig.post("/events", json={"events": [{"kind": "watchdog_action", "message": "again"}]})
    run_eval(database, t0 + timedelta(seconds=10))
    fired = {a.rule: a for a in alerts(database, state="firing")}
    assert set(fired) == {"rig_rebooted", "watchdog_action"}
    assert fired["watchdog_action"].values["count"] == 2
    assert fired["rig_rebooted"].values["count"] == 1  # the first boot is no reboot
    run_eval(database, t0 + timedelta(minutes=20))
    assert alerts(database, state="firing") == []
    assert [t.kind for t in transitions(database)] == ["firing", "firing"]
