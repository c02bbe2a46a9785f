"""Commands end to end: queued by a user, delivered to the rig, results back."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update

from openrig.app import create_app
from openrig.core.db import Database, utcnow
from openrig.models import Command, Farm
from openrig.settings import Settings
from tests.support.actors import Actors
from tests.support.rigs import RigClient, report_payload


def _queue(actors: Actors, rig: RigClient, type_: str = "reboot", **extra: object) -> dict:
    response = actors.operator.post(
        f"/api/v1/rigs/{rig.rig_id}/commands", json={"type": type_, **extra}
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_command_rides_on_report_answer_and_result_shows(actors: Actors, rig: RigClient) -> None:
    queued = _queue(actors, rig, "restart_miner")
    assert queued["status"] == "queued"
    answer = rig.post("/report", json=report_payload()).json()
    assert answer["commands"] == [{"id": queued["id"], "type": "restart_miner", "args": {}}]
    # Delivered once: the next report does not repeat it.
    assert rig.post("/report", json=report_payload()).json()["commands"] == []
    started = rig.post(f"/commands/{queued['id']}/result", json={"status": "started"})
    assert started.json()["status"] == "started"
    done = rig.post(
        f"/commands/{queued['id']}/result",
        json={"status": "succeeded", "exit_code": 0, "output": "ok\n"},
    )
    assert done.json() == {"id": queued["id"], "status": "succeeded", "applied": True}
    again = rig.post(f"/commands/{queued['id']}/result", json={"status": "failed", "exit_code": 1})
    assert again.json()["applied"] is False
    shown = actors.viewer.get(f"/api/v1/rigs/{rig.rig_id}/commands").json()
    assert shown["total"] == 1
    assert shown["items"][0]["status"] == "succeeded" and shown["items"][0]["output"] == "ok\n"


def test_output_is_cut_to_its_64k_tail(actors: Actors, rig: RigClient) -> None:
    queued = _queue(actors, rig)
    output = "a" * 70_000 + "END"
    rig.post(
        f"/commands/{queued['id']}/result",
        json={"status": "failed", "exit_code": 2, "output": output},
    )
    item = actors.viewer.get(f"/api/v1/commands/{queued['id']}").json()
    assert len(item["output"]) == 64 * 1024 and item["output"].endswith("END")


def test_rig_cannot_touch_another_rigs_command(
    actors: Actors, rig: RigClient, enroll_key: str
) -> None:
    from tests.support.rigs import enroll_rig

    other = enroll_rig(rig.http, enroll_key, hostname="other")
    queued = _queue(actors, rig)
    response = other.post(f"/commands/{queued['id']}/result", json={"status": "succeeded"})
    assert response.status_code == 404
    assert actors.viewer.get(f"/api/v1/commands/{queued['id']}").json()["status"] == "queued"


def test_cancel_and_expiry(actors: Actors, rig: RigClient, database: Database) -> None:
    first = _queue(actors, rig)
    cancelled = actors.operator.post(f"/api/v1/commands/{first['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    assert actors.operator.post(f"/api/v1/commands/{first['id']}/cancel").status_code == 409
    second = _queue(actors, rig, ttl_s=10)
    with database.transaction() as db:
        db.execute(
            update(Command)
            .where(Command.id == second["id"])
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    # An expired command is never delivered, and the sweeper marks it.
    assert rig.post("/report", json=report_payload()).json()["commands"] == []
    from openrig.commands.service import expire

    with database.transaction() as db:
        assert expire(db, utcnow()) == 1
    assert actors.viewer.get(f"/api/v1/commands/{second['id']}").json()["status"] == "expired"


def test_unacknowledged_delivery_is_repeated(
    actors: Actors, rig: RigClient, database: Database
) -> None:
    queued = _queue(actors, rig)
    assert len(rig.post("/report", json=report_payload()).json()["commands"]) == 1
    with database.transaction() as db:
        db.execute(update(Command).values(delivered_at=utcnow() - timedelta(minutes=2)))
    again = rig.post("/report", json=report_payload()).json()["commands"]
    assert [c["id"] for c in again] == [queued["id"]]


def test_access_rules_for_commands(actors: Actors, rig: RigClient, database: Database) -> None:
    url = f"/api/v1/rigs/{rig.rig_id}/commands"
    assert actors.viewer.post(url, json={"type": "reboot"}).status_code == 403
    assert actors.outsider.post(url, json={"type": "reboot"}).status_code == 404
    assert actors.outsider.get(url).status_code == 404
    assert actors.anonymous.post(url, json={"type": "reboot"}).status_code == 401
    exec_body = {"type": "exec", "args": {"command": "nvidia-smi -q"}}
    assert actors.operator.post(url, json=exec_body).status_code == 403
    refused = actors.admin.post(url, json=exec_body)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "exec_disabled"
    with database.transaction() as db:
        farm = db.get(Farm, actors.farm_id)
        assert farm is not None
        farm.config = {**farm.config, "exec_allowed": True}
    assert actors.admin.post(url, json=exec_body).status_code == 201
    for bad in (
        {"type": "format_disk"},
        {"type": "reboot", "args": {"x": 1}},
        {"type": "exec", "args": {"command": "a\nb"}},
        {"type": "exec", "args": {}},
        {"type": "reboot", "ttl_s": 0},
        {"type": "reboot", "extra": 1},
    ):
        response = actors.admin.post(url, json=bad)
        assert response.status_code == 422, bad


def test_bulk_commands_by_selector(actors: Actors, rig: RigClient, enroll_key: str) -> None:
    from tests.support.rigs import enroll_rig

    other = enroll_rig(rig.http, enroll_key, hostname="other")
    url = f"/api/v1/farms/{actors.farm_id}/commands"
    everyone = actors.operator.post(url, json={"type": "restart_miner", "selector": {"all": True}})
    assert everyone.status_code == 201 and everyone.json()["count"] == 2
    one = actors.operator.post(
        url, json={"type": "reboot", "selector": {"rig_ids": [other.rig_id]}}
    )
    assert one.json()["count"] == 1
    foreign = actors.operator.post(url, json={"type": "reboot", "selector": {"rig_ids": ["nope"]}})
    assert foreign.status_code == 422
    two = actors.operator.post(url, json={"type": "reboot", "selector": {"all": True, "tag": "x"}})
    assert two.status_code == 422


def test_long_poll_wakes_when_another_instance_queues(
    actors: Actors, rig: RigClient, settings: Settings, database: Database
) -> None:
    """The command is queued through a second app sharing only the database."""
    second = create_app(settings, Database.connect(database.url))
    result: dict[str, object] = {}

    def wait() -> None:
        response = rig.get("/commands/wait", params={"timeout": 10})
        result["answered_at"] = time.monotonic()
        result["status"] = response.status_code
        result["body"] = response.json() if response.status_code == 200 else None

    waiter = threading.Thread(target=wait)
    waiter.start()
    time.sleep(1.0)  # the rig is now parked in the long-poll on the first instance
    with TestClient(second) as other_instance:
        other_instance.cookies = actors.operator.client.cookies
        response = other_instance.post(
            f"/api/v1/rigs/{rig.rig_id}/commands",
            json={"type": "reboot"},
            headers=dict(actors.operator.client.headers),
        )
        queued_at = time.monotonic()
        assert response.status_code == 201, response.text
        waiter.join(timeout=15)
    assert result["status"] == 200
    body = result["body"]
    assert isinstance(body, dict) and body["commands"][0]["type"] == "reboot"
    answered_at = result["answered_at"]
    assert isinstance(answered_at, float)
    assert answered_at - queued_at < 2.0, f"woke {answered_at - queued_at:.2f}s after queueing"


def test_long_poll_times_out_with_204(rig: RigClient) -> None:
    started = time.monotonic()
    response = rig.get("/commands/wait", params={"timeout": 1})
    assert response.status_code == 204
    assert 0.9 < time.monotonic() - started < 3
