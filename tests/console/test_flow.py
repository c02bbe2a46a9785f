"""The console end to end, in a real browser against a real server with simulated rigs:
sign up → create a farm → enroll simulated rigs → see them live → put them in a group
(bulk, confirmed) → give the group a flight sheet and see the rigs' config versions
change → queue a reboot and see its result → a firing alert → download rig.conf."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from playwright.sync_api import expect

from openrig.core.db import Database
from openrig.simulator.runner import Options, run
from tests.console.browser import DESKTOP, Tab, open_tab
from tests.console.seed import run_alerts
from tests.support.live import serve
from tests.support.rigs import enroll_rig

RIGS = 3


@contextmanager
def simulated_rigs(url: str, enroll_key: str) -> Iterator[None]:
    """RIGS simulated rigs reporting every second until the block ends."""
    loop = asyncio.new_event_loop()
    opts = Options(
        url=url, enroll_key=enroll_key, rigs=RIGS, gpus=2, interval_s=2.0, progress=False, seed=3
    )
    task = loop.create_task(run(opts))

    def drive() -> None:
        try:
            loop.run_until_complete(task)
        except asyncio.CancelledError:
            pass
        finally:
            loop.close()

    thread = threading.Thread(target=drive, name="simulated-rigs", daemon=True)
    thread.start()
    try:
        yield
    finally:
        loop.call_soon_threadsafe(task.cancel)
        thread.join(timeout=15)


def rig_versions(tab: Tab, farm_id: str) -> dict[str, str]:
    rigs = tab.page.evaluate(
        "id => fetch(`/api/v1/farms/${id}/rigs`).then(r => r.json())", farm_id
    )["items"]
    return {r["id"]: r["config_version"] for r in rigs}


def confirm(tab: Tab, button: str) -> None:
    tab.page.click(f"dialog[open] button[type=submit]:has-text('{button}')")
    tab.page.wait_for_selector("dialog[open]", state="detached")


def sign_up_and_create_farm(tab: Tab) -> str:
    tab.go("/")
    tab.page.click("text=Create an account")
    tab.page.fill("#field-email", "miner@example.com")
    tab.page.fill("#field-password", "a long enough password")
    tab.page.click("button:has-text('Sign up')")
    tab.page.fill("#field-name", "Home farm")
    tab.page.click("button:has-text('Create farm')")
    tab.page.wait_for_selector("text=No rigs in this farm yet")
    tab.shot("flow-empty-farm")
    return tab.page.url.split("#/farms/")[1]


def read_enroll_key(tab: Tab, farm_id: str) -> str:
    tab.go(f"/farms/{farm_id}/settings")
    tab.page.wait_for_selector("section[aria-label='Enrollment key'] button")
    if tab.page.locator("text=Issue a key").count():
        tab.page.click("text=Issue a key")
        confirm(tab, "Issue new key")
    tab.page.click("text=Show key")
    key = tab.page.input_value("#enroll-key")
    assert key.startswith("ore_")
    return str(key)


def test_console_flow(
    browser: Any, app: FastAPI, database: Database, rig_http: Any, tmp_path: Path
) -> None:
    with serve(app) as base:
        tab = open_tab(browser, base, DESKTOP)
        farm_id = sign_up_and_create_farm(tab)
        key = read_enroll_key(tab, farm_id)
        with simulated_rigs(base, key):
            # Live: the rigs appear online without a reload (the dashboard polls).
            tab.go(f"/farms/{farm_id}")
            # (expect(), not wait_for_function: the console's CSP refuses string eval.)
            expect(tab.page.locator("table.rigs tbody tr")).to_have_count(RIGS, timeout=30_000)
            tab.page.wait_for_selector(f".stat:has-text('{RIGS} / {RIGS}')", timeout=30_000)

            # A group and a flight sheet.
            tab.page.click("nav.farmnav >> text=Groups")
            tab.page.fill("#field-new-group", "3070s")
            tab.page.click("button:has-text('Create group')")
            tab.page.wait_for_selector(".list-row:has-text('3070s')")
            tab.page.click("nav.farmnav >> text=Flight sheets")
            tab.page.fill("#field-sheet-name", "RVN")
            tab.page.select_option("#field-sheet-miner", "trex")
            tab.page.fill("#field-sheet-algo", "kawpow")
            tab.page.fill("#field-sheet-url", "stratum+tcp://rvn.pool.example:3333")
            tab.page.fill("#field-sheet-user", "RWALLET.{rig}")
            tab.page.click("button:has-text('Create flight sheet')")
            tab.page.wait_for_selector(".list-row:has-text('RVN')")

            # Select every rig → move to the group, after a confirmation. Rows are
            # patched in place, not rebuilt.
            tab.page.click("nav.farmnav >> text=Rigs")
            tab.page.wait_for_selector("table.rigs tbody tr")
            tab.page.evaluate(
                "window.rowsBefore = [...document.querySelectorAll('table.rigs tbody tr')]"
            )
            tab.page.check("input[aria-label='Select all rigs shown']")
            tab.page.select_option("#field-bulk-action", "group_id")
            tab.page.select_option("#field-bulk-value", label="3070s")
            tab.page.click("button:has-text('Apply…')")
            tab.page.wait_for_selector(f"dialog[open] >> text=on {RIGS} rigs?")
            tab.shot("flow-bulk-confirm")
            confirm(tab, "Apply")
            expect(tab.page.locator("td[data-label=Group]:text-is('3070s')")).to_have_count(RIGS)
            assert tab.page.evaluate("window.rowsBefore.every(row => row.isConnected)")

            # The group gets the flight sheet: every rig's config version changes.
            before = rig_versions(tab, farm_id)
            tab.page.click("nav.farmnav >> text=Groups")
            tab.page.click(".list-row:has-text('3070s') >> text=Config")
            tab.page.wait_for_selector("#field-group-sheet")
            tab.page.select_option("#field-group-sheet", label="RVN")
            tab.page.click("button:has-text('Save group config')")
            tab.page.wait_for_selector(f".toast:has-text('{RIGS} rigs affected')")
            after = rig_versions(tab, farm_id)
            assert set(after) == set(before)
            assert all(after[rig] != before[rig] for rig in before)

            # A rig: its config comes from the sheet; a reboot is queued and succeeds.
            rig_id = next(iter(after))
            tab.go(f"/rigs/{rig_id}")
            tab.page.wait_for_selector("table.sources >> text=flight sheet “RVN”")
            assert after[rig_id] in tab.page.inner_text("[data-config-version]")
            tab.page.click("#commands button:has-text('Reboot')")
            confirm(tab, "Reboot")
            tab.page.wait_for_selector(
                ".commands li:has-text('Reboot') .cmd-succeeded", timeout=30_000
            )
            tab.shot("flow-rig")

            # A firing alert (a rig event; the evaluator runs as the worker would).
            run_alerts(database)
            extra = enroll_rig(rig_http, key, hostname="rig-alerting")
            extra.post(
                "/events", json={"events": [{"kind": "watchdog_action", "message": "restarted"}]}
            )
            run_alerts(database, 5)
            tab.page.click("nav.farmnav >> text=Alerts")
            tab.page.wait_for_selector("[data-alert-id]:has-text('watchdog acted')")
            tab.shot("flow-alert")

        # rig.conf in one click (last: it replaces the simulated rig's token).
        tab.go(f"/rigs/{rig_id}")
        with tab.page.expect_download() as download:
            tab.page.click("text=Download rig.conf")
        conf = Path(download.value.path()).read_text()
        assert f"RIG_ID={rig_id}" in conf
        assert "RIG_TOKEN=orr_" in conf and "SERVER_URL=" in conf
        tab.assert_clean()
        tab.page.context.close()
