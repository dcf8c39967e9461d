"""POST /api/v1/justice/rules/…: same JSON as the command, same answer; judgment capability needed."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from hoanhap.access.models import Organisation
from hoanhap.access.roles import Role
from hoanhap.core.testing import THOAI_SON, make_organisation, make_user, sign_in
from hoanhap.justice.tests.cases import case

pytestmark = pytest.mark.django_db

EXPUNGEMENT = "justice-rules-expungement"


@pytest.fixture
def officer_client(client):
    sign_in(client, make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON))
    return client


def post(client, name, data, query=""):
    return client.post(
        reverse(name) + query, json.dumps(data), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )


def test_officer_gets_the_same_answer_as_the_command(officer_client, tmp_path):
    """Same JSON in, the same answer out, to the letter (the installation language is Vietnamese)."""
    data = case(months=66, additional=[("residence_ban", "2024-01-01")], convictions=[("2022-01-01", None)])
    response = post(officer_client, EXPUNGEMENT, data)
    assert response.status_code == 200
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data))
    out = io.StringIO()
    call_command("rules", "expungement", "--input", str(path), "--json", stdout=out)
    assert response.json() == json.loads(out.getvalue())
    assert response.json()["blocked_by"] == ["new_conviction"]


def test_explain_query_adds_the_explanation(officer_client):
    body = post(officer_client, EXPUNGEMENT, case(years=2), "?explain=true").json()
    assert body["eligible_on"] == "2022-03-15"
    assert any("15/03/2020" in line for line in body["explanation"])
    assert "explanation" not in post(officer_client, EXPUNGEMENT, case(years=2)).json()


def test_invalid_case_is_400_naming_the_field(officer_client):
    data = case(years=2)
    data["chapters"] = [12]
    response = post(officer_client, EXPUNGEMENT, data)
    assert response.status_code == 400
    assert response.json()["field"] == "chapters[0]"


def test_recidivism_and_conditional_release_endpoints(officer_client):
    rec = post(
        officer_client,
        "justice-rules-recidivism",
        {
            "prior_convictions": [{"severity": "serious", "intent": "intentional", "was_recidivism": True}],
            "new_offence": {"severity": "less_serious", "intent": "intentional"},
        },
    )
    assert (rec.status_code, rec.json()["classification"]) == (200, "dangerous_recidivism")
    rel = post(
        officer_client,
        "justice-rules-conditional-release",
        {"term": {"years": 10}, "served_from": "2018-05-10", "group": "protected"},
    )
    assert (rel.status_code, rel.json()["eligible_on"]) == (200, "2021-09-10")
    bad = post(officer_client, "justice-rules-conditional-release", {"term": {"years": 10}})
    assert (bad.status_code, bad.json()["field"]) == (400, "served_from")


@pytest.mark.parametrize(
    "name", [EXPUNGEMENT, "justice-rules-recidivism", "justice-rules-conditional-release"]
)
def test_helper_without_judgment_capability_is_refused(client, name):
    """A helper (mass organisation) does not see judgment data: 403 on every rule endpoint."""
    helper = make_user(Role.HELPER, organisation=make_organisation(Organisation.Kind.WOMENS_UNION))
    sign_in(client, helper)
    assert post(client, name, case(years=2)).status_code == 403


def test_anonymous_is_refused(client):
    assert post(client, EXPUNGEMENT, case(years=2)).status_code in {401, 403}


def test_get_is_not_allowed(officer_client):
    assert officer_client.get(reverse(EXPUNGEMENT)).status_code == 405
