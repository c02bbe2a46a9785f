"""``openrig demo``: a server on SQLite with a demo account, a farm and simulated
rigs (with occasional faults), so a newcomer sees a live fleet in one command."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import select

from openrig.accounts.principal import Principal
from openrig.accounts.service import create_admin
from openrig.alerts.service import patch_rules
from openrig.core import migrate
from openrig.core.db import Database
from openrig.farms import enroll
from openrig.farms.service import create_farm
from openrig.models import Farm, FarmMember, User
from openrig.settings import Settings, load_settings
from openrig.simulator.runner import Options
from openrig.simulator.runner import main as simulate

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "openrig-demo-password"  # noqa: S105 - a published demo login
DEMO_FARM = "Demo farm"
DEMO_RULES = {
    "miner_down": {"for_s": 30},
    "gpu_temp_high": {"for_s": 30},
    "hashrate_low": {"for_s": 60},
    "rig_offline": {"clear_for_s": 60},
}


def prepare(settings: Settings) -> tuple[str, str]:
    """Create (once) the demo user and farm; return the farm's enrollment key and id."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    database = Database.connect(settings.database_url)
    migrate.upgrade(database.writer_engine)
    with database.transaction() as db:
        user = db.scalar(select(User).where(User.email == DEMO_EMAIL))
        if user is None:
            user = create_admin(db, email=DEMO_EMAIL, password=DEMO_PASSWORD)
        farm = db.scalar(
            select(Farm)
            .join(FarmMember, FarmMember.farm_id == Farm.id)
            .where(FarmMember.user_id == user.id, Farm.name == DEMO_FARM)
        )
        if farm is None:
            farm = create_farm(db, Principal(user=user), DEMO_FARM)
            # Quicker rules than the defaults, so the simulated faults fire within a minute.
            patch_rules(db, farm, DEMO_RULES)
        key = enroll.enroll_key(settings, farm) or enroll.rotate(settings, farm)
        farm_id = farm.id
    database.dispose()
    return key, farm_id


def _wait_ready(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("openrig demo: the server exited; is the port in use?")
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    sys.exit("openrig demo: the server did not become ready")


def run_demo(rigs: int, port: int, interval: float) -> int:
    data_dir = Path(os.environ.get("OPENRIG_DATA_DIR", "var/demo"))
    env = {
        **os.environ,
        "OPENRIG_DATA_DIR": str(data_dir),
        "OPENRIG_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "OPENRIG_ALERT_GROUP_WAIT_S": "10",
    }
    settings = load_settings(env)
    key, farm_id = prepare(settings)
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
        [
            sys.executable,
            "-m",
            "openrig.cli",
            "serve",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        _wait_ready(url, server)
        print(
            f"\nopenrig demo is running at {url}\n  log in as {DEMO_EMAIL} / {DEMO_PASSWORD}\n"
            f"  API docs: {url}/api/docs\n"
            f"  alerts:   {url}/api/v1/farms/{farm_id}/alerts?state=active\n"
            f"  {rigs} simulated rigs with faults; Ctrl-C stops\n",
            flush=True,
        )
        return simulate(
            Options(
                url=url,
                enroll_key=key,
                rigs=rigs,
                gpus=6,
                interval_s=interval,
                faults=True,
                fault_chance=0.03,
            )
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
