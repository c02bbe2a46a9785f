"""Rig authentication: ``Authorization: Bearer orr_…``; a token authorises only its rig."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from openrig.core.deps import SessionDep
from openrig.core.errors import Unauthorized
from openrig.core.security import token_hash
from openrig.models import Rig

RIG_TOKEN_PREFIX = "orr"  # noqa: S105 - a type prefix, not a secret


def bearer_token_hash(request: Request) -> str:
    """The stored form of the caller's rig token, or 401."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value.startswith(RIG_TOKEN_PREFIX + "_"):
        raise Unauthorized("rig token required", code="invalid_rig_token")
    return token_hash(value)


def rig_by_token_hash(db: Session, hashed: str) -> Rig:
    rig = db.scalar(select(Rig).where(Rig.token_hash == hashed))
    if rig is None:
        raise Unauthorized("unknown or revoked rig token", code="invalid_rig_token")
    return rig


def current_rig(request: Request, db: SessionDep) -> Rig:
    return rig_by_token_hash(db, bearer_token_hash(request))


CurrentRig = Annotated[Rig, Depends(current_rig)]
