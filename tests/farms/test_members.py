"""Members and roles: who may grant what, the last owner, leaving."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from openrig.core.db import Database
from tests.farms.helpers import assert_error, snapshot
from tests.support.actors import Actor, Actors, create_user

API = "/api/v1"


def _url(actors: Actors) -> str:
    return f"{API}/farms/{actors.farm_id}/members"


def _roles(actors: Actors) -> dict[str, str]:
    page = actors.viewer.get(_url(actors)).json()
    return {m["email"]: m["role"] for m in page["items"]}


def _remove(actor: Actor, url: str, user_id: str) -> Any:
    return actor.client.request("DELETE", url, json={"user_id": user_id})


def test_list(actors: Actors) -> None:
    page = actors.viewer.get(_url(actors)).json()
    assert page["total"] == 4
    assert {m["role"] for m in page["items"]} == {"owner", "admin", "operator", "viewer"}
    assert set(page["items"][0]) == {"user_id", "email", "role", "created_at"}


def test_admin_adds_a_member_by_email(actors: Actors, database: Database) -> None:
    new = create_user(database, "new@example.com")
    response = actors.admin.post(
        _url(actors), json={"email": "NEW@example.com", "role": "operator"}
    )
    assert response.status_code == 201, response.text
    assert response.json()["user_id"] == new.id
    assert response.json()["role"] == "operator"
    assert _roles(actors)["new@example.com"] == "operator"


def test_add_unknown_user_or_existing_member(actors: Actors, database: Database) -> None:
    before = snapshot(database)
    unknown = actors.admin.post(
        _url(actors), json={"email": "nobody@example.com", "role": "viewer"}
    )
    assert_error(unknown, 404, "user_not_found")
    again = actors.admin.post(_url(actors), json={"email": actors.viewer.email, "role": "admin"})
    assert_error(again, 409, "already_member")
    assert snapshot(database) == before


def test_only_an_owner_grants_owner(actors: Actors, database: Database) -> None:
    create_user(database, "new@example.com")
    body = {"email": "new@example.com", "role": "owner"}
    assert_error(actors.admin.post(_url(actors), json=body), 403)
    promote = {"user_id": actors.viewer.user_id, "role": "owner"}
    assert_error(actors.admin.patch(_url(actors), json=promote), 403)
    assert actors.owner.post(_url(actors), json=body).status_code == 201
    assert actors.owner.patch(_url(actors), json=promote).json()["role"] == "owner"


def test_admin_cannot_change_or_remove_an_owner(actors: Actors, database: Database) -> None:
    before = snapshot(database)
    demote = {"user_id": actors.owner.user_id, "role": "viewer"}
    assert_error(actors.admin.patch(_url(actors), json=demote), 403)
    assert_error(_remove(actors.admin, _url(actors), actors.owner.user_id), 403)
    assert snapshot(database) == before


def test_admin_manages_non_owners(actors: Actors) -> None:
    change = {"user_id": actors.viewer.user_id, "role": "operator"}
    assert actors.admin.patch(_url(actors), json=change).json()["role"] == "operator"
    assert _remove(actors.admin, _url(actors), actors.operator.user_id).status_code == 204
    assert "operator@example.com" not in _roles(actors)
    assert actors.operator.get(f"{API}/farms/{actors.farm_id}").status_code == 404


def test_last_owner_cannot_be_demoted_or_leave(actors: Actors, database: Database) -> None:
    before = snapshot(database)
    demote = {"user_id": actors.owner.user_id, "role": "admin"}
    assert_error(actors.owner.patch(_url(actors), json=demote), 409, "last_owner")
    assert_error(_remove(actors.owner, _url(actors), actors.owner.user_id), 409, "last_owner")
    assert snapshot(database) == before


def test_with_two_owners_one_may_step_down(actors: Actors) -> None:
    promote = {"user_id": actors.admin.user_id, "role": "owner"}
    assert actors.owner.patch(_url(actors), json=promote).status_code == 200
    demote = {"user_id": actors.owner.user_id, "role": "viewer"}
    assert actors.admin.patch(_url(actors), json=demote).json()["role"] == "viewer"
    # Now admin is the only owner again.
    back = {"user_id": actors.admin.user_id, "role": "admin"}
    assert_error(actors.admin.patch(_url(actors), json=back), 409, "last_owner")


def test_an_owner_may_leave_when_another_owner_remains(actors: Actors) -> None:
    promote = {"user_id": actors.admin.user_id, "role": "owner"}
    assert actors.owner.patch(_url(actors), json=promote).status_code == 200
    assert _remove(actors.owner, _url(actors), actors.owner.user_id).status_code == 204
    assert actors.owner.get(f"{API}/farms/{actors.farm_id}").status_code == 404


@pytest.mark.parametrize("name", ["viewer", "operator", "admin"])
def test_any_member_may_leave(actors: Actors, name: str) -> None:
    actor: Actor = getattr(actors, name)
    response = actor.delete(_url(actors), params={"user_id": actor.user_id})
    assert response.status_code == 204, response.text
    assert actor.get(f"{API}/farms/{actors.farm_id}").status_code == 404
    assert actor.get(f"{API}/farms").json()["total"] == 0


def test_below_admin_cannot_remove_others(actors: Actors, database: Database) -> None:
    before = snapshot(database)
    assert_error(_remove(actors.operator, _url(actors), actors.viewer.user_id), 403)
    assert snapshot(database) == before


def test_unknown_member(actors: Actors, database: Database) -> None:
    stranger = create_user(database, "stranger@example.com")
    change = {"user_id": stranger.id, "role": "viewer"}
    assert_error(actors.admin.patch(_url(actors), json=change), 404, "member_not_found")
    assert_error(_remove(actors.admin, _url(actors), stranger.id), 404, "member_not_found")
    # The outsider's membership in their own farm is not reachable through ours.
    assert_error(_remove(actors.admin, _url(actors), actors.outsider.user_id), 404)


def test_remove_needs_exactly_one_user_id(actors: Actors, database: Database) -> None:
    before = snapshot(database)
    assert_error(actors.admin.delete(_url(actors)), 422, "validation_error")
    mismatch = actors.admin.client.request(
        "DELETE",
        _url(actors),
        json={"user_id": actors.viewer.user_id},
        params={"user_id": actors.operator.user_id},
    )
    assert_error(mismatch, 422, "validation_error")
    assert snapshot(database) == before


def test_two_owners_demoting_each_other_at_once_keep_one_owner(actors: Actors) -> None:
    """The farm row is locked before owners are counted, so concurrent demotions
    cannot both see "another owner remains"."""
    url = _url(actors)
    for _ in range(3):
        promote = {"user_id": actors.admin.user_id, "role": "owner"}
        assert actors.owner.patch(url, json=promote).status_code == 200
        pairs = [(actors.owner, actors.admin.user_id), (actors.admin, actors.owner.user_id)]
        with ThreadPoolExecutor(max_workers=2) as pool:
            statuses = sorted(
                pool.map(
                    lambda pair: pair[0].patch(url, json={"user_id": pair[1], "role": "admin"}),
                    pairs,
                ),
                key=lambda r: r.status_code,
            )
        # The loser is refused either by the last-owner rule (409) or, when it read its
        # role after the winner committed, as a mere admin touching an owner (403).
        codes = [r.status_code for r in statuses]
        assert codes in ([200, 403], [200, 409]), [r.text for r in statuses]
        owners = [e for e, role in _roles(actors).items() if role == "owner"]
        assert len(owners) == 1
        if owners != [actors.owner.email]:  # put the original owner back for the next round
            restore = {"user_id": actors.owner.user_id, "role": "owner"}
            assert actors.admin.patch(url, json=restore).status_code == 200
            demote = {"user_id": actors.admin.user_id, "role": "admin"}
            assert actors.owner.patch(url, json=demote).status_code == 200
