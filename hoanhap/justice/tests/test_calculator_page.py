"""The calculator page /justice/calculator/: HTMX panels, rows, results; judgment capability needed."""

import pytest
from django.urls import reverse

from hoanhap.access.models import Organisation
from hoanhap.access.roles import Role
from hoanhap.core.testing import THOAI_SON, make_organisation, make_user, sign_in

pytestmark = pytest.mark.django_db

URL = "/justice/calculator/"


@pytest.fixture
def officer(client):
    user = make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON)
    sign_in(client, user)
    client.cookies["django_language"] = "en"  # texts checked in English (the msgids)
    return client


def htmx_post(client, data):
    return client.post(URL, data, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en")


def expungement_form(**overrides):
    data = {
        "calculator": "expungement",
        "exp-penalty_type": "imprisonment",
        "exp-years": "2",
        "exp-months": "",
        "exp-days": "",
        "exp-completed_on": "15/03/2020",
        "exp-chapters": ["16"],
        "exp-obligations_completed_on": "15/03/2020",
        "additional-TOTAL_FORMS": "0",
        "additional-INITIAL_FORMS": "0",
        "conviction-TOTAL_FORMS": "0",
        "conviction-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_url_name():
    assert reverse("justice:calculator") == URL


def test_page_shows_the_three_calculators(officer):
    response = officer.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    for panel in ("panel-expungement", "panel-recidivism", "panel-release"):
        assert f'id="{panel}"' in html
    assert 'hx-post="/justice/calculator/"' in html
    assert "dd/mm/yyyy" in html


def test_helper_without_judgment_capability_gets_403(client):
    helper = make_user(Role.HELPER, organisation=make_organisation(Organisation.Kind.WOMENS_UNION))
    sign_in(client, helper)
    assert client.get(URL).status_code == 403
    assert client.post(URL, expungement_form()).status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_htmx_post_returns_the_panel_with_the_date(officer):
    response = htmx_post(officer, expungement_form())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="panel-expungement"' in html
    assert 'data-status="eligible_date_known"' in html
    assert "15/03/2022" in html
    assert "70(2)(b)" in html


def test_rows_of_additional_penalties_and_new_convictions_are_used(officer):
    data = expungement_form(
        **{
            "additional-TOTAL_FORMS": "3",
            "additional-0-type": "residence_ban",
            "additional-0-completed_on": "10/01/2023",
            "additional-1-type": "",
            "additional-1-completed_on": "",  # an untouched row is skipped
            # row 2 was removed in the browser: its fields are absent
            "conviction-TOTAL_FORMS": "1",
            "conviction-0-offence_committed_on": "01/01/2030",
            "conviction-0-main_penalty_completed_on": "",
        }
    )
    html = htmx_post(officer, data).content.decode()
    assert 'data-status="eligible_date_known"' in html
    assert "10/01/2023" in html
    assert 'name="additional-0-type"' in html
    assert 'name="additional-1-type"' not in html


def test_unfinished_rows_block(officer):
    data = expungement_form(
        **{
            "exp-obligations_completed_on": "",
            "additional-TOTAL_FORMS": "1",
            "additional-0-type": "probation_supervision",
            "additional-0-completed_on": "",
        }
    )
    html = htmx_post(officer, data).content.decode()
    assert 'data-status="blocked"' in html
    assert "court fees, compensation or other decisions of the judgment still owed" in html
    assert "an additional penalty not yet completed" in html


def test_court_route_is_shown(officer):
    html = htmx_post(officer, expungement_form(**{"exp-chapters": ["13", "16"]})).content.decode()
    assert 'data-status="court_decision_required"' in html
    assert "15/03/2023" in html


def test_form_errors_are_shown_without_a_result(officer):
    html = htmx_post(
        officer, expungement_form(**{"exp-completed_on": "2020-13-45", "exp-chapters": []})
    ).content.decode()
    assert "invalid-feedback" in html
    assert "data-status" not in html


def test_rule_refusal_is_shown_as_an_error(officer):
    """The form reads dates; the rule refuses a new penalty completed before the new offence."""
    data = expungement_form(
        **{
            "conviction-TOTAL_FORMS": "1",
            "conviction-0-offence_committed_on": "01/05/2021",
            "conviction-0-main_penalty_completed_on": "30/04/2021",
        }
    )
    html = htmx_post(officer, data).content.decode()
    assert "alert-danger" in html
    assert "new_convictions[0].main_penalty_completed_on" in html


def test_plain_post_renders_the_whole_page_on_the_right_tab(officer):
    data = {
        "calculator": "release",
        "rel-years": "7",
        "rel-served_from": "10/01/2020",
        "rel-group": "general",
    }
    response = officer.post(URL, data, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert "<html" in html
    assert 'id="tab-release" role="tabpanel"' in html
    assert 'fade show active" id="tab-release"' in html
    assert 'data-eligible-on="2023-07-10"' in html
    assert "10/01/2027" in html  # end of the term


def test_recidivism_panel(officer):
    data = {
        "calculator": "recidivism",
        "rec-severity": "very_serious",
        "rec-intent": "intentional",
        "prior-TOTAL_FORMS": "2",
        "prior-INITIAL_FORMS": "0",
        "prior-0-severity": "particularly_serious",
        "prior-0-intent": "intentional",
        "prior-1-severity": "",
        "prior-1-intent": "intentional",  # untouched row
    }
    html = htmx_post(officer, data).content.decode()
    assert 'data-classification="dangerous_recidivism"' in html
    assert "53(2)(a)" in html


def test_add_row_returns_one_row_and_raises_the_total(officer):
    response = officer.get(URL, {"row": "additional", "additional-TOTAL_FORMS": "2"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'name="additional-2-type"' in html
    assert 'id="id_additional-TOTAL_FORMS"' in html
    assert 'value="3"' in html
    assert 'hx-swap-oob="true"' in html
    prior = officer.get(
        URL, {"row": "prior", "prior-TOTAL_FORMS": "x"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'name="prior-0-severity"' in prior


def test_unknown_calculator_is_a_bad_request(officer):
    assert officer.post(URL, {"calculator": "nothing"}).status_code == 400


def test_page_and_result_render_in_vietnamese(officer):
    """The installation language (Vietnamese) renders the page and a result without error."""
    assert officer.get(URL).status_code == 200
    response = officer.post(URL, expungement_form(**{"exp-chapters": ["13"]}), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-status="court_decision_required"' in html
    assert "15/03/2023" in html
