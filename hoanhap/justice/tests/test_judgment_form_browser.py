"""The judgment form in a real browser (Debian's chromium): rows added in place, the offence select
searched as one types, and the saved judgment shown with its computed completion."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from hoanhap.access.roles import Role
from hoanhap.core.testing import THOAI_SON, make_user, sign_in
from hoanhap.justice.models import Judgment
from hoanhap.justice.tests.records import make_person
from hoanhap.justice.tests.test_calculator_browser import browser  # noqa: F401 - the shared fixture

pytestmark = pytest.mark.browser


@pytest.fixture
def form_page(browser, live_server, client, transactional_db):  # noqa: F811 - the fixture imported above
    from hoanhap.geo.loader import load_geo

    load_geo()  # a transactional test before this one may have flushed the units and the catalogue
    importlib.import_module("hoanhap.justice.migrations.0002_offence_catalogue").seed(apps, None)
    person = make_person()
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
    page.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(f"{live_server.url}/justice/people/{person.record_code}/judgments/new/")
    yield page, person, failures
    context.close()


def test_add_an_offence_by_searching_and_save(form_page):
    page, person, failures = form_page
    page.fill("#id_court_name", "Tòa án nhân dân huyện Thoại Sơn")
    page.fill("#id_judgment_number", "5/2018/HS-ST")
    page.fill("#id_judgment_date", "20/03/2018")
    page.fill("#id_offence_committed_on", "02/01/2018")
    page.fill("#id_main_penalty_years", "2")
    page.fill("#id_main_penalty_started_on", "03/01/2018")
    page.get_by_role("button", name="Add an offence").click()
    page.wait_for_selector("#id_offence-0-offence")
    assert page.input_value("#id_offence-TOTAL_FORMS") == "1"
    page.get_by_placeholder("Search: article number or words of the name").fill("cuop giat")
    page.wait_for_function(
        "document.querySelectorAll('#id_offence-0-offence option').length === 2"
    )  # the blank choice and Art. 171, selected
    page.fill("#id_offence-0-clause", "1")
    page.get_by_role("button", name="Add an obligation").click()
    page.wait_for_selector("#id_obligation-0-kind")
    page.get_by_role("button", name="Remove").last.click()  # changed my mind: no obligation
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/justice/judgments/*/")
    judgment = Judgment.objects.get(person=person)
    assert [line.offence.article for line in judgment.offences.all()] == [171]
    assert not judgment.obligations.exists()
    assert "03/01/2020" in page.content()  # 2 years from 03/01/2018, worked out
    assert failures == []
