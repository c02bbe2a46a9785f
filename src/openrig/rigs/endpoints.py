"""HTTP endpoints of the rigs domain."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["rigs"])
