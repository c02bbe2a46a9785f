"""End-to-end fixtures: a real server on loopback that can be stopped and restarted on
the same port with the same database, a farm set up through the user API, and rigs
(the real oros-boot/oros-agent) in temporary roots."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from openrig.app import create_app
from openrig.core.db import Database
from openrig.settings import Settings
from tests.conftest import require
from tests.e2e.harness import MINER_VERSION, RigRoot
from tests.support.actors import Actors
from tests.support.live import free_port, serve


class LiveServer:
    """uvicorn on a fixed loopback port; ``stop``/``start`` keep port and database."""

    def __init__(self, settings: Settings, database: Database) -> None:
        self.settings, self.database = settings, database
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._running: AbstractContextManager[str] | None = None

    def start(self) -> None:
        assert self._running is None
        self._running = serve(create_app(self.settings, self.database), self.port)
        self._running.__enter__()

    def stop(self) -> None:
        if self._running is not None:
            self._running.__exit__(None, None, None)
            self._running = None


@pytest.fixture
def tools() -> None:
    for tool in ("jq", "curl", "setsid", "python3"):
        require(shutil.which(tool) is not None, tool)


@pytest.fixture
def live(settings: Settings, database: Database, tools: None) -> Iterator[LiveServer]:
    server = LiveServer(settings, database)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def trex_miner(**over: Any) -> dict[str, Any]:
    return {
        "name": "trex",
        "version": MINER_VERSION,
        "algo": "kawpow",
        "pools": [{"url": "stratum+tcp://pool.example:3333", "user": "WALLET.{rig}", "pass": "x"}],
        **over,
    }


@pytest.fixture
def farm(actors: Actors) -> Callable[..., str]:
    """Give the farm a flight sheet (and farm-layer config); returns the sheet id."""

    def setup(miner: dict[str, Any] | None = None, config: dict[str, Any] | None = None) -> str:
        base = f"/api/v1/farms/{actors.farm_id}"
        sheet = actors.owner.post(
            f"{base}/flight-sheets", json={"name": "main", "miner": miner or trex_miner()}
        )
        assert sheet.status_code == 201, sheet.text
        body: dict[str, Any] = {"flight_sheet_id": sheet.json()["id"]}
        if config:
            body["config"] = config
        layer = actors.owner.patch(f"{base}/config", json=body)
        assert layer.status_code == 200, layer.text
        return str(sheet.json()["id"])

    return setup


@pytest.fixture
def enroll_conf(actors: Actors, enroll_key: str, live: LiveServer) -> str:
    """The farm's enroll.conf as the console hands it out, pointed at the live server."""
    text = actors.admin.get(f"/api/v1/farms/{actors.farm_id}/enroll.conf")
    assert text.status_code == 200, text.text
    assert enroll_key in text.text
    lines = [
        f"SERVER_URL={live.url}" if line.startswith("SERVER_URL=") else line
        for line in text.text.splitlines()
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture
def make_rig(tmp_path: Path, live: LiveServer) -> Iterator[Callable[..., RigRoot]]:
    made: list[RigRoot] = []

    def make(conf_text: str, name: str = "rig", **env: str) -> RigRoot:
        rig = RigRoot(tmp_path / name, live.url, conf_text, env_extra=env)
        made.append(rig)
        return rig

    yield make
    for rig in made:
        rig.stop()


def sqlite_only(database_url: str, why: str) -> None:
    """Rig-side behaviour the database cannot change: run it once, on SQLite."""
    if not database_url.startswith("sqlite"):
        pytest.skip(f"rig-side only, run on SQLite: {why}")
