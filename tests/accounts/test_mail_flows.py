"""Password reset and email verification through a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import logging
from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient

from openrig.core.db import Database, utcnow
from openrig.models import UserToken
from tests.accounts.conftest import Mailbox
from tests.accounts.helpers import (
    API,
    NEW_PASSWORD,
    PASSWORD,
    assert_error,
    link_token,
    login,
    row_counts,
    set_columns,
    signup,
    user_row,
)


def _verified_user(smtp_client: TestClient, mailbox: Mailbox, email: str) -> None:
    assert signup(smtp_client, email).status_code == 201
    token = link_token(mailbox.bodies()[-1], "verify-email")
    assert smtp_client.post(f"{API}/verify-email", json={"token": token}).status_code == 204
    mailbox.messages.clear()


def _request_reset(client: TestClient, email: str) -> None:
    response = client.post(f"{API}/password-reset", json={"email": email})
    assert response.status_code == 202, response.text


def _confirm(client: TestClient, token: str, password: str = NEW_PASSWORD) -> httpx.Response:
    body = {"token": token, "new_password": password}
    return client.post(f"{API}/password-reset/confirm", json=body)


def test_reset_flow_end_to_end(smtp_client: TestClient, mailbox: Mailbox) -> None:
    _verified_user(smtp_client, mailbox, "alice@example.com")
    assert login(smtp_client, "alice@example.com").status_code == 200
    _request_reset(smtp_client, "Alice@Example.com")

    [message] = mailbox.messages
    assert message["To"] == "alice@example.com"
    body = mailbox.bodies()[0]
    assert "http://testserver/#/reset-password?token=" in body
    token = link_token(body, "reset-password")

    assert _confirm(smtp_client, token).status_code == 204
    # All sessions end, including the one of the client that confirmed.
    assert_error(smtp_client.get(f"{API}/me"), 401)
    assert_error(login(smtp_client, "alice@example.com", PASSWORD), 401, "invalid_credentials")
    assert login(smtp_client, "alice@example.com", NEW_PASSWORD).status_code == 200
    # Single use.
    assert_error(_confirm(smtp_client, token, "yet another password"), 400, "invalid_token")


def test_unknown_email_gets_the_same_answer_and_no_mail(
    smtp_client: TestClient, mailbox: Mailbox, database: Database
) -> None:
    before = row_counts(database)
    _request_reset(smtp_client, "nobody@example.com")
    assert mailbox.messages == []
    assert row_counts(database) == before


def test_expired_and_unknown_reset_tokens(
    smtp_client: TestClient, mailbox: Mailbox, database: Database
) -> None:
    _verified_user(smtp_client, mailbox, "alice@example.com")
    _request_reset(smtp_client, "alice@example.com")
    token = link_token(mailbox.bodies()[-1], "reset-password")
    past = utcnow() - timedelta(seconds=1)
    set_columns(database, UserToken, UserToken.purpose == "reset", expires_at=past)
    assert_error(_confirm(smtp_client, token), 400, "invalid_token")
    assert_error(_confirm(smtp_client, "orp_" + "A" * 43), 400, "invalid_token")
    assert login(smtp_client, "alice@example.com", PASSWORD).status_code == 200


def test_a_new_reset_kills_older_links(smtp_client: TestClient, mailbox: Mailbox) -> None:
    _verified_user(smtp_client, mailbox, "alice@example.com")
    _request_reset(smtp_client, "alice@example.com")
    _request_reset(smtp_client, "alice@example.com")
    first, second = (link_token(b, "reset-password") for b in mailbox.bodies())
    assert _confirm(smtp_client, second).status_code == 204
    assert_error(_confirm(smtp_client, first), 400, "invalid_token")


def test_reset_mails_are_throttled(smtp_client: TestClient, mailbox: Mailbox) -> None:
    _verified_user(smtp_client, mailbox, "alice@example.com")
    for _ in range(7):
        _request_reset(smtp_client, "alice@example.com")
    assert len(mailbox.messages) == 5


def test_verify_token_cannot_reset_password(smtp_client: TestClient, mailbox: Mailbox) -> None:
    signup(smtp_client, "alice@example.com")
    token = link_token(mailbox.bodies()[-1], "verify-email")
    assert_error(_confirm(smtp_client, token), 400, "invalid_token")


def test_verification_required_when_smtp_is_configured(
    smtp_client: TestClient, mailbox: Mailbox, database: Database
) -> None:
    response = signup(smtp_client, "alice@example.com")
    assert response.status_code == 201, response.text
    assert response.json()["verification_required"] is True
    assert response.json()["csrf_token"] is None
    assert response.json()["user"]["email_verified"] is False
    assert "set-cookie" not in response.headers
    assert_error(login(smtp_client, "alice@example.com"), 403, "email_not_verified")

    token = link_token(mailbox.bodies()[-1], "verify-email")
    assert "http://testserver/#/verify-email?token=" in mailbox.bodies()[-1]
    assert smtp_client.post(f"{API}/verify-email", json={"token": token}).status_code == 204
    assert user_row(database, "alice@example.com").email_verified_at is not None
    ok = login(smtp_client, "alice@example.com")
    assert ok.status_code == 200 and ok.json()["user"]["email_verified"] is True
    reused = smtp_client.post(f"{API}/verify-email", json={"token": token})
    assert_error(reused, 400, "invalid_token")


def test_wrong_password_of_unverified_user_is_401_not_403(
    smtp_client: TestClient, mailbox: Mailbox
) -> None:
    signup(smtp_client, "alice@example.com")
    assert_error(login(smtp_client, "alice@example.com", "wrong password"), 401)


def test_reset_also_verifies_the_address(smtp_client: TestClient, mailbox: Mailbox) -> None:
    signup(smtp_client, "alice@example.com")
    _request_reset(smtp_client, "alice@example.com")
    token = link_token(mailbox.bodies()[-1], "reset-password")
    assert _confirm(smtp_client, token).status_code == 204
    assert login(smtp_client, "alice@example.com", NEW_PASSWORD).status_code == 200


def test_without_smtp_the_reset_link_goes_to_the_log(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    signup(client, "alice@example.com")
    with caplog.at_level(logging.WARNING, logger="openrig.mail"):
        _request_reset(client, "alice@example.com")
    token = link_token(caplog.text, "reset-password")
    assert _confirm(client, token).status_code == 204


def test_smtp_failure_is_logged_not_leaked(
    smtp_client: TestClient, mailbox: Mailbox, caplog: pytest.LogCaptureFixture
) -> None:
    _verified_user(smtp_client, mailbox, "alice@example.com")
    state = smtp_client.app.state  # type: ignore[attr-defined]
    state.settings = state.settings.model_copy(update={"smtp_port": 1})  # nothing listens
    with caplog.at_level(logging.ERROR, logger="openrig.accounts"):
        _request_reset(smtp_client, "alice@example.com")
    assert "not sent" in caplog.text
