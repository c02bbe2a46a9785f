"""Farm summary, metric series and the activity log through the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from openrig.core.db import Database, utcnow
from openrig.models import Farm, RigSample, RigState
from openrig.telemetry.rollup import run_rollups
from tests.support.actors import Actors
from tests.support.rigs import HELLO, RigClient, enroll_rig, report_payload


def test_summary_totals(
    actors: Actors, rig: RigClient, enroll_key: str, database: Database
) -> None:
    second = enroll_rig(rig.http, enroll_key, hostname="b")
    silent = enroll_rig(rig.http, enroll_key, hostname="c")
    rig.post("/hello", json=HELLO)
    rig.post("/report", json=report_payload(gpus=2, hashrate=6e7))
    second.post("/report", json=report_payload(gpus=4, hashrate=1e8))
    silent.post("/hello", json={**HELLO, "gpus": HELLO["gpus"] * 1})
    payload = report_payload(gpus=1)
    payload["miner"]["algo"] = "etchash"
    silent.post("/report", json=payload)
    with database.transaction() as db:  # c went quiet long ago
        db.execute(
            update(RigState)
            .where(RigState.rig_id == silent.rig_id)
            .values(offline_after=utcnow() - timedelta(minutes=5))
        )
        farm = db.get(Farm, actors.farm_id)
        assert farm is not None
        farm.config = {**farm.config, "power_price_per_kwh": 0.2, "currency": "EUR"}
    body = actors.viewer.get(f"/api/v1/farms/{actors.farm_id}/summary").json()
    assert body["rigs"] == {"total": 3, "online": 2, "offline": 1}
    assert body["gpus"] == {"online": 6, "offline": 1}
    assert body["hashrate"] == [
        {
            "algo": "kawpow",
            "rigs": 2,
            "hashrate_hs": 1.6e8,
            "power_w": 6 * 118.5,
            "efficiency_hs_per_w": pytest.approx(1.6e8 / 711),
        }
    ]
    assert body["power_w"] == pytest.approx(711)
    assert body["power_cost_per_day"] == pytest.approx(0.711 * 24 * 0.2, abs=1e-3)
    assert body["currency"] == "EUR"
    assert actors.outsider.get(f"/api/v1/farms/{actors.farm_id}/summary").status_code == 404
    assert actors.anonymous.get(f"/api/v1/farms/{actors.farm_id}/summary").status_code == 401


def test_rig_metrics_from_raw_and_rollups(
    actors: Actors, rig: RigClient, database: Database
) -> None:
    for _ in range(3):
        assert rig.post("/report", json=report_payload(gpus=2, hashrate=6e7)).status_code == 200
    url = f"/api/v1/rigs/{rig.rig_id}/metrics"
    raw = actors.viewer.get(url, params={"step": 60}).json()
    assert raw["source"] == "raw" and raw["step_s"] == 60
    assert raw["hashrate_hs"][-1] == pytest.approx(6e7)
    assert raw["gpus"]["1"]["temp_c"][-1] == 61
    # Move the samples two hours back and roll them up.
    with database.transaction() as db:
        for sample in db.scalars(select(RigSample)):
            sample.at -= timedelta(hours=2)
        db.flush()
        run_rollups(db, utcnow())
    start = (utcnow() - timedelta(hours=3)).isoformat()
    hourly = actors.viewer.get(url, params={"from": start, "step": 3600}).json()
    assert hourly["source"] == "rollup_3600s" or hourly["source"] == "rollup_300s"
    five = actors.viewer.get(url, params={"from": start, "step": 300}).json()
    assert five["source"] == "rollup_300s"
    assert five["hashrate_hs"] == [pytest.approx(6e7)]
    assert five["accepted"] == [0]
    farm = actors.viewer.get(
        f"/api/v1/farms/{actors.farm_id}/metrics", params={"from": start, "step": 300}
    ).json()
    assert farm["hashrate_hs"] == [pytest.approx(6e7)] and farm["rigs"] == [1]


def test_metrics_reject_bad_windows(actors: Actors, rig: RigClient) -> None:
    url = f"/api/v1/rigs/{rig.rig_id}/metrics"
    now = utcnow()
    bad = [
        {"from": now.isoformat(), "to": (now - timedelta(hours=1)).isoformat()},
        {"from": (now - timedelta(days=30)).isoformat(), "step": 60},
        {"step": 1},
        {"from": "yesterday"},
        {"from": "2026-12-01T10:00:00"},
    ]
    for params in bad:
        response = actors.viewer.get(url, params=params)
        assert response.status_code == 422, params
        assert "error" in response.json()


def test_activity_log_pages(actors: Actors, rig: RigClient) -> None:
    rig.post("/hello", json=HELLO)
    rig.post(
        "/events", json={"events": [{"kind": "overheat", "message": f"hot {i}"} for i in range(5)]}
    )
    actors.operator.post(f"/api/v1/rigs/{rig.rig_id}/commands", json={"type": "reboot"})
    first = actors.viewer.get(f"/api/v1/rigs/{rig.rig_id}/activity", params={"limit": 3}).json()
    assert [i["kind"] for i in first["items"]] == ["command", "rig:overheat", "rig:overheat"]
    assert first["items"][0]["rig_name"] == "rig-07"
    rest = actors.viewer.get(
        f"/api/v1/rigs/{rig.rig_id}/activity", params={"before": first["next_before"], "limit": 50}
    ).json()
    kinds = [i["kind"] for i in rest["items"]]
    assert kinds[-1] == "enrolled" and "boot" in kinds and rest["next_before"] is None
    farm = actors.viewer.get(
        f"/api/v1/farms/{actors.farm_id}/activity", params={"kind": "boot"}
    ).json()
    assert len(farm["items"]) == 1
    assert actors.outsider.get(f"/api/v1/rigs/{rig.rig_id}/activity").status_code == 404
