"""HTTP endpoints of the farms domain."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["farms"])
