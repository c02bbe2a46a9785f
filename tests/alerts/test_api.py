"""Rules layering, bad input answered with clear 422s, alert lists and the rig-list
helper ``active_alerts_for``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from openrig.alerts.service import active_alerts_for
from openrig.core.db import Database, utcnow
from tests.alerts.helpers import run_eval, seen
from tests.farms.helpers import make_group
from tests.support.actors import Actors
from tests.support.rigs import RigClient, enroll_rig, report_payload


def test_rule_layers_merge_farm_group_rig(
    actors: Actors, rig: RigClient, database: Database
) -> None:
    group = make_group(database, actors.farm_id, "Hot room")
    assert actors.operator.patch(f"/api/v1/rigs/{rig.rig_id}", json={"group_id": group}).is_success
    op = actors.operator
    op.patch(f"/api/v1/farms/{actors.farm_id}/alert-rules", json={"gpu_temp_high": {"core_c": 80}})
    op.patch(
        f"/api/v1/groups/{group}/alert-rules", json={"gpu_temp_high": {"core_c": 75, "for_s": 60}}
    )
    view = op.patch(
        f"/api/v1/rigs/{rig.rig_id}/alert-rules",
        json={"gpu_temp_high": {"core_c": 70}, "miner_down": {"enabled": False}},
    ).json()
    assert view["scope"] == f"rig:{rig.rig_id}"
    temp = view["effective"]["gpu_temp_high"]
    assert (temp["core_c"], temp["for_s"], temp["mem_c"]) == (70, 60, 105)
    assert view["sources"]["gpu_temp_high.core_c"] == "rig"
    assert view["sources"]["gpu_temp_high.for_s"] == "group"
    assert view["sources"]["gpu_temp_high.mem_c"] == "builtin"
    assert view["effective"]["miner_down"]["enabled"] is False
    # null removes a key from the layer: the group's value shows through again.
    view = op.patch(
        f"/api/v1/rigs/{rig.rig_id}/alert-rules", json={"gpu_temp_high": {"core_c": None}}
    ).json()
    assert view["effective"]["gpu_temp_high"]["core_c"] == 75
    assert view["layer"] == {"miner_down": {"enabled": False}}
    farm = actors.viewer.get(f"/api/v1/farms/{actors.farm_id}/alert-rules").json()
    assert farm["layer"] == {"gpu_temp_high": {"core_c": 80}}
    # The evaluator uses the rig's effective rule: 76 °C is hot for this rig only.
    payload = report_payload()
    payload["gpus"][0]["temp_c"] = 76
    rig.post("/report", json=payload)
    run_eval(database, utcnow())
    listed = actors.viewer.get(f"/api/v1/farms/{actors.farm_id}/alerts").json()
    assert [(a["rule"], a["state"]) for a in listed["items"]] == [("gpu_temp_high", "pending")]
    assert listed["items"][0]["summary"] == "GPU 0 at 76 °C, limit 75 °C"


@pytest.mark.parametrize(
    ("patch", "path"),
    [
        ({"no_such_rule": {}}, "no_such_rule"),
        ({"gpu_temp_high": {"core_c": 500}}, "gpu_temp_high.core_c"),
        ({"gpu_temp_high": {"core_c": "hot"}}, "gpu_temp_high.core_c"),
        ({"gpu_temp_high": {"threshold": 1}}, "gpu_temp_high.threshold"),
        ({"rig_offline": {"severity": "panic"}}, "rig_offline.severity"),
        ({"rig_offline": {"for_s": -1}}, "rig_offline.for_s"),
        ({"rig_offline": {"for_s": 1.5}}, "rig_offline.for_s"),
        ({"rig_offline": {"enabled": "yes"}}, "rig_offline.enabled"),
        ({"rig_rebooted": {"for_s": 10}}, "rig_rebooted.for_s"),
        ({"hashrate_low": {"drop_pct": 101}}, "hashrate_low.drop_pct"),
        ({"miner_down": 5}, "miner_down"),
    ],
)
def test_bad_rule_patches(actors: Actors, patch: dict[str, Any], path: str) -> None:
    response = actors.operator.patch(f"/api/v1/farms/{actors.farm_id}/alert-rules", json=patch)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"][0]["path"] == path


@pytest.mark.parametrize(
    ("config", "path"),
    [
        ({"chat_id": "abc"}, "config.chat_id"),
        ({"chat_id": "12345; rm -rf"}, "config.chat_id"),
        ({"chat_id": 12.5}, "config.chat_id"),
        ({"chat_id": "12345", "bot_token": "nope"}, "config.bot_token"),
        ({"chat_id": "12345", "bot_token": "123:short"}, "config.bot_token"),
        ({"chat_id": "12345", "bot_token": "12345:" + "A" * 35 + "/../x"}, "config.bot_token"),
        ({"chat_id": "12345", "token": "x"}, "config.token"),
    ],
)
def test_bad_telegram_config(actors: Actors, config: dict[str, Any], path: str) -> None:
    response = actors.admin.post(
        f"/api/v1/farms/{actors.farm_id}/channels",
        json={"kind": "telegram", "name": "tg", "config": config},
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"][0]["path"] == path


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"kind": "sms", "name": "x", "config": {}}, "kind"),
        ({"kind": "webhook", "name": "", "config": {}}, "name"),
        (
            {"kind": "webhook", "name": "x", "config": {}, "policy": {"severities": ["loud"]}},
            "policy.severities.0",
        ),
        (
            {"kind": "webhook", "name": "x", "config": {}, "policy": {"remind_every_s": 10}},
            "policy.remind_every_s",
        ),
        (
            {
                "kind": "webhook",
                "name": "x",
                "config": {},
                "policy": {"quiet_hours": {"start": "25:00", "end": "07:00"}},
            },
            "policy.quiet_hours.start",
        ),
        (
            {
                "kind": "webhook",
                "name": "x",
                "config": {},
                "policy": {
                    "quiet_hours": {"start": "22:00", "end": "07:00", "timezone": "Mars/Olympus"}
                },
            },
            "policy.quiet_hours.timezone",
        ),
    ],
)
def test_bad_channel_bodies(actors: Actors, body: dict[str, Any], path: str) -> None:
    response = actors.admin.post(f"/api/v1/farms/{actors.farm_id}/channels", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"][0]["path"] == path


def test_bad_silences(actors: Actors, rig: RigClient) -> None:
    url = f"/api/v1/farms/{actors.farm_id}/silences"
    now = utcnow()
    cases = [
        ({"ends_at": (now - timedelta(hours=1)).isoformat()}, "ends_at"),
        ({"ends_at": (now + timedelta(days=400)).isoformat()}, "ends_at"),
        ({"ends_at": "2030-01-01T00:00:00"}, "ends_at"),
        ({"ends_at": (now + timedelta(hours=1)).isoformat(), "rule": "nope"}, "rule"),
        (
            {"ends_at": (now + timedelta(hours=1)).isoformat(), "group_id": "no-such-group"},
            "group_id",
        ),
        ({"ends_at": (now + timedelta(hours=1)).isoformat(), "comment": "x\x00y"}, "comment"),
    ]
    for body, path in cases:
        response = actors.operator.post(url, json=body)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["error"]["details"][0]["path"] == path


def test_alert_history_filters_and_active_alerts_for(
    actors: Actors, rig: RigClient, enroll_key: str, database: Database
) -> None:
    other = enroll_rig(rig.http, enroll_key, hostname="rig-08")
    t0 = utcnow()
    for each in (rig, other):
        each.post("/report", json=report_payload(running=each is rig))
        seen(database, each.rig_id, t0)
    run_eval(database, t0)
    run_eval(database, t0 + timedelta(seconds=80))
    run_eval(database, t0 + timedelta(seconds=200))  # both offline; rig-08's miner alert stays
    url = f"/api/v1/farms/{actors.farm_id}/alerts"
    everything = actors.viewer.get(url).json()
    assert everything["total"] == 3
    firing = actors.viewer.get(url, params={"state": "firing", "rule": "rig_offline"}).json()
    assert {a["rig_name"] for a in firing["items"]} == {"rig-07", "rig-08"}
    mine = actors.viewer.get(url, params={"rig_id": other.rig_id, "state": "pending"}).json()
    assert [a["rule"] for a in mine["items"]] == ["miner_down"]
    assert actors.viewer.get(url, params={"state": "nonsense"}).status_code == 422
    with database.transaction() as db:
        found = active_alerts_for(db, [rig.rig_id, other.rig_id, "no-such-rig"])
    assert [a["rule"] for a in found[rig.rig_id]] == ["rig_offline"]
    assert sorted(a["rule"] for a in found[other.rig_id]) == ["miner_down", "rig_offline"]
    assert found["no-such-rig"] == []
    first = found[rig.rig_id][0]
    assert set(first) == {
        "id",
        "rule",
        "title",
        "state",
        "severity",
        "summary",
        "silenced",
        "since",
    }
