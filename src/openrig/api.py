"""The user REST API under ``/api/v1``: one router per domain."""

from __future__ import annotations

from fastapi import APIRouter

from openrig.accounts.endpoints import router as accounts_router
from openrig.alerts.endpoints import router as alerts_router
from openrig.commands.endpoints import router as commands_router
from openrig.farms.endpoints import router as farms_router
from openrig.fleetconfig.endpoints import router as fleetconfig_router
from openrig.groups.endpoints import router as groups_router
from openrig.rigs.endpoints import router as rigs_router
from openrig.telemetry.endpoints import router as telemetry_router


def build_api_router() -> APIRouter:
    api = APIRouter(prefix="/api/v1")
    for router in (
        accounts_router,
        farms_router,
        groups_router,
        rigs_router,
        fleetconfig_router,
        commands_router,
        telemetry_router,
        alerts_router,
    ):
        api.include_router(router)
    return api
