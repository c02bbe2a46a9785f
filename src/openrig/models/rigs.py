"""Rigs and their tags."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from openrig.core.db import Base, IdColumn, JSONDoc, UTCDateTime, new_id, utcnow


class Rig(Base):
    __tablename__ = "rigs"
    __table_args__ = (
        UniqueConstraint("farm_id", "name"),
        UniqueConstraint("farm_id", "hardware_id"),
    )

    id: Mapped[str] = mapped_column(IdColumn(), primary_key=True, default=new_id)
    farm_id: Mapped[str] = mapped_column(ForeignKey("farms.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[str | None] = mapped_column(
        ForeignKey("groups.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    notes: Mapped[str] = mapped_column(Text, default="")
    # SHA-256 of the rig's bearer token; null until a rig.conf is issued or it enrolls.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    token_issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hardware_id: Mapped[str | None] = mapped_column(String(128))
    # Rig override layer and the flight sheet / OC profile it points at.
    config: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    flight_sheet_id: Mapped[str | None] = mapped_column(
        ForeignKey("flight_sheets.id", ondelete="SET NULL")
    )
    oc_profile_id: Mapped[str | None] = mapped_column(
        ForeignKey("oc_profiles.id", ondelete="SET NULL")
    )
    # Denormalised from the effective config whenever a layer changes, so the
    # hot rig-protocol path reads one row instead of merging five layers.
    config_version: Mapped[str] = mapped_column(String(32), default="")
    maintenance: Mapped[bool] = mapped_column(Boolean, default=False)
    report_interval_s: Mapped[int] = mapped_column(Integer, default=30)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class RigTag(Base):
    __tablename__ = "rig_tags"
    __table_args__ = (Index("ix_rig_tags_tag", "tag"),)

    rig_id: Mapped[str] = mapped_column(ForeignKey("rigs.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(64), primary_key=True)
