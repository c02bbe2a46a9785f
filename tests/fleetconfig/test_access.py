"""Who may call what: every endpoint, every role (owner … viewer, outsider, anonymous)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from openrig.core.db import Database
from tests.fleetconfig.factories import make_group, make_profile, make_rig, make_sheet
from tests.fleetconfig.test_api_scenario import API, MINER, ok
from tests.support.actors import Actors

RANK = {"viewer": 1, "operator": 2, "admin": 3, "owner": 4}
ACTORS = ("owner", "admin", "operator", "viewer", "outsider", "anonymous")


def expected(actor: str, need: str) -> set[int]:
    if actor == "anonymous":
        return {401}
    if actor == "outsider":
        return {404}
    return {200, 201, 204} if RANK[actor] >= RANK[need] else {403}


Url = Callable[[str], str]  # actor name -> URL (may create what the call needs)


def check(actors: Actors, method: str, url: Url, need: str, body: Any = None) -> None:
    for name in ACTORS:
        kwargs = {} if body is None else {"json": body(name) if callable(body) else body}
        response = getattr(actors, name).client.request(method, url(name), **kwargs)
        assert response.status_code in expected(name, need), (name, method, response.text)
        if response.status_code >= 400:
            assert set(response.json()["error"]) == {"code", "message", "details"}


@pytest.fixture
def setup(actors: Actors, database: Database) -> dict[str, str]:
    farm = actors.farm_id
    group = make_group(database, farm, "g")
    return {
        "farm": f"{API}/farms/{farm}",
        "group": group,
        "rig": make_rig(database, farm, "r", group_id=group),
        "sheet": make_sheet(database, farm, "s", MINER),
        "profile": make_profile(database, farm, "p", {}),
    }


def test_miner_registry_is_public(actors: Actors) -> None:
    for name in ACTORS:
        miners = ok(getattr(actors, name).get(f"{API}/miners"))["miners"]
        names = {m["name"] for m in miners}
        assert {"trex", "gminer", "lolminer", "nbminer", "teamredminer", "xmrig", "custom"} <= names
        trex = next(m for m in miners if m["name"] == "trex")
        assert set(trex) == {"name", "display_name", "vendors", "api_port", "algos"}


def test_layers(actors: Actors, setup: dict[str, str]) -> None:
    patch = {"config": {"currency": "EUR"}}
    for url in (
        f"{setup['farm']}/config",
        f"{API}/groups/{setup['group']}/config",
        f"{API}/rigs/{setup['rig']}/config",
    ):
        check(actors, "GET", lambda _n, u=url: u, "viewer")
        check(actors, "PATCH", lambda _n, u=url: u, "operator", patch)


def test_exec_allowed_needs_admin(actors: Actors, setup: dict[str, str]) -> None:
    url = f"{setup['farm']}/config"
    check(actors, "PATCH", lambda _n: url, "admin", {"config": {"exec_allowed": True}})
    check(actors, "PATCH", lambda _n: url, "admin", {"config": {"exec_allowed": None}})


def test_other_farms_layers_are_not_found(actors: Actors, database: Database) -> None:
    group = make_group(database, actors.other_farm_id, "theirs")
    rig = make_rig(database, actors.other_farm_id, "theirs")
    sheet = make_sheet(database, actors.other_farm_id, "theirs", MINER)
    for url in (
        f"{API}/groups/{group}/config",
        f"{API}/rigs/{rig}/config",
        f"{API}/farms/{actors.other_farm_id}/config",
        f"{API}/farms/{actors.other_farm_id}/flight-sheets/{sheet}",
        f"{API}/groups/no-such-group/config",
        f"{API}/rigs/no-such-rig/config",
    ):
        assert actors.owner.get(url).status_code == 404, url
        assert actors.owner.patch(url, json={}).status_code == 404, url


@pytest.mark.parametrize(
    ("kind", "field", "doc"), [("flight-sheets", "miner", MINER), ("oc-profiles", "oc", {})]
)
def test_library(
    actors: Actors, database: Database, setup: dict[str, str], kind: str, field: str, doc: Any
) -> None:
    base = f"{setup['farm']}/{kind}"
    item = setup["sheet" if kind == "flight-sheets" else "profile"]
    make = make_sheet if kind == "flight-sheets" else make_profile

    def fresh(name: str) -> str:
        return f"{base}/{make(database, actors.farm_id, f'del-{name}', doc)}"

    check(actors, "GET", lambda _n: base, "viewer")
    check(actors, "GET", lambda _n: f"{base}/{item}", "viewer")
    check(actors, "POST", lambda _n: base, "operator", lambda n: {"name": n, field: doc})
    check(actors, "PATCH", lambda _n: f"{base}/{item}", "operator", {field: doc})
    check(actors, "DELETE", fresh, "operator")


def test_bulk_and_history(actors: Actors, setup: dict[str, str]) -> None:
    ok(actors.owner.patch(f"{setup['farm']}/config", json={"config": {"currency": "EUR"}}))
    entry = ok(actors.owner.get(f"{setup['farm']}/history"))["items"][0]["id"]
    check(actors, "GET", lambda _n: f"{setup['farm']}/history", "viewer")
    check(actors, "POST", lambda _n: f"{setup['farm']}/history/{entry}/restore", "operator")
    body = {"selector": {"all": True}, "action": {"add_tags": ["x"]}}
    check(actors, "POST", lambda _n: f"{setup['farm']}/bulk", "operator", body)
