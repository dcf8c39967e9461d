"""/api/v1/people/persons/: scoped list and search, retrieve by code or id, create, versioned update."""

import pytest
from rest_framework.test import APIClient

from hoanhap.core.testing import CHAU_DOC, THOAI_SON, sign_in
from hoanhap.people.models import Person

from .conftest import make_person, valid_id

pytestmark = pytest.mark.django_db

URL = "/api/v1/people/persons/"


@pytest.fixture
def api():
    from django.conf import settings

    client = APIClient()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_list_is_scoped_and_searchable(api, chau_doc_officer):
    make_person(full_name="Nguyễn Văn Hòa")
    make_person(full_name="Nguyễn Văn Hoà", commune_id=CHAU_DOC)
    sign_in(api, chau_doc_officer)
    data = api.get(URL, {"q": "nguyen van hoa"}).json()
    assert [r["commune"] for r in data["results"]] == [CHAU_DOC]
    assert data["results"][0]["commune_name"] == "Phường Châu Đốc"


def test_retrieve_by_record_code_or_id_and_404_outside(api, thoai_son_officer, chau_doc_officer):
    person = make_person()
    sign_in(api, thoai_son_officer)
    assert api.get(f"{URL}{person.record_code}/").json()["id"] == person.pk
    assert api.get(f"{URL}{person.pk}/").json()["record_code"] == person.record_code
    api.logout()
    sign_in(api, chau_doc_officer)
    assert api.get(f"{URL}{person.record_code}/").status_code == 404
    assert api.get(f"{URL}{person.pk}/").status_code == 404


def test_create_then_duplicates_answer_409_until_confirmed(api, thoai_son_officer):
    sign_in(api, thoai_son_officer)
    body = {
        "full_name": "Lê Văn Tám",
        "sex": "male",
        "birth_year": 1980,
        "province": 91,
        "commune": THOAI_SON,
    }
    created = api.post(URL, {**body, "personal_id": valid_id(year=1980)}, format="json")
    assert created.status_code == 201
    assert created.json()["record_code"].startswith("91-")
    again = api.post(URL, body, format="json")
    assert again.status_code == 409
    assert again.json()["duplicates"][0]["record_code"] == created.json()["record_code"]
    assert api.post(URL, {**body, "confirm_duplicates": True}, format="json").status_code == 201


def test_create_outside_the_area_is_refused(api, chau_doc_officer):
    sign_in(api, chau_doc_officer)
    body = {"full_name": "Lê Văn Tám", "sex": "male", "province": 91, "commune": THOAI_SON}
    assert api.post(URL, body, format="json").status_code == 403
    assert not Person.objects.exists()


def test_invalid_numbers_answer_400_naming_the_rule(api, thoai_son_officer):
    sign_in(api, thoai_son_officer)
    body = {
        "full_name": "Lê Văn Tám",
        "sex": "male",
        "birth_year": 1980,
        "province": 91,
        "personal_id": "091185000001",
        "commune": THOAI_SON,
    }
    response = api.post(URL, body, format="json")
    assert response.status_code == 400
    assert "fourth digit" in response.json()["personal_id"][0]


def test_update_needs_the_current_version(api, thoai_son_officer):
    person = make_person()
    sign_in(api, thoai_son_officer)
    url = f"{URL}{person.record_code}/"
    assert api.patch(url, {"phone": "09"}, format="json").status_code == 400
    ok = api.patch(url, {"phone": "09", "version": 1}, format="json")
    assert ok.status_code == 200
    assert ok.json()["version"] == 2
    stale = api.patch(url, {"phone": "08", "version": 1}, format="json")
    assert stale.status_code == 409
    assert "Someone else changed this record" in stale.json()["detail"]
