"""Fixtures of the alert tests: real SMTP and HTTP servers on loopback, settings that
point at them, and helpers that run the dispatcher's steps at a chosen time."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from pytest_httpserver import HTTPServer

from openrig.settings import Settings, load_settings

BOT_TOKEN = "123456789:AAEhBP0av28BLg0JdgvxxxxxxxxxxxxxxxX"


class Mailbox:
    """aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def settings(database_url: str, data_dir: Path, httpserver: HTTPServer) -> Settings:
    """Test settings plus the alert ones: the Telegram API is the local HTTP server and
    webhooks may target loopback (where the test servers listen)."""
    return load_settings(
        {},
        data_dir=str(data_dir),
        database_url=database_url,
        public_url="http://testserver",
        worker_in_serve="false",
        telegram_api_base=httpserver.url_for("/").rstrip("/"),
        telegram_bot_token=BOT_TOKEN,
        webhook_allow_private="true",
    )


@pytest.fixture
def mailbox(settings: Settings) -> Iterator[Mailbox]:
    """A real SMTP server; the test settings (and so the app) point at it."""
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.smtp_host, settings.smtp_port = "127.0.0.1", controller.port
    settings.smtp_security, settings.smtp_timeout_s = "none", 5.0
    try:
        yield box
    finally:
        controller.stop()
