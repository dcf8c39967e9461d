"""What a helper sees of case work: their assigned people's file, never police notes or reviews."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from hoanhap.casework import panels, services
from hoanhap.casework.testing import (
    make_contact,
    make_helper_assignment,
    make_need,
    make_plan_action,
    make_police_note,
    make_review,
)
from hoanhap.core.testing import sign_in
from hoanhap.people import selectors as people_selectors

from .conftest import PLACE

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SECRET = "GHI CHÚ NGHIỆP VỤ"


@pytest.fixture
def file(person, union):
    """An assigned person with a need, a plan action, a contact, a police note and a review."""
    assignment = make_helper_assignment(
        PLACE, person=person, organisation=union, start_date=TODAY - dt.timedelta(days=5)
    )
    need = make_need(PLACE, person=person)
    return {
        "assignment": assignment,
        "need": need,
        "action": make_plan_action(PLACE, person=person, need=need),
        "contact": make_contact(PLACE, person=person, observations="Đang sửa nhà"),
        "note": make_police_note(PLACE, person=person, text=SECRET),
        "review": make_review(PLACE, person=person, summary="ĐÁNH GIÁ NGHIỆP VỤ"),
    }


def test_case_file_page_shows_the_helper_everything_but_the_police_side(client, helper, person, file):
    sign_in(client, helper)
    page = client.get(reverse("casework:case-file", args=[person.record_code]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Đang sửa nhà" in body  # contact
    assert file["action"].description in body  # plan
    assert "Cần việc làm ổn định" in body  # need
    assert SECRET not in body
    assert "ĐÁNH GIÁ NGHIỆP VỤ" not in body
    assert 'data-testid="police-notes"' not in body
    assert 'data-testid="reviews"' not in body


def test_helper_never_reaches_police_notes_or_reviews_by_url_or_api(client, helper, person, file):
    sign_in(client, helper)
    assert client.get(reverse("casework:police-note-update", args=[file["note"].pk])).status_code == 403
    assert client.get(reverse("casework:review-detail", args=[file["review"].pk])).status_code == 403
    assert client.get("/api/v1/casework/police-notes/").status_code == 403
    assert client.get(f"/api/v1/casework/police-notes/{file['note'].pk}/").status_code == 403
    assert client.get("/api/v1/casework/reviews/").status_code == 403
    contacts = client.get("/api/v1/casework/contacts/").json()["results"]
    assert [c["id"] for c in contacts] == [file["contact"].pk]
    assert SECRET not in str(contacts)


def test_helper_panel_and_timeline_hide_police_notes(rf, helper, officer, person, file):
    """The person-page panel and the timeline a helper reads never reveal that a police note exists."""
    services.contact_record(
        actor=officer,
        person=person,
        data={"occurred_on": TODAY, "kind": "home_visit", "participants": "Cán bộ"},
        police_note=SECRET,
    )
    request = rf.get("/")
    request.user = helper
    panel = panels.case_work_panel(request, person)
    body = render_to_string(panel.template, {"panel": panel.context})
    assert "Hội" in body or file["assignment"].display_name in body
    assert SECRET not in body
    entries = list(people_selectors.timeline_of(person, actor=helper).values_list("kind", "summary"))
    assert ("casework.contact.recorded", "Home visit recorded.") in entries
    assert all(SECRET not in summary and not kind.startswith("casework_police") for kind, summary in entries)
    officer_kinds = [e.kind for e in people_selectors.timeline_of(person, actor=officer)]
    assert "casework_police.note.added" in officer_kinds


def test_access_ends_with_the_assignment(client, helper, officer, person, file):
    """Once the assignment ended yesterday, every page and endpoint answers 404 or an empty list."""
    services.helper_update(
        actor=officer, assignment=file["assignment"], data={"end_date": TODAY - dt.timedelta(days=1)}
    )
    sign_in(client, helper)
    assert client.get(reverse("casework:case-file", args=[person.record_code])).status_code == 404
    assert client.get(reverse("casework:contact-create", args=[person.record_code])).status_code == 404
    assert client.get(reverse("casework:plan-result", args=[file["action"].pk])).status_code == 404
    assert client.get("/api/v1/casework/contacts/").json()["results"] == []
    assert client.get(f"/api/v1/casework/needs/{file['need'].pk}/").status_code == 404
    my = client.get(reverse("casework:my-people"))
    assert person.record_code not in my.content.decode()


def test_helper_records_a_contact_and_a_result_through_the_pages(client, helper, person, file):
    sign_in(client, helper)
    response = client.post(
        reverse("casework:contact-create", args=[person.record_code]),
        {
            "occurred_on": TODAY.isoformat(),
            "kind": "phone",
            "participants": "Chị Lan",
            "note": "Gọi hỏi thăm",
        },
    )
    assert response.status_code == 302
    assert person.contacts.filter(kind="phone", recorded_by=helper).exists()
    response = client.post(
        reverse("casework:plan-result", args=[file["action"].pk]),
        {"status": "done", "result": "Đã nhập học", "result_on": TODAY.isoformat(), "version": 1},
    )
    assert response.status_code == 302
    file["action"].refresh_from_db()
    assert file["action"].status == "done"


def test_helper_contact_form_has_no_police_note_field(client, helper, officer, person, file):
    url = reverse("casework:contact-create", args=[person.record_code])
    sign_in(client, helper)
    assert 'name="police_note"' not in client.get(url).content.decode()
    sign_in(client, officer)
    assert 'name="police_note"' in client.get(url).content.decode()


def test_my_people_lists_assigned_people_with_the_next_contact(client, helper, person, file):
    sign_in(client, helper)
    page = client.get(reverse("casework:my-people"))
    body = page.content.decode()
    assert page.status_code == 200
    assert person.full_name in body
    assert "next contact due" in body
