"""Rig-protocol fixtures (a farm with an enrollment key, enrolled rigs) and payloads.

Registered as a plugin by tests/conftest.py, so every test package can use them."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from openrig.core.db import Database
from openrig.farms import enroll as farm_enroll
from openrig.models import Farm
from openrig.settings import Settings
from tests.support.actors import Actors

_serial = itertools.count(1)


@dataclass
class RigClient:
    rig_id: str
    token: str
    http: TestClient

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def post(self, path: str, **kw: Any) -> Any:
        return self.http.post(
            f"/api/rig/v1{path}", headers={**self.auth, **kw.pop("headers", {})}, **kw
        )

    def get(self, path: str, **kw: Any) -> Any:
        return self.http.get(
            f"/api/rig/v1{path}", headers={**self.auth, **kw.pop("headers", {})}, **kw
        )


@pytest.fixture
def enroll_key(actors: Actors, database: Database, settings: Settings) -> str:
    with database.transaction() as db:
        farm = db.get(Farm, actors.farm_id)
        assert farm is not None
        return farm_enroll.rotate(settings, farm)


@pytest.fixture
def rig_http(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as http:
        yield http


def enroll_rig(
    http: TestClient, key: str, hardware_id: str | None = None, hostname: str = "rig"
) -> RigClient:
    hardware_id = hardware_id or f"hw-{next(_serial):08d}"
    response = http.post(
        "/api/rig/v1/enroll",
        json={"enroll_key": key, "hardware_id": hardware_id, "hostname": hostname},
    )
    assert response.status_code in (200, 201), response.text
    body = response.json()
    return RigClient(body["rig_id"], body["token"], http)


@pytest.fixture
def rig(rig_http: TestClient, enroll_key: str) -> RigClient:
    return enroll_rig(rig_http, enroll_key, hostname="rig-07")


def report_payload(gpus: int = 2, hashrate: float = 6.2e7, running: bool = True) -> dict[str, Any]:
    return {
        "uptime_s": 86400,
        "cpu_load": 0.31,
        "mem_free_mb": 2100,
        "disk_free_mb": 5200,
        "miner": {
            "name": "trex",
            "version": "0.26.8",
            "algo": "kawpow",
            "running": running,
            "uptime_s": 3600,
            "hashrate_hs": hashrate,
            "shares": {"accepted": 1200, "rejected": 3, "invalid": 0},
        },
        "gpus": [
            {
                "index": i,
                "hashrate_hs": hashrate / max(gpus, 1),
                "temp_c": 60 + i,
                "mem_temp_c": 84,
                "fan_pct": 70,
                "power_w": 118.5,
                "core_clock_mhz": 1500,
                "mem_clock_mhz": 7000,
                "util_pct": 100,
            }
            for i in range(gpus)
        ],
        "watchdog": {"miner_restarts": 0, "last_action": None},
    }


HELLO = {
    "hostname": "rig-07",
    "boot_time": "2026-12-04T10:00:00Z",
    "agent_version": "1.0.0",
    "kernel": "6.1.0-18-amd64",
    "gpus": [
        {
            "index": 0,
            "vendor": "nvidia",
            "model": "NVIDIA GeForce RTX 3070",
            "bus_id": "0000:01:00.0",
            "vram_mb": 8192,
            "vbios": "94.04.3a.00.2d",
            "driver": "550.54.14",
        }
    ],
    "cpu": {"model": "Intel Celeron G3930", "cores": 2},
    "motherboard": {"vendor": "ASRock", "model": "H110 Pro BTC+"},
    "ram_mb": 8192,
    "disk": {"model": "SanDisk Cruzer", "size_mb": 15000},
    "nics": [{"name": "eth0", "mac": "aa:bb:cc:dd:ee:ff", "ip": "192.168.1.57"}],
}
