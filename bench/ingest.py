"""Report-ingestion benchmark: sustained 8-GPU reports from many distinct rigs, database
writes included, next to the ceiling of a trivial POST on the same server stack.

    python bench/ingest.py [--db sqlite|postgresql|both] [--rigs 20000] [--duration 20]
                           [--connections 64] [--workers 1]

Needs wrk (Debian package ``wrk``). PostgreSQL comes from OPENRIG_TEST_DATABASE_URL
(default postgresql://postgres@127.0.0.1:5432/test); the bench works in its own schema.
Prints reports/s, p50/p99 latency, the ceiling and the ratio, and how much CPU each side
(server, wrk, PostgreSQL) used, in cores.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx
from sqlalchemy import create_engine, func, insert, select, text

from openrig.core import migrate
from openrig.core.db import make_engine, new_id, utcnow
from openrig.core.security import token_hash
from openrig.models import Farm, Rig, RigSample

HERE = Path(__file__).resolve().parent
CLK_TCK = os.sysconf("SC_CLK_TCK")


@dataclass
class WrkResult:
    requests: int
    seconds: float
    errors: int
    non2xx: int
    p50_ms: float
    p99_ms: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime
    return total


def process_tree(root: int) -> list[int]:
    pids, frontier = [root], [root]
    while frontier:
        pid = frontier.pop()
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        pids += [int(c) for c in children]
        frontier += [int(c) for c in children]
    return pids


def postgres_pids() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() in ("postgres", "postmaster"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def database_url(kind: str, workdir: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{workdir / 'bench.sqlite3'}"
    base = os.environ.get("OPENRIG_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    base = "postgresql+psycopg://" + base.split("://", 1)[1]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS openrig_bench CASCADE"))
        conn.execute(text("CREATE SCHEMA openrig_bench"))
    admin.dispose()
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options={quote('-csearch_path=openrig_bench')}"


def seed_rigs(url: str, rigs: int, tokens_file: Path) -> None:
    engine = make_engine(url)
    migrate.upgrade(engine)
    farm_id = new_id()
    tokens = [f"orr_{secrets.token_urlsafe(32)}" for _ in range(rigs)]
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(
            insert(Farm),
            [{"id": farm_id, "name": "bench", "config": {}, "created_at": now, "updated_at": now}],
        )
        conn.execute(
            insert(Rig),
            [
                {
                    "id": new_id(),
                    "farm_id": farm_id,
                    "name": f"rig-{i:06d}",
                    "notes": "",
                    "token_hash": token_hash(t),
                    "config": {},
                    "config_version": "bench",
                    "maintenance": False,
                    "report_interval_s": 30,
                    "created_at": now,
                    "updated_at": now,
                }
                for i, t in enumerate(tokens)
            ],
        )
    engine.dispose()
    tokens_file.write_text("\n".join(tokens) + "\n")


def count_samples(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(RigSample)).scalar_one()
    engine.dispose()
    return int(count)


def run_wrk(
    script: str, url: str, seconds: int, connections: int, env: dict[str, str]
) -> tuple[WrkResult, float]:
    """Run wrk (one thread) and return its result and the CPU seconds it used."""
    before = os.times()
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(HERE / script),
            url,
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    after = os.times()
    line = next(row for row in out.splitlines() if row.startswith("RESULT "))
    raw = json.loads(line[len("RESULT ") :])
    result = WrkResult(
        raw["requests"],
        raw["duration_us"] / 1e6,
        raw["errors"],
        raw["non2xx"],
        raw["p50_us"] / 1000,
        raw["p99_us"] / 1000,
    )
    used = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return result, used


def start_server(url: str, port: int, workers: int, workdir: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "OPENRIG_DATABASE_URL": url,
        "OPENRIG_DATA_DIR": str(workdir),
        "OPENRIG_WORKER_IN_SERVE": "false",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "openrig.cli",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("server did not start")


def measure(kind: str, args: argparse.Namespace) -> dict[str, object]:
    workdir = Path(tempfile.mkdtemp(prefix=f"openrig-bench-{kind}-"))
    url = database_url(kind, workdir)
    tokens = workdir / "tokens.txt"
    seed_rigs(url, args.rigs, tokens)
    port = 18000 + (1 if kind == "sqlite" else 2)
    server = start_server(url, port, args.workers, workdir)
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "TOKENS": str(tokens)}
    try:
        run_wrk("report.lua", base, 3, args.connections, env)  # warm-up
        ceiling, _ = run_wrk("ping.lua", base, args.duration, args.connections, env)
        samples_before = count_samples(url)
        pids = process_tree(server.pid)
        server_cpu, pg_cpu = cpu_seconds(pids), cpu_seconds(postgres_pids())
        ingest, wrk_cpu = run_wrk("report.lua", base, args.duration, args.connections, env)
        server_cpu = cpu_seconds(pids) - server_cpu
        pg_cpu = cpu_seconds(postgres_pids()) - pg_cpu
        stored = count_samples(url) - samples_before
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(workdir, ignore_errors=True)
    return {
        "db": kind,
        "reports_per_s": round(ingest.rate),
        "p50_ms": round(ingest.p50_ms, 1),
        "p99_ms": round(ingest.p99_ms, 1),
        "errors": ingest.errors + ingest.non2xx,
        "stored": stored,
        "sent": ingest.requests,
        "ceiling_per_s": round(ceiling.rate),
        "ratio": round(ingest.rate / ceiling.rate, 2),
        "cores_server": round(server_cpu / ingest.seconds, 2),
        "cores_wrk": round(wrk_cpu / ingest.seconds, 2),
        "cores_postgres": round(pg_cpu / ingest.seconds, 2) if kind == "postgresql" else 0.0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--rigs", type=int, default=20_000)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("bench needs wrk: apt-get install wrk")
    kinds = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    print(
        f"{os.cpu_count()} cores; {args.rigs} rigs; wrk 1 thread, {args.connections} connections; "
        f"server {args.workers} process(es); {args.duration} s per run"
    )
    header = (
        f"{'db':<11}{'reports/s':>10}{'p50 ms':>8}{'p99 ms':>8}{'ceiling/s':>10}{'ratio':>7}"
        f"{'stored/sent':>14}{'cpu srv':>9}{'cpu wrk':>9}{'cpu pg':>8}"
    )
    print(header)
    for kind in kinds:
        r = measure(kind, args)
        print(
            f"{r['db']:<11}{r['reports_per_s']:>10}{r['p50_ms']:>8}{r['p99_ms']:>8}"
            f"{r['ceiling_per_s']:>10}{r['ratio']:>7}{str(r['stored']) + '/' + str(r['sent']):>14}"
            f"{r['cores_server']:>9}{r['cores_wrk']:>9}{r['cores_postgres']:>8}",
            flush=True,
        )
        print("JSON " + json.dumps(r), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
