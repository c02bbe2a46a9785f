"""Webhook transport against a real HTTP server on loopback: documented body,
verifiable signature, idempotency key stable across retries, refusals."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import timedelta

import pytest
from pytest_httpserver import HTTPServer

from openrig.core.db import Database
from openrig.settings import Settings
from tests.alerts.helpers import channel_row, dispatch, fire_offline, make_channel
from tests.support.actors import Actors
from tests.support.rigs import RigClient, report_payload


def verify(secret: str, header: str, body: bytes) -> int:
    """What a receiver does (docs/alerts.md): check the HMAC and the timestamp."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256)
    assert hmac.compare_digest(expected.hexdigest(), parts["v1"])
    assert abs(time.time() - int(parts["t"])) < 300
    return int(parts["t"])


def test_signed_body_and_idempotent_retries(
    actors: Actors, rig: RigClient, database: Database, settings: Settings, httpserver: HTTPServer
) -> None:
    httpserver.expect_oneshot_request("/hook").respond_with_data("busy", status=503)
    httpserver.expect_request("/hook").respond_with_json({"ok": True})
    made = make_channel(
        actors.admin, actors.farm_id, "webhook", {"url": httpserver.url_for("/hook")}
    )
    secret = made["secret"]
    assert secret.startswith("whsec_") and made["config"]["secret"] != secret
    rig.post("/report", json=report_payload())
    due = fire_offline(database, settings, rig.rig_id)
    dispatch(database, settings, due)
    dispatch(database, settings, due + timedelta(seconds=15))
    requests = [req for req, _ in httpserver.log]
    assert len(requests) == 2
    keys = {req.headers["Idempotency-Key"] for req in requests}
    assert len(keys) == 1
    for req in requests:
        verify(secret, req.headers["X-Openrig-Signature"], req.data)
        assert req.headers["Content-Type"] == "application/json"
    body = json.loads(requests[1].data)
    assert body["id"] == keys.pop() and body["version"] == 1 and body["test"] is False
    assert body["farm"] == {"id": actors.farm_id, "name": "Farm A"}
    [item] = body["items"]
    assert set(item) == {
        "transition_id",
        "alert_id",
        "kind",
        "rule",
        "title",
        "severity",
        "rig",
        "summary",
        "since",
        "at",
        "url",
    }
    assert item["rig"] == {"id": rig.rig_id, "name": "rig-07", "group": None}
    assert (item["kind"], item["rule"], item["severity"]) == ("firing", "rig_offline", "critical")
    # A tampered body fails verification.
    with pytest.raises(AssertionError):
        verify(secret, requests[1].headers["X-Openrig-Signature"], requests[1].data + b" ")


def test_gone_endpoint_disables_the_channel(
    actors: Actors, rig: RigClient, database: Database, settings: Settings, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/hook").respond_with_data("gone", status=410)
    made = make_channel(
        actors.admin, actors.farm_id, "webhook", {"url": httpserver.url_for("/hook")}
    )
    rig.post("/report", json=report_payload())
    dispatch(database, settings, fire_offline(database, settings, rig.rig_id))
    row = channel_row(database, made["id"])
    assert row.enabled is False and row.disabled_reason == "webhook answered HTTP 410"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.1.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[fe80::1]/hook",
        "http://0.0.0.0/hook",
        "http://[::ffff:127.0.0.1]/hook",
    ],
)
def test_private_targets_refused(actors: Actors, settings: Settings, url: str) -> None:
    settings.webhook_allow_private = False
    response = actors.admin.post(
        f"/api/v1/farms/{actors.farm_id}/channels",
        json={"kind": "webhook", "name": "hook", "config": {"url": url}},
    )
    assert response.status_code == 422, response.text
    [detail] = response.json()["error"]["details"]
    assert detail["path"] == "config.url"
    assert "private, loopback or link-local" in detail["message"]


@pytest.mark.parametrize(
    "config",
    [
        {"url": "ftp://example.com/x"},
        {"url": "not a url"},
        {"url": "http://user:pw@127.0.0.1/x"},
        {"url": "http://" + "a" * 2000 + ".com/"},
        {"url": "http://no-such-host.invalid/hook"},
        {"url": "http://127.0.0.1/x", "secret": "short"},
        {"url": "http://127.0.0.1/x", "extra": 1},
        {},
    ],
)
def test_bad_webhook_config(actors: Actors, config: dict[str, object]) -> None:
    response = actors.admin.post(
        f"/api/v1/farms/{actors.farm_id}/channels",
        json={"kind": "webhook", "name": "hook", "config": config},
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"][0]["path"].startswith("config")
