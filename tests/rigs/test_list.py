"""Rig lists: pagination, filters, sorting, status, and a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event

from openrig.core.db import Database, utcnow
from openrig.models.telemetry import RigState
from tests.farms.helpers import assert_error, make_group, make_rig
from tests.support.actors import Actors

API = "/api/v1"


def _names(actors: Actors, **params: Any) -> list[str]:
    response = actors.viewer.get(f"{API}/farms/{actors.farm_id}/rigs", params=params)
    assert response.status_code == 200, response.text
    return [r["name"] for r in response.json()["items"]]


def _seen(
    database: Database,
    farm_id: str,
    rig_id: str,
    ago_s: int,
    fresh_s: int,
    running: bool = True,
    hashrate: float = 1e8,
) -> None:
    now = utcnow()
    with database.transaction() as db:
        db.add(
            RigState(
                rig_id=rig_id,
                farm_id=farm_id,
                last_seen_at=now - timedelta(seconds=ago_s),
                offline_after=now + timedelta(seconds=fresh_s),
                miner_running=running,
                hashrate_hs=hashrate,
            )
        )


@pytest.fixture
def fleet(actors: Actors, database: Database) -> dict[str, str]:
    """Five rigs: two groups, tags, one in maintenance, two that reported."""
    farm = actors.farm_id
    hall_a = make_group(database, farm, "Hall A")
    hall_b = make_group(database, farm, "Hall B")
    ids = {
        "alpha": make_rig(database, farm, "alpha", hall_a, ("gpu", "nvidia")),
        "bravo": make_rig(database, farm, "bravo", hall_a, ("gpu",)),
        "charlie": make_rig(database, farm, "charlie", hall_b, ("amd",), maintenance=True),
        "delta_1": make_rig(database, farm, "delta_1", None, ("gpu", "nvidia")),
        "echo%": make_rig(database, farm, "echo%", None, ()),
    }
    make_rig(database, actors.other_farm_id, "alpha-theirs", None, ("gpu",))
    _seen(database, farm, ids["alpha"], ago_s=10, fresh_s=300)  # online
    _seen(database, farm, ids["bravo"], ago_s=900, fresh_s=-600)  # silent: offline
    return {**ids, "hall_a": hall_a, "hall_b": hall_b}


def test_items_carry_group_tags_status(actors: Actors, fleet: dict[str, str]) -> None:
    page = actors.viewer.get(f"{API}/farms/{actors.farm_id}/rigs").json()
    assert page["total"] == 5 and (page["limit"], page["offset"]) == (50, 0)
    by_name = {r["name"]: r for r in page["items"]}
    assert by_name["alpha"]["group_name"] == "Hall A"
    assert by_name["alpha"]["tags"] == ["gpu", "nvidia"]
    assert by_name["alpha"]["status"] == "online"
    assert by_name["alpha"]["last_seen_at"] is not None
    assert by_name["bravo"]["status"] == "offline"
    assert by_name["charlie"]["status"] == "maintenance"
    assert by_name["delta_1"]["status"] == "offline"
    assert by_name["echo%"]["last_seen_at"] is None
    expected = {"id", "name", "farm_id", "group_id", "group_name", "tags", "notes"}
    expected |= {"config_version", "maintenance", "status", "last_seen_at", "created_at"}
    assert expected <= set(by_name["alpha"])


def test_pagination(actors: Actors, fleet: dict[str, str]) -> None:
    assert _names(actors, limit=2) == ["alpha", "bravo"]
    assert _names(actors, limit=2, offset=2) == ["charlie", "delta_1"]
    assert _names(actors, limit=2, offset=4) == ["echo%"]
    assert _names(actors, offset=5) == []
    page = actors.viewer.get(f"{API}/farms/{actors.farm_id}/rigs", params={"limit": 1}).json()
    assert page["total"] == 5


def test_filters(actors: Actors, fleet: dict[str, str]) -> None:
    assert _names(actors, group_id=fleet["hall_a"]) == ["alpha", "bravo"]
    assert _names(actors, group_id="none") == ["delta_1", "echo%"]
    assert _names(actors, group_id="no-such-group") == []
    assert _names(actors, tag="gpu") == ["alpha", "bravo", "delta_1"]
    assert _names(actors, tag=["gpu", "nvidia"]) == ["alpha", "delta_1"]
    assert _names(actors, status="online") == ["alpha"]
    assert _names(actors, status="maintenance") == ["charlie"]
    assert _names(actors, status="offline") == ["bravo", "delta_1", "echo%"]
    assert _names(actors, q="ALP") == ["alpha"]
    assert _names(actors, tag="gpu", group_id=fleet["hall_a"], q="a") == ["alpha", "bravo"]
    filtered = actors.viewer.get(
        f"{API}/farms/{actors.farm_id}/rigs", params={"tag": "gpu", "limit": 1}
    ).json()
    assert filtered["total"] == 3


def test_search_treats_wildcards_literally(actors: Actors, fleet: dict[str, str]) -> None:
    assert _names(actors, q="%") == ["echo%"]
    assert _names(actors, q="_") == ["delta_1"]
    assert _names(actors, q="'; DROP TABLE rigs; --") == []
    assert len(_names(actors)) == 5


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["alpha", "bravo", "charlie", "delta_1", "echo%"]),
        ("-name", ["echo%", "delta_1", "charlie", "bravo", "alpha"]),
        ("created_at", ["alpha", "bravo", "charlie", "delta_1", "echo%"]),
        ("-created_at", ["echo%", "delta_1", "charlie", "bravo", "alpha"]),
        # Never seen counts as the longest silent; ties by name.
        ("last_seen", ["charlie", "delta_1", "echo%", "bravo", "alpha"]),
        ("-last_seen", ["alpha", "bravo", "charlie", "delta_1", "echo%"]),
        ("status", ["charlie", "bravo", "delta_1", "echo%", "alpha"]),
    ],
)
def test_sort(actors: Actors, fleet: dict[str, str], sort: str, expected: list[str]) -> None:
    assert _names(actors, sort=sort) == expected


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "token_hash"},
        {"sort": "name; DROP TABLE rigs"},
        {"status": "dead"},
        {"limit": -1},
        {"limit": 501},
        {"limit": 10**30},
        {"offset": -1},
        {"q": "x" * 101},
        {"q": "a\x00b"},
        {"tag": "t\nx"},
        {"tag": "x" * 65},
        {"tag": [f"t{i}" for i in range(11)]},
        {"group_id": "g" * 65},
    ],
)
def test_bad_query_parameters(actors: Actors, params: dict[str, Any]) -> None:
    response = actors.viewer.get(f"{API}/farms/{actors.farm_id}/rigs", params=params)
    assert_error(response, 422, "validation_error")


@contextmanager
def _count_queries(database: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def _on(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    engines = {database.reader_engine, database.writer_engine}
    for engine in engines:
        event.listen(engine, "before_cursor_execute", _on)
    try:
        yield seen
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", _on)


def test_no_query_per_rig(actors: Actors, database: Database) -> None:
    group = make_group(database, actors.farm_id, "G")
    url = f"{API}/farms/{actors.farm_id}/rigs"
    make_rig(database, actors.farm_id, "r0", group, ("a",))
    actors.viewer.get(url)  # warm-up: session touch and the like
    with _count_queries(database) as few:
        assert len(actors.viewer.get(url).json()["items"]) == 1
    for i in range(1, 40):
        make_rig(database, actors.farm_id, f"r{i}", group, ("a", "b"))
    with _count_queries(database) as many:
        assert len(actors.viewer.get(url).json()["items"]) == 40
    assert len(many) == len(few), many


def test_miner_down_and_zero_hashrate_are_not_offline(actors: Actors, database: Database) -> None:
    """A hung miner is not a dead rig: the status says which it is, and filters by it."""
    farm = actors.farm_id
    down = make_rig(database, farm, "down", None, ())
    zero = make_rig(database, farm, "zero", None, ())
    stale = make_rig(database, farm, "stale", None, ())
    _seen(database, farm, down, ago_s=5, fresh_s=85, running=False, hashrate=0)
    _seen(database, farm, zero, ago_s=5, fresh_s=85, running=True, hashrate=0)
    _seen(database, farm, stale, ago_s=500, fresh_s=-10, running=False, hashrate=0)
    by_name = {r["name"]: r for r in actors.viewer.get(f"{API}/farms/{farm}/rigs").json()["items"]}
    assert by_name["down"]["status"] == "miner_down"
    assert by_name["zero"]["status"] == "zero_hashrate"
    assert by_name["stale"]["status"] == "offline"
    assert _names(actors, status="miner_down") == ["down"]
    assert _names(actors, status="zero_hashrate") == ["zero"]
    assert _names(actors, status="offline") == ["stale"]
