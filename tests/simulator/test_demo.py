"""``openrig demo`` set-up: one demo user and farm, created once, with quick alert rules."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from openrig.core.db import Database
from openrig.farms.enroll import verify_enroll_key
from openrig.models import Farm, User
from openrig.settings import load_settings
from openrig.simulator.demo import DEMO_EMAIL, prepare


def test_prepare_is_idempotent(tmp_path: Path) -> None:
    settings = load_settings({}, data_dir=str(tmp_path))
    first = prepare(settings)
    second = prepare(settings)
    assert first == second
    database = Database.connect(settings.database_url)
    with database.session(write=False) as db:
        assert db.scalar(select(func.count()).select_from(User)) == 1
        assert db.scalar(select(User.email)) == DEMO_EMAIL
        farm = verify_enroll_key(db, settings, first[0])
        assert farm is not None and farm.id == first[1]
        assert db.scalar(select(func.count()).select_from(Farm)) == 1
    database.dispose()
