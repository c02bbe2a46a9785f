"""Reminders while an alert keeps firing, per channel (``remind_every_s``, 0 = off).

A reminder is a transition addressed to one channel; it is grouped, silenced and
sent like any other, so a farm's reminders arrive as one message.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from openrig.alerts import repository_dispatch as dispatch_repo
from openrig.alerts import repository_eval as eval_repo
from openrig.alerts.policy import ChannelPolicy


def remind(db: Session, now: datetime) -> int:
    rows = []
    for channel in dispatch_repo.enabled_channels(db):
        every = ChannelPolicy.model_validate(channel.policy or {}).remind_every_s
        if not every:
            continue
        cutoff = now - timedelta(seconds=every)
        for alert in dispatch_repo.alerts_due_reminder(db, channel.id, channel.farm_id, cutoff):
            rows.append(
                {
                    "alert_id": alert.id,
                    "farm_id": alert.farm_id,
                    "rig_id": alert.rig_id,
                    "channel_id": channel.id,
                    "kind": "reminder",
                    "rule": alert.rule,
                    "severity": alert.severity,
                    "summary": alert.summary,
                    "at": now,
                }
            )
    eval_repo.insert_transitions(db, rows)
    return len(rows)
