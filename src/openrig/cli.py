"""The ``openrig`` command: serve, migrate, admin create."""

from __future__ import annotations

import argparse
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
    app = create_app(settings, database)
    uvicorn.run(
        app,
        host=args.host or settings.host,
        port=args.port or settings.port,
        log_level=args.log_level,
        proxy_headers=args.proxy_headers,
    )
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    import threading

    from openrig.worker.runner import Worker, default_jobs

    settings = _settings()
    database = _prepare(settings)
    worker = Worker(database, default_jobs(settings))
    print("openrig worker running; Ctrl-C stops it")
    try:
        worker.loop(threading.Event())
    except KeyboardInterrupt:
        pass
    return 0


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
    serve.add_argument(
        "--proxy-headers", action="store_true", help="trust X-Forwarded-* from a reverse proxy"
    )
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser(
        "worker", help="run background jobs only (rollups, retention, expiry, alerts)"
    )
    worker.set_defaults(func=cmd_worker)

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
    args = build_parser().parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
