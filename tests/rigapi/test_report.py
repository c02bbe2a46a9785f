"""hello, report, config and events: stored once, validated, scoped to the rig."""

from __future__ import annotations

import gzip
import json

from sqlalchemy import func, select

from openrig.core.db import Database
from openrig.models import Activity, RigSample, RigState
from tests.support.rigs import HELLO, RigClient, enroll_rig, report_payload


def _count(database: Database, model: type) -> int:
    with database.session(write=False) as db:
        return int(db.scalar(select(func.count()).select_from(model)) or 0)


def test_hello_stores_inventory_and_answers_config(rig: RigClient, database: Database) -> None:
    response = rig.post("/hello", json=HELLO)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["config"]["rig"]["id"] == rig.rig_id
    assert body["config"]["version"]
    assert body["report_interval_s"] == 30
    assert body["server_time"].endswith("+00:00")
    with database.session(write=False) as db:
        state = db.get(RigState, rig.rig_id)
        assert state is not None and state.agent_version == "1.0.0"
        assert state.inventory is not None
        assert state.inventory["gpus"][0]["model"] == "NVIDIA GeForce RTX 3070"
        boots = db.scalars(select(Activity).where(Activity.kind == "boot")).all()
        assert len(boots) == 1 and "RTX 3070" in boots[0].message


def test_report_stores_latest_state_and_a_sample(rig: RigClient, database: Database) -> None:
    response = rig.post("/report", json=report_payload(gpus=8, hashrate=2.48e8))
    assert response.status_code == 200, response.text
    body = response.json()
    config_version = rig.get("/config").json()["version"]
    assert body == {"config_version": config_version, "commands": [], "report_interval_s": 30}
    with database.session(write=False) as db:
        state = db.get(RigState, rig.rig_id)
        assert state is not None
        assert state.hashrate_hs == 2.48e8 and state.gpu_count == 8
        assert state.power_w == 8 * 118.5 and state.max_temp_c == 67
        assert state.miner_running and state.algo == "kawpow"
        assert state.last_seen_at is not None and state.offline_after is not None
        assert (state.offline_after - state.last_seen_at).total_seconds() == 90
        sample = db.scalars(select(RigSample)).one()
        assert sample.accepted == 1200 and len(sample.gpus) == 8
        assert sample.gpus[0] == [0, 3.1e7, 60, 84, 70, 118.5]


def test_gzip_report_is_accepted(rig: RigClient, database: Database) -> None:
    raw = gzip.compress(json.dumps(report_payload()).encode())
    response = rig.post(
        "/report",
        content=raw,
        headers={"content-encoding": "gzip", "content-type": "application/json"},
    )
    assert response.status_code == 200, response.text
    assert _count(database, RigSample) == 1


def test_gzip_bomb_and_garbage_are_refused(rig: RigClient, database: Database) -> None:
    bomb = gzip.compress(b"[" + b" " * (5 * 1024 * 1024) + b"]")
    response = rig.post("/report", content=bomb, headers={"content-encoding": "gzip"})
    assert response.status_code == 413
    response = rig.post("/report", content=b"not gzip", headers={"content-encoding": "gzip"})
    assert response.status_code == 400
    assert _count(database, RigSample) == 0


def test_unknown_fields_are_ignored_for_newer_agents(rig: RigClient) -> None:
    payload = report_payload()
    payload["new_field"] = {"x": 1}
    payload["gpus"][0]["future_sensor"] = 3
    assert rig.post("/report", json=payload).status_code == 200


def test_bad_reports_are_422_and_store_nothing(rig: RigClient, database: Database) -> None:
    too_many = report_payload(gpus=33)
    hot = report_payload()
    hot["gpus"][0]["temp_c"] = 900
    negative = report_payload()
    negative["miner"]["hashrate_hs"] = -1
    wrong_type = report_payload()
    wrong_type["gpus"] = "lots"
    long_name = report_payload()
    long_name["miner"]["name"] = "x" * 100_000
    for payload in (too_many, hot, negative, wrong_type, long_name):
        response = rig.post("/report", json=payload)
        assert response.status_code == 422, response.text
        assert response.json()["error"]["details"][0]["path"]
    nan = json.dumps(report_payload()).replace('"cpu_load": 0.31', '"cpu_load": NaN')
    assert "NaN" in nan
    assert (
        rig.post("/report", content=nan, headers={"content-type": "application/json"}).status_code
        == 422
    )
    assert (
        rig.post("/report", content=b"{", headers={"content-type": "application/json"}).status_code
        == 422
    )
    assert _count(database, RigSample) == 0
    assert _count(database, RigState) == 0


def test_tokens_are_required_and_scoped(rig: RigClient, rig_http: object, enroll_key: str) -> None:
    assert rig.http.post("/api/rig/v1/report", json=report_payload()).status_code == 401
    forged = RigClient(rig.rig_id, "orr_forged", rig.http)
    assert forged.post("/report", json=report_payload()).status_code == 401
    user_token = RigClient(rig.rig_id, "ort_something", rig.http)
    assert user_token.get("/config").status_code == 401
    other = enroll_rig(rig.http, enroll_key, hostname="other")
    assert other.get("/config").json()["rig"]["id"] == other.rig_id


def test_config_etag_and_304(rig: RigClient) -> None:
    first = rig.get("/config")
    etag = first.headers["etag"]
    assert etag == f'"{first.json()["version"]}"'
    again = rig.get("/config", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_events_land_in_the_activity_log(rig: RigClient, database: Database) -> None:
    events = {
        "events": [
            {
                "kind": "miner_restarted",
                "message": "hashrate low for 5 min",
                "log_tail": "line1\nline2",
            },
            {
                "kind": "overheat",
                "gpu_index": 3,
                "message": "GPU 3 at 91 C",
                "data": {"temp_c": 91},
            },
        ]
    }
    response = rig.post("/events", json=events)
    assert response.status_code == 200 and response.json() == {"stored": 2}
    with database.session(write=False) as db:
        kinds = sorted(db.scalars(select(Activity.kind).where(Activity.kind.like("rig:%"))))
    assert kinds == ["rig:miner_restarted", "rig:overheat"]
    assert rig.post("/events", json={"events": [{"kind": "bogus"}]}).status_code == 422
    assert rig.post("/events", json={"events": []}).status_code == 422
