"""Rig telemetry: the latest state per rig, raw samples and their rollups."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from openrig.core.db import Base, IdColumn, JSONDoc, UTCDateTime

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL wants 64 bits.
AutoId = BigInteger().with_variant(Integer(), "sqlite")


class RigState(Base):
    """The latest report and inventory of a rig: one row per rig, upserted on ingest.

    ``last_seen_at`` is the server's receive time (never the rig clock);
    ``offline_after`` is when the rig counts as offline if nothing else arrives.
    """

    __tablename__ = "rig_state"
    __table_args__ = (Index("ix_rig_state_farm_offline", "farm_id", "offline_after"),)

    rig_id: Mapped[str] = mapped_column(ForeignKey("rigs.id", ondelete="CASCADE"), primary_key=True)
    farm_id: Mapped[str] = mapped_column(IdColumn())
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    offline_after: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hello_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    boot_time: Mapped[datetime | None] = mapped_column(UTCDateTime)
    agent_version: Mapped[str] = mapped_column(String(64), default="")
    inventory: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
    inventory_gpus: Mapped[int] = mapped_column(Integer, default=0)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
    miner_running: Mapped[bool] = mapped_column(Boolean, default=False)
    miner_name: Mapped[str] = mapped_column(String(64), default="")
    algo: Mapped[str] = mapped_column(String(64), default="")
    hashrate_hs: Mapped[float] = mapped_column(Float, default=0.0)
    power_w: Mapped[float] = mapped_column(Float, default=0.0)
    gpu_count: Mapped[int] = mapped_column(Integer, default=0)
    max_temp_c: Mapped[float | None] = mapped_column(Float)
    config_version_applied: Mapped[str] = mapped_column(String(32), default="")


class RigSample(Base):
    """One report's numbers. Per-GPU values ride in ``gpus`` as compact rows
    ``[index, hashrate_hs, temp_c, mem_temp_c, fan_pct, power_w]`` so that a report
    is one insert, not one per GPU."""

    __tablename__ = "rig_samples"
    __table_args__ = (
        Index("ix_rig_samples_rig_at", "rig_id", "at"),
        Index("ix_rig_samples_at", "at"),
    )

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    rig_id: Mapped[str] = mapped_column(ForeignKey("rigs.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    hashrate_hs: Mapped[float] = mapped_column(Float, default=0.0)
    power_w: Mapped[float] = mapped_column(Float, default=0.0)
    max_temp_c: Mapped[float | None] = mapped_column(Float)
    accepted: Mapped[int] = mapped_column(BigInteger, default=0)
    rejected: Mapped[int] = mapped_column(BigInteger, default=0)
    invalid: Mapped[int] = mapped_column(BigInteger, default=0)
    gpus: Mapped[list[Any]] = mapped_column(JSONDoc, default=list)


class RigRollup(Base):
    """Averages of samples per bucket (``step`` = 300 or 3600 seconds)."""

    __tablename__ = "rig_rollups"
    __table_args__ = (Index("ix_rig_rollups_step_bucket", "step_s", "bucket"),)

    rig_id: Mapped[str] = mapped_column(ForeignKey("rigs.id", ondelete="CASCADE"), primary_key=True)
    step_s: Mapped[int] = mapped_column(Integer, primary_key=True)
    bucket: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    samples: Mapped[int] = mapped_column(Integer, default=0)
    hashrate_hs: Mapped[float] = mapped_column(Float, default=0.0)
    power_w: Mapped[float] = mapped_column(Float, default=0.0)
    max_temp_c: Mapped[float | None] = mapped_column(Float)
    accepted: Mapped[int] = mapped_column(BigInteger, default=0)
    rejected: Mapped[int] = mapped_column(BigInteger, default=0)
    gpus: Mapped[list[Any]] = mapped_column(JSONDoc, default=list)


class RollupCursor(Base):
    """How far each rollup step has been computed, shared by every instance."""

    __tablename__ = "rollup_cursors"

    step_s: Mapped[int] = mapped_column(Integer, primary_key=True)
    done_until: Mapped[datetime] = mapped_column(UTCDateTime)
