"""The calculator in a real browser (Debian's chromium): rows added and results shown without reload."""

from __future__ import annotations

import os
import shutil

import pytest

from hoanhap.access.roles import Role
from hoanhap.core.testing import THOAI_SON, make_user, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.access(path, os.X_OK):
        pytest.skip("Debian's chromium is not installed.")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        yield browser
        browser.close()


@pytest.fixture
def officer_page(browser, live_server, client, transactional_db):
    """A phone-sized page signed in as a commune officer (session made by the test client, 2FA verified)."""
    from hoanhap.geo.loader import load_geo

    load_geo()  # a transactional test before this one may have flushed the units
    sign_in(client, make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON))
    context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
            {"name": "django_language", "value": "en", "url": live_server.url},
        ]
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    failures: list[str] = []
    page.on(
        "response",
        lambda r: (
            failures.append(f"{r.status} {r.url}") if r.status >= 400 and "favicon" not in r.url else None
        ),
    )
    page.goto(live_server.url + "/justice/calculator/")
    yield page, failures
    context.close()


def test_expungement_with_rows_without_reload(officer_page):
    """Add a residence-ban row and a new-conviction row, work out the date: the result appears in place."""
    page, failures = officer_page
    page.evaluate("() => { window.notReloaded = true; }")
    assert page.input_value("#id_exp-penalty_type") == "imprisonment"
    page.fill("#id_exp-years", "2")
    page.fill("#id_exp-completed_on", "15/03/2020")
    page.fill("#id_exp-obligations_completed_on", "15/03/2020")
    page.check("#id_exp-chapters_3")  # XVI
    page.get_by_role("button", name="Add an additional penalty").click()
    page.wait_for_selector("#id_additional-0-type")
    page.get_by_role("button", name="Add an additional penalty").click()
    page.wait_for_selector("#id_additional-1-type")
    assert page.input_value("#id_additional-TOTAL_FORMS") == "2"
    page.select_option("#id_additional-0-type", "residence_ban")
    page.fill("#id_additional-0-completed_on", "10/01/2023")
    page.locator("#rows-additional .formset-row").nth(1).get_by_role("button", name="Remove").click()
    page.get_by_role("button", name="Add a new conviction").click()
    page.fill("#id_conviction-0-offence_committed_on", "01/01/2021")
    page.fill("#id_conviction-0-main_penalty_completed_on", "01/06/2021")
    page.get_by_role("button", name="Work out the date").click()
    result = page.wait_for_selector("#result-expungement")
    assert "01/06/2023" in result.inner_text()
    assert page.locator("#rows-additional .formset-row").count() == 1  # the removed row stays removed
    assert page.evaluate("() => window.notReloaded") is True
    assert failures == []


def test_conditional_release_tab(officer_page):
    page, failures = officer_page
    page.get_by_role("tab", name="Conditional release").click()
    page.fill("#id_rel-years", "7")
    page.fill("#id_rel-served_from", "10/01/2020")
    page.get_by_role("button", name="Work out the dates").click()
    result = page.wait_for_selector("#result-release")
    assert "10/07/2023" in result.inner_text()
    assert failures == []
