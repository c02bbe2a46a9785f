"""Enrollment keys: derived (never stored), rotate and revoke, enroll.conf."""

from __future__ import annotations

from openrig.core.db import Database
from openrig.farms.conffile import parse_conf
from openrig.farms.enroll import verify_enroll_key
from openrig.models import Farm
from openrig.settings import Settings
from tests.farms.helpers import assert_error, give_enroll_key
from tests.support.actors import Actors

API = "/api/v1"


def _verify(database: Database, settings: Settings, key: str) -> str | None:
    with database.session(write=False) as db:
        farm = verify_enroll_key(db, settings, key)
        return None if farm is None else farm.id


def test_rotate_replaces_the_key(actors: Actors, database: Database, settings: Settings) -> None:
    give_enroll_key(database, actors.farm_id)
    url = f"{API}/farms/{actors.farm_id}/enroll-key"
    old = actors.admin.get(url).json()["enroll_key"]
    assert _verify(database, settings, old) == actors.farm_id
    rotated = actors.admin.post(url)
    assert rotated.status_code == 200, rotated.text
    new = rotated.json()["enroll_key"]
    assert new != old and new.startswith("ore_")
    assert actors.admin.get(url).json()["enroll_key"] == new
    assert _verify(database, settings, new) == actors.farm_id
    assert _verify(database, settings, old) is None


def test_the_key_is_not_stored(actors: Actors, database: Database) -> None:
    key = actors.admin.post(f"{API}/farms/{actors.farm_id}/enroll-key").json()["enroll_key"]
    with database.session(write=False) as db:
        farm = db.get(Farm, actors.farm_id)
        assert farm is not None and farm.enroll_key_id is not None
        assert farm.enroll_key_id in key
        assert key.rsplit("_", 1)[1] not in repr(farm.__dict__)


def test_revoke(actors: Actors, database: Database, settings: Settings) -> None:
    url = f"{API}/farms/{actors.farm_id}/enroll-key"
    key = actors.admin.post(url).json()["enroll_key"]
    revoked = actors.admin.delete(url)
    assert revoked.status_code == 200
    assert revoked.json() == {"enroll_key": None}
    assert actors.admin.get(url).json() == {"enroll_key": None}
    assert _verify(database, settings, key) is None
    conf = actors.admin.get(f"{API}/farms/{actors.farm_id}/enroll.conf")
    assert_error(conf, 409, "enroll_key_revoked")
    assert actors.admin.post(url).json()["enroll_key"] is not None  # can be issued again


def test_verify_rejects_forgeries(actors: Actors, database: Database, settings: Settings) -> None:
    key = actors.admin.post(f"{API}/farms/{actors.farm_id}/enroll-key").json()["enroll_key"]
    prefix, key_id, mac = key.split("_")
    flipped = mac[:-1] + ("0" if mac[-1] != "0" else "1")
    for bad in (
        "",
        "ore_",
        f"{prefix}_{key_id}_{flipped}",
        f"{prefix}_{key_id}_{mac[:-1]}",
        f"{prefix}_{key_id}_{mac}x",
        f"orr_{key_id}_{mac}",
        f"{prefix}_{key_id.upper()}_{mac}",
        key + "\n",
        "ore_" + "0" * 32 + "_" + mac,
        "x" * 100_000,
        "'; DROP TABLE farms; --",
    ):
        assert _verify(database, settings, bad) is None, bad
    assert _verify(database, settings, key) == actors.farm_id


def test_key_depends_on_the_instance_secret(
    actors: Actors, database: Database, settings: Settings
) -> None:
    key = actors.admin.post(f"{API}/farms/{actors.farm_id}/enroll-key").json()["enroll_key"]
    other = settings.model_copy(update={"secret_key": "another-secret-" + "x" * 40})
    assert _verify(database, other, key) is None


def test_enroll_conf_content(actors: Actors, settings: Settings) -> None:
    key = actors.admin.post(f"{API}/farms/{actors.farm_id}/enroll-key").json()["enroll_key"]
    response = actors.admin.get(f"{API}/farms/{actors.farm_id}/enroll.conf")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    assert response.headers["content-disposition"] == 'attachment; filename="enroll.conf"'
    assert response.headers["cache-control"] == "no-store"
    text = response.text
    assert text.startswith("# ")
    assert "Farm A" in text and "secret" in text.lower()
    assert parse_conf(text) == {"SERVER_URL": settings.public_url, "ENROLL_KEY": key}
    for line in text.splitlines():
        assert line.startswith("#") or (" " not in line and '"' not in line), line
    # Reading the file does not rotate the key.
    assert actors.admin.get(f"{API}/farms/{actors.farm_id}/enroll-key").json()["enroll_key"] == key
