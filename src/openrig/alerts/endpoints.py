"""Alerts API: alerts and their history, rule layers, silences (channels in
``channel_endpoints``). Viewers read; operators and up change rules and silences."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Response

from openrig.accounts.principal import CurrentUser
from openrig.alerts import repository as repo
from openrig.alerts import service, silences
from openrig.alerts.channel_endpoints import router as channel_router
from openrig.alerts.schemas import (
    AlertPublic,
    AlertState,
    RulesView,
    SilenceCreate,
    SilencePublic,
    SilenceUpdate,
)
from openrig.core.db import utcnow
from openrig.core.deps import SessionDep
from openrig.core.errors import NotFound
from openrig.core.schemas import Page
from openrig.farms.access import Role, farm_access
from openrig.groups.service import group_access
from openrig.models import AlertSilence
from openrig.rigs.service import rig_access

router = APIRouter(tags=["alerts"])
router.include_router(channel_router)

Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
RulesPatch = Annotated[dict[str, Any], Body(description="merge patch: rule → settings")]


@router.get("/farms/{farm_id}/alerts", response_model=Page[AlertPublic])
def list_alerts(
    farm_id: str,
    user: CurrentUser,
    db: SessionDep,
    state: AlertState | None = None,
    rig_id: Annotated[str | None, Query(max_length=36)] = None,
    group_id: Annotated[str | None, Query(max_length=36)] = None,
    rule: Annotated[str | None, Query(max_length=40)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[AlertPublic]:
    """Active alerts (``state=active``) or history; silenced ones are marked."""
    farm_access(db, user, farm_id, Role.VIEWER)
    filters = {"state": state, "rig_id": rig_id, "group_id": group_id, "rule": rule}
    return service.alert_page(db, farm_id, filters, limit, offset)


@router.get("/farms/{farm_id}/alert-rules", response_model=RulesView)
def farm_rules(farm_id: str, user: CurrentUser, db: SessionDep) -> RulesView:
    return service.rules_view(db, farm_access(db, user, farm_id, Role.VIEWER).farm)


@router.patch("/farms/{farm_id}/alert-rules", response_model=RulesView)
def patch_farm_rules(
    farm_id: str, patch: RulesPatch, user: CurrentUser, db: SessionDep
) -> RulesView:
    return service.patch_rules(db, farm_access(db, user, farm_id, Role.OPERATOR).farm, patch)


@router.get("/groups/{group_id}/alert-rules", response_model=RulesView)
def group_rules(group_id: str, user: CurrentUser, db: SessionDep) -> RulesView:
    return service.rules_view(db, group_access(db, user, group_id, Role.VIEWER)[0])


@router.patch("/groups/{group_id}/alert-rules", response_model=RulesView)
def patch_group_rules(
    group_id: str, patch: RulesPatch, user: CurrentUser, db: SessionDep
) -> RulesView:
    group, _ = group_access(db, user, group_id, Role.OPERATOR)
    return service.patch_rules(db, group, patch)


@router.get("/rigs/{rig_id}/alert-rules", response_model=RulesView)
def rig_rules(rig_id: str, user: CurrentUser, db: SessionDep) -> RulesView:
    """The rig's own layer and its effective rules, with where each setting came from."""
    return service.rules_view(db, rig_access(db, user, rig_id, Role.VIEWER)[0])


@router.patch("/rigs/{rig_id}/alert-rules", response_model=RulesView)
def patch_rig_rules(rig_id: str, patch: RulesPatch, user: CurrentUser, db: SessionDep) -> RulesView:
    rig, _ = rig_access(db, user, rig_id, Role.OPERATOR)
    return service.patch_rules(db, rig, patch)


@router.get("/farms/{farm_id}/silences", response_model=list[SilencePublic])
def list_silences(
    farm_id: str, user: CurrentUser, db: SessionDep, active: bool = True
) -> list[SilencePublic]:
    farm_access(db, user, farm_id, Role.VIEWER)
    now = utcnow()
    return [silences.public(s, now) for s in repo.silences(db, farm_id, now, active)]


@router.post("/farms/{farm_id}/silences", response_model=SilencePublic, status_code=201)
def create_silence(
    farm_id: str, body: SilenceCreate, user: CurrentUser, db: SessionDep
) -> SilencePublic:
    access = farm_access(db, user, farm_id, Role.OPERATOR)
    now = utcnow()
    return silences.public(silences.create(db, access, body, now), now)


def _silence(db: SessionDep, user: CurrentUser, silence_id: str, need: Role) -> AlertSilence:
    silence = db.get(AlertSilence, silence_id)
    if silence is None:
        raise NotFound("silence not found")
    try:
        farm_access(db, user, silence.farm_id, need)
    except NotFound:
        raise NotFound("silence not found") from None
    return silence


@router.patch("/silences/{silence_id}", response_model=SilencePublic)
def update_silence(
    silence_id: str, body: SilenceUpdate, user: CurrentUser, db: SessionDep
) -> SilencePublic:
    silence = _silence(db, user, silence_id, Role.OPERATOR)
    now = utcnow()
    silences.update(db, silence, body, now)
    return silences.public(silence, now)


@router.delete("/silences/{silence_id}", status_code=204)
def delete_silence(silence_id: str, user: CurrentUser, db: SessionDep) -> Response:
    db.delete(_silence(db, user, silence_id, Role.OPERATOR))
    return Response(status_code=204)
