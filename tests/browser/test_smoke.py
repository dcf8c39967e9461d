"""Smoke tests in a real browser: sign in, Vietnamese first, English one click away, nothing from outside.

Driven through Debian's chromium against pytest-django's live server (static files served by the
staticfiles handler, as in production by WhiteNoise). Every request the page makes is recorded:
all must go to the live server, and none may fail.
"""

from __future__ import annotations

import base64
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django_otp.oath import TOTP

from hoanhap.access.models import Organisation
from hoanhap.access.roles import Role
from hoanhap.core.testing import THOAI_SON, make_organisation, make_user

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-thu-123"


def vietnamese(msgid: str) -> str:
    with translation.override("vi"):
        return translation.gettext(msgid)


def sign_in(page, live_server, username: str) -> None:
    page.goto(live_server.url + reverse("access:login"))
    page.locator("main form input[name=username]").fill(username)
    page.locator("main form input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def assert_assets_loaded(page) -> None:
    """Bootstrap's CSS and JS and htmx came from /static/ and work."""
    assert page.evaluate("() => getComputedStyle(document.querySelector('nav.navbar')).display") == "flex"
    assert page.evaluate("() => typeof window.bootstrap") == "object"
    assert page.evaluate("() => typeof window.htmx") == "object"


def open_user_menu(page):
    page.locator("nav .dropdown > button.dropdown-toggle").click()
    return page.locator("nav .dropdown-menu")


def test_sign_in_lands_on_vietnamese_home_and_switches_to_english(page, live_server, traffic, geography):
    """A helper signs in, sees the home page in Vietnamese, switches to English; all assets are local."""
    organisation = make_organisation(Organisation.Kind.WOMENS_UNION, commune=THOAI_SON)
    make_user(Role.HELPER.value, organisation=organisation, username="hoi_phu_nu", password=PASSWORD)

    sign_in(page, live_server, "hoi_phu_nu")

    assert page.url == live_server.url + reverse("core:home")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_test_id("switch-en").is_visible()
    assert page.get_by_test_id("switch-en").inner_text() == "English"
    assert_assets_loaded(page)
    sign_out_vi = vietnamese("Sign out")
    menu = open_user_menu(page)
    assert menu.get_by_role("button", name=sign_out_vi).is_visible()
    if sign_out_vi == "Sign out":
        pytest.fail(
            "the Vietnamese catalogue is not compiled (make test compiles it): the page stays in English"
        )

    page.get_by_test_id("switch-en").click()
    page.wait_for_load_state()

    assert page.url == live_server.url + reverse("core:home")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_test_id("switch-vi").is_visible()
    assert open_user_menu(page).get_by_role("button", name="Sign out").is_visible()
    assert traffic.foreign(live_server.url) == []
    assert traffic.failures == []


def test_commune_officer_sets_up_two_factor_on_first_sign_in(page, live_server, traffic, geography):
    """A role that sees judgments is sent to the TOTP enrolment; a code from the shown key lets them in."""
    make_user(Role.COMMUNE_OFFICER.value, commune=THOAI_SON, username="cong_an_xa", password=PASSWORD)

    sign_in(page, live_server, "cong_an_xa")

    assert page.url.startswith(live_server.url + reverse("access:otp-setup"))
    assert page.get_by_test_id("otp-qr").locator("svg").count() == 1
    secret = re.sub(r"\s+", "", page.get_by_test_id("otp-secret").inner_text())
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.locator("main form input[name=token]").fill(f"{TOTP(key).token():06d}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    assert page.url == live_server.url + reverse("core:home")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_text(vietnamese("Commune police officer")).first.is_visible()
    assert traffic.foreign(live_server.url) == []
    assert traffic.failures == []
