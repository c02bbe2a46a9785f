"""Enrollment: zero-touch, idempotent per hardware id, throttled."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from openrig.core.db import Database
from openrig.core.security import token_hash
from openrig.models import Rig
from tests.support.rigs import enroll_rig


def test_enroll_creates_rig_with_its_own_token(
    rig_http: TestClient, enroll_key: str, database: Database
) -> None:
    response = rig_http.post(
        "/api/rig/v1/enroll",
        json={"enroll_key": enroll_key, "hardware_id": "aa:bb:cc:dd:ee:ff", "hostname": "rig-01"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["token"].startswith("orr_")
    assert body["server_url"] == "http://testserver"
    with database.session(write=False) as db:
        rig = db.get(Rig, body["rig_id"])
        assert rig is not None and rig.name == "rig-01"
        assert rig.token_hash == token_hash(body["token"])
        assert rig.config_version  # effective config computed at creation


def test_same_hardware_same_rig_new_token_old_revoked(
    rig_http: TestClient, enroll_key: str, database: Database
) -> None:
    first = enroll_rig(rig_http, enroll_key, "hw-same-0001", "rig-01")
    second = enroll_rig(rig_http, enroll_key, "hw-same-0001", "rig-01")
    assert first.rig_id == second.rig_id
    assert first.token != second.token
    assert first.get("/config").status_code == 401
    assert second.get("/config").status_code == 200
    with database.session(write=False) as db:
        assert (
            db.scalar(
                select(func.count()).select_from(Rig).where(Rig.hardware_id == "hw-same-0001")
            )
            == 1
        )


def test_hostname_clash_gets_a_suffix(rig_http: TestClient, enroll_key: str) -> None:
    a = enroll_rig(rig_http, enroll_key, "hw-aaaa-0001", "rig")
    b = enroll_rig(rig_http, enroll_key, "hw-bbbb-0002", "rig")
    names = {a.get("/config").json()["rig"]["name"], b.get("/config").json()["rig"]["name"]}
    assert names == {"rig", "rig-2"}


def test_unknown_and_revoked_keys_are_401(
    rig_http: TestClient, enroll_key: str, actors: object
) -> None:
    bad = enroll_key[:-4] + "0000"
    response = rig_http.post(
        "/api/rig/v1/enroll", json={"enroll_key": bad, "hardware_id": "hw-x-00001"}
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_enroll_key"


def test_failed_enrollments_are_throttled(rig_http: TestClient, enroll_key: str) -> None:
    body = {"enroll_key": "ore_" + "0" * 32 + "_" + "0" * 40, "hardware_id": "hw-x-00001"}
    codes = [rig_http.post("/api/rig/v1/enroll", json=body).status_code for _ in range(21)]
    assert codes[:20] == [401] * 20
    assert codes[20] == 429
    # Even the right key is refused while the address is throttled.
    good = rig_http.post("/api/rig/v1/enroll", json={**body, "enroll_key": enroll_key})
    assert good.status_code == 429
    assert int(good.headers["Retry-After"]) > 0


def test_enroll_rejects_bad_input(
    rig_http: TestClient, enroll_key: str, database: Database
) -> None:
    for body in (
        {"enroll_key": enroll_key},
        {"enroll_key": enroll_key, "hardware_id": "x"},
        {"enroll_key": enroll_key, "hardware_id": "hw; rm -rf /"},
        {"enroll_key": enroll_key, "hardware_id": "hw-ok-000001", "hostname": "x" * 1000},
        {"enroll_key": 5, "hardware_id": "hw-ok-000001"},
    ):
        response = rig_http.post("/api/rig/v1/enroll", json=body)
        assert response.status_code == 422, body
        assert response.json()["error"]["code"] == "validation_error"
    with database.session(write=False) as db:
        assert db.scalar(select(func.count()).select_from(Rig)) == 0
