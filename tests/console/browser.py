"""Playwright helpers for the console's browser tests: Debian's chromium (never
``playwright install``), pages that record JS dialogs and errors, screenshots, and the
phone-size overflow check."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
# The console asks /auth/me first; a logged-out 401 is expected, not an error.
EXPECTED_CONSOLE = re.compile(r"status of 401")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - depends on the environment
        require(False, "playwright (pip install -e '.[dev]')")
        raise
    require(CHROMIUM.exists(), f"chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Tab:
    """A page plus what it recorded: JS dialogs (alert/confirm) and errors."""

    page: Any
    base: str
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def go(self, hash_path: str) -> None:
        self.page.goto(f"{self.base}/#{hash_path}")

    def shot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    def assert_no_horizontal_overflow(self, where: str) -> None:
        widths = self.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{where}: page scrolls sideways ({widths[0]} > {widths[1]})"

    def assert_clean(self) -> None:
        assert self.dialogs == [], f"a script opened a dialog: {self.dialogs}"
        assert self.errors == [], f"errors in the page: {self.errors}"


def open_tab(browser: Any, base: str, viewport: dict[str, int]) -> Tab:
    context = browser.new_context(viewport=viewport, accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    tab = Tab(page, base)

    def on_dialog(dialog: Any) -> None:
        tab.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_console(message: Any) -> None:
        if message.type == "error" and not EXPECTED_CONSOLE.search(message.text):
            tab.errors.append(message.text)

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda exc: tab.errors.append(str(exc)))
    page.on("console", on_console)
    return tab


def log_in(tab: Tab, email: str, password: str) -> None:
    tab.go("/login")
    tab.page.fill("#field-email", email)
    tab.page.fill("#field-password", password)
    tab.page.click("button[type=submit]")
    tab.page.wait_for_selector("h1:has-text('Your farms')")
