"""Telegram transport against a real HTTP server on loopback standing in for the Bot
API: message content, 429 retry_after, 5xx retries, permanent errors, linking."""

from __future__ import annotations

import json
from datetime import timedelta

from pytest_httpserver import HTTPServer

from openrig.alerts.channels.telegram.link import poll_links
from openrig.core.db import Database, utcnow
from openrig.settings import Settings
from tests.alerts.conftest import BOT_TOKEN
from tests.alerts.helpers import (
    channel_row,
    dispatch,
    fire_offline,
    make_channel,
    notifications,
    rename_rig,
)
from tests.support.actors import Actors
from tests.support.rigs import RigClient, report_payload

OWN_TOKEN = "987654321:ZZEhBP0av28BLg0JdgvOwnOwnOwnOwnOwnQ"
SEND = f"/bot{OWN_TOKEN}/sendMessage"


def channel(actors: Actors, token: str | None = OWN_TOKEN, chat: str = "-1001234567") -> str:
    config = {"chat_id": chat} | ({"bot_token": token} if token else {})
    return str(make_channel(actors.admin, actors.farm_id, "telegram", config)["id"])


def sent(httpserver: HTTPServer, path: str = SEND) -> list[dict[str, object]]:
    return [json.loads(req.data) for req, _ in httpserver.log if req.path == path]


def test_message_content_and_escaping(
    actors: Actors, rig: RigClient, database: Database, settings: Settings, httpserver: HTTPServer
) -> None:
    httpserver.expect_request(SEND, method="POST").respond_with_json({"ok": True, "result": {}})
    channel(actors)
    rig.post("/report", json=report_payload())
    rename_rig(database, rig.rig_id, "<b>rig&7</b>")
    dispatch(database, settings, fire_offline(database, settings, rig.rig_id))
    [body] = sent(httpserver)
    assert body["chat_id"] == "-1001234567" and body["parse_mode"] == "HTML"
    text = str(body["text"])
    assert text.startswith("<b>CRITICAL: &lt;b&gt;rig&amp;7&lt;/b&gt; offline — no report since")
    assert f'<a href="http://testserver/#/rigs/{rig.rig_id}">&lt;b&gt;rig&amp;7' in text
    assert "<b>rig" not in text


def test_429_waits_retry_after_then_sends(
    actors: Actors, rig: RigClient, database: Database, settings: Settings, httpserver: HTTPServer
) -> None:
    too_many = {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 7",
        "parameters": {"retry_after": 7},
    }
    httpserver.expect_oneshot_request(SEND).respond_with_json(too_many, status=429)
    httpserver.expect_request(SEND).respond_with_json({"ok": True, "result": {}})
    channel(actors)
    rig.post("/report", json=report_payload())
    due = fire_offline(database, settings, rig.rig_id)
    assert dispatch(database, settings, due)["retry"] == 1
    [waiting] = notifications(database)
    assert waiting.next_attempt_at == due + timedelta(seconds=7)
    assert dispatch(database, settings, due + timedelta(seconds=6))["sent"] == 0
    assert dispatch(database, settings, due + timedelta(seconds=7))["sent"] == 1
    assert len(sent(httpserver)) == 2
    history = actors.viewer.get(f"/api/v1/channels/{waiting.channel_id}/notifications").json()
    assert [a["ok"] for a in history[0]["history"]] == [False, True]
    assert "retry after 7" in history[0]["history"][0]["error"]


def test_5xx_is_retried_with_backoff(
    actors: Actors, rig: RigClient, database: Database, settings: Settings, httpserver: HTTPServer
) -> None:
    for _ in range(2):
        httpserver.expect_oneshot_request(SEND).respond_with_data("bad gateway", status=502)
    httpserver.expect_request(SEND).respond_with_json({"ok": True, "result": {}})
    channel_id = channel(actors)
    rig.post("/report", json=report_payload())
    due = fire_offline(database, settings, rig.rig_id)
    dispatch(database, settings, due)
    assert notifications(database)[0].next_attempt_at == due + timedelta(seconds=15)
    dispatch(database, settings, due + timedelta(seconds=15))
    assert notifications(database)[0].next_attempt_at == due + timedelta(seconds=45)
    dispatch(database, settings, due + timedelta(seconds=45))
    assert notifications(database)[0].status == "sent"
    row = channel_row(database, channel_id)
    assert row.enabled and row.last_error == "Telegram: HTTP 502"


def test_blocked_bot_disables_the_channel(
    actors: Actors, rig: RigClient, database: Database, settings: Settings, httpserver: HTTPServer
) -> None:
    blocked = {
        "ok": False,
        "error_code": 403,
        "description": "Forbidden: bot was blocked by the user",
    }
    httpserver.expect_request(SEND).respond_with_json(blocked, status=403)
    channel_id = channel(actors)
    rig.post("/report", json=report_payload())
    assert dispatch(database, settings, fire_offline(database, settings, rig.rig_id))["failed"] == 1
    shown = actors.viewer.get(f"/api/v1/channels/{channel_id}").json()
    assert shown["enabled"] is False
    assert shown["disabled_reason"] == "Telegram: Forbidden: bot was blocked by the user"
    assert shown["config"]["bot_token"] != OWN_TOKEN  # masked
    # Re-enabled by an admin, it works again.
    reenabled = actors.admin.patch(f"/api/v1/channels/{channel_id}", json={"enabled": True})
    assert reenabled.json()["enabled"] is True and reenabled.json()["disabled_reason"] == ""
    assert channel_row(database, channel_id).config["bot_token"] == OWN_TOKEN


def test_chat_not_found_is_permanent(
    actors: Actors, rig: RigClient, database: Database, settings: Settings, httpserver: HTTPServer
) -> None:
    missing = {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
    httpserver.expect_request(SEND).respond_with_json(missing, status=400)
    channel_id = channel(actors)
    response = actors.admin.post(f"/api/v1/channels/{channel_id}/test")
    assert response.status_code == 202
    dispatch(database, settings, utcnow())
    assert channel_row(database, channel_id).enabled is False
    assert len(sent(httpserver)) == 1


def test_instance_bot_test_message(
    actors: Actors, database: Database, settings: Settings, httpserver: HTTPServer
) -> None:
    path = f"/bot{BOT_TOKEN}/sendMessage"
    httpserver.expect_request(path).respond_with_json({"ok": True, "result": {}})
    channel_id = channel(actors, token=None, chat="@farm_alerts")
    assert actors.operator.post(f"/api/v1/channels/{channel_id}/test").status_code == 403
    assert actors.admin.post(f"/api/v1/channels/{channel_id}/test").status_code == 202
    dispatch(database, settings, utcnow())
    [body] = sent(httpserver, path)
    assert body["chat_id"] == "@farm_alerts"
    assert "Test message from openrig for Farm A" in str(body["text"])


def test_one_step_linking(
    actors: Actors, database: Database, settings: Settings, httpserver: HTTPServer
) -> None:
    url = f"/api/v1/farms/{actors.farm_id}/channels/telegram/link"
    link = actors.admin.post(url).json()
    assert link["status"] == "waiting" and link["command"] == f"/start {link['code']}"
    update = {
        "update_id": 500,
        "message": {
            "message_id": 1,
            "text": f"/start {link['code']}",
            "chat": {"id": 42424242, "type": "private", "username": "miner_joe"},
        },
    }
    httpserver.expect_request(f"/bot{BOT_TOKEN}/getUpdates").respond_with_json(
        {"ok": True, "result": [update]}
    )
    httpserver.expect_request(f"/bot{BOT_TOKEN}/sendMessage").respond_with_json(
        {"ok": True, "result": {}}
    )
    with database.transaction() as db:
        assert poll_links(db, settings, utcnow()) == 1
    with database.transaction() as db:  # the same update again (offset not yet seen)
        assert poll_links(db, settings, utcnow()) == 0
    polls = [json.loads(r.data) for r, _ in httpserver.log if r.path.endswith("getUpdates")]
    assert [p["offset"] for p in polls] == [0, 501]
    status = actors.admin.get(f"{url}/{link['code']}").json()
    assert status["status"] == "linked"
    made = actors.viewer.get(f"/api/v1/channels/{status['channel_id']}").json()
    assert made["kind"] == "telegram" and made["config"]["chat_id"] == "42424242"
    assert made["name"] == "Telegram: miner_joe"
    [hello] = sent(httpserver, f"/bot{BOT_TOKEN}/sendMessage")
    assert hello["chat_id"] == "42424242" and "Farm A" in str(hello["text"])
    assert actors.operator.post(url).status_code == 403
    assert actors.outsider.post(url).status_code == 404
