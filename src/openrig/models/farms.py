"""Farms (the unit of ownership), their members and groups of rigs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from openrig.core.db import Base, IdColumn, JSONDoc, UTCDateTime, new_id, utcnow


class Farm(Base):
    __tablename__ = "farms"

    id: Mapped[str] = mapped_column(IdColumn(), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(100))
    # Farm-default config layer (a partial config document).
    config: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    flight_sheet_id: Mapped[str | None] = mapped_column(
        ForeignKey("flight_sheets.id", ondelete="SET NULL", use_alter=True)
    )
    oc_profile_id: Mapped[str | None] = mapped_column(
        ForeignKey("oc_profiles.id", ondelete="SET NULL", use_alter=True)
    )
    # The enrollment key is derived: HMAC(secret, farm id + key id). Only the key id
    # is stored, so a database dump alone does not reveal it; null = revoked.
    enroll_key_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class FarmMember(Base):
    __tablename__ = "farm_members"

    farm_id: Mapped[str] = mapped_column(
        ForeignKey("farms.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(10))  # owner | admin | operator | viewer
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Group(Base):
    __tablename__ = "groups"
    __table_args__ = (UniqueConstraint("farm_id", "name"),)

    id: Mapped[str] = mapped_column(IdColumn(), primary_key=True, default=new_id)
    farm_id: Mapped[str] = mapped_column(ForeignKey("farms.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    config: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    flight_sheet_id: Mapped[str | None] = mapped_column(
        ForeignKey("flight_sheets.id", ondelete="SET NULL")
    )
    oc_profile_id: Mapped[str | None] = mapped_column(
        ForeignKey("oc_profiles.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
