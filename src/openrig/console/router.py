"""Serve the web console: ``/`` answers index.html, ``/console/…`` the static files.

Every console answer carries a strict Content-Security-Policy (scripts and styles from
this origin only, no inline code, no framing) and the usual hardening headers; API
answers are left alone. The console builds its DOM from API responses with text nodes
only, so rig- and user-provided strings never become HTML.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

STATIC_DIR = Path(__file__).parent / "static"
ASSETS_PREFIX = "/console"

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
# Files are not content-hashed, so browsers revalidate (ETag / Last-Modified) each load.
NO_CACHE = (b"cache-control", b"no-cache")

router = APIRouter(include_in_schema=False)


@router.api_route("/", methods=["GET", "HEAD"])
def index() -> FileResponse:
    """The console's single page; routing happens in the URL fragment (``#/farms/…``)."""
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html")


def is_console_path(path: str) -> bool:
    return path == "/" or path == ASSETS_PREFIX or path.startswith(ASSETS_PREFIX + "/")


class ConsoleSecurityHeaders:
    """ASGI middleware adding the CSP and hardening headers to console answers only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_console_path(scope["path"]):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in SECURITY_HEADERS} | {NO_CACHE[0]}
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message["headers"] = [*kept, *SECURITY_HEADERS, NO_CACHE]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install(app: FastAPI) -> None:
    """Mount the console on ``app``: the index route, the static files, the headers."""
    app.include_router(router)
    app.mount(ASSETS_PREFIX, StaticFiles(directory=STATIC_DIR), name="console")
    app.add_middleware(ConsoleSecurityHeaders)
