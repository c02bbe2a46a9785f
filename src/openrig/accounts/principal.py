"""Who is calling: a browser session (cookie + CSRF) or a personal API token (Bearer).

Every user-API endpoint depends on ``CurrentUser`` (or ``OptionalUser``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import select

from openrig.core.db import utcnow
from openrig.core.deps import SAFE_METHODS, SessionDep, SettingsDep
from openrig.core.errors import Forbidden, Unauthorized
from openrig.core.security import constant_time_equals, token_hash
from openrig.models import ApiToken, User, UserSession

SESSION_COOKIE = "openrig_session"
CSRF_HEADER = "X-CSRF-Token"
API_TOKEN_PREFIX = "ort"  # noqa: S105 - a type prefix, not a secret
# Writing last-seen on every request would turn reads into writes; a minute is enough.
_TOUCH_EVERY = timedelta(minutes=1)


@dataclass
class Principal:
    user: User
    session: UserSession | None = None
    token: ApiToken | None = None

    @property
    def can_write(self) -> bool:
        return self.token is None or self.token.scope == "write"


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def _from_token(db: SessionDep, raw: str) -> Principal:
    if not raw.startswith(API_TOKEN_PREFIX + "_"):
        raise Unauthorized("invalid API token")
    token = db.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(raw)))
    if token is None or token.revoked_at is not None:
        raise Unauthorized("invalid API token")
    user = db.get(User, token.user_id)
    if user is None:
        raise Unauthorized("invalid API token")
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > _TOUCH_EVERY:
        token.last_used_at = now
    return Principal(user=user, token=token)


def _from_cookie(db: SessionDep, raw: str, idle: timedelta) -> Principal | None:
    row = db.scalar(select(UserSession).where(UserSession.token_hash == token_hash(raw)))
    now = utcnow()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    if now - row.last_seen_at > idle:
        return None
    user = db.get(User, row.user_id)
    if user is None:
        return None
    if now - row.last_seen_at > _TOUCH_EVERY:
        row.last_seen_at = now
    return Principal(user=user, session=row)


def _check_csrf(request: Request, principal: Principal) -> None:
    if principal.session is None or request.method in SAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent or not constant_time_equals(sent, principal.session.csrf_token):
        raise Forbidden("missing or wrong X-CSRF-Token header", code="csrf_failed")


def optional_user(request: Request, db: SessionDep, settings: SettingsDep) -> Principal | None:
    raw = _bearer(request)
    if raw is not None:
        principal: Principal | None = _from_token(db, raw)
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        idle = timedelta(minutes=settings.session_idle_minutes)
        principal = _from_cookie(db, cookie, idle) if cookie else None
    if principal is None:
        return None
    _check_csrf(request, principal)
    if request.method not in SAFE_METHODS and not principal.can_write:
        raise Forbidden("this API token is read-only", code="token_read_only")
    return principal


def current_user(principal: Annotated[Principal | None, Depends(optional_user)]) -> Principal:
    if principal is None:
        raise Unauthorized("authentication required")
    return principal


OptionalUser = Annotated[Principal | None, Depends(optional_user)]
CurrentUser = Annotated[Principal, Depends(current_user)]
