"""``/healthz`` (process alive) and ``/readyz`` (database reachable, schema at head)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from openrig.core import migrate
from openrig.core.deps import DatabaseDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
def readyz(database: DatabaseDep) -> JSONResponse:
    try:
        with database.reader_engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        at_head = migrate.is_at_head(database.reader_engine)
    except Exception as exc:  # any failure means "not ready"; say why
        return JSONResponse({"status": "unavailable", "reason": type(exc).__name__}, 503)
    if not at_head:
        return JSONResponse({"status": "unavailable", "reason": "schema not at head"}, 503)
    return JSONResponse({"status": "ready"})
