"""Webhook: a signed JSON POST (docs/alerts.md has the schema and how to verify).

``X-Openrig-Signature: t=<unix time>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>``
and ``Idempotency-Key: <notification id>`` (the same on every retry).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from typing import Any, ClassVar

import httpx

from openrig.alerts.channels.base import Message, Transport, TransportError
from openrig.alerts.channels.webhook.netcheck import check_url
from openrig.core.errors import Invalid
from openrig.settings import Settings

TIMEOUT_S = 10.0
PERMANENT_STATUSES = frozenset({400, 401, 403, 404, 405, 410, 413, 422})


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


class WebhookTransport(Transport):
    kind: ClassVar[str] = "webhook"
    secret_keys: ClassVar[tuple[str, ...]] = ("secret",)

    @classmethod
    def check_config(cls, settings: Settings, config: dict[str, Any]) -> dict[str, Any]:
        unknown = set(config) - {"url", "secret"}
        if unknown:
            raise Invalid.at(f"config.{sorted(unknown)[0]}", "unknown setting")
        url = check_url(config.get("url"), allow_private=settings.webhook_allow_private)
        secret = config.get("secret") or "whsec_" + secrets.token_urlsafe(32)
        if not isinstance(secret, str) or not 16 <= len(secret) <= 200:
            raise Invalid.at("config.secret", "16 to 200 characters (or leave it out)")
        return {"url": url, "secret": secret}

    def send(self, message: Message) -> None:
        # Checked again at send time: DNS may have changed since the channel was made.
        try:
            check_url(self.config["url"], allow_private=self.settings.webhook_allow_private)
        except Invalid as exc:
            raise TransportError(exc.message, permanent=True) from None
        body = json.dumps(message.payload, separators=(",", ":")).encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "openrig-alerts/1",
            "Idempotency-Key": message.id,
            "X-Openrig-Signature": sign(self.config["secret"], int(time.time()), body),
        }
        try:
            response = httpx.post(
                self.config["url"], content=body, headers=headers, timeout=TIMEOUT_S
            )
        except httpx.HTTPError as exc:
            raise TransportError(
                f"webhook unreachable: {type(exc).__name__}", permanent=False
            ) from None
        _check(response)


def _check(response: httpx.Response) -> None:
    status = response.status_code
    if 200 <= status < 300:
        return
    text = f"webhook answered HTTP {status}"
    if 300 <= status < 400:
        raise TransportError(text + " (redirects are not followed)", permanent=True)
    if status in PERMANENT_STATUSES:
        raise TransportError(text, permanent=True)
    retry = response.headers.get("Retry-After", "")
    delay = float(retry) if retry.isdigit() else None
    raise TransportError(text, permanent=False, retry_after_s=delay)
