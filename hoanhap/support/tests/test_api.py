"""/api/v1/support/: scoped reads, writes through the services, eligibility, Form 01."""

import datetime as dt

import pytest

from hoanhap.core.testing import sign_in
from hoanhap.support.models import Child, Form01List, PolicyBankReferral, SupportAction
from hoanhap.support.testing import make_action, make_child

from .conftest import ELSEWHERE, PLACE

pytestmark = pytest.mark.django_db

API = "/api/v1/support/"


@pytest.fixture
def api(client, officer):
    sign_in(client, officer)
    return client


def post(client, url, data):
    return client.post(url, data=data, content_type="application/json")


def test_catalogues_are_listed_with_the_seeded_codes(api):
    codes = [row["code"] for row in api.get(API + "kinds/").json()["results"]]
    assert "policy_bank_loan" in codes
    assert "gift_in_kind" in codes
    assert len(codes) == 16
    sources = [row["code"] for row in api.get(API + "sources/").json()["results"]]
    assert sources == ["state_budget", "prison_fund", "revolving_fund", "policy_bank", "donors", "other"]


def test_actions_are_scoped_and_filtered(api, person):
    mine = make_action(PLACE, person=person, kind="gift_in_kind", item="Xe đạp")
    make_action(PLACE, person=person)
    make_action(ELSEWHERE)
    rows = api.get(API + "actions/", {"kind": "gift_in_kind"}).json()["results"]
    assert [r["id"] for r in rows] == [mine.pk]
    assert rows[0]["person"]["record_code"] == person.record_code
    assert rows[0]["beneficiary_type"] == "person"
    assert api.get(API + "actions/").json()["count"] == 2


def test_recording_support_and_a_follow_up(api, person):
    response = post(
        api,
        API + "actions/",
        {
            "kind": "job_placement",
            "person": person.record_code,
            "given_on": "2025-05-01",
            "employer": "Công ty May",
            "job_start_on": "2025-05-02",
        },
    )
    assert response.status_code == 201, response.content
    action = SupportAction.objects.get()
    assert action.employer == "Công ty May"
    follow = post(api, API + f"actions/{action.pk}/follow-up/", {"months": 3, "employed": True})
    assert follow.status_code == 200
    assert follow.json()["employed_3m"] is True
    early = post(api, API + f"actions/{action.pk}/follow-up/", {"months": 12, "employed": True})
    assert early.status_code == 400


def test_a_gift_without_item_is_a_400(api, person):
    response = post(
        api,
        API + "actions/",
        {"kind": "gift_in_kind", "person": person.record_code, "given_on": "2025-05-01"},
    )
    assert response.status_code == 400
    assert "item" in response.json()


def test_a_beneficiary_outside_the_area_is_refused(api):
    stranger = make_action(ELSEWHERE).person
    response = post(
        api,
        API + "actions/",
        {"kind": "counselling", "person": stranger.record_code, "given_on": "2025-05-01"},
    )
    assert response.status_code == 400
    assert SupportAction.objects.count() == 1


def test_children_read_and_create(api, person):
    make_child(ELSEWHERE)
    response = post(
        api,
        API + "children/",
        {"parent": person.record_code, "full_name": "Lê Thị Bé", "birth_date": "2016-01-02"},
    )
    assert response.status_code == 201, response.content
    rows = api.get(API + "children/").json()["results"]
    assert [r["full_name"] for r in rows] == ["Lê Thị Bé"]
    assert Child.objects.get(full_name="Lê Thị Bé").commune_id == PLACE[1]


def test_children_are_refused_to_the_committee(client, committee):
    sign_in(client, committee)
    assert client.get(API + "children/").status_code == 403


def test_eligibility_explains_and_referral_decision(api, released):
    caps = api.get(API + "referrals/eligibility/").json()
    assert caps["result"] is None
    assert caps["business_cap"] == 100_000_000
    answer = api.get(
        API + "referrals/eligibility/",
        {
            "person": released.record_code,
            "purpose": "business",
            "amount": 1000000,
            "referred_on": "2025-12-01",
        },
    ).json()
    assert answer["result"]["eligible"] is False
    assert [c["code"] for c in answer["result"]["checks"] if not c["passed"]] == ["form01"]
    listing = post(api, API + "form01-lists/generate/", {"commune": PLACE[1], "prepared_on": "2025-11-01"})
    assert listing.status_code == 201
    assert len(listing.json()["entries"]) == 1
    refused = post(
        api, API + "referrals/", {"person": released.record_code, "purpose": "business", "amount": 1000000}
    )
    assert refused.status_code == 400
    Form01List.objects.update(status="certified", certified_on=dt.date(2025, 11, 2))
    made = post(
        api,
        API + "referrals/",
        {
            "person": released.record_code,
            "purpose": "training",
            "amount": 8000000,
            "months": 2,
            "referred_on": "2025-11-20",
        },
    )
    assert made.status_code == 201, made.content
    referral = PolicyBankReferral.objects.get()
    decided = post(
        api,
        API + f"referrals/{referral.pk}/decision/",
        {"status": "approved", "decided_on": "2025-11-25", "approved_amount": 8000000, "version": 1},
    )
    assert decided.status_code == 200
    assert decided.json()["status"] == "approved"
    stale = post(
        api,
        API + f"referrals/{referral.pk}/decision/",
        {"status": "rejected", "decided_on": "2025-11-25", "version": 1},
    )
    assert stale.status_code == 409


def test_form01_certification_by_the_committee_only(client, officer, committee, released):
    sign_in(client, officer)
    listing = post(client, API + "form01-lists/generate/", {"commune": PLACE[1]}).json()
    assert (
        post(
            client, API + f"form01-lists/{listing['id']}/certify/", {"certified_on": "2025-12-01"}
        ).status_code
        == 403
    )
    client.logout()
    sign_in(client, committee)
    assert client.get(API + f"form01-lists/{listing['id']}/").status_code == 200
    done = post(
        client,
        API + f"form01-lists/{listing['id']}/certify/",
        {"certified_on": "2025-12-01", "reference": "9"},
    )
    assert done.status_code == 200
    assert done.json()["status"] == "certified"
    assert post(client, API + "form01-lists/generate/", {"commune": PLACE[1]}).status_code == 403


def test_the_schema_builds_without_warnings():
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
