"""Every farm-scoped endpoint, found from the OpenAPI document (so a new endpoint is
covered the day it is added): an outsider gets 404 as if nothing existed, an anonymous
caller 401, and neither changes a single row."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from sqlalchemy import func, select

from openrig.core.db import Base, Database, utcnow
from openrig.models import AlertChannel, AlertSilence, TelegramLink
from tests.support.actors import Actors

# Self-scoped (a user's own account, their own farm list) or public: tested elsewhere.
SKIP = re.compile(r"^/api/v1/(auth/|miners$|farms$)")

# A valid body for every write, so that the endpoint itself runs (not only validation).
BODIES: dict[tuple[str, str], Any] = {
    ("PATCH", "/api/v1/farms/{farm_id}"): {"name": "taken over"},
    ("POST", "/api/v1/farms/{farm_id}/members"): {"email": "outsider@example.com", "role": "admin"},
    ("PATCH", "/api/v1/farms/{farm_id}/members"): {"user_id": "{outsider_id}", "role": "owner"},
    ("POST", "/api/v1/farms/{farm_id}/groups"): {"name": "g2"},
    ("PATCH", "/api/v1/groups/{group_id}"): {"name": "renamed"},
    ("POST", "/api/v1/farms/{farm_id}/rigs"): {"name": "rig-x"},
    ("PATCH", "/api/v1/rigs/{rig_id}"): {"name": "renamed"},
    ("POST", "/api/v1/farms/{farm_id}/flight-sheets"): {"name": "fs2", "miner": {"name": "trex"}},
    ("PATCH", "/api/v1/farms/{farm_id}/flight-sheets/{item_id}"): {"name": "renamed"},
    ("POST", "/api/v1/farms/{farm_id}/oc-profiles"): {"name": "oc2", "oc": {}},
    ("PATCH", "/api/v1/farms/{farm_id}/oc-profiles/{item_id}"): {"name": "renamed"},
    ("PATCH", "/api/v1/farms/{farm_id}/config"): {"config": {"report_interval_s": 60}},
    ("PATCH", "/api/v1/groups/{group_id}/config"): {"config": {"report_interval_s": 60}},
    ("PATCH", "/api/v1/rigs/{rig_id}/config"): {"config": {"report_interval_s": 60}},
    ("POST", "/api/v1/farms/{farm_id}/bulk"): {
        "selector": {"all": True},
        "action": {"config_patch": {"report_interval_s": 60}},
    },
    ("POST", "/api/v1/rigs/{rig_id}/commands"): {"type": "reboot"},
    ("POST", "/api/v1/farms/{farm_id}/commands"): {"type": "reboot", "selector": {"all": True}},
    ("POST", "/api/v1/farms/{farm_id}/channels"): {
        "kind": "webhook",
        "name": "h2",
        "config": {"url": "http://127.0.0.1:9/h"},
    },
    ("PATCH", "/api/v1/channels/{channel_id}"): {"name": "renamed"},
    ("POST", "/api/v1/channels/{channel_id}/test"): None,
    ("POST", "/api/v1/farms/{farm_id}/channels/telegram/link"): None,
    ("PATCH", "/api/v1/farms/{farm_id}/alert-rules"): {"rig_offline": {"for_s": 60}},
    ("PATCH", "/api/v1/groups/{group_id}/alert-rules"): {"rig_offline": {"for_s": 60}},
    ("PATCH", "/api/v1/rigs/{rig_id}/alert-rules"): {"rig_offline": {"for_s": 60}},
    ("POST", "/api/v1/farms/{farm_id}/silences"): {"ends_at": "2099-01-01T00:00:00Z"},
    ("PATCH", "/api/v1/silences/{silence_id}"): {"comment": "mine now"},
}


def _alert_objects(database: Database, farm: str) -> tuple[str, str, str]:
    """A channel, a silence and a Telegram link code, inserted directly (creating them
    through the API needs SMTP, an instance bot or a public webhook host)."""
    now = utcnow()
    with database.transaction() as db:
        channel = AlertChannel(
            farm_id=farm,
            kind="webhook",
            name="h",
            created_at=now,
            config={"url": "https://example.com/h", "secret": "s" * 20},
        )
        silence = AlertSilence(farm_id=farm, starts_at=now, ends_at=now + timedelta(hours=1))
        link = TelegramLink(code="code1234", farm_id=farm, expires_at=now + timedelta(hours=1))
        db.add_all([channel, silence, link])
        db.flush()
        return channel.id, silence.id, link.code


def _farm_objects(actors: Actors, database: Database) -> dict[str, str]:
    owner, farm = actors.owner, actors.farm_id
    group = owner.post(f"/api/v1/farms/{farm}/groups", json={"name": "g"}).json()["id"]
    rig = owner.post(f"/api/v1/farms/{farm}/rigs", json={"name": "r", "group_id": group}).json()[
        "id"
    ]
    sheet = owner.post(
        f"/api/v1/farms/{farm}/flight-sheets", json={"name": "fs", "miner": {"name": "trex"}}
    ).json()["id"]
    owner.post(f"/api/v1/farms/{farm}/oc-profiles", json={"name": "oc", "oc": {}})
    owner.patch(f"/api/v1/farms/{farm}/config", json={"flight_sheet_id": sheet})
    command = owner.post(f"/api/v1/rigs/{rig}/commands", json={"type": "reboot"}).json()["id"]
    entry = owner.get(f"/api/v1/farms/{farm}/history").json()["items"][0]["id"]
    channel, silence, code = _alert_objects(database, farm)
    return {
        "farm_id": farm,
        "group_id": group,
        "rig_id": rig,
        "item_id": sheet,
        "command_id": command,
        "entry_id": entry,
        "outsider_id": actors.outsider.user_id,
        "channel_id": channel,
        "silence_id": silence,
        "code": code,
    }


def _snapshot(database: Database) -> dict[str, int]:
    with database.session(write=False) as db:
        return {
            t.name: int(db.scalar(select(func.count()).select_from(t)) or 0)
            for t in Base.metadata.sorted_tables
            if t.name not in ("user_sessions",)
        }


def _fill(template: Any, ids: dict[str, str]) -> Any:
    if isinstance(template, str):
        return re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], template)
    if isinstance(template, dict):
        return {k: _fill(v, ids) for k, v in template.items()}
    return template


def _farm_routes(app: FastAPI) -> list[tuple[str, str]]:
    routes = []
    for path, item in app.openapi()["paths"].items():
        if path.startswith("/api/v1/") and not SKIP.match(path):
            routes += [(method.upper(), path) for method in item]
    return routes


def test_outsiders_and_anonymous_see_and_change_nothing(
    app: FastAPI, actors: Actors, database: Database
) -> None:
    ids = _farm_objects(actors, database)
    routes = _farm_routes(app)
    assert len(routes) > 30
    missing = [
        r
        for r in routes
        if r[0] in ("POST", "PATCH")
        and r not in BODIES
        and not r[1].endswith(("/restore", "/cancel", "/enroll-key"))
    ]
    assert not missing, f"add a sample body for {missing}"
    before = _snapshot(database)
    for method, path in routes:
        url = _fill(path, ids)
        body = _fill(BODIES.get((method, path)), ids)
        params = (
            {"user_id": ids["outsider_id"]}
            if path.endswith("/members") and method == "DELETE"
            else None
        )
        for who, expected in (("outsider", 404), ("anonymous", 401)):
            response = getattr(actors, who).client.request(method, url, json=body, params=params)
            assert response.status_code == expected, f"{who} {method} {path}: {response.text}"
            assert response.json()["error"]["code"] in ("not_found", "unauthorized")
            assert ids["rig_id"] not in response.text
    assert _snapshot(database) == before
