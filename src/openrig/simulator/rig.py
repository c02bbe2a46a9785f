"""One simulated rig: its hardware, its numbers, and the faults it can suffer."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

GPU_MODELS = (
    ("NVIDIA GeForce RTX 3070", 2.45e7, 118.0, 8192),
    ("NVIDIA GeForce RTX 3060 Ti", 2.05e7, 110.0, 8192),
    ("NVIDIA GeForce RTX 3080", 4.1e7, 220.0, 10240),
    ("NVIDIA GeForce GTX 1660 SUPER", 1.25e7, 75.0, 6144),
)
FAULTS = ("silent", "overheat", "hashrate_drop", "gpu_lost", "miner_crash")


@dataclass
class Gpu:
    index: int
    model: str
    base_hs: float
    base_w: float
    vram_mb: int
    temp: float


@dataclass
class SimRig:
    serial: int
    gpus: list[Gpu]
    rng: random.Random
    hostname: str
    boot_time: datetime = field(default_factory=lambda: datetime.now(UTC))
    started: float = field(default_factory=time.monotonic)
    fault: str | None = None
    fault_until: float = 0.0
    miner_restarts: int = 0
    accepted: int = 0
    rejected: int = 0
    miner_name: str = "trex"
    algo: str = "kawpow"

    @classmethod
    def build(cls, serial: int, gpus: int, seed: int) -> SimRig:
        rng = random.Random(seed * 100_003 + serial)
        model, base_hs, base_w, vram = GPU_MODELS[rng.randrange(len(GPU_MODELS))]
        cards = [Gpu(i, model, base_hs, base_w, vram, 55 + rng.random() * 8) for i in range(gpus)]
        return cls(serial=serial, gpus=cards, rng=rng, hostname=f"sim-{serial:04d}")

    @property
    def hardware_id(self) -> str:
        return f"sim-hw-{self.serial:06d}"

    def hello(self) -> dict[str, Any]:
        return {
            "hostname": self.hostname,
            "boot_time": self.boot_time.isoformat(),
            "agent_version": "sim-1.0",
            "kernel": "6.1.0-18-amd64",
            "gpus": [
                {
                    "index": g.index,
                    "vendor": "nvidia",
                    "model": g.model,
                    "bus_id": f"0000:{g.index + 1:02x}:00.0",
                    "vram_mb": g.vram_mb,
                    "vbios": "94.04.3a.00.2d",
                    "driver": "550.54.14",
                }
                for g in self.gpus
            ],
            "cpu": {"model": "Intel Celeron G3930", "cores": 2},
            "motherboard": {"vendor": "ASRock", "model": "H110 Pro BTC+"},
            "ram_mb": 8192,
            "disk": {"model": "SanDisk Cruzer", "size_mb": 15000},
            "nics": [
                {
                    "name": "eth0",
                    "mac": f"02:00:00:00:{self.serial // 256:02x}:{self.serial % 256:02x}",
                    "ip": f"10.0.{self.serial // 250}.{self.serial % 250 + 2}",
                }
            ],
        }

    def maybe_fault(self, chance: float) -> str | None:
        """Start a fault with probability ``chance``; the new fault's name or None."""
        now = time.monotonic()
        if self.fault and now >= self.fault_until:
            self.fault = None
        if self.fault is None and self.rng.random() < chance:
            self.fault = self.rng.choice(FAULTS)
            self.fault_until = now + self.rng.uniform(60, 300)
            return self.fault
        return None

    def visible_gpus(self) -> list[Gpu]:
        return self.gpus[:-1] if self.fault == "gpu_lost" and len(self.gpus) > 1 else self.gpus

    def report(self, config_version: str) -> dict[str, Any]:
        running = self.fault != "miner_crash"
        factor = 0.3 if self.fault == "hashrate_drop" else 1.0
        gpus = [self._gpu_stats(g, running, factor) for g in self.visible_gpus()]
        total = sum(g["hashrate_hs"] for g in gpus)
        if running:
            self.accepted += self.rng.randrange(0, 4)
            self.rejected += 1 if self.rng.random() < 0.01 else 0
        return {
            "uptime_s": int(time.monotonic() - self.started) + 600,
            "cpu_load": round(0.2 + self.rng.random() * 0.3, 2),
            "mem_free_mb": 2100,
            "disk_free_mb": 5200,
            "config_version": config_version,
            "miner": {
                "name": self.miner_name,
                "version": "0.26.8",
                "algo": self.algo,
                "running": running,
                "uptime_s": int(time.monotonic() - self.started),
                "hashrate_hs": total,
                "shares": {"accepted": self.accepted, "rejected": self.rejected, "invalid": 0},
            },
            "gpus": gpus,
            "watchdog": {"miner_restarts": self.miner_restarts, "last_action": None},
        }

    def _gpu_stats(self, gpu: Gpu, running: bool, factor: float) -> dict[str, Any]:
        rng = self.rng
        hot = self.fault == "overheat" and gpu.index == 0
        gpu.temp += rng.uniform(-0.7, 0.7) + (1.5 if hot and gpu.temp < 93 else 0)
        gpu.temp = min(max(gpu.temp, 45), 95 if hot else 70)
        hashrate = gpu.base_hs * factor * rng.uniform(0.98, 1.02) if running else 0.0
        return {
            "index": gpu.index,
            "hashrate_hs": round(hashrate, 1),
            "temp_c": round(gpu.temp, 1),
            "mem_temp_c": round(gpu.temp + 20, 1),
            "fan_pct": 100 if hot else 65,
            "power_w": round(gpu.base_w * rng.uniform(0.97, 1.03) if running else 25.0, 1),
            "core_clock_mhz": 1500 if running else 210,
            "mem_clock_mhz": 7000,
            "util_pct": 100 if running else 0,
        }

    def apply_config(self, config: dict[str, Any]) -> None:
        miner = config.get("miner") or {}
        self.miner_name = str(miner.get("name") or self.miner_name)
        self.algo = str(miner.get("algo") or self.algo)
