"""HTTP endpoints of the groups domain. (A group's config layer is served by
fleetconfig at ``/groups/{id}/config``.)"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from openrig.accounts.principal import CurrentUser
from openrig.core.deps import SessionDep
from openrig.core.schemas import Page, PageParams
from openrig.farms.access import Role, farm_access
from openrig.fleetconfig.layers import record_lifecycle
from openrig.groups import service
from openrig.groups.schemas import GroupCreate, GroupPublic, GroupUpdate

# Documented once per router; every non-2xx answer has the one error shape.
ERRORS: dict[int | str, dict[str, str]] = {
    401: {"description": "not logged in"},
    403: {"description": "role too low, CSRF token missing or read-only API token"},
    404: {"description": "not found, or in a farm you are not a member of"},
    422: {"description": "invalid input"},
}

router = APIRouter(tags=["groups"], responses=ERRORS)

FarmId = Annotated[str, Path(max_length=64)]
GroupId = Annotated[str, Path(max_length=64)]
Paging = Annotated[PageParams, Query()]


@router.get("/farms/{farm_id}/groups", response_model=Page[GroupPublic])
def list_groups(
    db: SessionDep, principal: CurrentUser, farm_id: FarmId, page: Paging
) -> Page[GroupPublic]:
    """The farm's groups by name, each with its number of rigs (viewer+)."""
    access = farm_access(db, principal, farm_id, Role.VIEWER)
    items, total = service.list_groups(db, access.farm.id, page.limit, page.offset)
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post(
    "/farms/{farm_id}/groups", status_code=status.HTTP_201_CREATED, response_model=GroupPublic
)
def create_group(
    db: SessionDep, principal: CurrentUser, farm_id: FarmId, body: GroupCreate
) -> GroupPublic:
    """Create a group (operator+). Names are unique per farm (409 `group_name_taken`)."""
    access = farm_access(db, principal, farm_id, Role.OPERATOR)
    group = service.create_group(db, access.farm.id, body.name)
    record_lifecycle(db, group, "create", principal.user.id)
    return service.public(db, group)


@router.get("/groups/{group_id}", response_model=GroupPublic)
def get_group(db: SessionDep, principal: CurrentUser, group_id: GroupId) -> GroupPublic:
    group, _ = service.group_access(db, principal, group_id, Role.VIEWER)
    return service.public(db, group)


@router.patch("/groups/{group_id}", response_model=GroupPublic)
def update_group(
    db: SessionDep, principal: CurrentUser, group_id: GroupId, body: GroupUpdate
) -> GroupPublic:
    """Rename a group (operator+)."""
    group, _ = service.group_access(db, principal, group_id, Role.OPERATOR)
    service.rename_group(db, group, body.name)
    return service.public(db, group)


@router.delete("/groups/{group_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_group(db: SessionDep, principal: CurrentUser, group_id: GroupId) -> Response:
    """Delete a group (operator+). Its rigs are kept, ungrouped, and their effective
    config is recomputed without the group's layer."""
    group, _ = service.group_access(db, principal, group_id, Role.OPERATOR)
    record_lifecycle(db, group, "delete", principal.user.id)
    service.delete_group(db, group)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
