"""The look-up page in a real browser (Debian's chromium), phone-sized: results appear as one types."""

from __future__ import annotations

import os
import shutil

import pytest

from hoanhap.core.testing import make_user, sign_in

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
def lookup_page(browser, live_server, client, transactional_db):
    """A phone-sized page on /geo/ for a signed-in user without any role."""
    from hoanhap.geo.loader import load_geo

    load_geo()  # a transactional test before this one may have flushed the units
    sign_in(client, make_user(None))
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
    page.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(live_server.url + "/geo/")
    yield page, failures
    context.close()


def test_typing_a_legacy_address_shows_the_current_commune_without_reload(lookup_page):
    """Type an old address: the current commune, the old path and then split flags appear in place."""
    page, failures = lookup_page
    page.evaluate("() => { window.notReloaded = true; }")
    page.fill("#id_q", "TT Núi Sập, H. Thoại Sơn, T. An Giang")
    page.wait_for_selector("#geo-results a[href='/geo/communes/30682/']")
    assert "Thị trấn Núi Sập" in page.inner_text("#geo-results")
    page.fill("#id_q", "Xã Phước Hưng, An Phú, An Giang")
    page.wait_for_selector("#geo-results a[href='/geo/communes/30352/']")
    assert page.locator("#geo-results .badge").count() == 3
    assert page.evaluate("() => window.notReloaded") is True
    assert "q=" in page.url  # the search is in the address bar, so it can be shared
    page.click("#geo-results a[href='/geo/communes/30352/']")
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == "Xã Phú Hữu"
    assert failures == []
