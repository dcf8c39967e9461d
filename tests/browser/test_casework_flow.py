"""Case work and support for a person under management, through the pages, then what a helper sees.

One walk in a real browser (Debian's chromium, Vietnamese pages). The Thoại Sơn commune officer
(two factors at sign-in) opens the case file from the person page, assigns the commune's Women's
Union branch with its helper account, records a work need, a plan action answering it, a home visit
with a note helpers may read and a police-only note, then vocational training from the person
page's support panel; each step shows on the page. The helper then signs in with a password alone,
finds the person under "My people", reads the visit note and the support, and never meets the
police-only note nor the judgments; a person of the same commune not assigned to them is a 404.
Every request stays on the live server; the only error answers are those two expected 404s.
"""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoanhap.access.models import Organisation
from hoanhap.access.roles import Role
from hoanhap.casework.models import Contact, Need
from hoanhap.core.testing import AN_GIANG, THOAI_SON, make_organisation, make_user
from hoanhap.intake.testing import make_person

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-thu-123"
PLACE = (AN_GIANG, THOAI_SON)
TODAY = timezone.localdate()
VISIT_NOTE = "Gia đình ủng hộ, cần học nghề sửa xe."
POLICE_NOTE = "NGHIỆP VỤ: còn liên lạc với nhóm cũ ở bến xe."


def vi(msgid: str, **values) -> str:
    """The Vietnamese page text of an English msgid (formatted as the code does)."""
    with translation.override("vi"):
        text = translation.gettext(msgid)
    return text.format(**values) if values else text


def vi_label(choice) -> str:
    with translation.override("vi"):
        return str(choice.label)


def flat(texts: list[str]) -> list[str]:
    return [" ".join(text.split()) for text in texts]


@pytest.fixture
def support_catalogues(geography):
    """The seeded kinds and sources: a transactional test before this one may have flushed them."""
    seeding = importlib.import_module("hoanhap.support.migrations.0002_seed_catalogues")
    seeding.seed(django_apps, None)


@pytest.fixture
def cast(geography, support_catalogues):
    """The officer (with an authenticator), the Women's Union branch and its helper, two people."""
    officer = make_user(
        Role.COMMUNE_OFFICER.value, commune=THOAI_SON, username="cs_thoai_son", password=PASSWORD
    )
    TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    union = make_organisation(
        Organisation.Kind.WOMENS_UNION, province=AN_GIANG, commune=THOAI_SON, name="Hội LHPN xã Thoại Sơn"
    )
    helper = make_user(Role.HELPER.value, organisation=union, username="hoi_phu_nu_ts", password=PASSWORD)
    person = make_person(PLACE, full_name="Trần Văn Hòa", status="in_management")
    other = make_person(PLACE, full_name="Lý Thị Khác", status="in_management")
    return officer, union, helper, person, other


def sign_in(page, live_server, user, *, second_factor: bool) -> None:
    """Password, then (police roles only) the TOTP code; ends on the home page."""
    page.goto(live_server.url + reverse("access:login"))
    page.locator("main form input[name=username]").fill(user.username)
    page.locator("main form input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    asked_for_code = page.url.startswith(live_server.url + reverse("access:otp-verify"))
    assert asked_for_code == second_factor, page.url
    if asked_for_code:
        device = TOTPDevice.objects.get(user=user)
        form = page.locator("main form:has(input[name=token])")
        form.locator("input[name=token]").fill(f"{TOTP(device.bin_key).token():06d}")
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
    assert page.url == live_server.url + reverse("core:home"), page.url


def save_form(page, form_selector: str, fields: dict[str, str], selects: dict[str, dict]) -> None:
    """Fill a form loaded as a page, post it (HTMX) and follow the redirect; no error may show."""
    form = page.locator(form_selector)
    form.wait_for()
    for name, option in selects.items():
        form.locator(f"select[name={name}]").select_option(**option)
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    url = page.url
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url != url, page.locator("main").inner_text()
    errors = page.locator("main .invalid-feedback, main .alert-danger")
    assert errors.count() == 0, errors.all_inner_texts()


def rows(page, testid: str) -> list[str]:
    return flat(page.get_by_test_id(testid).locator("li").all_inner_texts())


def test_officer_does_case_work_and_support_then_the_helper_sees_only_its_side(
    page, live_server, traffic, cast
):
    """Helper, need, plan, visit (+ police note), support on the pages; the helper sees all but the police side."""
    officer, union, helper, person, other = cast
    person_url = live_server.url + reverse("people:person-detail", args=[person.record_code])
    case_file_url = live_server.url + reverse("casework:case-file", args=[person.record_code])

    work, identified = vi_label(Need.Domain.WORK), vi_label(Need.Status.IDENTIFIED)
    home_visit = vi_label(Contact.Kind.HOME_VISIT)

    # The officer: two factors, then from the person page to the case file.
    sign_in(page, live_server, officer, second_factor=True)
    page.goto(person_url)
    assert page.get_by_test_id("person-judgments").count() == 1  # the police side sees the judgments
    page.get_by_test_id("casework-panel").locator(
        f"a[href='{reverse('casework:case-file', args=[person.record_code])}']"
    ).click()
    page.wait_for_load_state()
    assert page.url == case_file_url
    assert page.get_by_test_id("no-helper").count() == 1

    # 1. The Women's Union branch, with its helper's account.
    page.locator("#helpers a[href$='/helpers/new/']").click()
    save_form(
        page,
        "#casework-form form",
        {"helper_role": "Chi hội phụ nữ ấp"},
        {"organisation": {"value": str(union.pk)}, "user": {"value": str(helper.pk)}},
    )
    assert page.url == case_file_url
    assert any(union.name in row for row in rows(page, "helpers")), rows(page, "helpers")
    assert page.get_by_test_id("no-helper").count() == 0

    # 2. A need: work and skills, identified.
    page.locator("#needs a[href$='/needs/new/?domain=work']").click()
    save_form(page, "#casework-form form", {"description": "Chưa có nghề, muốn học sửa xe máy."}, {})
    work_row = next(row for row in rows(page, "needs") if row.startswith(work))
    assert identified in work_row, work_row
    assert "sửa xe máy" in work_row, work_row

    # 3. A plan action answering it.
    page.locator("#plan a[href$='/plan/new/']").click()
    due = (TODAY + dt.timedelta(days=30)).isoformat()
    save_form(
        page,
        "#casework-form form",
        {"description": "Đăng ký lớp sửa xe máy", "owner": union.name, "due_on": due},
        {"need": {"index": 1}},
    )
    plan = rows(page, "plan")
    assert len(plan) == 1, plan
    assert "Đăng ký lớp sửa xe máy" in plan[0], plan
    assert work in plan[0], plan

    # 4. A home visit: a note helpers may read, and a police-only note.
    page.locator("#contacts a[href$='/contacts/new/']").click()
    save_form(
        page,
        "#casework-form form",
        {
            "participants": "Cán bộ công an xã, chi hội phụ nữ",
            "observations": "Sống cùng mẹ.",
            "note": VISIT_NOTE,
            "police_note": POLICE_NOTE,
        },
        {"kind": {"value": "home_visit"}},
    )
    contacts = rows(page, "contacts")
    assert len(contacts) == 1, contacts
    assert home_visit in contacts[0], contacts
    assert VISIT_NOTE in contacts[0], contacts
    assert POLICE_NOTE not in contacts[0]
    assert any(POLICE_NOTE in row for row in rows(page, "police-notes")), rows(page, "police-notes")

    # 5. Vocational training, from the person page's support panel.
    page.goto(person_url)
    page.get_by_test_id("support-panel").locator("a[href*='/support/actions/new/']").click()
    page.wait_for_load_state()
    save_form(
        page,
        "#action-form form",
        {"value": "3500000", "description": "Học phí khóa sửa xe máy 3 tháng."},
        {
            "kind": {"label": "Đào tạo nghề"},
            "value_basis": {"value": "cash"},
            "funding_source": {"label": "Ngân sách nhà nước"},
            "provider": {"value": str(union.pk)},
        },
    )
    assert "/support/actions/" in page.url, page.url
    main = page.locator("main").inner_text()
    assert "Đào tạo nghề" in main, main
    assert "3.500.000 đ" in main, main
    page.goto(person_url)
    support = flat(page.get_by_test_id("support-panel").locator("tbody tr").all_inner_texts())
    assert len(support) == 1, support
    assert "Đào tạo nghề" in support[0], support
    assert "3.500.000 đ" in support[0], support
    officer_timeline = rows(page, "timeline")
    expected = [
        vi("Helper assigned: {name}.", name=union.name),
        "Đăng ký lớp sửa xe máy",  # the plan action
        vi("{kind} recorded.", kind=home_visit),
        vi("Police note recorded."),
        "Đào tạo nghề — 3.500.000 đ",
    ]
    for text in expected:
        assert any(text in entry for entry in officer_timeline), (text, officer_timeline)
    assert any(work in entry and identified in entry for entry in officer_timeline), officer_timeline

    # The helper: a password is enough (helpers do not see judgments, so no second factor).
    page.context.clear_cookies()
    sign_in(page, live_server, helper, second_factor=False)
    page.goto(live_server.url + reverse("casework:my-people"))
    mine = rows(page, "my-people")
    assert len(mine) == 1, mine  # not the other person of the commune
    assert person.full_name in mine[0], mine
    page.get_by_test_id("my-people").get_by_role("link", name=person.full_name).click()
    page.wait_for_load_state()
    assert page.url == case_file_url
    assert any(VISIT_NOTE in row for row in rows(page, "contacts")), rows(page, "contacts")
    assert any(union.name in row for row in rows(page, "helpers"))
    assert page.locator("#police-notes, #reviews").count() == 0
    assert POLICE_NOTE not in page.content()

    page.goto(person_url)
    assert page.get_by_test_id("person-judgments").count() == 0
    assert page.locator("#person-judgments").count() == 0
    assert "Đào tạo nghề" in page.get_by_test_id("support-panel").inner_text()
    helper_timeline = rows(page, "timeline")
    assert any(vi("{kind} recorded.", kind=home_visit) in entry for entry in helper_timeline), helper_timeline
    assert not any(vi("Police note recorded.") in entry for entry in helper_timeline), helper_timeline
    assert POLICE_NOTE not in page.content()

    # Not assigned, same commune: not found.
    hidden = [
        live_server.url + reverse("casework:case-file", args=[other.record_code]),
        live_server.url + reverse("people:person-detail", args=[other.record_code]),
    ]
    for url in hidden:
        assert page.goto(url).status == 404, url

    assert traffic.foreign(live_server.url) == []
    assert traffic.failures == [f"404 {url}" for url in hidden]
