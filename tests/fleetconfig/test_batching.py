"""Bulk changes and refreshes issue the same number of statements for 5 rigs or 60."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from openrig.core.db import Database
from tests.fleetconfig.factories import make_group, make_rig
from tests.fleetconfig.test_api_scenario import API, ok
from tests.support.actors import Actors


@contextmanager
def counting(database: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def on_execute(*args: Any) -> None:
        statements.append(args[2])

    engine = database.writer_engine
    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)


def bulk_statements(actors: Actors, database: Database, rigs: int) -> int:
    group = make_group(database, actors.farm_id, f"g{rigs}")
    for i in range(rigs):
        make_rig(database, actors.farm_id, f"r{rigs}-{i}", group_id=group, tags=("t",))
    body = {
        "selector": {"group_id": group},
        "action": {"config_patch": {"currency": "EUR"}, "add_tags": ["new"], "remove_tags": ["t"]},
    }
    with counting(database) as statements:
        assert (
            ok(actors.operator.post(f"{API}/farms/{actors.farm_id}/bulk", json=body))["count"]
            == rigs
        )
    return len(statements)


def test_bulk_does_not_query_per_rig(actors: Actors, database: Database) -> None:
    few = bulk_statements(actors, database, 5)
    many = bulk_statements(actors, database, 60)
    assert many == few, (few, many)


def test_farm_patch_does_not_query_per_rig(actors: Actors, database: Database) -> None:
    counts = []
    for n in (5, 60):
        for i in range(n - len(counts) * 5):
            make_rig(database, actors.farm_id, f"x{n}-{i}")
        with counting(database) as statements:
            ok(
                actors.operator.patch(
                    f"{API}/farms/{actors.farm_id}/config",
                    json={"config": {"report_interval_s": 10 + n}},
                )
            )
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
