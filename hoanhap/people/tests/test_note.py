"""A person's note: normalised by the services (line breaks kept), audited like any field, edited in
the form, shown on the person page when filled, read and written through the API, kept by a merge."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.test import APIClient

from hoanhap.audit.models import AuditEvent
from hoanhap.core.testing import THOAI_SON, sign_in
from hoanhap.core.text import nfc
from hoanhap.people import services
from hoanhap.people.models import Person

from .conftest import make_person, person_data

NOTE = "Gia đình khó khăn, cần hỗ trợ vốn.\nĐang học nghề sửa xe máy tại xã."
API = "/api/v1/people/persons/"


@given(st.text(alphabet=st.sampled_from("ađ Ư\u0301\u0323\t\r\n\u00a0\u2028x."), max_size=40))
def test_a_note_keeps_its_words_and_line_breaks_and_cleans_once(text):
    """Cleaning keeps every word (NFC), ends no line with spaces, starts and ends with text, and is stable."""
    cleaned = services.clean_note(text)
    assert cleaned.split() == nfc(text).split()
    assert cleaned.count("\n") <= text.count("\n") + text.count("\r")
    assert cleaned == cleaned.strip()
    assert "\r" not in cleaned
    assert all(line == line.rstrip() for line in cleaned.split("\n"))
    assert services.clean_note(cleaned) == cleaned


def test_line_breaks_and_inner_spaces_stay():
    assert services.clean_note("  Dòng một  \r\n\r\n  Dòng  hai \n\n") == "Dòng một\n\n  Dòng  hai"
    assert services.clean_note(None) == ""
    assert services.clean_note("Hoa\u0300 Nha\u0323\u0302p") == "Hoà Nhập"


@pytest.mark.django_db
def test_the_note_is_set_on_creation_changed_by_an_update_and_audited(thoai_son_officer):
    person = services.person_create(actor=thoai_son_officer, data=person_data(note=f"  {NOTE} \n")).person
    assert Person.objects.get(pk=person.pk).note == NOTE
    created = AuditEvent.objects.get(action="people.person.created", target_id=str(person.pk))
    assert created.changes["note"][-1] == NOTE
    services.person_update(
        actor=thoai_son_officer, person=person, data={"note": "Đã có việc làm."}, expected_version=1
    )
    updated = AuditEvent.objects.filter(action="people.person.updated").latest("pk")
    assert updated.changes["note"] == [NOTE, "Đã có việc làm."]
    unrelated = services.person_update(
        actor=thoai_son_officer,
        person=Person.objects.get(pk=person.pk),
        data={"phone": "09"},
        expected_version=2,
    )
    assert unrelated.note == "Đã có việc làm."  # a change that does not give the note keeps it


@pytest.mark.django_db
def test_a_merge_keeps_both_notes_and_fills_an_empty_one(system_admin):
    keep = make_person(full_name="Nguyễn Văn Hòa", note="Sống cùng mẹ.")
    remove = make_person(full_name="Nguyen Van Hoa", note="Làm thuê theo mùa vụ.")
    merged = services.person_merge(keep=keep, remove=remove, actor=system_admin)
    assert merged.note == "Sống cùng mẹ.\n\nLàm thuê theo mùa vụ."
    assert "note" in AuditEvent.objects.get(action="people.person.merged").data["filled"]
    empty = make_person(full_name="Lê Văn Tám")
    other = make_person(full_name="Le Van Tam", note="Gia đình khó khăn.")
    assert services.person_merge(keep=empty, remove=other, actor=system_admin).note == "Gia đình khó khăn."
    same = make_person(full_name="Lê Văn Chín", note="Như nhau.")
    twin = make_person(full_name="Le Van Chin", note="Như nhau.")
    assert services.person_merge(keep=same, remove=twin, actor=system_admin).note == "Như nhau."


@pytest.mark.django_db
def test_the_form_edits_the_note_and_the_page_shows_it_only_when_filled(client, thoai_son_officer):
    person = make_person()
    sign_in(client, thoai_son_officer)
    page = client.get(person.get_absolute_url()).content.decode()
    assert 'data-testid="person-note"' not in page
    url = reverse("people:person-update", args=[person.record_code])
    form = client.get(url).content.decode()
    assert 'name="note"' in form
    assert "<textarea" in form
    data = {
        "full_name": person.full_name,
        "sex": "male",
        "birth_year": "1985",
        "nationality": "VN",
        "province": "91",
        "commune": str(person.commune_id),
        "version": "1",
        "note": "Đang học nghề <sửa xe>.\r\nGia đình đồng ý.",
    }
    assert client.post(url, data).status_code == 302
    person.refresh_from_db()
    assert person.note == "Đang học nghề <sửa xe>.\nGia đình đồng ý."
    page = client.get(person.get_absolute_url()).content.decode()
    assert 'data-testid="person-note"' in page
    assert "Đang học nghề &lt;sửa xe&gt;.<br>Gia đình đồng ý." in page
    edit = client.get(url).content.decode()
    assert "Đang học nghề &lt;sửa xe&gt;.\nGia đình đồng ý.</textarea>" in edit


@pytest.mark.django_db
def test_the_api_reads_and_writes_the_note(thoai_son_officer):
    from django.conf import settings

    api = APIClient()
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    sign_in(api, thoai_son_officer)
    body = {
        "full_name": "Lê Văn Tám",
        "sex": "male",
        "birth_year": 1980,
        "province": 91,
        "commune": THOAI_SON,
        "note": f" {NOTE} ",
    }
    created = api.post(API, body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["note"] == NOTE
    url = f"{API}{created.json()['record_code']}/"
    changed = api.patch(url, {"note": "", "version": 1}, format="json")
    assert changed.status_code == 200, changed.json()
    assert api.get(url).json()["note"] == ""


def test_the_schema_describes_the_note():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    person = schema["components"]["schemas"]["Person"]["properties"]["note"]
    assert person["type"] == "string"
    assert "readOnly" not in person
