"""A rig in a temporary directory: the real oros-boot/oros-agent with recording fakes.

Layout under ``root``: ``config/rig.conf`` (the boot medium), ``run/`` (the ramdisk;
no tmpfs is mounted), ``bin/`` (first on PATH: nvidia-smi → the recorded fixture),
``records/`` (what the fakes saw: miner argv, power requests, nvidia-smi calls), and
the fake miner installed where the agent looks for T-Rex.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from tests.support.live import free_port

REPO = Path(__file__).resolve().parents[2]
OROS = REPO / "oros"
FAKES = Path(__file__).parent / "fakes"
FIXTURES = REPO / "tests" / "oros" / "fixtures"
TREX_SUMMARY = json.loads((FIXTURES / "miners" / "trex-summary.json").read_text())
MINER_VERSION = "0.26.8"

T = TypeVar("T")


def wait_for(check: Callable[[], T], timeout: float, what: str, every: float = 0.1) -> T:
    """Poll ``check`` until it returns something truthy; fail naming ``what``."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(every)


@dataclass
class RigRoot:
    root: Path
    server_url: str
    conf_text: str
    env_extra: dict[str, str] = field(default_factory=dict)
    marker: str = field(default_factory=lambda: uuid.uuid4().hex)
    process: subprocess.Popen[bytes] | None = None

    def __post_init__(self) -> None:
        for sub in ("config", "run", "bin", "records", "home"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        self.conf_path.write_text(self.conf_text)
        self.conf_path.chmod(0o600)
        self.miner_port = free_port()
        self.set_hashrate(TREX_SUMMARY["hashrate"])
        nvsmi = self.root / "bin" / "nvidia-smi"
        nvsmi.write_text(
            f'#!/usr/bin/env bash\nexec {REPO}/tests/oros/helpers/fake-nvidia-smi "$@"\n'
        )
        nvsmi.chmod(0o755)
        miner_dir = self.root / "run" / "miners" / "trex" / MINER_VERSION
        miner_dir.mkdir(parents=True)
        (miner_dir / "t-rex").symlink_to(FAKES / "t-rex")

    # --- paths -------------------------------------------------------------------
    @property
    def conf_path(self) -> Path:
        return self.root / "config" / "rig.conf"

    @property
    def run_dir(self) -> Path:
        return self.root / "run"

    @property
    def records(self) -> Path:
        return self.root / "records"

    def env(self) -> dict[str, str]:
        return {
            "PATH": f"{self.root / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            "HOME": str(self.root / "home"),
            "LANG": "C.UTF-8",
            "OROS_E2E_MARKER": self.marker,
            "OROS_CONF": str(self.conf_path),
            "OROS_RUN_DIR": str(self.run_dir),
            "OROS_RAMDISK_MOUNT": "no",
            "OROS_SYSFS_ROOT": str(self.root / "sys"),
            "OROS_HARDWARE_ID": "e2e-aa:bb:cc:dd:ee:01",
            "OROS_RELEASE_FILE": str(self.root / "oros-release"),
            "OROS_REPORT_INTERVAL": "2",
            "OROS_REBOOT_CMD": f"{FAKES / 'fake-power'} reboot",
            "OROS_SHUTDOWN_CMD": f"{FAKES / 'fake-power'} shutdown",
            "OROS_MINER_API_PORT": str(self.miner_port),
            "OROS_MINER_STOP_TIMEOUT": "5",
            "HTTP_CONNECT_TIMEOUT": "2",
            "NV_FIXTURE": str(FIXTURES / "nvidia-smi" / "three-gpus.csv"),
            "NV_ARGV_LOG": str(self.records / "nvidia-smi.jsonl"),
            "FAKE_MINER_ARGV_LOG": str(self.records / "miner-argv.jsonl"),
            "FAKE_MINER_STATS": str(self.records / "trex-summary.json"),
            "FAKE_POWER_LOG": str(self.records / "power.log"),
            **self.env_extra,
        }

    # --- life ----------------------------------------------------------------------
    def start(self) -> None:
        out = (self.records / "boot.out").open("ab")
        self.process = subprocess.Popen(
            [str(OROS / "bin" / "oros-boot")],
            env=self.env(),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        out.close()

    def pids(self) -> list[int]:
        """Every live process of this rig (agent, poller, supervisor, miner, jq…)."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                environ = (entry / "environ").read_bytes()
            except OSError:
                continue
            if f"OROS_E2E_MARKER={self.marker}".encode() in environ.split(b"\0"):
                found.append(int(entry.name))
        return found

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=15)
        for _ in range(3):
            pids = self.pids()
            if not pids:
                break
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.2)
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=5)

    # --- what the fakes saw -----------------------------------------------------------
    def _jsonl(self, name: str) -> list[Any]:
        path = self.records / name
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    def miner_starts(self) -> list[list[str]]:
        return self._jsonl("miner-argv.jsonl")

    def nvidia_calls(self) -> list[list[str]]:
        return self._jsonl("nvidia-smi.jsonl")

    def power_calls(self) -> list[str]:
        path = self.records / "power.log"
        return path.read_text().splitlines() if path.exists() else []

    def set_hashrate(self, hashrate: float) -> None:
        summary = {**TREX_SUMMARY, "hashrate": hashrate}
        per_gpu = hashrate / len(TREX_SUMMARY["gpus"])
        summary["gpus"] = [{**g, "hashrate": per_gpu} for g in TREX_SUMMARY["gpus"]]
        tmp = self.records / "trex-summary.json.tmp"
        tmp.write_text(json.dumps(summary))
        tmp.replace(self.records / "trex-summary.json")

    def miner_pid(self) -> int | None:
        try:
            pid = int((self.run_dir / "miner" / "miner.pid").read_text())
        except (OSError, ValueError):
            return None
        return pid if Path(f"/proc/{pid}").exists() else None

    def log(self) -> str:
        parts = []
        for path in (self.run_dir / "log" / "oros.log", self.records / "boot.out"):
            if path.exists():
                parts.append(path.read_text(errors="replace"))
        return "\n".join(parts)

    def cycles(self) -> int:
        try:
            return int((self.run_dir / "state" / "cycles").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return 0


def _stat_ticks(pid: int) -> int | None:
    """utime + stime + cutime + cstime of a process (its reaped children included)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return sum(int(v) for v in fields[11:15])


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def measure_footprint(rig: RigRoot, cycles: int, timeout: float = 60) -> dict[str, float]:
    """CPU seconds per report cycle and resident memory of the agent's processes (the
    agent, its long-poll loop and the miner supervisor, with every short-lived child
    they reaped: jq, curl, nvidia-smi…), the fake miner itself excluded."""

    def agent_pids() -> list[int]:
        return [p for p in rig.pids() if _comm(p) not in ("python3", "t-rex")]

    start_cycle = rig.cycles()
    wait_for(lambda: rig.cycles() > start_cycle, timeout, "a cycle to begin")
    first = rig.cycles()
    before = {p: t for p in agent_pids() if (t := _stat_ticks(p)) is not None}
    rss_max = 0
    while rig.cycles() < first + cycles:
        pids = agent_pids()
        rss_max = max(rss_max, sum(_rss_kb(p) for p in pids))
        time.sleep(0.05)
    after = {p: t for p in agent_pids() if (t := _stat_ticks(p)) is not None}
    long_lived = sum(_rss_kb(p) for p in before if p in after)
    ticks = sum(t - before.get(p, 0) for p, t in after.items() if p in before)
    hz = os.sysconf("SC_CLK_TCK")
    return {
        "cycles": cycles,
        "cpu_s_per_cycle": round(ticks / hz / cycles, 3),
        "rss_steady_kb": long_lived,
        "rss_peak_kb": rss_max,
        "processes": len([p for p in before if p in after]),
    }
