"""Case-work pages: the case file and its forms, through the HTTP layer, scoped by the policy."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from hoanhap.casework import panels
from hoanhap.casework.models import HelperAssignment, Need, PlanAction, PoliceNote, Review
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


def test_officer_case_file_shows_every_section_and_flags_no_helper(client, officer, person):
    make_police_note(PLACE, person=person, text="Ghi chú riêng")
    make_review(PLACE, person=person)
    sign_in(client, officer)
    body = client.get(reverse("casework:case-file", args=[person.record_code])).content.decode()
    for testid in ("helpers", "needs", "plan", "contacts", "police-notes", "reviews", "no-helper"):
        assert f'data-testid="{testid}"' in body
    assert "Ghi chú riêng" in body
    assert reverse("casework:review-create", args=[person.record_code]) in body


def test_commune_committee_reads_the_file_without_forms(client, committee, person):
    """The committee manages the person (it sees judgments) but does not do the police casework."""
    make_police_note(PLACE, person=person, text="Ghi chú riêng")
    sign_in(client, committee)
    body = client.get(reverse("casework:case-file", args=[person.record_code])).content.decode()
    assert "Ghi chú riêng" in body
    assert reverse("casework:helper-create", args=[person.record_code]) not in body
    assert client.get(reverse("casework:helper-create", args=[person.record_code])).status_code == 403


def test_case_file_of_another_commune_is_not_found(client, chau_doc_officer, person):
    sign_in(client, chau_doc_officer)
    assert client.get(reverse("casework:case-file", args=[person.record_code])).status_code == 404
    assert client.get(reverse("casework:need-create", args=[person.record_code])).status_code == 404


def test_assign_a_helper_through_the_form(client, officer, union, person):
    sign_in(client, officer)
    url = reverse("casework:helper-create", args=[person.record_code])
    assert union.name in client.get(url).content.decode()
    response = client.post(
        url, {"organisation": union.pk, "helper_name": "Chị Lan", "start_date": TODAY.isoformat()}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:case-file", args=[person.record_code])
    assert HelperAssignment.objects.get().organisation == union


def test_form_errors_come_back_as_the_htmx_partial(client, officer, person):
    sign_in(client, officer)
    response = client.post(
        reverse("casework:helper-create", args=[person.record_code]),
        {"start_date": TODAY.isoformat()},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith("<div")
    assert "<html" not in body
    assert "Name the helper" in body


def test_end_an_assignment_and_a_stale_form_is_refused(client, officer, person):
    assignment = make_helper_assignment(PLACE, person=person, start_date=TODAY - dt.timedelta(days=10))
    sign_in(client, officer)
    url = reverse("casework:helper-update", args=[assignment.pk])
    data = {
        "organisation": assignment.organisation_id,
        "start_date": assignment.start_date.isoformat(),
        "end_date": TODAY.isoformat(),
        "version": 1,
    }
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "note": "x"})
    assert "Someone else changed this record" in response.content.decode()
    assignment.refresh_from_db()
    assert (assignment.end_date, assignment.note, assignment.version) == (TODAY, "", 2)


def test_need_forms_create_then_change(client, officer, person):
    sign_in(client, officer)
    create = reverse("casework:need-create", args=[person.record_code])
    response = client.post(
        create, {"domain": "accommodation", "status": "identified", "description": "Nhà dột"}
    )
    assert response.status_code == 302
    need = Need.objects.get()
    # The domain already recorded is no longer offered.
    assert 'value="accommodation"' not in client.get(create).content.decode()
    response = client.post(
        reverse("casework:need-update", args=[need.pk]),
        {"domain": "accommodation", "status": "declined", "version": need.version},
    )
    assert "Say why the person declined" in response.content.decode()
    client.post(
        reverse("casework:need-update", args=[need.pk]),
        {"domain": "accommodation", "status": "met", "version": need.version},
    )
    need.refresh_from_db()
    assert need.status == "met"


def test_plan_forms_add_and_change(client, officer, person):
    need = make_need(PLACE, person=person)
    sign_in(client, officer)
    response = client.post(
        reverse("casework:plan-create", args=[person.record_code]),
        {"need": need.pk, "description": "Vay vốn", "owner": "Hội Nông dân", "due_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    action = PlanAction.objects.get()
    response = client.post(
        reverse("casework:plan-update", args=[action.pk]),
        {
            "need": need.pk,
            "description": "Vay vốn NHCSXH",
            "owner": "Hội Nông dân",
            "due_on": TODAY.isoformat(),
            "version": 1,
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.description == "Vay vốn NHCSXH"


def test_officer_records_a_contact_with_a_police_note(client, officer, person):
    sign_in(client, officer)
    response = client.post(
        reverse("casework:contact-create", args=[person.record_code]),
        {
            "occurred_on": TODAY.isoformat(),
            "kind": "home_visit",
            "participants": "Cán bộ Minh",
            "police_note": "Nghi vấn",
        },
    )
    assert response.status_code == 302
    note = PoliceNote.objects.get()
    assert note.contact.person == person
    contact = note.contact
    edit = client.post(
        reverse("casework:contact-update", args=[contact.pk]),
        {"occurred_on": TODAY.isoformat(), "kind": "office", "participants": "Cán bộ Minh", "version": 1},
    )
    assert edit.status_code == 302
    response = client.post(
        reverse("casework:police-note-update", args=[note.pk]),
        {"written_on": TODAY.isoformat(), "text": "Đã xác minh", "version": 1},
    )
    assert response.status_code == 302


def test_review_form_records_needs_group_and_review(client, officer, person):
    make_need(PLACE, person=person, domain="work")
    sign_in(client, officer)
    url = reverse("casework:review-create", args=[person.record_code])
    page = client.get(url).content.decode()
    assert 'name="need_health"' in page
    assert 'name="group"' in page
    response = client.post(
        url,
        {
            "reviewed_on": TODAY.isoformat(),
            "group": "B",
            "summary": "Còn khó khăn",
            "need_work": "in_progress",
            "need_health": "no_need",
            "version": person.version,
        },
    )
    assert response.status_code == 302
    review = Review.objects.get()
    assert review.classification.group == "B"
    assert dict(Need.objects.values_list("domain", "status")) == {"work": "in_progress", "health": "no_need"}
    detail = client.get(reverse("casework:review-detail", args=[review.pk]))
    assert "Còn khó khăn" in detail.content.decode()


def test_review_form_explains_when_the_person_is_not_under_management(client, officer):
    received = make_person(PLACE, status="received")
    sign_in(client, officer)
    body = client.get(reverse("casework:review-create", args=[received.record_code])).content.decode()
    assert "A review is made for people under management" in body


def test_people_without_helper_list_is_scoped(client, officer, person):
    helped = make_helper_assignment(PLACE, start_date=TODAY - dt.timedelta(days=3)).person
    other = make_person(OTHER_PLACE, full_name="Người Châu Đốc")
    sign_in(client, officer)
    body = client.get(reverse("casework:without-helper")).content.decode()
    assert person.record_code in body
    assert helped.record_code not in body
    assert other.record_code not in body


@pytest.mark.parametrize("size", [2, 8])
def test_lists_and_case_file_run_a_bounded_number_of_queries(
    client, rf, officer, helper, union, django_assert_max_num_queries, size
):
    """The same number of queries with 2 or 8 people (and rows in each section)."""
    people = [make_person(PLACE, full_name=f"Người {i}") for i in range(size)]
    for p in people:
        make_helper_assignment(PLACE, person=p, organisation=union, start_date=TODAY - dt.timedelta(days=1))
        need = make_need(PLACE, person=p)
        make_plan_action(PLACE, person=p, need=need)
        make_contact(PLACE, person=p)
        make_contact(PLACE, person=p)
        make_police_note(PLACE, person=p)
    make_person(PLACE, full_name="Chưa có người giúp")
    sign_in(client, officer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("casework:without-helper")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("casework:case-file", args=[people[0].record_code])).status_code == 200
    request = rf.get("/")
    request.user = officer
    with django_assert_max_num_queries(8):
        assert panels.case_work_panel(request, people[0]) is not None
    sign_in(client, helper)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("casework:my-people"))
    assert page.content.decode().count('class="fw-semibold" href="/casework/people/') == size


def test_the_list_of_people_without_a_helper_exports_with_a_purpose(client, officer, union):
    """The export lists exactly the people the page lists, and the audit log keeps the purpose."""
    import csv
    import io

    from hoanhap.audit.models import AuditEvent

    alone = make_person(PLACE, full_name="Không Ai Giúp")
    make_helper_assignment(PLACE, organisation=union)  # helped: not listed
    make_person(OTHER_PLACE, full_name="Xã Khác")
    sign_in(client, officer)
    response = client.post(
        reverse("casework:without-helper-export"), {"purpose": "Phân công", "format": "csv"}
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == [alone.record_code]
    assert AuditEvent.objects.filter(action="export.created", purpose="Phân công").exists()
