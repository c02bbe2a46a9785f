"""Real time, real worker: how long from a rig's grace running out to its alert
firing (detection), and from firing to the message arriving (delivery).

    .venv/bin/python -m pytest tests/alerts/test_latency.py -q -s
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from openrig.core.db import Database, utcnow
from openrig.settings import Settings
from openrig.worker.runner import Worker, default_jobs
from tests.alerts.helpers import alerts, make_channel, seen
from tests.support.actors import Actors
from tests.support.rigs import RigClient, report_payload

GROUP_WAIT_S = 2.0


def test_detection_and_delivery_latency(
    actors: Actors, rig: RigClient, database: Database, settings: Settings, httpserver: HTTPServer
) -> None:
    arrived: list[datetime] = []
    got = threading.Event()

    def receive(_request: Request) -> Response:
        arrived.append(datetime.now(UTC))
        got.set()
        return Response("{}", content_type="application/json")

    httpserver.expect_request("/hook").respond_with_handler(receive)
    make_channel(actors.admin, actors.farm_id, "webhook", {"url": httpserver.url_for("/hook")})
    settings.alert_group_wait_s = GROUP_WAIT_S
    rig.post("/report", json=report_payload())
    seen(database, rig.rig_id, utcnow() - timedelta(seconds=88))  # grace ends in 2 s
    offline_at = utcnow() + timedelta(seconds=2)
    worker = Worker(database, default_jobs(settings))
    worker.start()
    try:
        assert got.wait(timeout=40), "no notification within 40 s"
    finally:
        worker.stop()
    [alert] = alerts(database, rule="rig_offline")
    assert alert.fired_at is not None
    detection = (alert.fired_at - offline_at).total_seconds()
    delivery = (arrived[0] - alert.fired_at).total_seconds()
    print(
        f"\ndetection {detection:.2f} s (grace end → firing), "
        f"delivery {delivery:.2f} s (firing → received, group_wait {GROUP_WAIT_S:g} s)"
    )
    assert detection <= 10
    assert delivery <= GROUP_WAIT_S + 10
