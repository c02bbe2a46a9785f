"""Alert lists (with silences marked) and rule layers for the API. Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from openrig.alerts import repository as repo
from openrig.alerts import repository_dispatch as dispatch_repo
from openrig.alerts import rules
from openrig.alerts.schemas import AlertPublic, RulesView
from openrig.alerts.silencing import silenced_by
from openrig.core.db import utcnow
from openrig.core.schemas import Page
from openrig.models import AlertSilence, Farm, Group, Rig


def _public(row: Any, silences: Sequence[AlertSilence]) -> AlertPublic:
    alert = row[0]
    muted = silenced_by(
        silences, alert.farm_id, alert.rig_id, row.group_id, alert.rule, row.maintenance
    )
    return AlertPublic(
        id=alert.id,
        farm_id=alert.farm_id,
        rig_id=alert.rig_id,
        rig_name=row.rig_name,
        group_id=row.group_id,
        rule=alert.rule,
        title=rules.RULES[alert.rule].title if alert.rule in rules.RULES else alert.rule,
        state=alert.state,
        severity=alert.severity,
        started_at=alert.started_at,
        fired_at=alert.fired_at,
        resolved_at=alert.resolved_at,
        summary=alert.summary,
        values=alert.values,
        silenced=muted is not None,
        silenced_by=muted,
    )


def alert_page(
    db: Session, farm_id: str, filters: dict[str, Any], limit: int, offset: int
) -> Page[AlertPublic]:
    rows, total = repo.alert_page(db, farm_id, filters, limit, offset)
    silences = dispatch_repo.active_silences(db, [farm_id], utcnow())
    items = [_public(row, silences) for row in rows]
    return Page[AlertPublic](items=items, total=total, limit=limit, offset=offset)


def active_alerts_for(
    db: Session, rig_ids: Sequence[str], now: datetime | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Open (pending or firing) alerts per rig, for the rig list: one query for the
    alerts, one for the silences of their farms."""
    found: dict[str, list[dict[str, Any]]] = {rig_id: [] for rig_id in rig_ids}
    if not rig_ids:
        return found
    rows = repo.open_alerts_of_rigs(db, list(rig_ids))
    farms = sorted({row[0].farm_id for row in rows})
    silences = dispatch_repo.active_silences(db, farms, now or utcnow()) if farms else []
    for row in rows:
        public = _public(row, silences)
        found[public.rig_id].append(
            public.model_dump(
                mode="json",
                include={"id", "rule", "title", "state", "severity", "summary", "silenced"},
            )
            | {"since": public.started_at.isoformat()}
        )
    return found


def scope_of(row: Farm | Group | Rig) -> tuple[str, dict[str, Any]]:
    """The layer's scope key and the foreign keys its row carries."""
    if isinstance(row, Farm):
        return f"farm:{row.id}", {"farm_id": row.id}
    if isinstance(row, Group):
        return f"group:{row.id}", {"farm_id": row.farm_id, "group_id": row.id}
    return f"rig:{row.id}", {"farm_id": row.farm_id, "rig_id": row.id}


def _chain(row: Farm | Group | Rig) -> list[tuple[str, str]]:
    """(source name, scope) of the layers that apply, lowest first."""
    if isinstance(row, Farm):
        return [("farm", f"farm:{row.id}")]
    chain = [("farm", f"farm:{row.farm_id}")]
    if isinstance(row, Group):
        return [*chain, ("group", f"group:{row.id}")]
    if row.group_id:
        chain.append(("group", f"group:{row.group_id}"))
    return [*chain, ("rig", f"rig:{row.id}")]


def rules_view(db: Session, row: Farm | Group | Rig) -> RulesView:
    chain = _chain(row)
    stored = repo.layers(db, [scope for _, scope in chain])
    named = [(name, stored.get(scope, {})) for name, scope in chain]
    scope, _ = scope_of(row)
    return RulesView(
        scope=scope,
        layer=stored.get(scope, {}),
        effective=rules.effective([doc for _, doc in named]),
        sources=rules.sources(named),
    )


def patch_rules(db: Session, row: Farm | Group | Rig, patch: dict[str, Any]) -> RulesView:
    scope, keys = scope_of(row)
    current = repo.layer(db, scope)
    doc = rules.apply_patch(dict(current.doc) if current else {}, patch)
    repo.save_layer(db, scope, keys, doc)
    return rules_view(db, row)
