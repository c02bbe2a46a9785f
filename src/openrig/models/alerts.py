"""Alerts: rule layers, alert states and their transitions, silences, channels and
the notifications sent through them (each attempt recorded)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from openrig.core.db import Base, IdColumn, JSONDoc, UTCDateTime, new_id, utcnow
from openrig.models.telemetry import AutoId


class AlertRuleLayer(Base):
    """A partial rules document for a farm, a group or a rig (merge-patch layers).

    ``scope`` is ``farm:<id>``, ``group:<id>`` or ``rig:<id>``: unique and portable,
    where a unique index over nullable columns would not be.
    """

    __tablename__ = "alert_rule_layers"

    scope: Mapped[str] = mapped_column(String(48), primary_key=True)
    farm_id: Mapped[str] = mapped_column(ForeignKey("farms.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[str | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    rig_id: Mapped[str | None] = mapped_column(ForeignKey("rigs.id", ondelete="CASCADE"))
    doc: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Alert(Base):
    """One alert of one rule on one rig: pending → firing → resolved.

    ``open_key`` is ``<rig>:<rule>`` while pending or firing and null once resolved,
    so a unique constraint allows one open alert per rig and rule on every backend.
    """

    __tablename__ = "alerts"
    __table_args__ = (
        Index("ix_alerts_farm_state", "farm_id", "state"),
        Index("ix_alerts_rig_state", "rig_id", "state"),
        Index("ix_alerts_resolved_at", "resolved_at"),
    )

    id: Mapped[str] = mapped_column(IdColumn(), primary_key=True, default=new_id)
    farm_id: Mapped[str] = mapped_column(ForeignKey("farms.id", ondelete="CASCADE"))
    rig_id: Mapped[str] = mapped_column(ForeignKey("rigs.id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(10))  # pending | firing | resolved
    severity: Mapped[str] = mapped_column(String(10))
    open_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    fired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the condition was last seen false while firing (resolve after clear_for_s).
    clear_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set once a firing notice went to a channel: only then is a resolve worth sending.
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    summary: Mapped[str] = mapped_column(String(500), default="")
    values: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AlertTransition(Base):
    """A state change worth telling someone about, written in the same transaction as
    the change. A dispatcher claims it with ``UPDATE … WHERE claimed_at IS NULL``."""

    __tablename__ = "alert_transitions"
    __table_args__ = (
        Index("ix_alert_transitions_claimed_farm", "claimed_at", "farm_id"),
        Index("ix_alert_transitions_batch_id", "batch_id"),
        Index("ix_alert_transitions_alert_kind", "alert_id", "kind"),
    )

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    alert_id: Mapped[str] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"))
    farm_id: Mapped[str] = mapped_column(ForeignKey("farms.id", ondelete="CASCADE"))
    rig_id: Mapped[str] = mapped_column(ForeignKey("rigs.id", ondelete="CASCADE"))
    # Reminders are per channel; firing and resolved go to every channel (null).
    channel_id: Mapped[str | None] = mapped_column(
        ForeignKey("alert_channels.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(10))  # firing | resolved | reminder
    rule: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(10))
    summary: Mapped[str] = mapped_column(String(500), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    batch_id: Mapped[str | None] = mapped_column(String(36))


class AlertSilence(Base):
    """Mutes alerts matching every given field (farm always; group, rig, rule optional)."""

    __tablename__ = "alert_silences"

    id: Mapped[str] = mapped_column(IdColumn(), primary_key=True, default=new_id)
    farm_id: Mapped[str] = mapped_column(ForeignKey("farms.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[str | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    rig_id: Mapped[str | None] = mapped_column(ForeignKey("rigs.id", ondelete="CASCADE"))
    rule: Mapped[str | None] = mapped_column(String(40))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    comment: Mapped[str] = mapped_column(String(500), default="")
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AlertChannel(Base):
    """Where a farm's alerts go: ``kind`` email | telegram | webhook; ``config`` holds
    the destination (and its secret); ``policy`` what and when to send."""

    __tablename__ = "alert_channels"

    id: Mapped[str] = mapped_column(IdColumn(), primary_key=True, default=new_id)
    farm_id: Mapped[str] = mapped_column(ForeignKey("farms.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100))
    config: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    policy: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set when a transport failed permanently (e.g. the bot was blocked).
    disabled_reason: Mapped[str] = mapped_column(String(500), default="")
    last_error: Mapped[str] = mapped_column(String(500), default="")
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AlertNotification(Base):
    """One message to one channel: pending → sent | failed. Claimed by a lease."""

    __tablename__ = "alert_notifications"
    __table_args__ = (
        Index("ix_alert_notifications_due", "status", "next_attempt_at"),
        Index("ix_alert_notifications_channel", "channel_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(IdColumn(), primary_key=True, default=new_id)
    channel_id: Mapped[str] = mapped_column(ForeignKey("alert_channels.id", ondelete="CASCADE"))
    farm_id: Mapped[str] = mapped_column(ForeignKey("farms.id", ondelete="CASCADE"))
    batch_id: Mapped[str | None] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(10))  # alerts | test
    payload: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(String(500), default="")


class AlertAttempt(Base):
    """One try to send a notification, with its error (empty when it went out)."""

    __tablename__ = "alert_attempts"
    __table_args__ = (Index("ix_alert_attempts_notification", "notification_id"),)

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    notification_id: Mapped[str] = mapped_column(
        ForeignKey("alert_notifications.id", ondelete="CASCADE")
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    ok: Mapped[bool] = mapped_column(Boolean)
    permanent: Mapped[bool] = mapped_column(Boolean, default=False)
    error: Mapped[str] = mapped_column(String(500), default="")
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)


class AlertBaseline(Base):
    """A rig's median hashrate over the last hour, refreshed in chunks by a slow job so
    that "X % under its own median" never scans every sample of every rig."""

    __tablename__ = "alert_baselines"

    rig_id: Mapped[str] = mapped_column(ForeignKey("rigs.id", ondelete="CASCADE"), primary_key=True)
    median_hs: Mapped[float] = mapped_column(Float, default=0.0)
    samples: Mapped[int] = mapped_column(Integer, default=0)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class AlertCursor(Base):
    """Named positions and locks shared by every worker: the evaluator's lock and its
    last slow run, the last activity row read, the Telegram update offset."""

    __tablename__ = "alert_cursors"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger, default=0)
    at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TelegramLink(Base):
    """A one-time code: the user sends ``/start <code>`` to the instance bot and the
    polling job creates a Telegram channel for the chat it came from."""

    __tablename__ = "alert_telegram_links"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    farm_id: Mapped[str] = mapped_column(ForeignKey("farms.id", ondelete="CASCADE"), index=True)
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    channel_id: Mapped[str | None] = mapped_column(
        ForeignKey("alert_channels.id", ondelete="SET NULL")
    )
