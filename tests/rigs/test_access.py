"""Access matrix of the rigs endpoints (rig.conf included)."""

from __future__ import annotations

import pytest

from openrig.core.db import Database
from tests.farms.helpers import (
    ACTOR_NAMES,
    Call,
    check_access,
    make_group,
    make_rig,
    snapshot,
)
from tests.support.actors import Actors

CALLS = [
    Call("GET", "/farms/{farm}/rigs", "viewer"),
    Call("POST", "/farms/{farm}/rigs", "operator", ok=201, body={"name": "new-rig"}),
    Call("GET", "/farms/{farm}/tags", "viewer"),
    Call("GET", "/rigs/{rig}", "viewer"),
    Call("PATCH", "/rigs/{rig}", "operator", body={"name": "renamed", "group_id": "{group}"}),
    Call("DELETE", "/rigs/{rig}", "operator", ok=204),
    Call("GET", "/rigs/{rig}/rig.conf", "operator"),
]


def _ids(actors: Actors, database: Database) -> dict[str, str]:
    group = make_group(database, actors.farm_id, "Main")
    rig = make_rig(database, actors.farm_id, "rig-1", tags=("gpu",))
    return {"farm": actors.farm_id, "group": group, "rig": rig}


@pytest.mark.parametrize("actor_name", ACTOR_NAMES)
@pytest.mark.parametrize("call", CALLS, ids=str)
def test_access_matrix(actors: Actors, database: Database, call: Call, actor_name: str) -> None:
    check_access(getattr(actors, actor_name), actor_name, call, _ids(actors, database), database)


def test_outsider_gets_404_for_everything_and_changes_nothing(
    actors: Actors, database: Database
) -> None:
    ids = _ids(actors, database)
    before = snapshot(database)
    for call in CALLS:
        response = call.send(actors.outsider, ids)
        assert response.status_code == 404, (str(call), response.text)
        assert "rig-1" not in response.text
    assert snapshot(database) == before


def test_rigs_of_another_farm_are_404(actors: Actors, database: Database) -> None:
    theirs = make_rig(database, actors.other_farm_id, "their-rig")
    before = snapshot(database)
    for method in ("GET", "PATCH", "DELETE"):
        body = {"notes": "mine now"} if method == "PATCH" else None
        response = actors.owner.client.request(method, f"/api/v1/rigs/{theirs}", json=body)
        assert response.status_code == 404, response.text
        assert response.json()["error"]["message"] == "rig not found"
    assert actors.owner.get(f"/api/v1/rigs/{theirs}/rig.conf").status_code == 404
    assert snapshot(database) == before


def test_a_group_of_another_farm_cannot_be_assigned(actors: Actors, database: Database) -> None:
    theirs = make_group(database, actors.other_farm_id, "Theirs")
    rig = make_rig(database, actors.farm_id, "rig-1")
    before = snapshot(database)
    response = actors.owner.patch(f"/api/v1/rigs/{rig}", json={"group_id": theirs})
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"][0]["path"] == "group_id"
    created = actors.owner.post(
        f"/api/v1/farms/{actors.farm_id}/rigs", json={"name": "x", "group_id": theirs}
    )
    assert created.status_code == 422
    assert snapshot(database) == before
