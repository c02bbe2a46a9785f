"""One-step linking: ``POST …/channels/telegram/link`` gives a code; the user sends
``/start <code>`` to the instance bot; this polling job creates the channel for the
chat the message came from. Safe on several workers: the link is taken with a
conditional UPDATE, and the update offset only moves forward."""

from __future__ import annotations

import logging
import re
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from openrig.alerts.channels.base import TransportError
from openrig.alerts.channels.telegram.api import call
from openrig.alerts.repository_eval import lock_cursor
from openrig.core.db import new_id
from openrig.models import AlertChannel, AlertCursor, Farm, TelegramLink
from openrig.settings import Settings

log = logging.getLogger("openrig.alerts.telegram")
LINK_TTL = timedelta(minutes=30)
START = re.compile(r"^/start(?:@\w+)?\s+([A-Za-z0-9_-]{8,32})\s*$")


def new_link(db: Session, farm_id: str, user_id: str, now: datetime) -> TelegramLink:
    link = TelegramLink(
        code=secrets.token_urlsafe(12),
        farm_id=farm_id,
        created_by=user_id,
        created_at=now,
        expires_at=now + LINK_TTL,
    )
    db.add(link)
    db.flush()
    return link


def poll_links(db: Session, settings: Settings, now: datetime) -> int:
    """Fetch new bot updates (no transaction open meanwhile) and act on /start codes."""
    cursor = lock_cursor(db, "telegram")
    if cursor is None:  # another worker is polling right now
        return 0
    offset = cursor.position
    db.commit()
    try:
        updates = call(
            settings.telegram_api_base,
            settings.telegram_bot_token,
            "getUpdates",
            {"offset": offset, "timeout": 0, "allowed_updates": ["message"]},
        )
    except TransportError as exc:
        log.warning("telegram getUpdates failed: %s", exc.message)
        return 0
    linked = [_handle(db, u, now) for u in updates or [] if isinstance(u, dict)]
    if updates:
        last = max(int(u.get("update_id", 0)) for u in updates if isinstance(u, dict)) + 1
        db.execute(
            update(AlertCursor)
            .where(AlertCursor.name == "telegram", AlertCursor.position < last)
            .values(position=last)
        )
    db.commit()
    for chat_id, farm_name in filter(None, linked):
        _confirm(settings, chat_id, farm_name)
    return len([x for x in linked if x])


def _handle(db: Session, item: dict[str, Any], now: datetime) -> tuple[str, str] | None:
    message = item.get("message") or {}
    match = START.match(str(message.get("text") or ""))
    chat = message.get("chat") or {}
    if not match or "id" not in chat:
        return None
    link = db.get(TelegramLink, match.group(1))
    if link is None or link.channel_id is not None or link.expires_at <= now:
        return None
    title = chat.get("title") or chat.get("username") or chat.get("first_name") or "chat"
    with db.begin_nested() as savepoint:
        channel = AlertChannel(
            id=new_id(),
            farm_id=link.farm_id,
            kind="telegram",
            name=f"Telegram: {str(title)[:80]}",
            config={"chat_id": str(chat["id"]), "bot_token": None},
            policy={},
            created_by=link.created_by,
            created_at=now,
        )
        db.add(channel)
        db.flush()
        taken = db.execute(
            update(TelegramLink)
            .where(TelegramLink.code == link.code, TelegramLink.channel_id.is_(None))
            .values(channel_id=channel.id)
            .execution_options(synchronize_session=False)
        )
        if getattr(taken, "rowcount", 0) != 1:  # another worker linked it first
            savepoint.rollback()
            return None
    farm = db.scalar(select(Farm.name).where(Farm.id == link.farm_id)) or ""
    return str(chat["id"]), farm


def _confirm(settings: Settings, chat_id: str, farm_name: str) -> None:
    text = f"openrig: alerts of farm “{farm_name}” will come to this chat."
    try:
        call(
            settings.telegram_api_base,
            settings.telegram_bot_token,
            "sendMessage",
            {"chat_id": chat_id, "text": text},
        )
    except TransportError as exc:  # the channel exists; the greeting is a courtesy
        log.warning("telegram link confirmation failed: %s", exc.message)
