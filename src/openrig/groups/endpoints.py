"""HTTP endpoints of the groups domain."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["groups"])
