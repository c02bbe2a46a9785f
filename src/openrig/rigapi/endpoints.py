"""Rig protocol v1 endpoints under ``/api/rig/v1``."""

from __future__ import annotations

import gzip
import json
import zlib
from time import monotonic
from typing import Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from openrig.core.db import Database, utcnow
from openrig.core.deps import ClientIpDep, SessionDep, SettingsDep
from openrig.core.errors import (
    BadRequest,
    Invalid,
    PayloadTooLarge,
    Unauthorized,
    validation_details,
)
from openrig.rigapi import enroll, service
from openrig.rigapi.auth import CurrentRig, bearer_token_hash, rig_by_token_hash
from openrig.rigapi.bundle import router as bundle_router
from openrig.rigapi.config import effective_for_rig
from openrig.rigapi.schemas import CommandResultIn, EnrollIn, EventsIn, HelloIn, ReportIn

router = APIRouter(prefix="/api/rig/v1", tags=["rig protocol v1"])

# Gzip bodies are inflated up to this size, so a small bomb cannot eat memory.
MAX_INFLATED = 1024 * 1024


async def read_json_body(request: Request) -> bytes:
    body = await request.body()
    if request.headers.get("content-encoding", "").lower() == "gzip":
        try:
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            body = inflater.decompress(body, MAX_INFLATED)
            if inflater.unconsumed_tail:
                raise PayloadTooLarge(f"inflated body exceeds {MAX_INFLATED} bytes")
        except (zlib.error, gzip.BadGzipFile) as exc:
            raise BadRequest("body is not valid gzip", code="bad_encoding") from exc
    return body


def invalid(exc: ValidationError) -> Invalid:
    details = validation_details(exc.errors())
    first = details[0] if details else {"path": "body", "message": "invalid"}
    return Invalid(f"{first['path']}: {first['message']}", details=details)


@router.post("/ping", summary="Connectivity check: no auth, no database; answers server time")
async def ping() -> Response:
    body = json.dumps({"pong": True, "server_time": utcnow().isoformat()})
    return Response(body, media_type="application/json")


@router.post("/enroll", status_code=201, summary="Zero-touch registration with a farm key")
def enroll_rig(body: EnrollIn, request: Request, settings: SettingsDep, ip: ClientIpDep) -> Any:
    database: Database = request.app.state.db
    now = utcnow()
    try:
        with database.transaction() as db:
            done = enroll.enroll(db, settings, body, ip, now)
            rig_id = done.rig.id
    except Unauthorized:
        with database.transaction() as db:
            enroll.record_failure(db, ip, now)
        raise
    answer = {"rig_id": rig_id, "token": done.token, "server_url": settings.public_url}
    return JSONResponse(answer, status_code=201 if done.created else 200)


@router.post("/report", summary="Send stats; answers config version and pending commands")
async def report(request: Request) -> Response:
    hashed = bearer_token_hash(request)
    body = await read_json_body(request)
    try:
        payload = ReportIn.model_validate_json(body)
    except ValidationError as exc:
        raise invalid(exc) from exc
    answer = await request.app.state.ingestor.submit(hashed, payload)
    if answer is None:
        raise Unauthorized("unknown or revoked rig token", code="invalid_rig_token")
    return Response(json.dumps(answer), media_type="application/json")


@router.post("/hello", summary="Boot-time inventory; answers the effective config")
async def hello(request: Request) -> JSONResponse:
    hashed = bearer_token_hash(request)
    try:
        payload = HelloIn.model_validate_json(await read_json_body(request))
    except ValidationError as exc:
        raise invalid(exc) from exc
    database: Database = request.app.state.db
    return JSONResponse(await run_in_threadpool(_hello, database, hashed, payload))


def _hello(database: Database, hashed: str, payload: HelloIn) -> dict[str, Any]:
    now = utcnow()
    with database.transaction() as db:
        rig = rig_by_token_hash(db, hashed)
        service.record_hello(db, rig, payload, now)
        config = effective_for_rig(db, rig)
        return {
            "config": config,
            "report_interval_s": rig.report_interval_s,
            "server_time": now.isoformat(),
        }


@router.get("/config", summary="The effective config; ETag = its version")
def get_config(rig: CurrentRig, db: SessionDep, request: Request) -> Response:
    config = effective_for_rig(db, rig)
    etag = f'"{config["version"]}"'
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers={"ETag": etag})
    return JSONResponse(config, headers={"ETag": etag})


@router.get(
    "/commands/wait",
    summary="Long-poll: answers as soon as a command is queued",
    responses={204: {"description": "no command before the timeout"}},
)
async def wait_for_commands(
    request: Request, timeout: int = Query(default=25, ge=0, le=60)
) -> Response:
    hashed = bearer_token_hash(request)
    database: Database = request.app.state.db
    rig_id = await run_in_threadpool(_rig_id, database, hashed)
    deadline = monotonic() + timeout
    while True:
        commands = await run_in_threadpool(_claim, database, rig_id)
        if commands:
            return JSONResponse({"commands": commands})
        remaining = deadline - monotonic()
        if remaining <= 0 or await request.is_disconnected():
            return Response(status_code=204)
        await request.app.state.waiters.wait(rig_id, remaining)


def _rig_id(database: Database, hashed: str) -> str:
    with database.session(write=False) as db:
        return rig_by_token_hash(db, hashed).id


def _claim(database: Database, rig_id: str) -> list[dict[str, Any]]:
    with database.transaction() as db:
        return service.claim_for_rig(db, rig_id, utcnow())


@router.post("/commands/{command_id}/result", summary="Acknowledge or report a command's result")
def command_result(
    command_id: str, body: CommandResultIn, rig: CurrentRig, db: SessionDep
) -> dict[str, Any]:
    command, applied = service.record_result(db, rig, command_id, body, utcnow())
    return {"id": command.id, "status": command.status, "applied": applied}


@router.post("/events", summary="Rig-side events (watchdog, reboot, overheat, …)")
def events(body: EventsIn, rig: CurrentRig, db: SessionDep) -> dict[str, int]:
    return {"stored": service.record_events(db, rig, body.events, utcnow())}


router.include_router(bundle_router)  # GET /bundle, /bundle/manifest (bundle.py)
