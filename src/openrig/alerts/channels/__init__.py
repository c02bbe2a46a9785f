"""Channel transports, one folder each; this registry maps a kind to its transport."""

from __future__ import annotations

from openrig.alerts.channels.base import Message, Transport, TransportError
from openrig.alerts.channels.email.transport import EmailTransport
from openrig.alerts.channels.telegram.transport import TelegramTransport
from openrig.alerts.channels.webhook.transport import WebhookTransport

TRANSPORTS: dict[str, type[Transport]] = {
    t.kind: t for t in (EmailTransport, TelegramTransport, WebhookTransport)
}

__all__ = ["TRANSPORTS", "Message", "Transport", "TransportError"]
