"""End-to-end scenarios with controlled time: rigs report for real, the evaluator and
dispatcher run at chosen moments, messages land on a real HTTP server on loopback."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from pytest_httpserver import HTTPServer
from sqlalchemy import update

from openrig.core.db import Database, utcnow
from openrig.models import Rig
from openrig.settings import Settings
from tests.alerts.conftest import Mailbox
from tests.alerts.helpers import (
    alerts,
    dispatch,
    make_channel,
    notifications,
    run_eval,
    seen,
    tick,
    transitions,
)
from tests.support.actors import Actors
from tests.support.rigs import RigClient, enroll_rig, report_payload


def hook(httpserver: HTTPServer, actors: Actors, **policy: Any) -> str:
    httpserver.expect_request("/hook", method="POST").respond_with_json({"ok": True})
    body = {"policy": policy} if policy else {}
    made = make_channel(
        actors.admin, actors.farm_id, "webhook", {"url": httpserver.url_for("/hook")}, **body
    )
    return str(made["id"])


def posted(httpserver: HTTPServer) -> list[dict[str, Any]]:
    return [json.loads(req.data) for req, _ in httpserver.log if req.path == "/hook"]


def kinds(message: dict[str, Any]) -> list[tuple[str, str]]:
    return [(i["kind"], i["rule"]) for i in message["items"]]


def test_silent_rig_one_notice_after_grace_one_resolve_on_return(
    actors: Actors, rig: RigClient, database: Database, settings: Settings, httpserver: HTTPServer
) -> None:
    hook(httpserver, actors)
    rig.post("/report", json=report_payload())
    t0 = utcnow()
    seen(database, rig.rig_id, t0)
    for s in range(0, 300, 5):
        tick(database, settings, t0 + timedelta(seconds=s))
    [first] = posted(httpserver)
    assert kinds(first) == [("firing", "rig_offline")]
    assert first["items"][0]["rig"]["name"] == "rig-07"
    assert first["items"][0]["url"] == f"http://testserver/#/rigs/{rig.rig_id}"
    assert first["site_wide"] is None  # one rig of one is no proof of a site outage
    back = t0 + timedelta(seconds=300)
    for s in range(0, 300, 5):
        seen(database, rig.rig_id, back + timedelta(seconds=s))
        tick(database, settings, back + timedelta(seconds=s))
    assert [kinds(m) for m in posted(httpserver)] == [
        [("firing", "rig_offline")],
        [("resolved", "rig_offline")],
    ]


def test_twenty_rigs_silent_together_one_grouped_message(
    actors: Actors,
    rig: RigClient,
    enroll_key: str,
    database: Database,
    settings: Settings,
    httpserver: HTTPServer,
    mailbox: Mailbox,
) -> None:
    hook(httpserver, actors)
    make_channel(actors.admin, actors.farm_id, "email", {"to": ["ops@example.com"]})
    rigs = [rig] + [enroll_rig(rig.http, enroll_key, hostname=f"rig-{i:02d}") for i in range(1, 20)]
    t0 = utcnow()
    for each in rigs:
        each.post("/report", json=report_payload())
        seen(database, each.rig_id, t0 + timedelta(seconds=len(rigs) % 7))
    for s in range(0, 200, 5):
        tick(database, settings, t0 + timedelta(seconds=s))
    [message] = posted(httpserver)
    assert len(message["items"]) == 20
    assert message["site_wide"] == {"offline": 20, "rigs": 20}
    [mail] = mailbox.messages
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    first, second = text.splitlines()[:2]
    assert first.startswith("Looks like a site-wide outage (power or network) at Farm A")
    assert second.startswith("CRITICAL: 20 rigs offline in Farm A: rig-01, rig-02,")
    assert second.endswith("… (+12)")
    assert mail["Subject"].startswith("[openrig] Looks like a site-wide outage")


def test_flapping_rig_stays_one_alert(
    actors: Actors, rig: RigClient, database: Database, settings: Settings, httpserver: HTTPServer
) -> None:
    """Reports for one minute, silent for two (past the 90 s grace), for half an hour:
    online 140 s at a time, longer than the 120 s clear time, so it does resolve once;
    flap damping then doubles the clear time and the rig stays one alert."""
    hook(httpserver, actors)
    rig.post("/report", json=report_payload())
    t0 = utcnow()
    for s in range(0, 1800, 10):
        if s % 180 < 60:
            seen(database, rig.rig_id, t0 + timedelta(seconds=s))
        tick(database, settings, t0 + timedelta(seconds=s))
    assert [kinds(m) for m in posted(httpserver)] == [
        [("firing", "rig_offline")],
        # The resolve and the next firing fell within one group_wait: one message.
        [("resolved", "rig_offline"), ("firing", "rig_offline")],
    ]
    stable = t0 + timedelta(seconds=1800)
    for s in range(0, 400, 10):
        seen(database, rig.rig_id, stable + timedelta(seconds=s))
        tick(database, settings, stable + timedelta(seconds=s))
    assert [kinds(m) for m in posted(httpserver)][2:] == [[("resolved", "rig_offline")]]


def test_silence_and_maintenance_suppress_but_alerts_show_marked(
    actors: Actors,
    rig: RigClient,
    enroll_key: str,
    database: Database,
    settings: Settings,
    httpserver: HTTPServer,
) -> None:
    hook(httpserver, actors)
    other = enroll_rig(rig.http, enroll_key, hostname="rig-08")
    third = enroll_rig(rig.http, enroll_key, hostname="rig-09")
    t0 = utcnow()
    for each in (rig, other, third):
        each.post("/report", json=report_payload())
        seen(database, each.rig_id, t0)
    silence = actors.operator.post(
        f"/api/v1/farms/{actors.farm_id}/silences",
        json={
            "rig_id": rig.rig_id,
            "ends_at": (t0 + timedelta(hours=1)).isoformat(),
            "comment": "swapping risers",
        },
    )
    assert silence.status_code == 201, silence.text
    with database.transaction() as db:
        db.execute(update(Rig).where(Rig.id == other.rig_id).values(maintenance=True))
    for s in range(0, 200, 5):
        tick(database, settings, t0 + timedelta(seconds=s))
    [message] = posted(httpserver)
    assert [i["rig"]["name"] for i in message["items"]] == ["rig-09"]
    listed = actors.viewer.get(
        f"/api/v1/farms/{actors.farm_id}/alerts", params={"state": "active"}
    ).json()
    marks = {a["rig_name"]: a["silenced_by"] for a in listed["items"]}
    assert marks == {
        "rig-07": f"silence:{silence.json()['id']}",
        "rig-08": "maintenance",
        "rig-09": None,
    }


def test_reminders_repeat_at_their_interval(
    actors: Actors, rig: RigClient, database: Database, settings: Settings, httpserver: HTTPServer
) -> None:
    hook(httpserver, actors, remind_every_s=3600)
    rig.post("/report", json=report_payload())
    t0 = utcnow()
    seen(database, rig.rig_id, t0)
    for s in range(0, 3 * 3600 + 1800, 60):
        tick(database, settings, t0 + timedelta(seconds=s))
    sent = [kinds(m) for m in posted(httpserver)]
    assert sent == [[("firing", "rig_offline")]] + [[("reminder", "rig_offline")]] * 3


def test_two_workers_send_each_transition_once(
    actors: Actors,
    rig: RigClient,
    enroll_key: str,
    database: Database,
    settings: Settings,
    httpserver: HTTPServer,
) -> None:
    hook(httpserver, actors)
    hook_two = make_channel(
        actors.admin, actors.farm_id, "webhook", {"url": httpserver.url_for("/hook")}
    )
    rigs = [rig] + [enroll_rig(rig.http, enroll_key, hostname=f"r{i}") for i in range(4)]
    t0 = utcnow()
    for each in rigs:
        each.post("/report", json=report_payload())
        seen(database, each.rig_id, t0)
    run_eval(database, t0 + timedelta(seconds=100))
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            for s in range(130, 140):
                dispatch(database, settings, t0 + timedelta(seconds=s))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    messages = posted(httpserver)
    assert len(messages) == 2  # one per channel
    assert all(len(m["items"]) == 5 for m in messages)
    assert len({m["id"] for m in messages}) == 2
    assert {n.channel_id for n in notifications(database)} >= {hook_two["id"]}
    assert all(t.claimed_at is not None for t in transitions(database))


def test_quiet_hours_defer_warnings_critical_passes(
    actors: Actors, rig: RigClient, database: Database, settings: Settings, httpserver: HTTPServer
) -> None:
    hook(
        httpserver,
        actors,
        severities=["critical", "warning"],
        quiet_hours={"start": "22:00", "end": "07:00", "timezone": "Europe/Berlin"},
    )
    hot = report_payload()
    hot["gpus"][0]["temp_c"] = 95
    rig.post("/report", json=hot)
    late = datetime(2030, 1, 15, 22, 30, tzinfo=UTC)  # 23:30 in Berlin
    for s in range(0, 400, 10):
        seen(database, rig.rig_id, late + timedelta(seconds=s))
        tick(database, settings, late + timedelta(seconds=s))
    assert posted(httpserver) == []
    [deferred] = notifications(database)
    assert deferred.next_attempt_at == datetime(2030, 1, 16, 6, 0, tzinfo=UTC)  # 07:00 Berlin
    # The rig dies: critical goes out during quiet hours.
    dead = late + timedelta(seconds=400)
    for s in range(0, 200, 10):
        tick(database, settings, dead + timedelta(seconds=s))
    assert [kinds(m) for m in posted(httpserver)] == [[("firing", "rig_offline")]]
    dispatch(database, settings, datetime(2030, 1, 16, 6, 0, 1, tzinfo=UTC))
    assert [kinds(m) for m in posted(httpserver)][1] == [("firing", "gpu_temp_high")]
    assert {a.rule: a.state for a in alerts(database)}["gpu_temp_high"] == "firing"
