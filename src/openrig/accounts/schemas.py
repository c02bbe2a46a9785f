"""Request and response models of the accounts domain."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BaseModel, StringConstraints

from openrig.core.schemas import Name, RequestModel
from openrig.models import ApiToken, User, UserSession

PASSWORD_MIN = 10
PASSWORD_MAX = 1024
EMAIL_MAX = 254
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _no_control(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("must not contain control characters")
    return value


def normalize_email(value: str) -> str:
    """Validated, lowercased email: the one form stored and compared."""
    try:
        checked = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from exc
    return checked.normalized.lower()


def lookup_email(value: str) -> str:
    """The stored form of an address typed at login; a malformed one matches no user."""
    try:
        stripped = normalize_email(value)
    except ValueError:
        stripped = value.strip().lower()
    if not stripped:
        raise ValueError("must not be empty")
    return stripped


# The length bound runs before the (costlier) email parser, so 100 kB fails fast.
Email = Annotated[
    str,
    StringConstraints(min_length=3, max_length=EMAIL_MAX),
    AfterValidator(_no_control),
    AfterValidator(normalize_email),
]
# Login accepts any bounded string: a malformed address simply matches no user
# (and still counts as a failed attempt for the client's IP).
LookupEmail = Annotated[
    str,
    StringConstraints(min_length=1, max_length=EMAIL_MAX),
    AfterValidator(_no_control),
    AfterValidator(lookup_email),
]
NewPassword = Annotated[
    str,
    StringConstraints(min_length=PASSWORD_MIN, max_length=PASSWORD_MAX),
    AfterValidator(_no_control),
]
# No stored password contains control characters (NewPassword refuses them), so a
# given one that does is malformed input, not a wrong guess.
GivenPassword = Annotated[
    str, StringConstraints(min_length=1, max_length=PASSWORD_MAX), AfterValidator(_no_control)
]
MailedToken = Annotated[
    str, StringConstraints(min_length=1, max_length=200), AfterValidator(_no_control)
]


class SignupRequest(RequestModel):
    email: Email
    password: NewPassword


class LoginRequest(RequestModel):
    email: LookupEmail
    password: GivenPassword


class PasswordChange(RequestModel):
    current_password: GivenPassword
    new_password: NewPassword


class ResetRequest(RequestModel):
    # Syntax errors are safe to report: they say nothing about which accounts exist.
    email: Email


class ResetConfirm(RequestModel):
    token: MailedToken
    new_password: NewPassword


class VerifyEmail(RequestModel):
    token: MailedToken


class TokenCreate(RequestModel):
    name: Name
    scope: Literal["read", "write"]


class UserPublic(BaseModel):
    id: str
    email: str
    is_admin: bool
    email_verified: bool
    created_at: datetime

    @classmethod
    def of(cls, user: User) -> UserPublic:
        return cls(
            id=user.id,
            email=user.email,
            is_admin=user.is_admin,
            email_verified=user.email_verified_at is not None,
            created_at=user.created_at,
        )


class AuthResponse(BaseModel):
    user: UserPublic
    csrf_token: str | None


class SignupResponse(AuthResponse):
    verification_required: bool = False


class MeResponse(AuthResponse):
    auth: Literal["session", "token"]


class SessionPublic(BaseModel):
    id: str
    created_at: datetime
    last_seen_at: datetime
    user_agent: str
    client_ip: str
    current: bool

    @classmethod
    def of(cls, row: UserSession, current_id: str | None) -> SessionPublic:
        return cls(
            id=row.id,
            created_at=row.created_at,
            last_seen_at=row.last_seen_at,
            user_agent=row.user_agent,
            client_ip=row.client_ip,
            current=row.id == current_id,
        )


class SessionList(BaseModel):
    items: list[SessionPublic]


class TokenPublic(BaseModel):
    id: str
    name: str
    prefix: str
    scope: str
    created_at: datetime
    last_used_at: datetime | None

    @classmethod
    def of(cls, row: ApiToken) -> TokenPublic:
        return cls(
            id=row.id,
            name=row.name,
            prefix=row.prefix,
            scope=row.scope,
            created_at=row.created_at,
            last_used_at=row.last_used_at,
        )


class TokenCreated(TokenPublic):
    secret: str


class TokenList(BaseModel):
    items: list[TokenPublic]
