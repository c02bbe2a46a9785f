"""``openrig admin create``: the headless way to the first admin (migrates by itself)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from openrig.app import create_app
from openrig.cli import main
from openrig.core.db import Database
from openrig.settings import Settings
from tests.accounts.helpers import assert_error, login, row_counts, user_row

ADMIN_PASSWORD = "admin password long enough"


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path) -> None:
    for name in ("OPENRIG_SECRET_KEY", "OPENRIG_SMTP_HOST", "OPENRIG_SIGNUP_OPEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPENRIG_DATABASE_URL", database_url)
    monkeypatch.setenv("OPENRIG_DATA_DIR", str(tmp_path / "cli-data"))
    monkeypatch.setenv("OPENRIG_ADMIN_PASSWORD", ADMIN_PASSWORD)


def test_admin_create(
    cli_env: None, database: Database, client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["admin", "create", "--email", "Root@Example.com"]) == 0
    assert "admin root@example.com created" in capsys.readouterr().out
    user = user_row(database, "root@example.com")
    assert user.is_admin and user.email_verified_at is not None
    response = login(client, "root@example.com", ADMIN_PASSWORD)
    assert response.status_code == 200, response.text
    assert response.json()["user"]["is_admin"] is True


def test_admin_create_refuses_existing_email(
    cli_env: None, database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["admin", "create", "--email", "root@example.com"]) == 0
    before = row_counts(database)
    assert main(["admin", "create", "--email", "ROOT@example.com"]) == 1
    assert "already exists" in capsys.readouterr().err
    assert row_counts(database) == before


@pytest.mark.parametrize(
    ("email", "password", "complaint"),
    [
        ("root@example.com", "short", "password"),
        ("not an email", ADMIN_PASSWORD, "email"),
        ("root@example.com", "x" * 1025, "password"),
    ],
)
def test_admin_create_validates_like_signup(
    cli_env: None,
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    email: str,
    password: str,
    complaint: str,
) -> None:
    monkeypatch.setenv("OPENRIG_ADMIN_PASSWORD", password)
    before = row_counts(database)
    assert main(["admin", "create", "--email", email]) == 1
    err = capsys.readouterr().err
    assert err.startswith("openrig: ") and complaint in err
    assert "Traceback" not in err
    assert row_counts(database) == before


def test_admin_create_works_when_signup_is_closed(
    cli_env: None,
    database: Database,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENRIG_SIGNUP_OPEN", "false")
    assert main(["admin", "create", "--email", "root@example.com"]) == 0
    closed = TestClient(create_app(settings.model_copy(update={"signup_open": False}), database))
    with closed:
        body = {"email": "other@example.com", "password": ADMIN_PASSWORD}
        assert_error(closed.post("/api/v1/auth/signup", json=body), 403, "signup_closed")
        assert login(closed, "root@example.com", ADMIN_PASSWORD).status_code == 200
