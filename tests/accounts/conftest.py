"""Fixtures of the accounts tests: a real SMTP server, apps built with other settings."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient

from openrig.app import create_app
from openrig.core.db import Database
from openrig.settings import Settings


class Mailbox:
    """aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.port = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def bodies(self) -> list[str]:
        return [str(m.get_body(("plain",)).get_content()) for m in self.messages]  # type: ignore[union-attr]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        box.port = controller.port
        yield box
    finally:
        controller.stop()


@pytest.fixture
def smtp_settings(settings: Settings, mailbox: Mailbox) -> Settings:
    return settings.model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": mailbox.port,
            "smtp_security": "none",
            "smtp_timeout_s": 5.0,
        }
    )


@pytest.fixture
def client_with(database: Database) -> Iterator[Callable[[Settings], TestClient]]:
    """Build an anonymous client of an app made with the given settings."""
    clients: list[TestClient] = []

    def make(settings: Settings, **kw: Any) -> TestClient:
        test_client = TestClient(create_app(settings, database), **kw)
        test_client.__enter__()
        clients.append(test_client)
        return test_client

    yield make
    for test_client in clients:
        test_client.__exit__(None, None, None)


@pytest.fixture
def smtp_client(
    smtp_settings: Settings, client_with: Callable[[Settings], TestClient]
) -> TestClient:
    return client_with(smtp_settings)
