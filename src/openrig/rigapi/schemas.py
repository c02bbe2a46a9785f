"""Rig payloads. They ignore unknown fields (a newer agent must work with an older
server) but bound everything they keep: finite numbers in physical ranges, short
strings, at most 32 GPUs."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Short = Annotated[str, StringConstraints(max_length=128)]
Text = Annotated[str, StringConstraints(max_length=512)]
Count = Annotated[int, Field(ge=0, le=10**15)]
Rate = Annotated[float, Field(ge=0, le=1e20)]
Temp = Annotated[float, Field(ge=-60, le=200)]
Pct = Annotated[float, Field(ge=0, le=100)]
Mhz = Annotated[float, Field(ge=0, le=100_000)]
Watts = Annotated[float, Field(ge=0, le=10_000)]
MiB = Annotated[float, Field(ge=0, le=1e9)]
GpuIndex = Annotated[int, Field(ge=0, le=63)]


class RigModel(BaseModel):
    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)


class EnrollIn(RigModel):
    enroll_key: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    hardware_id: Annotated[
        str, StringConstraints(min_length=8, max_length=128, pattern=r"^[A-Za-z0-9:._-]+$")
    ]
    hostname: Annotated[str, StringConstraints(max_length=100)] = ""


class GpuInventory(RigModel):
    index: GpuIndex
    vendor: Literal["nvidia", "amd", "intel", "unknown"] = "unknown"
    model: Short = ""
    bus_id: Short = ""
    vram_mb: MiB | None = None
    vbios: Short = ""
    driver: Short = ""


class Nic(RigModel):
    name: Short = ""
    mac: Short = ""
    ip: Short = ""


class Named(RigModel):
    vendor: Short = ""
    model: Short = ""
    cores: Count | None = None
    size_mb: MiB | None = None


class HelloIn(RigModel):
    hostname: Short = ""
    boot_time: datetime | None = None
    agent_version: Short = ""
    image_version: Short = ""
    kernel: Short = ""
    gpus: list[GpuInventory] = Field(default_factory=list, max_length=32)
    cpu: Named | None = None
    motherboard: Named | None = None
    ram_mb: MiB | None = None
    disk: Named | None = None
    nics: list[Nic] = Field(default_factory=list, max_length=16)


class Shares(RigModel):
    accepted: Count = 0
    rejected: Count = 0
    invalid: Count = 0


class MinerReport(RigModel):
    name: Short = ""
    version: Short = ""
    algo: Short = ""
    running: bool = False
    uptime_s: Count = 0
    hashrate_hs: Rate = 0.0
    shares: Shares = Field(default_factory=Shares)


class GpuReport(RigModel):
    index: GpuIndex
    hashrate_hs: Rate | None = None
    temp_c: Temp | None = None
    mem_temp_c: Temp | None = None
    fan_pct: Pct | None = None
    power_w: Watts | None = None
    core_clock_mhz: Mhz | None = None
    mem_clock_mhz: Mhz | None = None
    util_pct: Pct | None = None


class WatchdogReport(RigModel):
    miner_restarts: Count = 0
    last_action: Short | None = None


class ReportIn(RigModel):
    uptime_s: Count = 0
    cpu_load: Annotated[float, Field(ge=0, le=10_000)] = 0.0
    mem_free_mb: MiB | None = None
    disk_free_mb: MiB | None = None
    config_version: Short = ""
    miner: MinerReport | None = None
    gpus: list[GpuReport] = Field(default_factory=list, max_length=32)
    watchdog: WatchdogReport | None = None


class CommandResultIn(RigModel):
    status: Literal["started", "succeeded", "failed"]
    exit_code: Annotated[int, Field(ge=-1000, le=1000)] | None = None
    # The protocol promises a tail of at most 64 KiB; longer output is cut, not refused.
    output: str = ""


EVENT_KINDS = (
    "miner_restarted",
    "miner_crashed",
    "rig_rebooting",
    "rig_shutdown",
    "overheat",
    "overheat_resumed",
    "gpu_lost",
    "config_applied",
    "config_failed",
    "oc_applied",
    "oc_failed",
    "watchdog_action",
    "agent_started",
    "agent_upgraded",
    "miner_downloaded",
    "error",
)


class EventIn(RigModel):
    kind: Literal[EVENT_KINDS]  # type: ignore[valid-type]
    at: datetime | None = None  # the rig's clock: informative only
    message: Text = ""
    gpu_index: GpuIndex | None = None
    data: dict[str, Any] = Field(default_factory=dict)
    log_tail: Annotated[str, StringConstraints(max_length=16_384)] = ""


class EventsIn(RigModel):
    events: list[EventIn] = Field(min_length=1, max_length=100)
