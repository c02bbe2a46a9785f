"""Concurrent transactions that insert rigs and refresh them do not deadlock."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from openrig.core.db import Database
from openrig.fleetconfig.service import refresh_rigs
from openrig.models import Rig
from tests.support.actors import create_farm, create_user


def test_parallel_rig_creation_with_refresh(database: Database) -> None:
    if database.is_sqlite:
        pytest.skip("SQLite serialises writers at BEGIN; nothing runs in parallel")
    owner = create_user(database, "o@example.com")
    farm = create_farm(database, "F", owner.id)
    inserted = threading.Barrier(2, timeout=10)
    errors: list[BaseException] = []

    def create(name: str) -> None:
        try:
            with database.transaction() as db:
                rig = Rig(farm_id=farm.id, name=name, config={})
                db.add(rig)
                db.flush()  # both hold KEY SHARE on the farm row from here
                inserted.wait()
                refresh_rigs(db, farm.id, [rig.id])
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=create, args=(f"r{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    with database.session(write=False) as db:
        versions = db.scalars(select(Rig.config_version).where(Rig.farm_id == farm.id)).all()
    assert len(versions) == 2 and all(versions)
