"""Short, useful messages from a notification's payload: what, which rig (name,
group), since when, the values, and a link to the rig. Every piece of data that goes
into HTML is escaped."""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import datetime
from itertools import groupby
from typing import Any

from openrig.alerts.channels.base import Message

MAX_NAMES = 8
MAX_DETAILS = 20
TELEGRAM_LIMIT = 3800
KIND_ORDER = {"firing": 0, "reminder": 1, "resolved": 2}
SEVERITY_ORDER = {"critical": 0, "warning": 1, "info": 2}
Item = dict[str, Any]


def _since(item: Item) -> str:
    return datetime.fromisoformat(item["since"]).strftime("%H:%M UTC")


def _rig(item: Item) -> str:
    group = item["rig"].get("group")
    return f"{item['rig']['name']} ({group})" if group else item["rig"]["name"]


def _names(items: list[Item]) -> str:
    names = ", ".join(i["rig"]["name"] for i in items[:MAX_NAMES])
    extra = len(items) - MAX_NAMES
    return f"{names}, … (+{extra})" if extra > 0 else names


def _prefix(kind: str, severity: str) -> str:
    if kind == "resolved":
        return "Resolved: "
    if kind == "reminder":
        return "Still firing: "
    return f"{severity.upper()}: "


def headline(kind: str, items: list[Item], farm: str) -> str:
    first = items[0]
    prefix = _prefix(kind, first["severity"])
    if len(items) == 1:
        what = f"{_rig(first)} {first['title']}"
        if kind == "resolved":
            return f"{prefix}{what} (since {_since(first)})"
        return f"{prefix}{what} — {first['summary']} (since {_since(first)})"
    return f"{prefix}{len(items)} rigs {first['title']} in {farm}: {_names(items)}"


def _groups(items: list[Item]) -> Iterable[tuple[str, list[Item]]]:
    def order(i: Item) -> tuple[int, int, str]:
        return KIND_ORDER[i["kind"]], SEVERITY_ORDER.get(i["severity"], 3), i["rule"]

    for (kind, _sev, _rule), group in groupby(sorted(items, key=order), key=order):
        yield list(KIND_ORDER)[kind], list(group)


def site_line(payload: dict[str, Any]) -> str | None:
    site = payload.get("site_wide")
    if not site:
        return None
    farm = payload["farm"]["name"]
    return (
        f"Looks like a site-wide outage (power or network) at {farm}: "
        f"{site['offline']} of {site['rigs']} rigs went offline together."
    )


def headlines(payload: dict[str, Any]) -> list[str]:
    if payload.get("test"):
        return [f"Test message from openrig for {payload['farm']['name']}: this channel works."]
    lines = [site_line(payload)]
    lines += [headline(k, g, payload["farm"]["name"]) for k, g in _groups(payload["items"])]
    return [line for line in lines if line]


def _detail(item: Item) -> str:
    return f"{_rig(item)}: {item['title']} — {item['summary']} (since {_since(item)})"


def text_body(payload: dict[str, Any]) -> str:
    items: list[Item] = payload.get("items", [])
    lines = headlines(payload)
    if len(items) > 1:
        lines.append("")
        lines += [f"- {_detail(i)}\n  {i['url']}" for i in items[:MAX_DETAILS]]
    elif items:
        lines.append(items[0]["url"])
    if len(items) > MAX_DETAILS:
        lines.append(f"(+{len(items) - MAX_DETAILS} more)")
    return "\n".join(lines) + "\n"


def _link(item: Item, text: str) -> str:
    return f'<a href="{html.escape(item["url"])}">{html.escape(text)}</a>'


def _html_item(item: Item) -> str:
    rest = f": {item['title']} — {item['summary']} (since {_since(item)})"
    return _link(item, _rig(item)) + html.escape(rest)


def html_body(payload: dict[str, Any]) -> str:
    items: list[Item] = payload.get("items", [])
    heads = "".join(f"<p><b>{html.escape(line)}</b></p>" for line in headlines(payload))
    rows = "".join(f"<li>{_html_item(i)}</li>" for i in items[:MAX_DETAILS])
    more = len(items) - MAX_DETAILS
    extra = f"<p>(+{more} more)</p>" if more > 0 else ""
    body = heads + (f"<ul>{rows}</ul>" if rows else "") + extra
    return f'<!doctype html><html><body style="font-family:sans-serif">{body}</body></html>'


def telegram_body(payload: dict[str, Any]) -> str:
    items: list[Item] = payload.get("items", [])
    lines = [f"<b>{html.escape(line)}</b>" for line in headlines(payload)]
    shown = 0
    for item in items[:MAX_DETAILS]:
        line = f"• {_html_item(item)}"
        # Telegram refuses messages over 4096 characters; never cut inside a tag.
        if sum(len(x) + 1 for x in lines) + len(line) > TELEGRAM_LIMIT:
            break
        lines.append(line)
        shown += 1
    if len(items) > shown:
        lines.append(f"(+{len(items) - shown} more)")
    return "\n".join(lines)


def render(notification_id: str, payload: dict[str, Any]) -> Message:
    subject = "[openrig] " + headlines(payload)[0]
    return Message(
        id=notification_id,
        subject=subject[:200],
        text=text_body(payload),
        html=html_body(payload),
        telegram=telegram_body(payload),
        payload={**payload, "id": notification_id},
    )
