"""Access per role for every alerts endpoint: viewers read; operators change rules
and silences; admins manage channels; outsiders get 404, anonymous callers 401."""

from __future__ import annotations

from datetime import timedelta

import pytest

from openrig.core.db import Database, utcnow
from openrig.models import AlertChannel, AlertSilence, TelegramLink
from tests.farms.helpers import ACTOR_NAMES, Call, expected_status, make_group, make_rig
from tests.support.actors import Actors

TOMORROW = (utcnow() + timedelta(days=1)).isoformat()
HOOK = {"kind": "webhook", "name": "ops hook", "config": {"url": "http://127.0.0.1:9/hook"}}
PATCH = {"gpu_temp_high": {"core_c": 80}}

CALLS = [
    Call("GET", "/farms/{farm}/alerts", "viewer", params={"state": "active"}),
    Call("GET", "/farms/{farm}/alert-rules", "viewer"),
    Call("PATCH", "/farms/{farm}/alert-rules", "operator", body=PATCH),
    Call("GET", "/groups/{group}/alert-rules", "viewer"),
    Call("PATCH", "/groups/{group}/alert-rules", "operator", body=PATCH),
    Call("GET", "/rigs/{rig}/alert-rules", "viewer"),
    Call("PATCH", "/rigs/{rig}/alert-rules", "operator", body=PATCH),
    Call("GET", "/farms/{farm}/silences", "viewer"),
    Call(
        "POST", "/farms/{farm}/silences", "operator", 201, {"rig_id": "{rig}", "ends_at": TOMORROW}
    ),
    Call("PATCH", "/silences/{silence}", "operator", body={"comment": "longer"}),
    Call("DELETE", "/silences/{silence}", "operator", 204),
    Call("GET", "/farms/{farm}/channels", "viewer"),
    Call("POST", "/farms/{farm}/channels", "admin", 201, HOOK),
    Call("GET", "/channels/{channel}", "viewer"),
    Call("PATCH", "/channels/{channel}", "admin", body={"name": "renamed"}),
    Call("DELETE", "/channels/{channel}", "admin", 204),
    Call("POST", "/channels/{channel}/test", "admin", 202),
    Call("GET", "/channels/{channel}/notifications", "viewer"),
    Call("POST", "/farms/{farm}/channels/telegram/link", "admin", 201),
    Call("GET", "/farms/{farm}/channels/telegram/link/{code}", "admin"),
]


def _ids(actors: Actors, database: Database) -> dict[str, str]:
    group = make_group(database, actors.farm_id, "Main")
    rig = make_rig(database, actors.farm_id, "rig-1", group_id=group)
    now = utcnow()
    with database.transaction() as db:
        channel = AlertChannel(
            farm_id=actors.farm_id,
            kind="webhook",
            name="hook",
            created_at=now,
            config={"url": "http://127.0.0.1:9/hook", "secret": "whsec_" + "s" * 30},
            policy={},
        )
        silence = AlertSilence(
            farm_id=actors.farm_id, rig_id=rig, starts_at=now, ends_at=now + timedelta(hours=1)
        )
        link = TelegramLink(
            code="linkcode1234", farm_id=actors.farm_id, expires_at=now + timedelta(minutes=5)
        )
        db.add_all([channel, silence, link])
        db.flush()
        return {
            "farm": actors.farm_id,
            "group": group,
            "rig": rig,
            "channel": channel.id,
            "silence": silence.id,
            "code": link.code,
        }


@pytest.mark.parametrize("actor_name", ACTOR_NAMES)
@pytest.mark.parametrize("call", CALLS, ids=str)
def test_access_matrix(actors: Actors, database: Database, call: Call, actor_name: str) -> None:
    ids = _ids(actors, database)
    response = call.send(getattr(actors, actor_name), ids)
    want = expected_status(actor_name, call.need, call.ok)
    assert response.status_code == want, response.text
    if want >= 400:
        assert set(response.json()["error"]) >= {"code", "message", "details"}


def test_another_farms_objects_are_404(actors: Actors, database: Database) -> None:
    """The outsider owns a farm of their own; nothing of ours is reachable from it."""
    ids = _ids(actors, database)
    out = actors.outsider
    for path in ("/channels/{channel}", "/rigs/{rig}/alert-rules", "/groups/{group}/alert-rules"):
        assert out.get("/api/v1" + path.format(**ids)).status_code == 404
    assert out.delete(f"/api/v1/silences/{ids['silence']}").status_code == 404
    assert (
        out.get(
            f"/api/v1/farms/{actors.other_farm_id}/channels/telegram/link/{ids['code']}"
        ).status_code
        == 404
    )
    # Their own farm's silence may not point at our rig.
    response = out.post(
        f"/api/v1/farms/{actors.other_farm_id}/silences",
        json={"rig_id": ids["rig"], "ends_at": TOMORROW},
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["path"] == "rig_id"
