"""Channels: create (config checked by its transport), update, delete, test, link.
Never commits; a test message is queued for the worker, never sent inside a request
(a request must not hold the database while a mail server is slow)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from openrig.alerts import repository as repo
from openrig.alerts import repository_dispatch as dispatch_repo
from openrig.alerts.channels import TRANSPORTS
from openrig.alerts.channels.telegram.link import new_link
from openrig.alerts.schemas import (
    ChannelCreate,
    ChannelCreated,
    ChannelPublic,
    ChannelUpdate,
    TelegramLinkPublic,
)
from openrig.core.db import new_id
from openrig.core.errors import Invalid, NotFound
from openrig.farms.access import FarmAccess
from openrig.models import AlertChannel, TelegramLink
from openrig.settings import Settings


def public(channel: AlertChannel) -> ChannelPublic:
    transport = TRANSPORTS[channel.kind]
    return ChannelPublic(
        id=channel.id,
        farm_id=channel.farm_id,
        kind=channel.kind,
        name=channel.name,
        config=transport.public_config(channel.config),
        policy=channel.policy or {},
        enabled=channel.enabled,
        disabled_reason=channel.disabled_reason,
        last_error=channel.last_error,
        last_error_at=channel.last_error_at,
        last_sent_at=channel.last_sent_at,
        created_at=channel.created_at,
    )


def _checked(settings: Settings, kind: str, config: dict[str, Any]) -> dict[str, Any]:
    return TRANSPORTS[kind].check_config(settings, config)


def create(
    db: Session, settings: Settings, access: FarmAccess, body: ChannelCreate, now: datetime
) -> ChannelCreated:
    config = _checked(settings, body.kind, body.config)
    channel = AlertChannel(
        id=new_id(),
        farm_id=access.farm.id,
        kind=body.kind,
        name=body.name,
        config=config,
        policy=body.policy.model_dump(mode="json"),
        created_by=access.user_id,
        created_at=now,
    )
    db.add(channel)
    db.flush()
    return ChannelCreated(**public(channel).model_dump(), secret=config.get("secret"))


def update(db: Session, settings: Settings, channel: AlertChannel, body: ChannelUpdate) -> None:
    if body.name is not None:
        channel.name = body.name
    if body.config is not None:
        # Secrets are shown masked; a client echoing the mask back keeps the secret.
        merged = {**channel.config, **body.config}
        for key in TRANSPORTS[channel.kind].secret_keys:
            if merged.get(key) == TRANSPORTS[channel.kind].public_config(channel.config).get(key):
                merged[key] = channel.config.get(key)
        channel.config = _checked(settings, channel.kind, merged)
    if body.policy is not None:
        channel.policy = body.policy.model_dump(mode="json")
    if body.enabled is not None:
        channel.enabled = body.enabled
        if body.enabled:
            channel.disabled_reason = ""
    db.flush()


def queue_test(db: Session, channel: AlertChannel, farm_name: str, now: datetime) -> str:
    if not channel.enabled:
        raise Invalid.at("enabled", "the channel is disabled; enable it first")
    notification_id = new_id()
    dispatch_repo.add_notifications(
        db,
        [
            {
                "id": notification_id,
                "channel_id": channel.id,
                "farm_id": channel.farm_id,
                "batch_id": None,
                "kind": "test",
                "payload": {
                    "version": 1,
                    "test": True,
                    "farm": {"id": channel.farm_id, "name": farm_name},
                    "site_wide": None,
                    "items": [],
                },
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
                "last_error": "",
            }
        ],
    )
    return notification_id


def link_public(link: TelegramLink, now: datetime) -> TelegramLinkPublic:
    status = "linked" if link.channel_id else "expired" if link.expires_at <= now else "waiting"
    return TelegramLinkPublic(
        code=link.code,
        command=f"/start {link.code}",
        expires_at=link.expires_at,
        status=status,
        channel_id=link.channel_id,
    )


def start_link(
    db: Session, settings: Settings, access: FarmAccess, now: datetime
) -> TelegramLinkPublic:
    if not settings.telegram_bot_token:
        raise Invalid.at("kind", "this server has no instance bot (OPENRIG_TELEGRAM_BOT_TOKEN)")
    return link_public(new_link(db, access.farm.id, access.user_id, now), now)


def link_status(db: Session, farm_id: str, code: str, now: datetime) -> TelegramLinkPublic:
    link = repo.telegram_link(db, farm_id, code)
    if link is None:
        raise NotFound("link code not found")
    return link_public(link, now)
