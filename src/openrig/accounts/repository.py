"""Every query of the accounts domain. Nothing here commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from openrig.models import ApiToken, LoginAttempt, User, UserSession, UserToken

# --- users -------------------------------------------------------------------------


def user_by_email(db: Session, email: str) -> User | None:
    return db.scalar(select(User).where(User.email == email))


def any_user_exists(db: Session) -> bool:
    return db.scalar(select(User.id).limit(1)) is not None


# --- browser sessions --------------------------------------------------------------


def live_sessions(
    db: Session, user_id: str, now: datetime, idle_since: datetime
) -> list[UserSession]:
    """Sessions that still authenticate: not revoked, not expired, not idle too long."""
    query = (
        select(UserSession)
        .where(
            UserSession.user_id == user_id,
            UserSession.revoked_at.is_(None),
            UserSession.expires_at > now,
            UserSession.last_seen_at >= idle_since,
        )
        .order_by(UserSession.last_seen_at.desc(), UserSession.id)
    )
    return list(db.scalars(query))


def session_of_user(db: Session, user_id: str, session_id: str) -> UserSession | None:
    return db.scalar(
        select(UserSession).where(
            UserSession.id == session_id,
            UserSession.user_id == user_id,
            UserSession.revoked_at.is_(None),
        )
    )


def revoke_sessions(
    db: Session, user_id: str, now: datetime, *, keep_id: str | None = None
) -> None:
    query = update(UserSession).where(
        UserSession.user_id == user_id, UserSession.revoked_at.is_(None)
    )
    if keep_id is not None:
        query = query.where(UserSession.id != keep_id)
    db.execute(query.values(revoked_at=now), execution_options={"synchronize_session": False})


# --- personal API tokens -----------------------------------------------------------


def active_tokens(db: Session, user_id: str) -> list[ApiToken]:
    query = (
        select(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id)
    )
    return list(db.scalars(query))


def count_active_tokens(db: Session, user_id: str) -> int:
    query = select(func.count(ApiToken.id)).where(
        ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None)
    )
    return db.scalar(query) or 0


def token_of_user(db: Session, user_id: str, token_id: str) -> ApiToken | None:
    return db.scalar(
        select(ApiToken).where(
            ApiToken.id == token_id, ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None)
        )
    )


# --- mailed single-use tokens ------------------------------------------------------


def user_token_by_hash(db: Session, hashed: str, purpose: str) -> UserToken | None:
    return db.scalar(
        select(UserToken).where(UserToken.token_hash == hashed, UserToken.purpose == purpose)
    )


def count_user_tokens_since(db: Session, user_id: str, purpose: str, since: datetime) -> int:
    query = select(func.count(UserToken.id)).where(
        UserToken.user_id == user_id, UserToken.purpose == purpose, UserToken.created_at > since
    )
    return db.scalar(query) or 0


def has_user_token(db: Session, user_id: str, purpose: str) -> bool:
    query = select(UserToken.id).where(UserToken.user_id == user_id, UserToken.purpose == purpose)
    return db.scalar(query.limit(1)) is not None


def mark_user_token_used(db: Session, token_id: str, now: datetime) -> bool:
    """Set ``used_at`` unless already set; False when another request won the race."""
    result = db.execute(
        update(UserToken)
        .where(UserToken.id == token_id, UserToken.used_at.is_(None))
        .values(used_at=now),
        execution_options={"synchronize_session": False},
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def use_up_user_tokens(db: Session, user_id: str, purpose: str, now: datetime) -> None:
    """Mark every unused token of that purpose used (one reset ends all pending ones)."""
    db.execute(
        update(UserToken)
        .where(
            UserToken.user_id == user_id,
            UserToken.purpose == purpose,
            UserToken.used_at.is_(None),
        )
        .values(used_at=now),
        execution_options={"synchronize_session": False},
    )


# --- failed logins -----------------------------------------------------------------


def recent_failures_by_email(
    db: Session, email: str, since: datetime, limit: int
) -> list[datetime]:
    """Times of the newest ``limit`` failures for ``email`` after ``since``, newest first."""
    query = (
        select(LoginAttempt.at)
        .where(LoginAttempt.email == email, LoginAttempt.at > since)
        .order_by(LoginAttempt.at.desc())
        .limit(limit)
    )
    return list(db.scalars(query))


def recent_failures_by_ip(db: Session, ip: str, since: datetime, limit: int) -> list[datetime]:
    query = (
        select(LoginAttempt.at)
        .where(LoginAttempt.client_ip == ip, LoginAttempt.at > since)
        .order_by(LoginAttempt.at.desc())
        .limit(limit)
    )
    return list(db.scalars(query))


def add_failure(db: Session, email: str, ip: str, at: datetime) -> None:
    db.add(LoginAttempt(email=email, client_ip=ip, at=at))


def prune_failures(db: Session, email: str, ip: str, before: datetime) -> None:
    db.execute(
        delete(LoginAttempt).where(
            LoginAttempt.at <= before,
            or_(LoginAttempt.email == email, LoginAttempt.client_ip == ip),
        ),
        execution_options={"synchronize_session": False},
    )


def detach_failures_from_email(db: Session, email: str) -> None:
    """Blank the email on its failures: they stop counting for the email, still count
    for their IP (a successful login must not reset an address's counter)."""
    db.execute(
        update(LoginAttempt).where(LoginAttempt.email == email).values(email=""),
        execution_options={"synchronize_session": False},
    )
