"""People pages: scoped list and search, person page with audit, forms, dossier PDF, merge."""

import pytest
from django.urls import reverse

from hoanhap.audit.models import AuditEvent
from hoanhap.core.testing import CHAU_DOC, THOAI_SON, sign_in
from hoanhap.people import services
from hoanhap.people.models import Person, Relative

from .conftest import make_person, valid_id

pytestmark = pytest.mark.django_db

LIST = reverse("people:person-list")
CREATE = reverse("people:person-create")


def form_data(**fields):
    data = {
        "full_name": "Trần Văn Bình",
        "sex": "male",
        "birth_year": "1985",
        "nationality": "VN",
        "province": "91",
        "commune": str(THOAI_SON),
        "address": "Ấp Trung Bình",
        "status": "released",
        "form_token": "tok-1",
    }
    data.update(fields)
    return data


def test_the_list_shows_only_people_in_scope(client, chau_doc_officer):
    """The Châu Đốc officer sees Châu Đốc people; a Thoại Sơn person is neither listed nor found."""
    make_person(full_name="Nguyễn Văn Hòa")  # Thoại Sơn
    make_person(full_name="Lê Văn Châu", commune_id=CHAU_DOC)
    sign_in(client, chau_doc_officer)
    html = client.get(LIST).content.decode()
    assert "Lê Văn Châu" in html
    assert "Nguyễn Văn Hòa" not in html
    assert "Nguyễn Văn Hòa" not in client.get(LIST, {"q": "nguyen van hoa"}).content.decode()


def test_a_person_of_another_commune_answers_404(client, chau_doc_officer):
    person = make_person()
    sign_in(client, chau_doc_officer)
    for name in ("people:person-detail", "people:person-update", "people:person-dossier"):
        assert client.get(reverse(name, args=[person.record_code])).status_code == 404, name
    assert not AuditEvent.objects.filter(action="people.person.viewed").exists()


def test_htmx_search_returns_the_results_only(client, thoai_son_officer):
    make_person(full_name="Nguyễn Văn Hòa")
    sign_in(client, thoai_son_officer)
    response = client.get(LIST, {"q": "NGUYỄN VĂN HOÀ"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert "Nguyễn Văn Hòa" in html


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_runs_a_bounded_number_of_queries(
    client, province_officer, django_assert_max_num_queries, rows
):
    """Whether 3 or 30 people match, the page costs the same handful of queries."""
    for i in range(rows):
        make_person(full_name=f"Nguyễn Văn Hòa {i}", commune_id=CHAU_DOC if i % 2 else THOAI_SON)
    sign_in(client, province_officer)
    client.get(LIST)  # warm the session and caches
    with django_assert_max_num_queries(16):
        assert client.get(LIST, {"q": "nguyen van hoa"}).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(LIST).status_code == 200


def test_the_person_page_shows_facts_relatives_history_and_timeline_and_is_audited(client, thoai_son_officer):
    person = services.person_create(
        actor=thoai_son_officer,
        data={
            "full_name": "Trần Văn Bình",
            "sex": "male",
            "birth_year": 1985,
            "province": 91,
            "commune": THOAI_SON,
        },
    ).person
    services.relative_add(
        actor=thoai_son_officer, person=person, data={"relation": "mother", "full_name": "Lê Thị Ba"}
    )
    sign_in(client, thoai_son_officer)
    response = client.get(person.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lê Thị Ba" in html
    assert "Xã Thoại Sơn" in html
    assert f"Record {person.record_code} opened." in html
    event = AuditEvent.objects.get(action="people.person.viewed")
    assert (event.purpose, event.target_id, event.actor) == ("casework", str(person.pk), thoai_son_officer)


def test_the_person_page_flags_probable_duplicates(client, thoai_son_officer):
    person = make_person(full_name="Nguyễn Văn Hòa")
    make_person(full_name="Nguyen Van Hoa")
    sign_in(client, thoai_son_officer)
    assert 'data-testid="duplicate-flag"' in client.get(person.get_absolute_url()).content.decode()


def test_register_a_person_through_the_form(client, thoai_son_officer):
    sign_in(client, thoai_son_officer)
    response = client.post(CREATE, form_data(personal_id=valid_id()))
    person = Person.objects.get()
    assert response.status_code == 302
    assert response.url == person.get_absolute_url()
    assert person.status == "released"


def test_a_half_filled_form_keeps_its_input_after_an_error(client, thoai_son_officer):
    sign_in(client, thoai_son_officer)
    response = client.post(
        CREATE, form_data(birth_month="2", birth_day="30", phone="0912 345 678", other_names="Tư Bình")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "has no day 30" in html
    assert 'value="0912 345 678"' in html
    assert 'value="Tư Bình"' in html
    assert not Person.objects.exists()


def test_submitting_the_same_form_twice_creates_one_person(client, thoai_son_officer):
    sign_in(client, thoai_son_officer)
    first = client.post(CREATE, form_data())
    second = client.post(CREATE, form_data())
    assert Person.objects.count() == 1
    assert first.url == second.url


def test_a_probable_duplicate_asks_for_confirmation(client, thoai_son_officer):
    make_person(full_name="Trần Văn Bình", birth_year=1985)
    sign_in(client, thoai_son_officer)
    response = client.post(CREATE, form_data(form_token="a"))
    assert 'data-testid="duplicates"' in response.content.decode()
    assert Person.objects.count() == 1
    client.post(CREATE, form_data(form_token="b", confirm_duplicates="on"))
    assert Person.objects.count() == 2


def test_the_id_registered_elsewhere_message_reveals_nothing(client, chau_doc_officer):
    number = valid_id()
    make_person(full_name="Nguyễn Văn Bí Mật", personal_id=number)
    sign_in(client, chau_doc_officer)
    response = client.post(CREATE, form_data(commune=str(CHAU_DOC), personal_id=number))
    html = response.content.decode()
    assert "already registered in another area. You can request a transfer." in html
    assert "Bí Mật" not in html
    assert "91-000001" not in html


def test_the_edit_form_carries_the_version_and_refuses_a_stale_save(client, thoai_son_officer):
    person = make_person()
    sign_in(client, thoai_son_officer)
    url = reverse("people:person-update", args=[person.record_code])
    html = client.get(url).content.decode()
    assert 'type="hidden" name="version" value="1"' in html
    data = form_data(full_name="Nguyễn Văn Hòa", version="1")
    data.pop("status")
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "phone": "1"})
    assert "Someone else changed this record" in response.content.decode()
    person.refresh_from_db()
    assert person.version == 2


def test_relatives_are_managed_from_the_person_page(client, thoai_son_officer):
    person = make_person()
    sign_in(client, thoai_son_officer)
    client.post(
        reverse("people:relative-create", args=[person.record_code]),
        {"relation": "spouse", "full_name": "Võ Thị Lan"},
    )
    relative = Relative.objects.get()
    client.post(
        reverse("people:relative-update", args=[relative.pk]),
        {"relation": "spouse", "full_name": "Võ Thị Lan", "phone": "09"},
    )
    relative.refresh_from_db()
    assert relative.phone == "09"
    client.post(reverse("people:relative-delete", args=[relative.pk]))
    assert not Relative.objects.exists()


def test_a_change_of_residence_from_the_page(client, province_officer):
    person = make_person()
    sign_in(client, province_officer)
    url = reverse("people:person-residence", args=[person.record_code])
    response = client.post(
        url, {"province": "91", "commune": str(CHAU_DOC), "address": "Số 1", "from_date": "01/12/2026"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.commune_id == CHAU_DOC


def test_the_dossier_is_a_pdf_and_its_printing_is_audited(client, thoai_son_officer):
    person = make_person(full_name="Nguyễn Thị Ánh Tuyết")
    sign_in(client, thoai_son_officer)
    response = client.get(reverse("people:person-dossier", args=[person.record_code]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.get(action="people.person.viewed").purpose == "print dossier"


def test_the_merge_page_is_for_system_administrators(client, province_officer, system_admin):
    keep, remove = make_person(), make_person(full_name="Nguyen Van Hoa")
    sign_in(client, province_officer)
    assert client.get(reverse("people:person-merge")).status_code == 403
    client.logout()
    sign_in(client, system_admin)
    url = reverse("people:person-merge")
    preview = client.get(url, {"keep": keep.record_code, "remove": remove.record_code})
    assert remove.record_code in preview.content.decode()
    client.post(url, {"keep": keep.record_code, "remove": remove.record_code})
    assert Person.objects.count() == 2  # not confirmed
    response = client.post(url, {"keep": keep.record_code, "remove": remove.record_code, "confirm": "on"})
    assert response.status_code == 302
    assert list(Person.objects.all()) == [keep]


def test_the_header_search_box_and_menu_entry_follow_the_capability(client, thoai_son_officer, helper):
    sign_in(client, thoai_son_officer)
    html = client.get(reverse("core:home")).content.decode()
    assert f'action="{LIST}"' in html
    assert f'href="{LIST}"' in html
    client.logout()
    sign_in(client, helper)
    html = client.get(reverse("core:home")).content.decode()
    assert f'action="{LIST}"' in html  # helpers search their assigned people
    assert f'href="{LIST}"' in html  # and list them
    assert f'href="{reverse("intake:notice-list")}"' not in html  # but never the judicial side


def test_commune_options_follow_the_editing_areas(client, thoai_son_officer):
    sign_in(client, thoai_son_officer)
    html = client.get(reverse("people:commune-options"), {"province": "91"}).content.decode()
    assert "Xã Thoại Sơn" in html
    assert "Châu Đốc" not in html


def test_the_list_exports_what_it_shows_and_records_the_purpose(client, thoai_son_officer):
    """The export takes the list's search and filters, answers a spreadsheet and leaves an audit entry."""
    import io

    from openpyxl import load_workbook

    make_person(full_name="Nguyễn Văn Hòa", birth_year=1980)
    make_person(full_name="Trần Thị Lan", birth_year=1990)
    sign_in(client, thoai_son_officer)
    url = reverse("people:person-export") + "?q=nguyen+van+hoa"
    assert client.get(url).status_code == 200  # the purpose form
    response = client.post(url, {"purpose": "Báo cáo hội nghị", "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Nguyễn Văn Hòa"]
    event = AuditEvent.objects.filter(action="export.created").latest("pk")
    assert event.data["rows"] == 1
    assert event.purpose == "Báo cáo hội nghị"
