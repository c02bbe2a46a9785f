"""Personal API tokens (``ort_…``) and the single-use tokens mailed to users.

Both are random secrets shown once; only their SHA-256 is stored.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from openrig.accounts import repository as repo
from openrig.accounts.principal import API_TOKEN_PREFIX
from openrig.core.db import utcnow
from openrig.core.errors import BadRequest, Conflict, NotFound
from openrig.core.security import new_token, token_hash
from openrig.models import ApiToken, User, UserToken

MAX_API_TOKENS = 50
# Enough of the secret to recognise a token in a list, far too little to guess it.
DISPLAY_PREFIX_CHARS = 12

RESET = "reset"
VERIFY = "verify"
MAILED_PREFIX = {RESET: "orp", VERIFY: "orv"}
MAILED_TTL = {RESET: timedelta(hours=1), VERIFY: timedelta(hours=48)}

# --- personal API tokens -----------------------------------------------------------


def create_api_token(db: Session, user: User, *, name: str, scope: str) -> tuple[str, ApiToken]:
    """Create a token; returns the secret (shown once) and the row."""
    if repo.count_active_tokens(db, user.id) >= MAX_API_TOKENS:
        raise Conflict(
            f"at most {MAX_API_TOKENS} API tokens per user; revoke one first",
            code="too_many_tokens",
        )
    secret = new_token(API_TOKEN_PREFIX)
    row = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=token_hash(secret),
        prefix=secret[:DISPLAY_PREFIX_CHARS],
        scope=scope,
        created_at=utcnow(),
    )
    db.add(row)
    db.flush()
    return secret, row


def list_api_tokens(db: Session, user: User) -> list[ApiToken]:
    return repo.active_tokens(db, user.id)


def revoke_api_token(db: Session, user: User, token_id: str) -> None:
    row = repo.token_of_user(db, user.id, token_id)
    if row is None:
        raise NotFound("API token not found")
    row.revoked_at = utcnow()


# --- mailed single-use tokens ------------------------------------------------------


def issue_mailed_token(db: Session, user: User, purpose: str) -> str:
    raw = new_token(MAILED_PREFIX[purpose])
    now = utcnow()
    db.add(
        UserToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=token_hash(raw),
            created_at=now,
            expires_at=now + MAILED_TTL[purpose],
        )
    )
    db.flush()
    return raw


def consume_mailed_token(db: Session, raw: str, purpose: str) -> User:
    """Mark the token used and return its user; unknown, used or expired → 400."""
    row = repo.user_token_by_hash(db, token_hash(raw), purpose)
    now = utcnow()
    invalid = BadRequest("this link is invalid or has expired", code="invalid_token")
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise invalid
    # A conditional update, so two concurrent requests cannot both use the token.
    if not repo.mark_user_token_used(db, row.id, now):
        raise invalid
    user = db.get(User, row.user_id)
    if user is None:  # pragma: no cover - the foreign key cascades
        raise invalid
    return user


def mailed_since(db: Session, user: User, purpose: str, since_ago: timedelta) -> int:
    return repo.count_user_tokens_since(db, user.id, purpose, utcnow() - since_ago)
