"""HTTP endpoints of the accounts domain: parse, call the service, shape the answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Path, Request, Response
from fastapi.responses import JSONResponse

from openrig.accounts import service, sessions, tokens
from openrig.accounts.principal import CurrentUser
from openrig.accounts.schemas import (
    AuthResponse,
    LoginRequest,
    MeResponse,
    PasswordChange,
    ResetConfirm,
    ResetRequest,
    SessionList,
    SessionPublic,
    SignupRequest,
    SignupResponse,
    TokenCreate,
    TokenCreated,
    TokenList,
    TokenPublic,
    UserPublic,
    VerifyEmail,
)
from openrig.core.deps import ClientIpDep, SessionDep, SettingsDep, client_ip
from openrig.core.errors import error_response
from openrig.core.schemas import Id
from openrig.models import User
from openrig.settings import Settings

router = APIRouter(prefix="/auth", tags=["accounts"])

IdPath = Annotated[Id, Path()]


def _log_in(
    db: SessionDep, settings: Settings, user: User, request: Request, response: Response
) -> AuthResponse:
    raw, row = sessions.start_session(
        db,
        settings,
        user,
        user_agent=request.headers.get("user-agent", ""),
        client_ip=client_ip(request),
    )
    sessions.set_cookie(response, settings, raw)
    return AuthResponse(user=UserPublic.of(user), csrf_token=row.csrf_token)


@router.post("/signup", status_code=201)
def signup(
    body: SignupRequest,
    request: Request,
    response: Response,
    db: SessionDep,
    settings: SettingsDep,
    background: BackgroundTasks,
) -> SignupResponse:
    result = service.signup(db, settings, body.email, body.password)
    if result.verification_mail is not None:
        background.add_task(service.deliver, settings, result.verification_mail)
        return SignupResponse(
            user=UserPublic.of(result.user), csrf_token=None, verification_required=True
        )
    logged_in = _log_in(db, settings, result.user, request, response)
    return SignupResponse(**logged_in.model_dump())


@router.post("/login", response_model=AuthResponse)
def login(
    body: LoginRequest,
    request: Request,
    response: Response,
    db: SessionDep,
    settings: SettingsDep,
    ip: ClientIpDep,
) -> AuthResponse | JSONResponse:
    user = service.authenticate(db, settings, body.email, body.password, ip)
    if user is None:
        # Returned, not raised: the recorded failure must be committed. The same
        # answer for an unknown email and a wrong password.
        return error_response(401, "invalid_credentials", "wrong email or password")
    return _log_in(db, settings, user, request, response)


@router.post("/logout", status_code=204)
def logout(principal: CurrentUser, settings: SettingsDep, response: Response) -> None:
    sessions.end_current(principal)
    sessions.clear_cookie(response, settings)


@router.get("/me")
def me(principal: CurrentUser) -> MeResponse:
    session = principal.session
    return MeResponse(
        user=UserPublic.of(principal.user),
        csrf_token=session.csrf_token if session else None,
        auth="session" if session else "token",
    )


@router.post("/password", status_code=204, response_model=None)
def change_password(
    body: PasswordChange,
    principal: CurrentUser,
    db: SessionDep,
    settings: SettingsDep,
    ip: ClientIpDep,
) -> JSONResponse | None:
    changed = service.change_password(
        db, settings, principal, current=body.current_password, new=body.new_password, client_ip=ip
    )
    if not changed:
        detail = [{"path": "current_password", "message": "is not correct"}]
        return error_response(400, "wrong_password", "current password is not correct", detail)
    return None


@router.post("/password-reset", status_code=202)
def request_password_reset(
    body: ResetRequest, db: SessionDep, settings: SettingsDep, background: BackgroundTasks
) -> dict[str, str]:
    mail = service.request_password_reset(db, settings, body.email)
    if mail is not None:
        # Sent after the response, so its duration does not tell whether the account exists.
        background.add_task(service.deliver, settings, mail)
    return {"status": "accepted"}


@router.post("/password-reset/confirm", status_code=204)
def confirm_password_reset(body: ResetConfirm, db: SessionDep) -> None:
    service.confirm_password_reset(db, body.token, body.new_password)


@router.post("/verify-email", status_code=204)
def verify_email(body: VerifyEmail, db: SessionDep) -> None:
    service.verify_email(db, body.token)


@router.get("/sessions")
def list_sessions(principal: CurrentUser, db: SessionDep, settings: SettingsDep) -> SessionList:
    rows = sessions.list_sessions(db, settings, principal.user)
    current = principal.session.id if principal.session else None
    return SessionList(items=[SessionPublic.of(row, current) for row in rows])


@router.delete("/sessions/{session_id}", status_code=204)
def revoke_session(session_id: IdPath, principal: CurrentUser, db: SessionDep) -> None:
    sessions.revoke(db, principal.user, session_id)


@router.get("/tokens")
def list_tokens(principal: CurrentUser, db: SessionDep) -> TokenList:
    rows = tokens.list_api_tokens(db, principal.user)
    return TokenList(items=[TokenPublic.of(row) for row in rows])


@router.post("/tokens", status_code=201)
def create_token(body: TokenCreate, principal: CurrentUser, db: SessionDep) -> TokenCreated:
    secret, row = tokens.create_api_token(db, principal.user, name=body.name, scope=body.scope)
    return TokenCreated(**TokenPublic.of(row).model_dump(), secret=secret)


@router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(token_id: IdPath, principal: CurrentUser, db: SessionDep) -> None:
    tokens.revoke_api_token(db, principal.user, token_id)
