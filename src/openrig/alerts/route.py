"""Grouping: a farm's transitions, once the oldest has waited ``group_wait``, are
claimed together and become one notification per channel whose policy wants them.

Claiming is a conditional UPDATE, so several workers never send a transition twice.
Silenced alerts (silence or maintenance) are dropped here; a resolve is sent only
when its firing was. Quiet hours defer a notification to their end.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from openrig.alerts import repository_dispatch as repo
from openrig.alerts.policy import ChannelPolicy, quiet_until
from openrig.alerts.rules import RULES
from openrig.alerts.silencing import silenced_by
from openrig.core.db import new_id
from openrig.models import AlertChannel

Item = dict[str, Any]


def route(db: Session, now: datetime, group_wait: timedelta, public_url: str) -> int:
    """Turn due transitions into notifications; the number of notifications made."""
    made = 0
    for farm_id in repo.farms_due(db, now - group_wait):
        made += route_farm(db, farm_id, now, public_url)
    return made


def route_farm(db: Session, farm_id: str, now: datetime, public_url: str) -> int:
    batch = new_id()
    if repo.claim_transitions(db, farm_id, batch, now) == 0:
        return 0  # another worker took them
    rows = repo.batch_rows(db, batch)
    silences = repo.active_silences(db, [farm_id], now)
    items = [
        _item(row, public_url)
        for row in rows
        if not silenced_by(
            silences, farm_id, row[0].rig_id, row.group_id, row[0].rule, row.maintenance
        )
        and (row[0].kind != "resolved" or row.notified_at is not None)
    ]
    if not items:
        return 0
    name, size = repo.farm_name_and_size(db, farm_id)
    base = {"version": 1, "test": False, "farm": {"id": farm_id, "name": name}}
    base["site_wide"] = _site_wide(items, size)
    made = 0
    notified: set[str] = set()
    for channel in repo.enabled_channels(db, farm_id):
        picked = pick(channel, items)
        made += _queue(db, channel, batch, base, picked, now)
        notified.update(i["alert_id"] for i in picked if i["kind"] == "firing")
    repo.mark_notified(db, sorted(notified), now)
    return made


def _item(row: Any, public_url: str) -> Item:
    t = row[0]
    return {
        "transition_id": t.id,
        "alert_id": t.alert_id,
        "kind": t.kind,
        "rule": t.rule,
        "title": RULES[t.rule].title if t.rule in RULES else t.rule,
        "severity": t.severity,
        "channel_id": t.channel_id,
        "rig": {"id": t.rig_id, "name": row.rig_name, "group": row.group_name},
        "summary": t.summary,
        "since": row.started_at.isoformat(),
        "at": t.at.isoformat(),
        "url": f"{public_url}/#/rigs/{t.rig_id}",
    }


def _site_wide(items: list[Item], farm_rigs: int) -> dict[str, int] | None:
    """Half or more of a farm going offline together: likely power or network."""
    offline = {
        i["rig"]["id"] for i in items if i["rule"] == "rig_offline" and i["kind"] == "firing"
    }
    if len(offline) >= 2 and 2 * len(offline) >= farm_rigs:
        return {"offline": len(offline), "rigs": farm_rigs}
    return None


def pick(channel: AlertChannel, items: list[Item]) -> list[Item]:
    policy = ChannelPolicy.model_validate(channel.policy or {})
    return [
        i
        for i in items
        if i["channel_id"] in (None, channel.id)
        and i["severity"] in policy.severities
        and (i["kind"] != "resolved" or policy.notify_resolved)
    ]


def _queue(
    db: Session, channel: AlertChannel, batch: str, base: Item, items: list[Item], now: datetime
) -> int:
    """One notification now, plus one at the end of quiet hours for what must wait."""
    policy = ChannelPolicy.model_validate(channel.policy or {})
    by_time: dict[datetime, list[Item]] = defaultdict(list)
    for item in items:
        by_time[quiet_until(policy, item["severity"], now) or now].append(item)
    rows = []
    for when, chosen in sorted(by_time.items()):
        payload = {
            **base,
            "items": [{k: v for k, v in i.items() if k != "channel_id"} for i in chosen],
        }
        if payload["site_wide"] and not any(i["rule"] == "rig_offline" for i in chosen):
            payload["site_wide"] = None
        rows.append(
            {
                "id": new_id(),
                "channel_id": channel.id,
                "farm_id": channel.farm_id,
                "batch_id": batch,
                "kind": "alerts",
                "payload": payload,
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": when,
                "created_at": now,
                "last_error": "",
            }
        )
    repo.add_notifications(db, rows)
    return len(rows)
