"""Commands queued for rigs, and the activity log of rigs and farms."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from openrig.core.db import Base, IdColumn, JSONDoc, UTCDateTime, new_id, utcnow
from openrig.models.telemetry import AutoId


class Command(Base):
    """queued → delivered → started → succeeded | failed; or expired / cancelled."""

    __tablename__ = "commands"
    __table_args__ = (
        Index("ix_commands_rig_status", "rig_id", "status"),
        Index("ix_commands_status_created", "status", "created_at"),
    )

    id: Mapped[str] = mapped_column(IdColumn(), primary_key=True, default=new_id)
    farm_id: Mapped[str] = mapped_column(ForeignKey("farms.id", ondelete="CASCADE"))
    rig_id: Mapped[str] = mapped_column(ForeignKey("rigs.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(32))
    args: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deliveries: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    exit_code: Mapped[int | None] = mapped_column(Integer)
    output: Mapped[str] = mapped_column(Text, default="")


class Activity(Base):
    """The activity log: boots, config applied, commands and results, rig events."""

    __tablename__ = "activity"
    __table_args__ = (
        Index("ix_activity_farm_id", "farm_id", "id"),
        Index("ix_activity_rig_id", "rig_id", "id"),
    )

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    farm_id: Mapped[str] = mapped_column(ForeignKey("farms.id", ondelete="CASCADE"))
    rig_id: Mapped[str | None] = mapped_column(ForeignKey("rigs.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(40))
    actor_user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    message: Mapped[str] = mapped_column(String(500), default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)


class EnrollAttempt(Base):
    """Failed enrollments per client address, for throttling across instances."""

    __tablename__ = "enroll_attempts"
    __table_args__ = (Index("ix_enroll_attempts_ip_at", "client_ip", "at"),)

    id: Mapped[str] = mapped_column(IdColumn(), primary_key=True, default=new_id)
    client_ip: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
