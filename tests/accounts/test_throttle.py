"""Failed logins are throttled per email and per client IP, in the database."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient

from openrig.core.db import Database, utcnow
from openrig.models import LoginAttempt
from openrig.settings import Settings
from tests.accounts.helpers import API, PASSWORD, assert_error, failures, login, set_columns, signup

WRONG = "wrong password!"


def _fail(client: TestClient, email: str, times: int) -> None:
    for _ in range(times):
        assert_error(login(client, email, WRONG), 401, "invalid_credentials")


def _from_ip(app: FastAPI, ip: str) -> TestClient:
    return TestClient(app, client=(ip, 40000))


def test_ten_failures_lock_the_account_with_retry_after(
    client: TestClient, settings: Settings
) -> None:
    signup(client, "alice@example.com")
    client.cookies.clear()
    _fail(client, "alice@example.com", settings.login_max_failures)
    locked = login(client, "alice@example.com", PASSWORD)  # even the right password
    assert_error(locked, 429, "too_many_requests")
    retry = int(locked.headers["retry-after"])
    assert settings.login_window_minutes * 60 - 60 < retry <= settings.login_window_minutes * 60


def test_locked_account_is_not_probed(client: TestClient, database: Database) -> None:
    _fail(client, "alice@example.com", 10)
    assert len(failures(database)) == 10
    assert_error(login(client, "alice@example.com", WRONG), 429)
    # Refused before the password check: no new failure, the lock does not grow.
    assert len(failures(database)) == 10


def test_unknown_email_is_throttled_too(client: TestClient) -> None:
    _fail(client, "nobody@example.com", 10)
    assert_error(login(client, "nobody@example.com"), 429, "too_many_requests")


def test_per_ip_across_different_emails(app: FastAPI, client: TestClient) -> None:
    signup(client, "alice@example.com")
    client.cookies.clear()
    for n in range(10):
        _fail(client, f"user{n}@example.com", 1)
    assert_error(login(client, "alice@example.com"), 429, "too_many_requests")
    # Another address is not affected: the email itself is not locked.
    with _from_ip(app, "10.0.0.2") as other:
        assert login(other, "alice@example.com").status_code == 200


def test_per_email_across_different_ips(app: FastAPI, client: TestClient) -> None:
    signup(client, "alice@example.com")
    for n in range(10):
        with _from_ip(app, f"10.0.1.{n}") as attacker:
            _fail(attacker, "alice@example.com", 1)
    with _from_ip(app, "10.0.2.1") as owner:
        assert_error(login(owner, "alice@example.com"), 429, "too_many_requests")


def test_retry_after_counts_down_from_the_oldest_failure(
    client: TestClient, database: Database, settings: Settings
) -> None:
    _fail(client, "alice@example.com", 10)
    window = timedelta(minutes=settings.login_window_minutes)
    almost_out = utcnow() - window + timedelta(seconds=30)
    set_columns(database, LoginAttempt, LoginAttempt.email == "alice@example.com", at=almost_out)
    retry = int(login(client, "alice@example.com").headers["retry-after"])
    assert 25 <= retry <= 31
    # Once the failures leave the window, logging in is possible again.
    gone = utcnow() - window - timedelta(seconds=1)
    set_columns(database, LoginAttempt, LoginAttempt.email == "alice@example.com", at=gone)
    assert_error(login(client, "alice@example.com"), 401, "invalid_credentials")


def test_success_clears_email_failures_not_the_ip_counter(
    app: FastAPI, client: TestClient, database: Database
) -> None:
    signup(client, "alice@example.com")
    client.cookies.clear()
    _fail(client, "alice@example.com", 9)
    assert login(client, "alice@example.com").status_code == 200
    # The email's counter restarted: nine more failures from elsewhere are not a lock.
    with _from_ip(app, "10.0.3.1") as elsewhere:
        _fail(elsewhere, "alice@example.com", 9)
        assert login(elsewhere, "alice@example.com").status_code == 200
    # The first IP still has its nine failures: one more and it is locked.
    _fail(client, "bob@example.com", 1)
    assert_error(login(client, "carol@example.com"), 429, "too_many_requests")


def test_old_failures_are_pruned_on_insert(client: TestClient, database: Database) -> None:
    _fail(client, "alice@example.com", 3)
    old = utcnow() - timedelta(days=1)
    set_columns(database, LoginAttempt, LoginAttempt.email == "alice@example.com", at=old)
    _fail(client, "alice@example.com", 1)
    assert len(failures(database)) == 1


def test_wrong_current_password_counts_as_failure(client: TestClient, database: Database) -> None:
    signup(client, "alice@example.com")
    body = {"current_password": WRONG, "new_password": "x" * 12}
    for _ in range(10):
        assert_error(client.post(f"{API}/password", json=body), 400, "wrong_password")
    assert len(failures(database)) == 10
    assert_error(client.post(f"{API}/password", json=body), 429, "too_many_requests")
