"""Playwright driving Debian's chromium (never a downloaded browser: no `playwright install`).

Without chromium (or the playwright package) the browser tests are skipped with a loud message,
except in CI (``CI=true``), where a missing browser is a failure: CI must run them.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BANNER = "=" * 78


def _unavailable(reason: str):
    message = f"\n{BANNER}\nBROWSER TESTS NOT RUN: {reason}\n{BANNER}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + "\nCI=true: the browser tests must run in CI.", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.access(path, os.X_OK):
        _unavailable("Debian's chromium is not installed (apt-get install chromium).")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright Python package is not installed.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Traffic:
    """Every request the page made, and every answer that was an error."""

    requests: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def foreign(self, origin: str) -> list[str]:
        """Requests to anything but the live server (data: and blob: URLs stay in the page)."""
        own = urlsplit(origin).netloc
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in {"data", "blob", "about"} and urlsplit(url).netloc != own
        ]

    def failed(self, request) -> None:
        """A request that got no answer, unless it is the favicon fetch the browser drops when a page is left.

        Chromium asks for the icon after the page has loaded; a test that moves on at once cancels it
        (``net::ERR_ABORTED``), which says nothing about the system.
        """
        if urlsplit(request.url).path == "/static/favicon.svg" and request.failure == "net::ERR_ABORTED":
            return
        self.failures.append(f"failed {request.url}")


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


@pytest.fixture
def page(browser, traffic, live_server):
    """A fresh desktop-sized page whose browser asks for Vietnamese, as the offices' browsers do."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("request", lambda request: traffic.requests.append(request.url))
    page.on("response", lambda r: traffic.failures.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("requestfailed", traffic.failed)
    yield page
    context.close()


@pytest.fixture
def geography(transactional_db):
    """The units: a transactional test before this one may have flushed them (loading is idempotent)."""
    from hoanhap.geo.loader import load_geo

    load_geo()
