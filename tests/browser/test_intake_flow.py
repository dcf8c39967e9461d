"""A commune officer receives a person from the release notice to management, through the pages.

One walk in a real browser (Debian's chromium, Vietnamese pages) of the path of Circular 10/2024:
file a paper release notice, verify the residence, confirm a conditional early release, record the
reporting at the commune with its checklist, enter management once the probation has ended, and
classify. The steps are taken where an officer takes them — the person page's step buttons, whose
forms HTMX loads into place and whose success reloads the page — and after each one the person
page must show the new status and the new timeline entry. Every request stays on the live server
and none fails.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoanhap.access.roles import Role
from hoanhap.core.testing import THOAI_SON, make_user
from hoanhap.people.models import Person

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-thu-123"
TODAY = timezone.localdate()


def vietnamese(msgid) -> str:
    with translation.override("vi"):
        return str(translation.gettext(str(msgid)) if isinstance(msgid, str) else msgid)


def status_label(status: str) -> str:
    with translation.override("vi"):
        return str(Person.Status(status).label)


def iso(days_ago: int) -> str:
    return (TODAY - dt.timedelta(days=days_ago)).isoformat()


@pytest.fixture
def officer(geography):
    """The Thoại Sơn commune police officer, with a confirmed authenticator (two factors at sign-in)."""
    user = make_user(
        Role.COMMUNE_OFFICER.value, commune=THOAI_SON, username="cs_thoai_son", password=PASSWORD
    )
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def sign_in_with_code(page, live_server, user) -> None:
    page.goto(live_server.url + reverse("access:login"))
    page.locator("main form input[name=username]").fill(user.username)
    page.locator("main form input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.startswith(live_server.url + reverse("access:otp-verify")), page.url
    device = TOTPDevice.objects.get(user=user)
    token_form = page.locator("main form:has(input[name=token])")
    token_form.locator("input[name=token]").fill(f"{TOTP(device.bin_key).token():06d}")
    token_form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url == live_server.url + reverse("core:home"), page.url


def badges(page) -> list[str]:
    return [text.strip() for text in page.get_by_test_id("flags").locator(".badge").all_inner_texts()]


def timeline(page) -> list[str]:
    return [
        " ".join(text.split()) for text in page.get_by_test_id("timeline").locator("li").all_inner_texts()
    ]


def take_step(page, anchor: str, fields: dict[str, str], checks: tuple[str, ...] = ()) -> None:
    """Open a step from the person page (HTMX loads its form), fill it and save: the page reloads."""
    page.locator(f"#step-{anchor}").click()
    form = page.locator("#intake-step-area #step-form form")
    form.wait_for()
    for name, value in fields.items():
        field = form.locator(f"[name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    for name in checks:
        form.locator(f"input[name={name}]").check()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    errors = page.locator("#step-form .invalid-feedback, #step-form .alert-danger, #step-form .alert-warning")
    assert errors.count() == 0, errors.all_inner_texts()


def test_commune_officer_takes_a_person_from_notice_to_management(page, live_server, traffic, officer):
    """Notice → verified → released (conditional) → reported → under management → group B, on the pages."""
    sign_in_with_code(page, live_server, officer)

    # 1. A paper notice from the prison, typed in by the officer.
    page.goto(live_server.url + reverse("intake:notice-create"))
    form = page.locator("main form:has([name=full_name])")
    form.locator("[name=full_name]").fill("Huỳnh Văn Trở")
    form.locator("[name=sex]").select_option("male")
    form.locator("[name=birth_year]").fill("1990")
    form.locator("[name=expected_release_date]").fill(iso(40))
    form.locator("[name=release_kind]").select_option("conditional_release")
    form.locator("[name=commune]").select_option(str(THOAI_SON))
    form.locator("[name=address]").fill("Ấp Mới")
    form.locator("[name=reference]").fill("123/TB-TG")
    form.locator("[name=received_on]").fill(iso(100))
    form.locator("[name=sender_name]").fill("Trại giam Định Thành")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert re.search(r"/intake/notices/\d+/$", page.url), page.url
    assert "Huỳnh Văn Trở" in page.locator("h1").inner_text()

    # 2. The residence check, from the notice page.
    page.locator("main a[href$='/verify/']").click()
    page.wait_for_load_state()
    page.locator("#verify-form input[name=result][value=confirmed]").check()
    page.locator("#verify-form input[name=verified_on]").fill(iso(98))
    with page.expect_navigation():
        page.locator("#verify-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#verify-form .invalid-feedback").count() == 0
    page.locator(".breadcrumb a[href*='/intake/notices/']").last.click()
    page.wait_for_load_state()
    assert vietnamese("Residence confirmed") in page.locator("main").inner_text()

    # 3. From the notice to the person page (through the person's intake page).
    page.locator("main a[href*='/intake/people/']").first.click()
    page.wait_for_load_state()
    page.locator(".breadcrumb a[href*='/people/']").first.click()
    page.wait_for_load_state()
    record_code = re.search(r"/people/(\d{2,3}-\d+)/$", page.url).group(1)
    assert page.locator("h1").inner_text() == "Huỳnh Văn Trở"
    assert status_label("notified") in badges(page)
    entries = timeline(page)
    assert any(vietnamese("Residence verified and confirmed.") in e for e in entries), entries
    assert any("Trại giam Định Thành" in e for e in entries), entries

    # 4. The release, conditional, whose probation has ended.
    take_step(
        page,
        "release",
        {
            "release_date": iso(40),
            "kind": "conditional_release",
            "certificate": "45/GCN",
            "probation_ends_on": iso(5),
        },
    )
    assert status_label("released") in badges(page)
    assert len(timeline(page)) == len(entries) + 1
    entries = timeline(page)

    # 5. The reporting at the commune, with the checklist.
    take_step(
        page,
        "reception",
        {"reported_on": iso(38), "notes": "Đến cùng mẹ."},
        checks=("commitment_signed", "residence_registration_done", "wants_job_info"),
    )
    assert status_label("received") in badges(page)
    assert any(vietnamese("Reported at the commune; reception record made.") in e for e in timeline(page))

    # 6. Probation over: under management.
    take_step(page, "enter", {"entered_on": iso(0)})
    assert status_label("in_management") in badges(page)
    assert vietnamese("Entered reintegration management.") in timeline(page)[0]

    # 7. Classification.
    take_step(page, "classify", {"group": "B", "reasons": "Chưa có việc làm ổn định.", "decided_on": iso(0)})
    with translation.override("vi"):
        group_badge = translation.gettext("Group %(group)s") % {"group": "B"}
    assert status_label("in_management") in badges(page)
    assert group_badge in badges(page)
    assert len(timeline(page)) == len(entries) + 3  # reported, entered management, classified

    # The intake page lists the reception and its forms.
    page.goto(live_server.url + reverse("intake:person", args=[record_code]))
    assert page.locator("main a[href$='/hcd-05.pdf']").count() == 1
    person = Person.objects.get(record_code=record_code)
    assert (person.status, person.classification, person.commune_id) == ("in_management", "B", THOAI_SON)
    assert traffic.foreign(live_server.url) == []
    assert traffic.failures == []
