"""/api/v1/intake/: facilities POST notices; communes read, verify and take steps; all scoped, all through services."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hoanhap.core.testing import AN_GIANG, BA_DINH, CHAU_DOC, THOAI_SON
from hoanhap.intake.models import ManagementEvent, ReleaseNotice, Transfer
from hoanhap.intake.testing import make_notice, make_person, make_transfer
from hoanhap.people.models import Person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
BASE = "/api/v1/intake"


def api(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    token = Token.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def notice_body(**fields):
    body = {
        "full_name": "Đặng Văn API",
        "sex": "male",
        "birth_year": 1988,
        "expected_release_date": (TODAY + dt.timedelta(days=61)).isoformat(),
        "release_kind": "completed_term",
        "commune": THOAI_SON,
        "address": "Ấp 3",
        "sentence_summary": "Tốt",
    }
    body.update(fields)
    return body


def test_facility_posts_a_notice_and_lists_only_its_own(facility_user, facility):
    client = api(facility_user)
    response = client.post(f"{BASE}/facility-notices/", notice_body(commune=BA_DINH), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["person_name"] == "Đặng Văn API"
    assert body["facility"] == facility.pk
    assert body["commune"] == BA_DINH
    assert "record_code" not in str(body)
    make_notice((AN_GIANG, THOAI_SON))
    listed = client.get(f"{BASE}/facility-notices/").json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]
    assert client.get(f"{BASE}/notices/").status_code == 403


def test_facility_notice_validation_errors_are_400(facility_user):
    response = api(facility_user).post(
        f"{BASE}/facility-notices/", notice_body(commune=99999999), format="json"
    )
    assert response.status_code == 400
    assert not ReleaseNotice.objects.exists()


def test_commune_lists_notices_naming_it_and_verifies(officer, chau_doc_officer):
    mine = make_notice((AN_GIANG, THOAI_SON))
    make_notice((AN_GIANG, CHAU_DOC))
    client = api(officer)
    rows = client.get(f"{BASE}/notices/").json()["results"]
    assert [r["id"] for r in rows] == [mine.pk]
    assert rows[0]["person"]["record_code"] == mine.person.record_code
    response = client.post(
        f"{BASE}/notices/{mine.pk}/verify/", {"result": "confirmed", "version": mine.version}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["verification_result"] == "confirmed"
    stale = client.post(
        f"{BASE}/notices/{mine.pk}/verify/", {"result": "confirmed", "version": 1}, format="json"
    )
    assert stale.status_code == 409
    assert (
        api(chau_doc_officer)
        .post(f"{BASE}/notices/{mine.pk}/verify/", {"result": "confirmed"}, format="json")
        .status_code
        == 404
    )


def test_officer_posts_a_paper_notice_in_the_area_only(officer):
    client = api(officer)
    ok = client.post(f"{BASE}/notices/", notice_body(sender_name="Trại giam Thủ Đức"), format="json")
    assert ok.status_code == 201, ok.content
    refused = client.post(f"{BASE}/notices/", notice_body(commune=BA_DINH, sender_name="X"), format="json")
    assert refused.status_code == 403


def test_reception_classification_end_through_the_api(officer):
    person = make_person((AN_GIANG, THOAI_SON), status="released")
    ManagementEvent.objects.create(
        person=person,
        kind="released",
        occurred_on=TODAY - dt.timedelta(days=1),
        province_id=AN_GIANG,
        commune_id=THOAI_SON,
        data={"kind": "amnesty"},
    )
    client = api(officer)
    response = client.post(
        f"{BASE}/receptions/",
        {
            "person": person.record_code,
            "version": person.version,
            "commitment_signed": True,
            "wants_job_info": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["wants_job_info"] is True
    person.refresh_from_db()
    assert person.status == Person.Status.IN_MANAGEMENT
    response = client.post(
        f"{BASE}/classifications/",
        {"person": person.record_code, "group": "A", "reasons": "Ổn định."},
        format="json",
    )
    assert response.status_code == 201
    assert client.get(f"{BASE}/classifications/").json()["count"] == 1
    response = client.post(
        f"{BASE}/management-ends/", {"person": person.record_code, "ground": "died"}, format="json"
    )
    assert response.status_code == 201
    again = client.post(
        f"{BASE}/management-ends/", {"person": person.record_code, "ground": "died"}, format="json"
    )
    assert again.status_code == 400
    events = client.get(f"{BASE}/events/?kind=ended").json()
    assert [e["event_kind"] for e in events["results"]] == ["ended"]


def test_steps_on_a_person_of_another_commune_are_refused(chau_doc_officer):
    person = make_person((AN_GIANG, THOAI_SON))
    response = api(chau_doc_officer).post(
        f"{BASE}/classifications/",
        {"person": person.record_code, "group": "A", "reasons": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert "person" in response.json()


def test_transfer_send_and_confirm_through_the_api(officer, chau_doc_officer):
    person = make_person((AN_GIANG, THOAI_SON))
    sent = api(officer).post(
        f"{BASE}/transfers/", {"person": person.record_code, "to_commune": CHAU_DOC}, format="json"
    )
    assert sent.status_code == 201, sent.content
    pk = sent.json()["id"]
    receiver = api(chau_doc_officer)
    assert [t["id"] for t in receiver.get(f"{BASE}/transfers/").json()["results"]] == [pk]
    confirmed = receiver.post(f"{BASE}/transfers/{pk}/confirm/", {}, format="json")
    assert confirmed.status_code == 200, confirmed.content
    assert Transfer.objects.get(pk=pk).status == "confirmed"


def test_transfer_of_others_is_not_found(ba_dinh_officer):
    transfer = make_transfer((AN_GIANG, THOAI_SON), to=(AN_GIANG, CHAU_DOC))
    client = api(ba_dinh_officer)
    assert client.get(f"{BASE}/transfers/{transfer.pk}/").status_code == 404
    assert (
        client.post(f"{BASE}/transfers/{transfer.pk}/return/", {"reason": "x"}, format="json").status_code
        == 404
    )


def test_read_only_roles_cannot_write(province_officer):
    from hoanhap.access.roles import Role
    from hoanhap.core.testing import make_user

    leader = make_user(Role.PROVINCE_LEADER, province=AN_GIANG)
    notice = make_notice((AN_GIANG, THOAI_SON))
    client = api(leader)
    assert client.get(f"{BASE}/notices/{notice.pk}/").status_code == 200
    assert (
        client.post(f"{BASE}/notices/{notice.pk}/verify/", {"result": "confirmed"}, format="json").status_code
        == 403
    )
