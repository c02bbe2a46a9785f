"""Application factory: settings + database in, ASGI app out. No module-level state."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from openrig import __version__
from openrig.api import build_api_router
from openrig.console.router import install as install_console
from openrig.core.db import Database
from openrig.core.errors import install_error_handlers
from openrig.core.limits import BodySizeLimit
from openrig.health.endpoints import router as health_router
from openrig.rigapi.endpoints import router as rig_router
from openrig.rigapi.ingest import ReportIngestor
from openrig.rigapi.waiters import CommandWaiters
from openrig.settings import Settings
from openrig.worker.runner import Worker, default_jobs

log = logging.getLogger("openrig")

RIG_API_MAX_BODY = 256 * 1024


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the per-process helpers; every one of them keeps its state in the database."""
    app.state.ingestor.start()
    app.state.waiters.start()
    if app.state.settings.worker_in_serve:
        app.state.worker.start()
    try:
        yield
    finally:
        if app.state.settings.worker_in_serve:
            app.state.worker.stop()
        app.state.waiters.stop()
        app.state.ingestor.stop()


def create_app(settings: Settings, database: Database | None = None) -> FastAPI:
    app = FastAPI(
        title="openrig",
        version=__version__,
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        lifespan=lifespan,
        telemetry=None if settings.otel else {"tracing": False, "metrics": False, "logs": False},
    )
    app.state.settings = settings
    app.state.db = database or Database.connect(settings.database_url)
    app.state.ingestor = ReportIngestor(app.state.db)
    app.state.waiters = CommandWaiters(app.state.db)
    app.state.worker = Worker(app.state.db, default_jobs(settings))
    install_error_handlers(app)
    # The rig protocol first: routes are matched in order and reports are the hot path.
    app.include_router(rig_router)
    app.include_router(health_router)
    app.include_router(build_api_router())
    install_console(app)  # web console at / (static files, CSP and hardening headers)
    # Our own limit, not FastAPI's max_body_size: that one answers 413 in plain text,
    # outside the one JSON error shape.
    app.add_middleware(
        BodySizeLimit,
        limit=settings.max_body_bytes,
        overrides={"/api/rig/v1/": RIG_API_MAX_BODY},
    )
    return app


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` and multi-process serving: settings come from
    the environment (``openrig serve --workers N`` has already migrated)."""
    from openrig.settings import load_settings

    return create_app(load_settings())
