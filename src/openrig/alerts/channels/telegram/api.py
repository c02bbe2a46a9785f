"""A minimal Telegram Bot API client. The token sits in the URL path, so error
messages are built from the answer only, never from the request URL."""

from __future__ import annotations

from typing import Any

import httpx

from openrig.alerts.channels.base import TransportError

TIMEOUT_S = 10.0


def call(base: str, token: str, method: str, body: dict[str, Any]) -> Any:
    """POST one Bot API method; the ``result`` or a ``TransportError``."""
    try:
        response = httpx.post(f"{base}/bot{token}/{method}", json=body, timeout=TIMEOUT_S)
    except httpx.HTTPError as exc:
        raise TransportError(
            f"Telegram unreachable: {type(exc).__name__}", permanent=False
        ) from None
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    if response.status_code == 200 and answer.get("ok"):
        return answer.get("result")
    raise classify(response.status_code, answer if isinstance(answer, dict) else {})


def classify(status: int, answer: dict[str, Any]) -> TransportError:
    """429 waits ``retry_after``; a blocked bot, a missing chat or a bad token are
    permanent; anything else (5xx, odd answers) is worth another try."""
    description = str(answer.get("description") or f"HTTP {status}")[:300]
    text = f"Telegram: {description}"
    if status == 429:
        params = answer.get("parameters") or {}
        retry = params.get("retry_after") if isinstance(params, dict) else None
        delay = float(retry) if isinstance(retry, int | float) else None
        return TransportError(text, permanent=False, retry_after_s=delay)
    lowered = description.lower()
    if status in (401, 403, 404) or (status == 400 and "chat not found" in lowered):
        return TransportError(text, permanent=True)
    return TransportError(text, permanent=False)
