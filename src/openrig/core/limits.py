"""Request body size limit as pure ASGI middleware (works for streamed bodies too)."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from openrig.core.errors import error_body


class BodySizeLimit:
    """Answer 413 when the body exceeds ``limit`` bytes, by header or by counting."""

    def __init__(self, app: ASGIApp, limit: int, overrides: dict[str, int] | None = None) -> None:
        self.app = app
        self.limit = limit
        self.overrides = overrides or {}

    def _limit_for(self, path: str) -> int:
        for prefix, limit in self.overrides.items():
            if path.startswith(prefix):
                return limit
        return self.limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit_for(scope.get("path", ""))
        declared = _content_length(scope)
        if declared is not None:
            # The HTTP server never hands over more than the declared length, so a
            # declared body within the limit needs no counting (the common, cheap case).
            if not declared.isdigit() or int(declared) > limit:
                await _send_413(send, limit)
            else:
                await self.app(scope, receive, send)
            return
        await self._counted(scope, receive, send, limit)

    async def _counted(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """A body of unknown length (chunked): count it as it arrives. Past the limit,
        answer 413 at once and tell the app the client left (frameworks turn an
        exception raised while they read the body into their own 400)."""
        received = 0
        rejected = False
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received, rejected
            if rejected:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    rejected = True
                    if not response_started:
                        await _send_413(send, limit)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal response_started
            if rejected:
                return  # the 413 already went out; drop the app's late answer
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not rejected:
                raise


def _content_length(scope: Scope) -> bytes | None:
    for name, value in scope.get("headers") or ():
        if name == b"content-length":
            return bytes(value)
    return None


async def _send_413(send: Send, limit: int) -> None:
    body: dict[str, Any] = error_body("payload_too_large", f"request body exceeds {limit} bytes")
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
