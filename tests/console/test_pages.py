"""Every console page in a real browser at desktop (1280x800) and phone (360x740)
size: it renders, nothing scrolls sideways, no script error; a screenshot of each goes
to test-artifacts/screenshots/. Hostile rig and user strings show as text, never HTML."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi import FastAPI

from openrig.core.db import Database
from tests.console.browser import DESKTOP, PHONE, Tab, log_in, open_tab
from tests.console.seed import (
    HOSTILE_GPU,
    HOSTILE_NOTES,
    HOSTILE_PASS,
    HOSTILE_RIG,
    HOSTILE_WALLET,
    seed_farm,
)
from tests.support.actors import PASSWORD, Actors
from tests.support.live import serve

PUBLIC_PAGES = {
    "login": "/login",
    "signup": "/signup",
    "forgot-password": "/forgot-password",
    "reset-password": "/reset-password?token=example",
}


def farm_pages(seeded: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """name → (hash path, a selector that shows the page has its data)."""
    farm, rig = seeded["farm_id"], seeded["rigs"][0]
    return {
        "farms": ("/", ".tile"),
        "dashboard": (f"/farms/{farm}", "table.rigs tbody tr"),
        "rig": (f"/rigs/{rig}", "table.gpus tbody tr"),
        "groups": (f"/farms/{farm}/groups", ".list-row"),
        "group-config": (f"/farms/{farm}/groups/{seeded['group_id']}", "textarea"),
        "tags": (f"/farms/{farm}/tags", ".tag"),
        "flight-sheets": (f"/farms/{farm}/flight-sheets", ".list-row"),
        "oc-profiles": (f"/farms/{farm}/oc-profiles", ".list-row"),
        "farm-config": (f"/farms/{farm}/config", "textarea"),
        "history": (f"/farms/{farm}/history", ".history .list-row"),
        "alerts": (f"/farms/{farm}/alerts", "[data-alert-id]"),
        "settings": (f"/farms/{farm}/settings", "#enroll-key"),
        "account": ("/account", ".list-row"),
    }


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_every_page_renders_and_fits(
    size: str,
    browser: Any,
    app: FastAPI,
    actors: Actors,
    rig_http: Any,
    enroll_key: str,
    database: Database,
) -> None:
    seeded = seed_farm(actors, rig_http, enroll_key, database)
    with serve(app) as base:
        tab = open_tab(browser, base, PHONE if size == "phone" else DESKTOP)
        for name, path in PUBLIC_PAGES.items():
            tab.go(path)
            tab.page.wait_for_selector("main h1")
            tab.assert_no_horizontal_overflow(f"{size} {name}")
            tab.shot(f"{size}-{name}")
        log_in(tab, actors.owner.email, PASSWORD)
        for name, (path, ready) in farm_pages(seeded).items():
            tab.go(path)
            tab.page.wait_for_selector(ready)
            tab.page.wait_for_timeout(150)  # let late sections (charts, lists) settle
            tab.assert_no_horizontal_overflow(f"{size} {name}")
            tab.shot(f"{size}-{name}")
        tab.go(farm_pages(seeded)["alerts"][0])
        for alert_tab in ("Rules", "Channels", "Silences", "History"):
            tab.page.click(f"button[role=tab]:has-text('{alert_tab}')")
            tab.page.wait_for_selector(f"section[aria-label='{alert_tab}']")
            tab.assert_no_horizontal_overflow(f"{size} alerts {alert_tab}")
        tab.shot(f"{size}-alerts-history")
        tab.assert_clean()
        tab.page.context.close()


def _text_shown(tab: Tab, text: str) -> None:
    assert tab.page.get_by_text(text, exact=False).filter(visible=True).count() > 0, text


def test_hostile_strings_show_as_text_and_run_nothing(
    browser: Any,
    app: FastAPI,
    actors: Actors,
    rig_http: Any,
    enroll_key: str,
    database: Database,
) -> None:
    seeded = seed_farm(actors, rig_http, enroll_key, database)
    farm, rig = seeded["farm_id"], seeded["rigs"][0]
    with serve(app) as base:
        tab = open_tab(browser, base, DESKTOP)
        log_in(tab, actors.owner.email, PASSWORD)
        checks = {
            f"/farms/{farm}": ["table.rigs", [HOSTILE_RIG, "<b>row 1</b>"]],
            f"/rigs/{rig}": ["table.sources", [HOSTILE_RIG, HOSTILE_GPU, HOSTILE_NOTES]],
            f"/farms/{farm}/flight-sheets": [".list-row", ["RVN <i>main</i>"]],
            f"/farms/{farm}/alerts": ["[data-alert-id]", [HOSTILE_RIG]],
            f"/farms/{farm}/history": [".history .list-row", ["<b>row 1</b>"]],
        }
        for path, (ready, texts) in checks.items():
            tab.go(path)
            tab.page.wait_for_selector(ready)
            for text in texts:
                _text_shown(tab, text)
            # Not one element was built from the strings.
            for selector in ("img[src='x']", "main script", "svg[onload]", "main b", "main i"):
                assert tab.page.locator(selector).count() == 0, (path, selector)
        tab.go(f"/rigs/{rig}")
        tab.page.wait_for_selector("table.sources")
        # The pool list is one leaf, shown as JSON text: the wallet (with the rig's
        # hostile name substituted) and the password appear JSON-escaped, as text.
        sources = tab.page.locator("table.sources").inner_text()
        for hostile in (HOSTILE_WALLET.replace("{rig}", HOSTILE_RIG), HOSTILE_PASS):
            assert json.dumps(hostile)[1:-1] in sources
        tab.page.wait_for_timeout(300)  # an onerror handler would have run by now
        tab.assert_clean()
        tab.page.context.close()
