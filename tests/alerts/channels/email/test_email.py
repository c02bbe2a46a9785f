"""Email transport through a real SMTP server (aiosmtpd on loopback)."""

from __future__ import annotations

import pytest

from openrig.core.db import Database, utcnow
from openrig.settings import Settings
from tests.alerts.conftest import Mailbox
from tests.alerts.helpers import dispatch, fire_offline, make_channel, notifications, rename_rig
from tests.support.actors import Actors
from tests.support.rigs import RigClient, report_payload


def test_alert_mail_plain_and_escaped_html(
    actors: Actors, rig: RigClient, database: Database, settings: Settings, mailbox: Mailbox
) -> None:
    make_channel(
        actors.admin, actors.farm_id, "email", {"to": ["ops@example.com", "Boss@Example.com"]}
    )
    rig.post("/report", json=report_payload())
    rename_rig(database, rig.rig_id, '<script>alert("x")</script>')
    dispatch(database, settings, fire_offline(database, settings, rig.rig_id))
    [mail] = mailbox.messages
    assert mail["To"] == "ops@example.com, Boss@example.com"
    assert mail["Subject"].startswith('[openrig] CRITICAL: <script>alert("x")</script> offline')
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "no report since" in text
    assert f"http://testserver/#/rigs/{rig.rig_id}" in text
    html = mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert f'<a href="http://testserver/#/rigs/{rig.rig_id}">' in html


def test_test_message_and_smtp_down_is_retried(
    actors: Actors, database: Database, settings: Settings, mailbox: Mailbox
) -> None:
    made = make_channel(actors.admin, actors.farm_id, "email", {"to": ["ops@example.com"]})
    assert actors.admin.post(f"/api/v1/channels/{made['id']}/test").status_code == 202
    dispatch(database, settings, utcnow())
    assert mailbox.messages[0]["Subject"].startswith("[openrig] Test message from openrig")
    settings.smtp_port = 1  # nothing listens there
    actors.admin.post(f"/api/v1/channels/{made['id']}/test")
    assert dispatch(database, settings, utcnow())["retry"] == 1
    latest = notifications(database)[-1]
    assert latest.status == "pending" and latest.last_error.startswith("SMTP error")


@pytest.mark.parametrize(
    ("config", "path"),
    [
        ({"to": ["not-an-address"]}, "config.to.0"),
        ({"to": ["ok@example.com", "bad@@example.com"]}, "config.to.1"),
        ({"to": []}, "config.to"),
        ({"to": "ops@example.com"}, "config.to"),
        ({"to": ["ops@example.com"], "cc": ["x@example.com"]}, "config"),
    ],
)
def test_bad_addresses_rejected(
    actors: Actors, mailbox: Mailbox, config: dict[str, object], path: str
) -> None:
    response = actors.admin.post(
        f"/api/v1/farms/{actors.farm_id}/channels",
        json={"kind": "email", "name": "mail", "config": config},
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"][0]["path"] == path


def test_email_needs_smtp_on_the_server(actors: Actors) -> None:
    response = actors.admin.post(
        f"/api/v1/farms/{actors.farm_id}/channels",
        json={"kind": "email", "name": "mail", "config": {"to": ["ops@example.com"]}},
    )
    assert response.status_code == 422
    assert "SMTP" in response.json()["error"]["message"]
