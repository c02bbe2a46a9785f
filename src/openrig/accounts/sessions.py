"""Browser sessions: creation, the cookie, listing and revocation.

The cookie carries a random secret; the database keeps only its SHA-256.
``principal.py`` resolves the cookie and enforces idle and absolute expiry.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from fastapi import Response
from sqlalchemy.orm import Session

from openrig.accounts import repository as repo
from openrig.accounts.principal import SESSION_COOKIE, Principal
from openrig.core.db import utcnow
from openrig.core.errors import NotFound
from openrig.core.security import new_token, token_hash
from openrig.models import User, UserSession
from openrig.settings import Settings

SESSION_TOKEN_PREFIX = "ors"  # noqa: S105 - a type prefix, not a secret
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")


def _clean(value: str, limit: int) -> str:
    """Client-supplied labels are shown on the account page: printable and bounded."""
    return _UNPRINTABLE.sub("", value)[:limit]


def start_session(
    db: Session, settings: Settings, user: User, *, user_agent: str, client_ip: str
) -> tuple[str, UserSession]:
    """Create a session; returns the cookie value (shown once) and the row."""
    raw = new_token(SESSION_TOKEN_PREFIX)
    now = utcnow()
    row = UserSession(
        user_id=user.id,
        token_hash=token_hash(raw),
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(days=settings.session_absolute_days),
        user_agent=_clean(user_agent, 255),
        client_ip=_clean(client_ip, 64),
    )
    db.add(row)
    db.flush()
    return raw, row


def set_cookie(response: Response, settings: Settings, raw: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        raw,
        max_age=settings.session_absolute_days * 86_400,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )


def clear_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=settings.secure_cookies
    )


def end_current(principal: Principal) -> None:
    """Logout: revoke the calling session (an API token has none to end)."""
    if principal.session is not None:
        principal.session.revoked_at = utcnow()


def list_sessions(db: Session, settings: Settings, user: User) -> list[UserSession]:
    now = utcnow()
    idle_since = now - timedelta(minutes=settings.session_idle_minutes)
    return repo.live_sessions(db, user.id, now, idle_since)


def revoke(db: Session, user: User, session_id: str) -> None:
    """Revoke one of the caller's sessions; anyone else's id is simply not found."""
    row = repo.session_of_user(db, user.id, session_id)
    if row is None:
        raise NotFound("session not found")
    row.revoked_at = utcnow()


def revoke_all(db: Session, user: User, *, keep: UserSession | None = None) -> None:
    repo.revoke_sessions(db, user.id, utcnow(), keep_id=keep.id if keep else None)
