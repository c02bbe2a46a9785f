"""The evaluator: conditions in, alert states and transitions out, in one transaction.

pending (true, ``for_s`` not yet elapsed) → firing → resolved (false for
``clear_for_s``, so a flapping rig stays one alert). A rule that cannot be judged
(the rig is offline, so its numbers are stale) leaves its alert as it is. Every
firing and resolve writes an ``alert_transitions`` row in the same transaction; the
dispatcher sends them. One evaluator runs at a time (a locked cursor row).

Flap damping: an alert that fired and resolved within the last hour makes the next
one of the same rig and rule wait twice as long to clear (four times after two, …,
at most an hour), so a rig that keeps dropping out stays one alert.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from openrig.alerts import repository_eval as repo
from openrig.alerts.conditions import Obs, collect
from openrig.alerts.rules import RULES, RuleBook
from openrig.core.db import new_id
from openrig.models import Alert

SLOW_EVERY = timedelta(seconds=60)  # rules that read samples (shares) run this often
FLAP_WINDOW = timedelta(hours=1)
MAX_CLEAR = timedelta(hours=1)
EVENT_RULE = {"rig:watchdog_action": "watchdog_action", "boot": "rig_rebooted"}
Key = tuple[str, str]


@dataclass
class Run:
    """What one evaluation did."""

    db: Session
    now: datetime
    book: RuleBook
    flaps: dict[Key, int] = field(default_factory=dict)
    transitions: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(
        default_factory=lambda: {"pending": 0, "fired": 0, "resolved": 0, "dropped": 0}
    )

    def transition(self, alert: Alert, kind: str) -> None:
        self.transitions.append(
            {
                "alert_id": alert.id,
                "farm_id": alert.farm_id,
                "rig_id": alert.rig_id,
                "channel_id": None,
                "kind": kind,
                "rule": alert.rule,
                "severity": alert.severity,
                "summary": alert.summary,
                "at": self.now,
            }
        )


def evaluate(db: Session, now: datetime) -> dict[str, int]:
    lock = repo.lock_cursor(db, "evaluator")
    if lock is None:  # another worker is evaluating right now
        return {"skipped": 1}
    slow = lock.at is None or now - lock.at >= SLOW_EVERY
    run = Run(db, now, RuleBook(repo.rule_layers(db)), repo.recent_resolves(db, now - FLAP_WINDOW))
    found = {(o.rig_id, o.rule): o for o in collect(db, now, run.book, slow)}
    opened: dict[Key, tuple[Alert, str | None]] = {
        (a.rig_id, a.rule): (a, group_id) for a, group_id in repo.open_alerts(db)
    }
    if lock.at is None:  # first run: old events are history, not news
        lock.position = repo.max_activity_id(db)
    else:
        lock.position = _events(run, lock.position, opened)
    if slow:
        lock.at = now
    _judge(run, found, opened, slow)
    db.flush()
    repo.insert_transitions(db, run.transitions)
    return run.counts


def _judge(run: Run, found: dict[Key, Obs], opened: dict[Key, Any], slow: bool) -> None:
    for key, obs in found.items():
        _on_true(run, opened.get(key, (None, None))[0], obs)
    quiet = [k for k in opened if k not in found and not RULES[k[1]].event]
    live = repo.liveness(run.db, sorted({rig for rig, _ in quiet}))
    for key in quiet:
        alert, group_id = opened[key]
        if _judged(key[1], live.get(alert.rig_id), run.now, slow):
            _on_false(run, alert, group_id)
    for key, (alert, group_id) in opened.items():
        if RULES[key[1]].event:
            _expire_event(run, alert, group_id)


def _judged(rule: str, offline_after: datetime | None, now: datetime, slow: bool) -> bool:
    """Can this rule be judged false? Not on stale numbers of an offline rig."""
    if offline_after is None:
        return False
    if rule == "rig_offline":
        return True
    return offline_after > now and (slow or rule != "shares_rejected_high")


def _settings(run: Run, farm_id: str, group_id: str | None, rig_id: str, rule: str) -> Any:
    return run.book.for_rig(farm_id, group_id, rig_id).get(rule) or {}


def _on_true(run: Run, alert: Alert | None, obs: Obs) -> None:
    rule = _settings(run, obs.farm_id, obs.group_id, obs.rig_id, obs.rule)
    if alert is None:
        alert = _new_alert(run, obs, rule)
    else:
        alert.clear_since = None
        if (alert.summary, alert.values) != (obs.summary[:500], obs.values):
            alert.summary, alert.values, alert.updated_at = obs.summary[:500], obs.values, run.now
        alert.severity = rule["severity"]
    if alert.state == "pending" and run.now - alert.started_at >= _for(rule):
        _fire(run, alert)


def _for(rule: dict[str, Any]) -> timedelta:
    return timedelta(seconds=rule.get("for_s", 0))


def _new_alert(run: Run, obs: Obs, rule: dict[str, Any]) -> Alert:
    alert = Alert(
        id=new_id(),
        farm_id=obs.farm_id,
        rig_id=obs.rig_id,
        rule=obs.rule,
        state="pending",
        severity=rule["severity"],
        open_key=f"{obs.rig_id}:{obs.rule}",
        started_at=min(obs.since or run.now, run.now),
        summary=obs.summary[:500],
        values=obs.values,
        updated_at=run.now,
    )
    run.db.add(alert)
    run.counts["pending"] += 1
    return alert


def _fire(run: Run, alert: Alert) -> None:
    alert.state, alert.fired_at, alert.updated_at = "firing", run.now, run.now
    run.transition(alert, "firing")
    run.counts["fired"] += 1


def _resolve(run: Run, alert: Alert, *, notify: bool = True) -> None:
    alert.state, alert.resolved_at, alert.open_key = "resolved", run.now, None
    alert.updated_at = run.now
    if notify:
        run.transition(alert, "resolved")
    run.counts["resolved"] += 1


def _on_false(run: Run, alert: Alert, group_id: str | None) -> None:
    if alert.state == "pending":  # never fired: nobody needs to hear of it
        run.db.delete(alert)
        run.counts["dropped"] += 1
        return
    rule = _settings(run, alert.farm_id, group_id, alert.rig_id, alert.rule)
    if alert.clear_since is None:
        alert.clear_since = run.now
    if run.now - alert.clear_since >= clear_time(
        rule, run.flaps.get((alert.rig_id, alert.rule), 0)
    ):
        _resolve(run, alert)


def clear_time(rule: dict[str, Any], recent_flaps: int) -> timedelta:
    base = timedelta(seconds=int(rule.get("clear_for_s", 0)))
    damped: timedelta = base * 2 ** min(recent_flaps, 10)
    return min(damped, max(base, MAX_CLEAR))


def _events(run: Run, after_id: int, opened: dict[Key, Any]) -> int:
    """Rig events fire at once; a repeat while open counts up instead of re-sending."""
    last = after_id
    for row in repo.new_events(run.db, after_id, run.now):
        last = row.id
        rule_name = EVENT_RULE[row.kind]
        if rule_name == "rig_rebooted" and not row.rebooted:
            continue
        if run.book.rule(row.farm_id, row.group_id, row.rig_id, rule_name) is None:
            continue
        found = opened.get((row.rig_id, rule_name))
        if found is not None:
            alert = found[0]
            count = int(alert.values.get("count", 1)) + 1
            alert.values = {**alert.values, "count": count, "last_at": row.at.isoformat()}
            continue
        text = row.message or ("booted again" if rule_name == "rig_rebooted" else "")
        obs = Obs(row.rig_id, row.farm_id, row.group_id, rule_name, text)
        rule = _settings(run, row.farm_id, row.group_id, row.rig_id, rule_name)
        alert = _new_alert(run, obs, rule)
        alert.values = {"count": 1, "last_at": row.at.isoformat()}
        _fire(run, alert)
        opened[(row.rig_id, rule_name)] = (alert, row.group_id)
    return last


def _expire_event(run: Run, alert: Alert, group_id: str | None) -> None:
    """An event alert ends quietly once no repeat came for ``hold_s``."""
    if alert.state != "firing":
        return
    rule = _settings(run, alert.farm_id, group_id, alert.rig_id, alert.rule)
    last = datetime.fromisoformat(alert.values.get("last_at") or alert.started_at.isoformat())
    if run.now - last >= timedelta(seconds=rule.get("hold_s", 0)):
        _resolve(run, alert, notify=False)
