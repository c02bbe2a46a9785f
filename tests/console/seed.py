"""Data for the browser tests, made through the API and the rig protocol."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from openrig.alerts.evaluate import evaluate
from openrig.core.db import Database, utcnow
from tests.support.actors import Actors
from tests.support.rigs import HELLO, RigClient, enroll_rig, report_payload

HOSTILE_RIG = "<img src=x onerror=alert(1)>"
HOSTILE_WALLET = '<script>alert("wallet")</script>.{rig}'
HOSTILE_PASS = '"><img src=x onerror=alert(2)>'
HOSTILE_GPU = "<img src=x onerror=alert(3)> RTX"
HOSTILE_NOTES = "<svg onload=alert(4)>notes</svg>"


def run_alerts(database: Database, seconds: float = 0) -> None:
    with database.transaction() as db:
        evaluate(db, utcnow() + timedelta(seconds=seconds))


def seed_farm(actors: Actors, rig_http: Any, enroll_key: str, database: Database) -> dict[str, Any]:
    """A farm with a group, a flight sheet and an OC profile (hostile strings in them),
    two reporting rigs (one with a hostile name, notes and GPU model) and a firing alert."""
    owner, farm = actors.owner, actors.farm_id
    group = owner.post(f"/api/v1/farms/{farm}/groups", json={"name": "<b>row 1</b>"}).json()
    sheet = owner.post(
        f"/api/v1/farms/{farm}/flight-sheets",
        json={
            "name": "RVN <i>main</i>",
            "miner": {
                "name": "trex",
                "algo": "kawpow",
                "pools": [
                    {
                        "url": "stratum+tcp://rvn.pool.example:3333",
                        "user": HOSTILE_WALLET,
                        "pass": HOSTILE_PASS,
                    }
                ],
            },
        },
    ).json()
    owner.post(
        f"/api/v1/farms/{farm}/oc-profiles",
        json={"name": "3070 efficient", "oc": {"nvidia": {"power_limit_w": 120}}},
    )
    owner.patch(f"/api/v1/groups/{group['id']}/config", json={"flight_sheet_id": sheet["id"]})
    run_alerts(database)  # first evaluation: earlier activity is history
    rigs: list[RigClient] = []
    for index, name in enumerate((HOSTILE_RIG, "rig-02")):
        rig = enroll_rig(rig_http, enroll_key, hostname=f"host-{index}")
        hello = {**HELLO, "gpus": [{**HELLO["gpus"][0], "model": HOSTILE_GPU}]}
        assert rig.post("/hello", json=hello).status_code == 200
        assert rig.post("/report", json=report_payload(gpus=1)).status_code in (200, 202)
        owner.patch(
            f"/api/v1/rigs/{rig.rig_id}",
            json={"name": name, "group_id": group["id"], "tags": ["row-1"], "notes": HOSTILE_NOTES},
        )
        rigs.append(rig)
    rigs[0].post("/events", json={"events": [{"kind": "watchdog_action", "message": "restarted"}]})
    run_alerts(database, 5)
    return {"farm_id": farm, "group_id": group["id"], "rigs": [r.rig_id for r in rigs]}
