"""Account rules: sign-up, login, password change and reset, email verification.

Nothing here commits: the request boundary (``SessionDep``) or the CLI's
``database.transaction()`` does. Mails are returned to the caller, which sends
them after the commit (a mail must never carry a token that was rolled back).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from openrig.accounts import repository as repo
from openrig.accounts import sessions, throttle, tokens
from openrig.accounts.principal import Principal
from openrig.accounts.schemas import SignupRequest
from openrig.core.db import utcnow
from openrig.core.errors import Conflict, Forbidden, Invalid
from openrig.core.security import hash_password, password_needs_rehash, verify_password
from openrig.mail.sender import MailError, send_mail
from openrig.models import User
from openrig.settings import Settings

log = logging.getLogger("openrig.accounts")

# Reset mails per account per hour; more requests are accepted (same answer) but
# not sent, so the endpoint cannot be used to flood someone's mailbox.
RESET_MAILS_PER_HOUR = 5


@dataclass(frozen=True)
class OutgoingMail:
    to: str
    subject: str
    text: str


@dataclass(frozen=True)
class SignupResult:
    user: User
    verification_mail: OutgoingMail | None

    @property
    def verification_required(self) -> bool:
        return self.verification_mail is not None


def deliver(settings: Settings, mail: OutgoingMail) -> None:
    """Send after the response; a failure is logged (the client already has its answer)."""
    try:
        send_mail(settings, mail.to, mail.subject, mail.text)
    except MailError as exc:
        log.error("mail to %s (%s) not sent: %s", mail.to, mail.subject, exc)


# --- users -------------------------------------------------------------------------


def _add_user(db: Session, email: str, password: str, *, is_admin: bool, verified: bool) -> User:
    if repo.user_by_email(db, email) is not None:
        raise Conflict("an account with this email already exists", code="email_taken")
    user = User(
        email=email,
        password_hash=hash_password(password),
        is_admin=is_admin,
        email_verified_at=utcnow() if verified else None,
        created_at=utcnow(),
    )
    db.add(user)
    try:
        db.flush()
    except IntegrityError as exc:  # a concurrent sign-up with the same address won
        raise Conflict("an account with this email already exists", code="email_taken") from exc
    return user


def signup(db: Session, settings: Settings, email: str, password: str) -> SignupResult:
    """Create an account; the first one of the instance is its admin.

    With SMTP configured, the address must be verified before the first login.
    """
    if not settings.signup_open:
        raise Forbidden("sign-up is closed on this instance", code="signup_closed")
    first = not repo.any_user_exists(db)
    user = _add_user(db, email, password, is_admin=first, verified=False)
    if not settings.smtp_enabled:
        return SignupResult(user, None)
    raw = tokens.issue_mailed_token(db, user, tokens.VERIFY)
    return SignupResult(user, _verification_mail(settings, user, raw))


def create_admin(db: Session, *, email: str, password: str) -> User:
    """``openrig admin create``: same rules as sign-up, works even when sign-up is closed."""
    try:
        checked = SignupRequest.model_validate({"email": email, "password": password})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise Invalid(problems) from exc
    # The operator typed the address on the server: no verification mail needed.
    return _add_user(db, checked.email, checked.password, is_admin=True, verified=True)


# --- login -------------------------------------------------------------------------


def authenticate(
    db: Session, settings: Settings, email: str, password: str, client_ip: str
) -> User | None:
    """The user when the credentials are right; None (failure recorded) otherwise.

    Returning rather than raising lets the request commit the recorded failure.
    """
    throttle.check(db, settings, email, client_ip)
    user = repo.user_by_email(db, email)
    # Verified against a dummy hash for unknown users: both answers take as long.
    matches = verify_password(user.password_hash if user else None, password)
    if user is None or not matches:
        throttle.record_failure(db, settings, email, client_ip)
        return None
    if _verification_pending(db, settings, user):
        raise Forbidden("confirm your email address first", code="email_not_verified")
    throttle.clear_email(db, email)
    if password_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def _verification_pending(db: Session, settings: Settings, user: User) -> bool:
    """Only accounts that signed up while verification was required must verify;
    older ones would otherwise be locked out the day SMTP gets configured."""
    if not settings.smtp_enabled or user.email_verified_at is not None:
        return False
    return repo.has_user_token(db, user.id, tokens.VERIFY)


# --- passwords ---------------------------------------------------------------------


def change_password(
    db: Session,
    settings: Settings,
    principal: Principal,
    *,
    current: str,
    new: str,
    client_ip: str,
) -> bool:
    """Set a new password and end the user's other sessions; False if ``current`` is wrong.

    Wrong guesses count as failed logins, so a stolen session cannot probe the password.
    """
    user = principal.user
    throttle.check(db, settings, user.email, client_ip)
    if not verify_password(user.password_hash, current):
        throttle.record_failure(db, settings, user.email, client_ip)
        return False
    user.password_hash = hash_password(new)
    sessions.revoke_all(db, user, keep=principal.session)
    return True


def request_password_reset(db: Session, settings: Settings, email: str) -> OutgoingMail | None:
    """The reset mail to send, or None (unknown address or too many requests)."""
    user = repo.user_by_email(db, email)
    if user is None:
        return None
    recent = tokens.mailed_since(db, user, tokens.RESET, timedelta(hours=1))
    if recent >= RESET_MAILS_PER_HOUR:
        log.warning("password reset for %s throttled (%d in the last hour)", user.id, recent)
        return None
    raw = tokens.issue_mailed_token(db, user, tokens.RESET)
    return _reset_mail(settings, user, raw)


def confirm_password_reset(db: Session, raw: str, new_password: str) -> None:
    user = tokens.consume_mailed_token(db, raw, tokens.RESET)
    now = utcnow()
    user.password_hash = hash_password(new_password)
    # Other pending links die with this one; whoever held a session is logged out.
    repo.use_up_user_tokens(db, user.id, tokens.RESET, now)
    sessions.revoke_all(db, user)
    # The link reached the mailbox: that proves the address as well.
    if user.email_verified_at is None:
        user.email_verified_at = now
    throttle.clear_email(db, user.email)


def verify_email(db: Session, raw: str) -> None:
    user = tokens.consume_mailed_token(db, raw, tokens.VERIFY)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()


# --- mails -------------------------------------------------------------------------


def _reset_mail(settings: Settings, user: User, raw: str) -> OutgoingMail:
    link = f"{settings.public_url}/#/reset-password?token={raw}"
    text = (
        "Someone asked to reset the password of your openrig account.\n\n"
        f"To choose a new password, open this link within one hour:\n{link}\n\n"
        "If it was not you, ignore this mail: your password stays as it is.\n"
    )
    return OutgoingMail(user.email, "openrig: reset your password", text)


def _verification_mail(settings: Settings, user: User, raw: str) -> OutgoingMail:
    link = f"{settings.public_url}/#/verify-email?token={raw}"
    text = (
        "Welcome to openrig.\n\n"
        f"To confirm your email address, open this link within 48 hours:\n{link}\n\n"
        "If you did not sign up, ignore this mail.\n"
    )
    return OutgoingMail(user.email, "openrig: confirm your email address", text)
