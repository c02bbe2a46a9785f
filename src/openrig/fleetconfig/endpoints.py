"""HTTP endpoints of the fleetconfig domain."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["fleetconfig"])
