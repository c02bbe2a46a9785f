"""Access matrix of every farms endpoint: each actor gets the right status, and an
outsider's or a too-low role's attempt changes nothing."""

from __future__ import annotations

import pytest

from openrig.core.db import Database
from tests.farms.helpers import (
    ACTOR_NAMES,
    Call,
    check_access,
    give_enroll_key,
    snapshot,
)
from tests.support.actors import Actors, add_member, create_user

CALLS = [
    Call("GET", "/farms/{farm}", "viewer"),
    Call("PATCH", "/farms/{farm}", "admin", body={"name": "Renamed"}),
    Call("DELETE", "/farms/{farm}", "owner", ok=204),
    Call("GET", "/farms/{farm}/members", "viewer"),
    Call(
        "POST",
        "/farms/{farm}/members",
        "admin",
        ok=201,
        body={"email": "newcomer@example.com", "role": "viewer"},
    ),
    Call(
        "PATCH", "/farms/{farm}/members", "admin", body={"user_id": "{target}", "role": "operator"}
    ),
    Call("DELETE", "/farms/{farm}/members", "admin", ok=204, body={"user_id": "{target}"}),
    Call("DELETE", "/farms/{farm}/members", "admin", ok=204, params={"user_id": "{target}"}),
    Call("GET", "/farms/{farm}/enroll-key", "admin"),
    Call("POST", "/farms/{farm}/enroll-key", "admin"),
    Call("DELETE", "/farms/{farm}/enroll-key", "admin"),
    Call("GET", "/farms/{farm}/enroll.conf", "admin"),
]


def _ids(actors: Actors, database: Database) -> dict[str, str]:
    give_enroll_key(database, actors.farm_id)
    create_user(database, "newcomer@example.com")
    target = create_user(database, "target@example.com")
    add_member(database, actors.farm_id, target.id, "viewer")
    return {"farm": actors.farm_id, "target": target.id}


@pytest.mark.parametrize("actor_name", ACTOR_NAMES)
@pytest.mark.parametrize("call", CALLS, ids=str)
def test_access_matrix(actors: Actors, database: Database, call: Call, actor_name: str) -> None:
    check_access(getattr(actors, actor_name), actor_name, call, _ids(actors, database), database)


def test_outsider_cannot_see_or_touch_the_farm(actors: Actors, database: Database) -> None:
    ids = _ids(actors, database)
    before = snapshot(database)
    for call in CALLS:
        response = call.send(actors.outsider, ids)
        assert response.status_code == 404, (str(call), response.text)
        assert actors.farm_id not in response.text
    listed = actors.outsider.get("/api/v1/farms").json()
    assert [f["id"] for f in listed["items"]] == [actors.other_farm_id]
    assert snapshot(database) == before


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_farm_collection_needs_login(actors: Actors, method: str) -> None:
    response = actors.anonymous.client.request(method, "/api/v1/farms", json={"name": "x"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
