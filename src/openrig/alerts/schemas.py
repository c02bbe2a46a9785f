"""Request and response models of the alerts API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from openrig.alerts.policy import ChannelPolicy
from openrig.alerts.rules import RULES
from openrig.core.schemas import Id, Line, Name, RequestModel

ChannelKind = Literal["email", "telegram", "webhook"]
AlertState = Literal["active", "pending", "firing", "resolved"]


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise ValueError("needs a time zone (e.g. 2026-12-04T10:00:00Z)")
    return value


class AlertPublic(BaseModel):
    id: str
    farm_id: str
    rig_id: str
    rig_name: str
    group_id: str | None
    rule: str
    title: str
    state: str
    severity: str
    started_at: datetime
    fired_at: datetime | None
    resolved_at: datetime | None
    summary: str
    values: dict[str, Any]
    silenced: bool
    silenced_by: str | None  # "maintenance" or "silence:<id>"


class RulesView(BaseModel):
    scope: str  # farm:<id> | group:<id> | rig:<id>
    layer: dict[str, Any]
    effective: dict[str, Any]
    sources: dict[str, str]


class ChannelCreate(RequestModel):
    kind: ChannelKind
    name: Name
    config: dict[str, Any]
    policy: ChannelPolicy = Field(default_factory=ChannelPolicy)


class ChannelUpdate(RequestModel):
    name: Name | None = None
    config: dict[str, Any] | None = None
    policy: ChannelPolicy | None = None
    # true re-enables a channel that was disabled after a permanent failure.
    enabled: bool | None = None


class ChannelPublic(BaseModel):
    id: str
    farm_id: str
    kind: str
    name: str
    config: dict[str, Any]  # secrets masked
    policy: dict[str, Any]
    enabled: bool
    disabled_reason: str
    last_error: str
    last_error_at: datetime | None
    last_sent_at: datetime | None
    created_at: datetime


class ChannelCreated(ChannelPublic):
    # Shown once, at creation: the webhook signing secret, to verify signatures.
    secret: str | None = None


class AttemptPublic(BaseModel):
    at: datetime
    ok: bool
    permanent: bool
    error: str
    duration_ms: int


class NotificationPublic(BaseModel):
    id: str
    kind: str
    status: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime
    sent_at: datetime | None
    last_error: str
    items: int
    history: list[AttemptPublic]


class TestQueued(BaseModel):
    notification_id: str
    status: str


class SilenceCreate(RequestModel):
    group_id: Id | None = None
    rig_id: Id | None = None
    rule: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime
    comment: Line = ""

    _aware_start = field_validator("starts_at")(_aware)
    _aware_end = field_validator("ends_at")(_aware)

    @field_validator("rule")
    @classmethod
    def _rule(cls, value: str | None) -> str | None:
        if value is not None and value not in RULES:
            raise ValueError(f"unknown rule; known: {', '.join(RULES)}")
        return value


class SilenceUpdate(RequestModel):
    ends_at: datetime | None = None
    comment: Line | None = None

    _aware_end = field_validator("ends_at")(_aware)


class SilencePublic(BaseModel):
    id: str
    farm_id: str
    group_id: str | None
    rig_id: str | None
    rule: str | None
    starts_at: datetime
    ends_at: datetime
    comment: str
    created_by: str | None
    created_at: datetime
    active: bool


class TelegramLinkPublic(BaseModel):
    code: str
    command: str  # what to send to the bot
    expires_at: datetime
    status: Literal["waiting", "linked", "expired"]
    channel_id: str | None
