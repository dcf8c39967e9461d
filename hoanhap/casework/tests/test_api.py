"""/api/v1/casework/: the same rules as the pages, scoped by the policy, versions checked."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from hoanhap.casework.models import HelperAssignment, Need, PoliceNote, Review
from hoanhap.casework.testing import (
    make_contact,
    make_helper_assignment,
    make_need,
    make_plan_action,
    make_police_note,
    make_review,
)
from hoanhap.core.testing import sign_in
from hoanhap.intake.testing import make_person

from .conftest import OTHER_PLACE, PLACE

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
BASE = "/api/v1/casework"


@pytest.fixture
def api():
    def as_user(user):
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        sign_in(client, user)
        return client

    return as_user


def test_lists_are_scoped_to_the_officers_commune(api, officer, person):
    make_contact(PLACE, person=person)
    make_contact(OTHER_PLACE)
    make_police_note(PLACE, person=person)
    make_police_note(OTHER_PLACE)
    client = api(officer)
    contacts = client.get(f"{BASE}/contacts/").json()["results"]
    assert [c["person"]["record_code"] for c in contacts] == [person.record_code]
    notes = client.get(f"{BASE}/police-notes/").json()["results"]
    assert [n["person"]["record_code"] for n in notes] == [person.record_code]
    other = make_need(OTHER_PLACE)
    assert client.get(f"{BASE}/needs/{other.pk}/").status_code == 404


def test_filter_by_person(api, officer, person):
    make_need(PLACE, person=person)
    make_need(PLACE)
    rows = api(officer).get(f"{BASE}/needs/", {"person": person.record_code}).json()["results"]
    assert len(rows) == 1
    assert rows[0]["domain"] == "work"


def test_assign_then_end_with_version_check(api, officer, union, person):
    client = api(officer)
    response = client.post(
        f"{BASE}/assignments/",
        {"person": person.record_code, "organisation": union.pk, "start_date": TODAY.isoformat()},
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    ended = client.patch(
        f"{BASE}/assignments/{pk}/", {"end_date": TODAY.isoformat(), "version": 1}, format="json"
    )
    assert ended.status_code == 200
    assert ended.json()["version"] == 2
    stale = client.patch(f"{BASE}/assignments/{pk}/", {"note": "x", "version": 1}, format="json")
    assert stale.status_code == 409
    assert HelperAssignment.objects.get().end_date == TODAY


def test_validation_errors_name_the_field(api, officer, person):
    client = api(officer)
    response = client.post(
        f"{BASE}/needs/",
        {"person": person.record_code, "domain": "work", "status": "declined"},
        format="json",
    )
    assert response.status_code == 400
    assert "declined_reason" in response.json()
    response = client.post(
        f"{BASE}/needs/",
        {"person": make_person(OTHER_PLACE).record_code, "domain": "work", "status": "met"},
        format="json",
    )
    assert response.status_code == 400
    assert "person" in response.json()


def test_need_plan_and_result_through_the_api(api, officer, helper, union, person):
    client = api(officer)
    need = client.post(
        f"{BASE}/needs/",
        {"person": person.record_code, "domain": "money", "status": "identified"},
        format="json",
    ).json()
    action = client.post(
        f"{BASE}/plan-actions/",
        {
            "person": person.record_code,
            "need": need["id"],
            "description": "Hồ sơ vay NHCSXH",
            "owner": "Hội Nông dân",
            "due_on": TODAY.isoformat(),
        },
        format="json",
    )
    assert action.status_code == 201, action.content
    make_helper_assignment(PLACE, person=person, organisation=union)
    helper_client = api(helper)
    # A helper may not change the plan, but records its result.
    patch = helper_client.patch(f"{BASE}/plan-actions/{action.json()['id']}/", {"owner": "x"}, format="json")
    assert patch.status_code == 403
    result = helper_client.post(
        f"{BASE}/plan-actions/{action.json()['id']}/result/",
        {"status": "done", "result": "Đã nộp hồ sơ"},
        format="json",
    )
    assert result.status_code == 200
    assert result.json()["status"] == "done"
    patched = client.patch(f"{BASE}/needs/{need['id']}/", {"status": "met", "version": 1}, format="json")
    assert patched.status_code == 200
    assert Need.objects.get().status == "met"


def test_helper_records_contacts_and_cannot_slip_a_police_note(api, helper, union, person):
    make_helper_assignment(PLACE, person=person, organisation=union)
    client = api(helper)
    body = {
        "person": person.record_code,
        "occurred_on": TODAY.isoformat(),
        "kind": "phone",
        "participants": "Chị Lan",
    }
    refused = client.post(f"{BASE}/contacts/", {**body, "police_note": "bí mật"}, format="json")
    assert refused.status_code == 400
    assert "police_note" in refused.json()
    created = client.post(f"{BASE}/contacts/", body, format="json")
    assert created.status_code == 201
    assert not PoliceNote.objects.exists()
    assert (
        client.post(
            f"{BASE}/police-notes/", {"person": person.record_code, "text": "x"}, format="json"
        ).status_code
        == 403
    )


def test_helper_reads_only_assigned_people(api, helper, union, person):
    make_helper_assignment(PLACE, person=person, organisation=union)
    mine = make_need(PLACE, person=person)
    make_need(PLACE)
    rows = api(helper).get(f"{BASE}/needs/").json()["results"]
    assert [r["id"] for r in rows] == [mine.pk]
    assignments = api(helper).get(f"{BASE}/assignments/").json()["results"]
    assert [a["person"]["record_code"] for a in assignments] == [person.record_code]


def test_review_through_the_api(api, officer, person):
    client = api(officer)
    response = client.post(
        f"{BASE}/reviews/",
        {
            "person": person.record_code,
            "group": "C",
            "summary": "Chưa chấp hành tốt",
            "needs": [{"domain": "attitudes", "status": "identified"}],
            "version": person.version,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["group"] == "C"
    assert data["kind"] == "entry"
    assert Review.objects.get().needs_snapshot[0]["domain"] == "attitudes"
    stale = client.post(
        f"{BASE}/reviews/",
        {"person": person.record_code, "group": "C", "summary": "x", "version": 1},
        format="json",
    )
    assert stale.status_code == 409
    listed = client.get(f"{BASE}/reviews/").json()["results"]
    assert len(listed) == 1


def test_police_notes_api_for_the_police(api, officer, committee, person):
    contact = make_contact(PLACE, person=person)
    client = api(officer)
    created = client.post(
        f"{BASE}/police-notes/",
        {"person": person.record_code, "text": "Theo dõi", "contact": contact.pk},
        format="json",
    )
    assert created.status_code == 201
    assert api(committee).get(f"{BASE}/police-notes/").json()["count"] == 1  # reads, with view_judgments
    assert (
        api(committee)
        .post(f"{BASE}/police-notes/", {"person": person.record_code, "text": "x"}, format="json")
        .status_code
        == 403
    )


@pytest.mark.parametrize("size", [2, 8])
def test_api_lists_run_a_bounded_number_of_queries(api, officer, django_assert_max_num_queries, size):
    for _ in range(size):
        p = make_person(PLACE)
        make_plan_action(PLACE, person=p)
        make_contact(PLACE, person=p)
        make_review(PLACE, person=p)
    client = api(officer)
    for endpoint in ("needs", "plan-actions", "contacts", "reviews", "assignments"):
        with django_assert_max_num_queries(12):
            assert client.get(f"{BASE}/{endpoint}/").status_code == 200
