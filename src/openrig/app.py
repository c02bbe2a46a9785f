"""Application factory: settings + database in, ASGI app out. No module-level state."""

from __future__ import annotations

import logging

from fastapi import FastAPI

from openrig import __version__
from openrig.api import build_api_router
from openrig.core.db import Database
from openrig.core.errors import install_error_handlers
from openrig.core.limits import BodySizeLimit
from openrig.health.endpoints import router as health_router
from openrig.settings import Settings

log = logging.getLogger("openrig")


def create_app(settings: Settings, database: Database | None = None) -> FastAPI:
    app = FastAPI(
        title="openrig",
        version=__version__,
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.db = database or Database.connect(settings.database_url)
    install_error_handlers(app)
    app.include_router(health_router)
    app.include_router(build_api_router())
    app.add_middleware(BodySizeLimit, limit=settings.max_body_bytes)
    return app
