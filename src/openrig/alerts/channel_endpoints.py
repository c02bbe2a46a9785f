"""Channels API. Admins and owners manage channels (they decide where fleet data
and secrets go); viewers and operators see them with secrets masked."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from openrig.accounts.principal import CurrentUser
from openrig.alerts import channel_service as svc
from openrig.alerts import repository as repo
from openrig.alerts.schemas import (
    AttemptPublic,
    ChannelCreate,
    ChannelCreated,
    ChannelPublic,
    ChannelUpdate,
    NotificationPublic,
    TelegramLinkPublic,
    TestQueued,
)
from openrig.core.db import utcnow
from openrig.core.deps import SessionDep, SettingsDep
from openrig.core.errors import NotFound
from openrig.farms.access import FarmAccess, Role, farm_access
from openrig.models import AlertChannel

router = APIRouter(tags=["alerts"])


def _channel(
    db: SessionDep, user: CurrentUser, channel_id: str, need: Role
) -> tuple[AlertChannel, FarmAccess]:
    channel = db.get(AlertChannel, channel_id)
    if channel is None:
        raise NotFound("channel not found")
    try:
        return channel, farm_access(db, user, channel.farm_id, need)
    except NotFound:
        raise NotFound("channel not found") from None


@router.get("/farms/{farm_id}/channels", response_model=list[ChannelPublic])
def list_channels(farm_id: str, user: CurrentUser, db: SessionDep) -> list[ChannelPublic]:
    farm_access(db, user, farm_id, Role.VIEWER)
    return [svc.public(c) for c in repo.channels(db, farm_id)]


@router.post("/farms/{farm_id}/channels", response_model=ChannelCreated, status_code=201)
def create_channel(
    farm_id: str, body: ChannelCreate, user: CurrentUser, db: SessionDep, settings: SettingsDep
) -> ChannelCreated:
    access = farm_access(db, user, farm_id, Role.ADMIN)
    return svc.create(db, settings, access, body, utcnow())


@router.get("/channels/{channel_id}", response_model=ChannelPublic)
def get_channel(channel_id: str, user: CurrentUser, db: SessionDep) -> ChannelPublic:
    return svc.public(_channel(db, user, channel_id, Role.VIEWER)[0])


@router.patch("/channels/{channel_id}", response_model=ChannelPublic)
def update_channel(
    channel_id: str,
    body: ChannelUpdate,
    user: CurrentUser,
    db: SessionDep,
    settings: SettingsDep,
) -> ChannelPublic:
    channel, _ = _channel(db, user, channel_id, Role.ADMIN)
    svc.update(db, settings, channel, body)
    return svc.public(channel)


@router.delete("/channels/{channel_id}", status_code=204)
def delete_channel(channel_id: str, user: CurrentUser, db: SessionDep) -> Response:
    db.delete(_channel(db, user, channel_id, Role.ADMIN)[0])
    return Response(status_code=204)


@router.post("/channels/{channel_id}/test", response_model=TestQueued, status_code=202)
def test_channel(channel_id: str, user: CurrentUser, db: SessionDep) -> TestQueued:
    """Queue a test message; the worker sends it within a second or two. Its outcome
    shows in ``GET /channels/{id}/notifications`` and on the channel."""
    channel, access = _channel(db, user, channel_id, Role.ADMIN)
    notification_id = svc.queue_test(db, channel, access.farm.name, utcnow())
    return TestQueued(notification_id=notification_id, status="pending")


@router.get("/channels/{channel_id}/notifications", response_model=list[NotificationPublic])
def channel_notifications(
    channel_id: str,
    user: CurrentUser,
    db: SessionDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[NotificationPublic]:
    """Recent notifications of a channel with every attempt and its error."""
    channel, _ = _channel(db, user, channel_id, Role.VIEWER)
    rows = repo.notifications(db, channel.id, limit)
    tries = repo.attempts(db, [n.id for n in rows])
    return [
        NotificationPublic(
            id=n.id,
            kind=n.kind,
            status=n.status,
            attempts=n.attempts,
            created_at=n.created_at,
            next_attempt_at=n.next_attempt_at,
            sent_at=n.sent_at,
            last_error=n.last_error,
            items=len(n.payload.get("items", [])),
            history=[
                AttemptPublic.model_validate(a, from_attributes=True) for a in tries.get(n.id, [])
            ],
        )
        for n in rows
    ]


@router.post(
    "/farms/{farm_id}/channels/telegram/link", response_model=TelegramLinkPublic, status_code=201
)
def telegram_link(
    farm_id: str, user: CurrentUser, db: SessionDep, settings: SettingsDep
) -> TelegramLinkPublic:
    """A code to send to the instance bot as ``/start <code>``; the channel appears
    once the bot has seen it (poll the GET below)."""
    access = farm_access(db, user, farm_id, Role.ADMIN)
    return svc.start_link(db, settings, access, utcnow())


@router.get("/farms/{farm_id}/channels/telegram/link/{code}", response_model=TelegramLinkPublic)
def telegram_link_status(
    farm_id: str, code: str, user: CurrentUser, db: SessionDep
) -> TelegramLinkPublic:
    farm_access(db, user, farm_id, Role.ADMIN)
    return svc.link_status(db, farm_id, code, utcnow())
