"""The ``openrig`` command: serve, migrate, admin create."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import logging
import os
import sys
from collections.abc import Sequence

from openrig.core import migrate
from openrig.core.db import Database
from openrig.settings import Settings, SettingsError, load_settings


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        sys.exit(f"openrig: {exc}")


def _prepare(settings: Settings) -> Database:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    database = Database.connect(settings.database_url)
    migrate.upgrade(database.writer_engine)
    return database


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from openrig.app import create_app

    settings = _settings()
    database = _prepare(settings)
    options: dict[str, object] = {
        "host": args.host or settings.host,
        "port": args.port or settings.port,
        "log_level": args.log_level,
        "proxy_headers": args.proxy_headers,
        "access_log": not args.no_access_log,
        # Rigs parked in a 25 s long-poll simply reconnect; don't wait for them.
        "timeout_graceful_shutdown": 3,
    }
    if args.workers > 1:
        # Each worker process builds its own app from the same environment.
        database.dispose()
        uvicorn.run("openrig.app:app_from_env", factory=True, workers=args.workers, **options)  # type: ignore[arg-type]
    else:
        uvicorn.run(create_app(settings, database), **options)  # type: ignore[arg-type]
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    import threading

    from openrig.worker.runner import Worker, default_jobs

    settings = _settings()
    database = _prepare(settings)
    worker = Worker(database, default_jobs(settings))
    print("openrig worker running; Ctrl-C stops it")
    with contextlib.suppress(KeyboardInterrupt):
        worker.loop(threading.Event())
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    from openrig.simulator.runner import Options, main

    opts = Options(
        url=args.url,
        enroll_key=args.enroll_key,
        rigs=args.rigs,
        gpus=args.gpus,
        interval_s=args.interval,
        faults=args.faults,
        long_poll=not args.no_long_poll,
        seed=args.seed,
        duration_s=args.duration,
        progress=not args.quiet,
    )
    return main(opts)


def cmd_demo(args: argparse.Namespace) -> int:
    from openrig.simulator.demo import run_demo

    return run_demo(rigs=args.rigs, port=args.port, interval=args.interval)


def cmd_migrate(args: argparse.Namespace) -> int:
    settings = _settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    database = Database.connect(settings.database_url)
    if args.revision == "base" or args.down:
        migrate.downgrade(database.writer_engine, args.revision)
    else:
        migrate.upgrade(database.writer_engine, args.revision)
    print(f"schema at {migrate.current_revision(database.writer_engine)}")
    return 0


def cmd_admin_create(args: argparse.Namespace) -> int:
    from openrig.accounts.service import create_admin

    settings = _settings()
    database = _prepare(settings)
    password = os.environ.get("OPENRIG_ADMIN_PASSWORD") or getpass.getpass("Password: ")
    try:
        with database.transaction() as db:
            user = create_admin(db, email=args.email, password=password)
    except Exception as exc:  # report the service's error message, not a traceback
        print(f"openrig: {exc}", file=sys.stderr)
        return 1
    print(f"admin {user.email} created ({user.id})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="openrig", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="migrate the database and serve the API and console")
    serve.add_argument("--host", help="bind address (default OPENRIG_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default OPENRIG_PORT or 8000)")
    serve.add_argument("--log-level", default="info")
    serve.add_argument("--workers", type=int, default=1, help="server processes (default 1)")
    serve.add_argument("--no-access-log", action="store_true", help="no line per request")
    serve.add_argument(
        "--proxy-headers", action="store_true", help="trust X-Forwarded-* from a reverse proxy"
    )
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser(
        "worker", help="run background jobs only (rollups, retention, expiry, alerts)"
    )
    worker.set_defaults(func=cmd_worker)

    sim = sub.add_parser("simulate", help="run simulated rigs against a server")
    sim.add_argument("--url", required=True, help="server base URL, e.g. http://127.0.0.1:8000")
    sim.add_argument("--enroll-key", required=True, help="the farm's enrollment key (ore_…)")
    sim.add_argument("--rigs", type=int, default=12)
    sim.add_argument("--gpus", type=int, default=8, choices=range(1, 33), metavar="1-32")
    sim.add_argument("--interval", type=float, default=30.0, help="report interval, seconds")
    sim.add_argument(
        "--faults",
        action="store_true",
        help="inject faults: silence, overheat, hashrate drop, GPU lost, crash",
    )
    sim.add_argument("--no-long-poll", action="store_true", help="commands ride on reports only")
    sim.add_argument("--seed", type=int, default=1, help="same seed, same fleet")
    sim.add_argument("--duration", type=float, default=None, help="stop after N seconds")
    sim.add_argument("--quiet", action="store_true", help="no progress line")
    sim.set_defaults(func=cmd_simulate)

    demo = sub.add_parser("demo", help="serve a demo account and farm with simulated rigs")
    demo.add_argument("--rigs", type=int, default=12)
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--interval", type=float, default=10.0, help="report interval, seconds")
    demo.set_defaults(func=cmd_demo)

    mig = sub.add_parser("migrate", help="upgrade (or downgrade) the database schema")
    mig.add_argument("revision", nargs="?", default="head", help="target revision (default head)")
    mig.add_argument("--down", action="store_true", help="downgrade to the revision")
    mig.set_defaults(func=cmd_migrate)

    admin = sub.add_parser("admin", help="instance administration")
    admin_sub = admin.add_subparsers(dest="admin_command", required=True)
    create = admin_sub.add_parser(
        "create", help="create an admin user (password from OPENRIG_ADMIN_PASSWORD or prompt)"
    )
    create.add_argument("--email", required=True)
    create.set_defaults(func=cmd_admin_create)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request is noise
    args = build_parser().parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
