"""Run N simulated rigs against a server: enroll, hello, report every interval, follow
config changes, long-poll for commands, pretend to run them and post results."""

from __future__ import annotations

import asyncio
import logging
import random
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from openrig.simulator.rig import SimRig

log = logging.getLogger("openrig.simulate")
API = "/api/rig/v1"


@dataclass
class Options:
    url: str
    enroll_key: str
    rigs: int
    gpus: int = 8
    interval_s: float = 30.0
    faults: bool = False
    fault_chance: float = 0.02
    long_poll: bool = True
    seed: int = 1
    duration_s: float | None = None
    progress: bool = True


@dataclass
class Stats:
    enrolled: int = 0
    reports: int = 0
    errors: int = 0
    commands: int = 0
    faults: int = 0
    last_error: str = ""
    by_rig: dict[int, str] = field(default_factory=dict)


class RigAgent:
    """The protocol side of one simulated rig."""

    def __init__(self, sim: SimRig, opts: Options, http: httpx.AsyncClient, stats: Stats) -> None:
        self.sim, self.opts, self.http, self.stats = sim, opts, http, stats
        self.token = ""
        self.config_version = ""
        self.interval = opts.interval_s

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    async def enroll(self) -> None:
        body = {
            "enroll_key": self.opts.enroll_key,
            "hardware_id": self.sim.hardware_id,
            "hostname": self.sim.hostname,
        }
        response = await self.http.post(f"{API}/enroll", json=body)
        response.raise_for_status()
        self.token = response.json()["token"]
        self.stats.enrolled += 1
        hello = await self.http.post(f"{API}/hello", json=self.sim.hello(), headers=self.auth)
        hello.raise_for_status()
        self._take_config(hello.json()["config"])

    def _take_config(self, config: dict[str, Any]) -> None:
        self.config_version = str(config.get("version", ""))
        self.sim.apply_config(config)
        self.interval = min(
            float(config.get("report_interval_s", self.interval)), self.opts.interval_s
        )

    async def report_loop(self) -> None:
        await asyncio.sleep(self.sim.rng.uniform(0, self.interval))  # spread the fleet
        while True:
            fault = self.sim.maybe_fault(self.opts.fault_chance) if self.opts.faults else None
            if fault:
                self.stats.faults += 1
                await self._fault_event(fault)
            if self.sim.fault != "silent":
                await self._report_once()
            await asyncio.sleep(self.interval * self.sim.rng.uniform(0.95, 1.05))

    async def _report_once(self) -> None:
        try:
            response = await self.http.post(
                f"{API}/report", json=self.sim.report(self.config_version), headers=self.auth
            )
            response.raise_for_status()
        except httpx.HTTPError as exc:
            self._error(exc)
            return
        self.stats.reports += 1
        answer = response.json()
        if answer.get("config_version") != self.config_version:
            config = await self.http.get(f"{API}/config", headers=self.auth)
            if config.status_code == 200:
                self._take_config(config.json())
        for command in answer.get("commands", []):
            await self.run_command(command)

    async def _fault_event(self, fault: str) -> None:
        kinds = {
            "overheat": "overheat",
            "gpu_lost": "gpu_lost",
            "miner_crash": "miner_crashed",
            "hashrate_drop": "watchdog_action",
        }
        if fault not in kinds:
            return
        event = {
            "kind": kinds[fault],
            "message": f"simulated {fault.replace('_', ' ')}",
            "gpu_index": 0 if fault == "overheat" else None,
            "log_tail": "sim: fault injected",
        }
        try:
            await self.http.post(f"{API}/events", json={"events": [event]}, headers=self.auth)
        except httpx.HTTPError as exc:
            self._error(exc)

    async def poll_loop(self) -> None:
        while True:
            try:
                response = await self.http.get(
                    f"{API}/commands/wait", params={"timeout": 25}, headers=self.auth, timeout=40
                )
            except httpx.HTTPError as exc:
                self._error(exc)
                await asyncio.sleep(5)
                continue
            if response.status_code == 200:
                for command in response.json().get("commands", []):
                    await self.run_command(command)
            elif response.status_code != 204:
                await asyncio.sleep(5)

    async def run_command(self, command: dict[str, Any]) -> None:
        url = f"{API}/commands/{command['id']}/result"
        await self.http.post(url, json={"status": "started"}, headers=self.auth)
        await asyncio.sleep(0.2)
        if command["type"] in ("reboot", "restart_miner", "start_miner"):
            self.sim.fault = (
                None if self.sim.fault in ("miner_crash", "hashrate_drop") else self.sim.fault
            )
        output = f"simulated {command['type']} done\n"
        await self.http.post(
            url, json={"status": "succeeded", "exit_code": 0, "output": output}, headers=self.auth
        )
        self.stats.commands += 1

    def _error(self, exc: Exception) -> None:
        self.stats.errors += 1
        self.stats.last_error = f"{type(exc).__name__}: {exc}"[:200]


async def _progress(stats: Stats, opts: Options) -> None:
    started = time.monotonic()
    while True:
        await asyncio.sleep(2)
        elapsed = time.monotonic() - started
        line = (
            f"\rrigs {stats.enrolled}/{opts.rigs}  reports {stats.reports} "
            f"({stats.reports / max(elapsed, 1):.1f}/s)  commands {stats.commands}  "
            f"faults {stats.faults}  errors {stats.errors}"
        )
        sys.stderr.write(
            line + (f"  last: {stats.last_error[:60]}" if stats.errors else "") + "   "
        )
        sys.stderr.flush()


async def run(opts: Options) -> Stats:
    stats = Stats()
    limits = httpx.Limits(max_connections=max(100, opts.rigs * 2), max_keepalive_connections=200)
    async with httpx.AsyncClient(base_url=opts.url, limits=limits, timeout=30) as http:
        agents = [
            RigAgent(SimRig.build(i + 1, opts.gpus, opts.seed), opts, http, stats)
            for i in range(opts.rigs)
        ]
        for chunk in range(0, len(agents), 50):
            await asyncio.gather(*(a.enroll() for a in agents[chunk : chunk + 50]))
        tasks = [asyncio.create_task(a.report_loop()) for a in agents]
        if opts.long_poll:
            tasks += [asyncio.create_task(a.poll_loop()) for a in agents]
        if opts.progress:
            tasks.append(asyncio.create_task(_progress(stats, opts)))
        try:
            await asyncio.wait(tasks, timeout=opts.duration_s)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    return stats


def main(opts: Options) -> int:
    random.seed(opts.seed)
    try:
        stats = asyncio.run(run(opts))
    except KeyboardInterrupt:
        return 0
    except httpx.HTTPStatusError as exc:
        print(
            f"\nopenrig simulate: {exc.response.status_code} {exc.response.text[:200]}",
            file=sys.stderr,
        )
        return 1
    print(
        f"\n{stats.enrolled} rigs, {stats.reports} reports, {stats.commands} commands, "
        f"{stats.errors} errors",
        file=sys.stderr,
    )
    return 0
