"""Reusable config documents (flight sheets, OC profiles) and the change history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from openrig.core.db import Base, IdColumn, JSONDoc, UTCDateTime, new_id, utcnow


class FlightSheet(Base):
    """A named ``miner`` document."""

    __tablename__ = "flight_sheets"
    __table_args__ = (UniqueConstraint("farm_id", "name"),)

    id: Mapped[str] = mapped_column(IdColumn(), primary_key=True, default=new_id)
    farm_id: Mapped[str] = mapped_column(ForeignKey("farms.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    miner: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class OcProfile(Base):
    """A named ``oc`` document."""

    __tablename__ = "oc_profiles"
    __table_args__ = (UniqueConstraint("farm_id", "name"),)

    id: Mapped[str] = mapped_column(IdColumn(), primary_key=True, default=new_id)
    farm_id: Mapped[str] = mapped_column(ForeignKey("farms.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    oc: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ConfigHistory(Base):
    """One change of one layer: who, when, which layer, its state before and after.

    ``layer_kind`` is farm | group | rig | flight_sheet | oc_profile; ``before`` is
    null when the layer was created, ``after`` null when it was deleted.
    """

    __tablename__ = "config_history"
    __table_args__ = (
        Index("ix_config_history_farm_at", "farm_id", "at"),
        Index("ix_config_history_layer", "layer_kind", "layer_id"),
    )

    id: Mapped[str] = mapped_column(IdColumn(), primary_key=True, default=new_id)
    farm_id: Mapped[str] = mapped_column(ForeignKey("farms.id", ondelete="CASCADE"))
    layer_kind: Mapped[str] = mapped_column(String(20))
    layer_id: Mapped[str] = mapped_column(IdColumn())
    layer_name: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(20))  # create | update | delete | restore | bulk
    actor_user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
