"""HTTP endpoints of the rigs domain: rigs, tags and rig.conf downloads."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from fastapi.responses import PlainTextResponse

from openrig.accounts.principal import CSRF_HEADER, CurrentUser, Principal
from openrig.core.deps import SessionDep, SettingsDep, writing_get
from openrig.core.errors import Forbidden
from openrig.core.schemas import Line, Page, PageParams, Tag
from openrig.core.security import constant_time_equals
from openrig.farms.access import Role, farm_access
from openrig.fleetconfig.layers import record_lifecycle
from openrig.rigs import service
from openrig.rigs.schemas import (
    RigCreate,
    RigDetail,
    RigFilters,
    RigPublic,
    RigSort,
    RigUpdate,
    TagCount,
)
from openrig.rigs.status import RigStatus

# Documented once per router; every non-2xx answer has the one error shape.
ERRORS: dict[int | str, dict[str, str]] = {
    401: {"description": "not logged in"},
    403: {"description": "role too low, CSRF token missing or read-only API token"},
    404: {"description": "not found, or in a farm you are not a member of"},
    422: {"description": "invalid input"},
}

router = APIRouter(tags=["rigs"], responses=ERRORS)

FarmId = Annotated[str, Path(max_length=64)]
RigId = Annotated[str, Path(max_length=64)]
Paging = Annotated[PageParams, Query()]


def _filters(
    group_id: Annotated[
        str | None, Query(max_length=64, description='A group id, or "none" for ungrouped rigs.')
    ] = None,
    tag: Annotated[
        list[Tag], Query(max_length=10, description="Rigs carrying every tag given.")
    ] = [],  # noqa: B006 - FastAPI copies defaults per request
    status: RigStatus | None = None,
    q: Annotated[Line | None, Query(max_length=100, description="Part of the name.")] = None,
    sort: RigSort = "name",
) -> RigFilters:
    return RigFilters(group_id=group_id, tags=list(tag), status=status, q=q or None, sort=sort)


Filters = Annotated[RigFilters, Depends(_filters)]


@router.get("/farms/{farm_id}/rigs", response_model=Page[RigPublic])
def list_rigs(
    db: SessionDep, principal: CurrentUser, farm_id: FarmId, page: Paging, filters: Filters
) -> Page[RigPublic]:
    """The farm's rigs (viewer+), filtered and sorted. `last_seen` sorts never-seen
    rigs as the longest silent (first ascending, last descending)."""
    access = farm_access(db, principal, farm_id, Role.VIEWER)
    items, total = service.list_rigs(db, access.farm.id, filters, page.limit, page.offset)
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post("/farms/{farm_id}/rigs", status_code=status.HTTP_201_CREATED, response_model=RigPublic)
def create_rig(
    db: SessionDep, principal: CurrentUser, farm_id: FarmId, body: RigCreate
) -> RigPublic:
    """Add a rig (operator+). Names are unique per farm (409 `rig_name_taken`); the group
    must belong to the farm (422). Download its rig.conf to give it credentials."""
    access = farm_access(db, principal, farm_id, Role.OPERATOR)
    rig = service.create_rig(db, access.farm.id, body)
    record_lifecycle(db, rig, "create", principal.user.id)
    return service.public(db, rig)


@router.get("/farms/{farm_id}/tags", response_model=Page[TagCount])
def list_tags(
    db: SessionDep, principal: CurrentUser, farm_id: FarmId, page: Paging
) -> Page[TagCount]:
    """Tags used in the farm, each with its number of rigs (viewer+)."""
    access = farm_access(db, principal, farm_id, Role.VIEWER)
    items, total = service.tag_counts(db, access.farm.id, page.limit, page.offset)
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/rigs/{rig_id}", response_model=RigDetail)
def get_rig(db: SessionDep, principal: CurrentUser, rig_id: RigId) -> RigDetail:
    """The rig with status, latest totals, its last report (per GPU) and inventory."""
    rig, _ = service.rig_access(db, principal, rig_id, Role.VIEWER)
    return service.detail(db, rig)


@router.patch("/rigs/{rig_id}", response_model=RigPublic)
def update_rig(db: SessionDep, principal: CurrentUser, rig_id: RigId, body: RigUpdate) -> RigPublic:
    """Change name, group (`null` ungroups), tags (replaces the set) or notes (operator+)."""
    rig, _ = service.rig_access(db, principal, rig_id, Role.OPERATOR)
    service.update_rig(db, rig, body)
    return service.public(db, rig)


@router.delete("/rigs/{rig_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_rig(db: SessionDep, principal: CurrentUser, rig_id: RigId) -> Response:
    """Delete a rig (operator+); its token stops working."""
    rig, _ = service.rig_access(db, principal, rig_id, Role.OPERATOR)
    record_lifecycle(db, rig, "delete", principal.user.id)
    service.delete_rig(db, rig)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- rig.conf: a GET that changes state ------------------------------------------


def _state_changing_get(
    request: Request,
    principal: CurrentUser,
    csrf: Annotated[str | None, Query(max_length=128, description="CSRF token")] = None,
) -> Principal:
    """CSRF protection for a GET that changes state.

    Cookie sessions must send the CSRF token, as ``?csrf=`` (for a plain download
    link) or the X-CSRF-Token header; a cross-site page cannot know it. Bearer API
    tokens carry no ambient authority, so they are exempt but need the write scope.
    """
    if principal.session is None:
        if not principal.can_write:
            raise Forbidden("this API token is read-only", code="token_read_only")
        return principal
    sent = csrf or request.headers.get(CSRF_HEADER, "")
    if not sent or not constant_time_equals(sent, principal.session.csrf_token):
        raise Forbidden("missing or wrong CSRF token (?csrf= or header)", code="csrf_failed")
    return principal


@router.get(
    "/rigs/{rig_id}/rig.conf",
    dependencies=[Depends(writing_get)],
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/plain": {}}}, 403: {"description": "role or CSRF"}},
)
def download_rig_conf(
    db: SessionDep,
    settings: SettingsDep,
    principal: Annotated[Principal, Depends(_state_changing_get)],
    rig_id: RigId,
) -> PlainTextResponse:
    """Download the rig's `rig.conf` (operator+): `SERVER_URL`, `RIG_ID`, `RIG_TOKEN`.

    **Every download issues a new rig token and revokes the previous one**: the rig
    keeps working only with the newest file. Because this GET changes state, browser
    sessions must pass their CSRF token as `?csrf=<token>` or the `X-CSRF-Token`
    header (else 403 `csrf_failed`); API tokens need the write scope.
    """
    rig, _ = service.rig_access(db, principal, rig_id, Role.OPERATOR)
    text = service.issue_rig_conf(db, settings, rig)
    headers = {
        "Content-Disposition": 'attachment; filename="rig.conf"',
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",  # the URL may carry ?csrf=
        "X-Content-Type-Options": "nosniff",
    }
    return PlainTextResponse(text, headers=headers)
