"""Access matrix of the groups endpoints."""

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
    Call("GET", "/farms/{farm}/groups", "viewer"),
    Call("POST", "/farms/{farm}/groups", "operator", ok=201, body={"name": "New group"}),
    Call("GET", "/groups/{group}", "viewer"),
    Call("PATCH", "/groups/{group}", "operator", body={"name": "Renamed"}),
    Call("DELETE", "/groups/{group}", "operator", ok=204),
]


def _ids(actors: Actors, database: Database) -> dict[str, str]:
    group = make_group(database, actors.farm_id, "Main")
    make_rig(database, actors.farm_id, "rig-1", group_id=group)
    return {"farm": actors.farm_id, "group": group}


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
    assert snapshot(database) == before


def test_group_of_another_farm_is_not_reachable_through_own_farm(
    actors: Actors, database: Database
) -> None:
    """The outsider owns their farm; its groups stay invisible to our owner."""
    theirs = make_group(database, actors.other_farm_id, "Theirs")
    assert actors.owner.get(f"/api/v1/groups/{theirs}").status_code == 404
    assert actors.owner.patch(f"/api/v1/groups/{theirs}", json={"name": "x"}).status_code == 404
    assert actors.owner.delete(f"/api/v1/groups/{theirs}").status_code == 404
    assert actors.outsider.get(f"/api/v1/groups/{theirs}").json()["name"] == "Theirs"
