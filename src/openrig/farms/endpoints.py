"""HTTP endpoints of the farms domain: farms, members, enrollment key and enroll.conf."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status
from fastapi.responses import PlainTextResponse

from openrig.accounts.principal import CurrentUser
from openrig.core.db import utcnow
from openrig.core.deps import SessionDep, SettingsDep
from openrig.core.errors import Conflict, Invalid
from openrig.core.schemas import Page, PageParams
from openrig.farms import enroll, service
from openrig.farms.access import Role, farm_access
from openrig.farms.conffile import render_conf
from openrig.farms.schemas import (
    EnrollKeyPublic,
    FarmCreate,
    FarmPublic,
    FarmUpdate,
    MemberAdd,
    MemberPublic,
    MemberRemove,
    MemberUpdate,
)

# Documented once per router; every non-2xx answer has the one error shape.
ERRORS: dict[int | str, dict[str, str]] = {
    401: {"description": "not logged in"},
    403: {"description": "role too low, CSRF token missing or read-only API token"},
    404: {"description": "not found, or in a farm you are not a member of"},
    422: {"description": "invalid input"},
}

router = APIRouter(tags=["farms"], responses=ERRORS)

FarmId = Annotated[str, Path(max_length=64)]
Paging = Annotated[PageParams, Query()]
ATTACHMENT_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


@router.get("/farms", response_model=Page[FarmPublic])
def list_farms(db: SessionDep, principal: CurrentUser, page: Paging) -> Page[FarmPublic]:
    """The caller's farms, each with the caller's role."""
    items, total = service.list_farms(db, principal, page.limit, page.offset)
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post("/farms", status_code=status.HTTP_201_CREATED, response_model=FarmPublic)
def create_farm(db: SessionDep, principal: CurrentUser, body: FarmCreate) -> FarmPublic:
    """Create a farm; the caller becomes its owner. It starts with an enrollment key."""
    farm = service.create_farm(db, principal, body.name)
    return service.farm_public(db, farm, Role.OWNER)


@router.get("/farms/{farm_id}", response_model=FarmPublic)
def get_farm(db: SessionDep, principal: CurrentUser, farm_id: FarmId) -> FarmPublic:
    access = farm_access(db, principal, farm_id, Role.VIEWER)
    return service.farm_public(db, access.farm, access.role)


@router.patch("/farms/{farm_id}", response_model=FarmPublic)
def update_farm(
    db: SessionDep, principal: CurrentUser, farm_id: FarmId, body: FarmUpdate
) -> FarmPublic:
    """Rename the farm (admin or owner)."""
    access = farm_access(db, principal, farm_id, Role.ADMIN)
    service.rename_farm(db, access.farm, body.name)
    return service.farm_public(db, access.farm, access.role)


@router.delete("/farms/{farm_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_farm(db: SessionDep, principal: CurrentUser, farm_id: FarmId) -> Response:
    """Delete the farm and everything in it: members, groups, rigs, config (owner only)."""
    access = farm_access(db, principal, farm_id, Role.OWNER)
    service.delete_farm(db, access.farm)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- members -----------------------------------------------------------------------


@router.get("/farms/{farm_id}/members", response_model=Page[MemberPublic])
def list_members(
    db: SessionDep, principal: CurrentUser, farm_id: FarmId, page: Paging
) -> Page[MemberPublic]:
    access = farm_access(db, principal, farm_id, Role.VIEWER)
    items, total = service.list_members(db, access.farm.id, page.limit, page.offset)
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post(
    "/farms/{farm_id}/members", status_code=status.HTTP_201_CREATED, response_model=MemberPublic
)
def add_member(
    db: SessionDep, principal: CurrentUser, farm_id: FarmId, body: MemberAdd
) -> MemberPublic:
    """Add an existing user by email (admin+; only an owner may add an owner).

    404 `user_not_found` when no account has this email; 409 `already_member`.
    """
    access = farm_access(db, principal, farm_id, Role.ADMIN)
    return service.add_member(db, access, str(body.email), body.role)


@router.patch("/farms/{farm_id}/members", response_model=MemberPublic)
def change_member_role(
    db: SessionDep, principal: CurrentUser, farm_id: FarmId, body: MemberUpdate
) -> MemberPublic:
    """Change a member's role (admin+; only an owner grants or takes the owner role).

    409 `last_owner` when it would leave the farm without an owner.
    """
    access = farm_access(db, principal, farm_id, Role.ADMIN)
    return service.change_role(db, access, body.user_id, body.role)


@router.delete("/farms/{farm_id}/members", status_code=status.HTTP_204_NO_CONTENT)
def remove_member(
    db: SessionDep,
    principal: CurrentUser,
    farm_id: FarmId,
    body: MemberRemove | None = None,
    user_id: Annotated[str | None, Query(max_length=36)] = None,
) -> Response:
    """Remove a member, named by the body `{"user_id"}` or `?user_id=`.

    Admins remove others (only an owner removes an owner); any member may remove
    themselves (leave). The last owner cannot leave or be removed (409 `last_owner`).
    """
    target = _one_user_id(body, user_id)
    access = farm_access(db, principal, farm_id, Role.VIEWER)
    service.remove_member(db, access, target)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _one_user_id(body: MemberRemove | None, query: str | None) -> str:
    from_body = body.user_id if body is not None else None
    if from_body and query and from_body != query:
        raise Invalid.at("user_id", "body and query name different users")
    chosen = from_body or query
    if not chosen:
        raise Invalid.at("user_id", "required, in the body or as ?user_id=")
    return chosen


# --- enrollment key ----------------------------------------------------------------


@router.get("/farms/{farm_id}/enroll-key", response_model=EnrollKeyPublic)
def get_enroll_key(
    db: SessionDep, settings: SettingsDep, principal: CurrentUser, farm_id: FarmId
) -> EnrollKeyPublic:
    """The farm's enrollment key (admin+), or null when revoked."""
    access = farm_access(db, principal, farm_id, Role.ADMIN)
    return EnrollKeyPublic(enroll_key=enroll.enroll_key(settings, access.farm))


@router.post("/farms/{farm_id}/enroll-key", response_model=EnrollKeyPublic)
def rotate_enroll_key(
    db: SessionDep, settings: SettingsDep, principal: CurrentUser, farm_id: FarmId
) -> EnrollKeyPublic:
    """Issue a new enrollment key (admin+); the previous key stops working at once."""
    access = farm_access(db, principal, farm_id, Role.ADMIN)
    return EnrollKeyPublic(enroll_key=enroll.rotate(settings, access.farm))


@router.delete("/farms/{farm_id}/enroll-key", response_model=EnrollKeyPublic)
def revoke_enroll_key(db: SessionDep, principal: CurrentUser, farm_id: FarmId) -> EnrollKeyPublic:
    """Revoke the enrollment key (admin+): no new rig can enroll until one is issued."""
    access = farm_access(db, principal, farm_id, Role.ADMIN)
    enroll.revoke(access.farm)
    return EnrollKeyPublic(enroll_key=None)


@router.get(
    "/farms/{farm_id}/enroll.conf",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/plain": {}}}, 409: {"description": "key revoked"}},
)
def download_enroll_conf(
    db: SessionDep, settings: SettingsDep, principal: CurrentUser, farm_id: FarmId
) -> PlainTextResponse:
    """`enroll.conf` for a rig's boot medium (admin+): server URL and the farm's
    enrollment key. Does not change the key. 409 `enroll_key_revoked` when revoked."""
    access = farm_access(db, principal, farm_id, Role.ADMIN)
    key = enroll.enroll_key(settings, access.farm)
    if key is None:
        raise Conflict("the enrollment key is revoked; issue a new one", code="enroll_key_revoked")
    header = [
        f"openrig enroll.conf for farm {access.farm.name}",
        f"generated {utcnow().strftime('%Y-%m-%d %H:%M:%S')} UTC",
        "Keep this file secret: anyone holding it can add rigs to the farm.",
    ]
    text = render_conf(header, [("SERVER_URL", settings.public_url), ("ENROLL_KEY", key)])
    return _attachment(text, "enroll.conf")


def _attachment(text: str, filename: str) -> PlainTextResponse:
    headers = {**ATTACHMENT_HEADERS, "Content-Disposition": f'attachment; filename="{filename}"'}
    return PlainTextResponse(text, headers=headers)
