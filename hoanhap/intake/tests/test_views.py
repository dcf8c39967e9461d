"""The intake pages: each step through its form, scoped lists, the facility pages, documents, calendar."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from hoanhap.audit.models import AuditEvent
from hoanhap.core.testing import AN_GIANG, BA_DINH, CHAU_DOC, HA_NOI, THOAI_SON, sign_in
from hoanhap.intake.models import CalendarDay, ReleaseNotice, Transfer
from hoanhap.intake.testing import make_notice, make_person, make_reception, make_transfer
from hoanhap.people.models import Person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def officer_client(client, officer):
    sign_in(client, officer)
    client.cookies["django_language"] = "en"  # texts checked in English (the msgids)
    return client


def test_full_lifecycle_through_the_pages(officer_client):
    """Notice → verify → release → reception → classify → end, each through its page, as an officer would."""
    response = officer_client.post(
        reverse("intake:notice-create"),
        {
            "full_name": "Huỳnh Văn Trở",
            "sex": "male",
            "birth_year": "1990",
            "expected_release_date": (TODAY + dt.timedelta(days=60)).isoformat(),
            "release_kind": "amnesty",
            "commune": THOAI_SON,
            "address": "Ấp Mới",
            "received_on": TODAY.isoformat(),
            "sender_name": "Trại giam Định Thành",
        },
    )
    notice = ReleaseNotice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == notice.get_absolute_url()
    person = notice.person
    code = person.record_code

    response = officer_client.post(
        reverse("intake:notice-verify", args=[notice.pk]),
        {"result": "confirmed", "verified_on": TODAY.isoformat(), "version": notice.version},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    steps = [
        (
            "intake:person-release",
            {"release_date": TODAY.isoformat(), "kind": "amnesty", "certificate": "9/GCNĐX"},
        ),
        ("intake:person-reception", {"reported_on": TODAY.isoformat(), "commitment_signed": "on"}),
        (
            "intake:person-classify",
            {"group": "B", "reasons": "Khó khăn việc làm.", "decided_on": TODAY.isoformat()},
        ),
        ("intake:person-end", {"ground": "died", "ended_on": TODAY.isoformat()}),
    ]
    for name, data in steps:
        person.refresh_from_db()
        response = officer_client.post(reverse(name, args=[code]), {**data, "version": person.version})
        assert response.status_code == 302, (name, response.content.decode()[:2000])
    person.refresh_from_db()
    assert person.status == Person.Status.ENDED
    kinds = list(person.management_events.order_by("pk").values_list("kind", flat=True))
    assert kinds == [
        "notice_received",
        "notice_verified",
        "released",
        "reported",
        "entered_management",
        "classified",
        "ended",
    ]

    page = officer_client.get(reverse("intake:person", args=[code]))
    assert page.status_code == 200
    assert "HCD-05" in page.content.decode()


def test_step_page_shows_a_clear_refusal_and_a_stale_version(officer_client):
    person = make_person((AN_GIANG, THOAI_SON), status="notified")
    page = officer_client.get(reverse("intake:person-reception", args=[person.record_code]))
    assert page.status_code == 200
    assert "not possible while the person" in page.content.decode()
    response = officer_client.post(
        reverse("intake:person-release", args=[person.record_code]),
        {"release_date": TODAY.isoformat(), "kind": "completed_term", "version": person.version - 1},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    person.refresh_from_db()
    assert person.status == "notified"


def test_htmx_step_success_refreshes_the_page(officer_client):
    person = make_person((AN_GIANG, THOAI_SON))
    response = officer_client.post(
        reverse("intake:person-missing", args=[person.record_code]),
        {"noted_on": TODAY.isoformat(), "version": person.version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"
    person.refresh_from_db()
    assert person.status == "whereabouts_unknown"


def test_step_pages_of_another_commune_are_not_found(officer_client):
    person = make_person((AN_GIANG, CHAU_DOC))
    assert officer_client.get(reverse("intake:person-release", args=[person.record_code])).status_code == 404
    assert officer_client.get(reverse("intake:person", args=[person.record_code])).status_code == 404


def test_person_actions_partial_offers_only_allowed_steps(officer_client):
    person = make_person((AN_GIANG, THOAI_SON), status="released")
    html = officer_client.get(reverse("intake:person-actions", args=[person.record_code])).content.decode()
    assert reverse("intake:person-reception", args=[person.record_code]) in html
    assert reverse("intake:person-classify", args=[person.record_code]) not in html


def test_person_actions_include_renders_in_another_template(rf, officer):
    """The partial the people detail page includes: status and buttons, from the request's user."""
    from django.template.loader import render_to_string

    person = make_person((AN_GIANG, THOAI_SON))
    request = rf.get("/")
    request.user = officer
    html = render_to_string("intake/partials/_person_actions.html", {"person": person}, request=request)
    assert 'data-testid="intake-actions"' in html
    assert reverse("intake:person-classify", args=[person.record_code]) in html


def test_notice_list_is_scoped_and_filtered(officer_client):
    mine = make_notice(
        (AN_GIANG, THOAI_SON),
        person=make_person((AN_GIANG, THOAI_SON), full_name="Người Ở Đây", status="notified"),
    )
    make_notice(
        (AN_GIANG, CHAU_DOC),
        person=make_person((AN_GIANG, CHAU_DOC), full_name="Người Ở Khác", status="notified"),
    )
    html = officer_client.get(reverse("intake:notice-list")).content.decode()
    assert "Người Ở Đây" in html
    assert "Người Ở Khác" not in html
    partial = officer_client.get(
        reverse("intake:notice-list") + "?state=to_verify&q=o day", HTTP_HX_REQUEST="true"
    )
    assert "Người Ở Đây" in partial.content.decode()
    assert "<nav" not in partial.content.decode().split("<table")[0]  # the partial only
    assert officer_client.get(reverse("intake:notice-detail", args=[mine.pk])).status_code == 200


def test_facility_pages_send_and_list_own_notices(client, facility_user, facility):
    sign_in(client, facility_user)
    response = client.post(
        reverse("intake:facility-notice-create"),
        {
            "full_name": "Trương Văn Về",
            "sex": "male",
            "expected_release_date": (TODAY + dt.timedelta(days=62)).isoformat(),
            "release_kind": "completed_term",
            "commune": BA_DINH,
        },
    )
    notice = ReleaseNotice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:facility-notice-detail", args=[notice.pk])
    assert notice.facility == facility
    assert notice.commune_id == BA_DINH
    assert not notice.is_late
    other = make_notice((AN_GIANG, THOAI_SON))
    html = client.get(reverse("intake:facility-notice-list")).content.decode()
    assert "Trương Văn Về" in html
    assert client.get(reverse("intake:facility-notice-detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("intake:notice-list")).status_code == 403
    assert client.get(reverse("intake:person", args=[notice.person.record_code])).status_code == 403


def test_facility_bulk_entry_files_a_whole_list(client, facility_user):
    sign_in(client, facility_user)
    release = (TODAY + dt.timedelta(days=70)).strftime("%d/%m/%Y")
    lines = (
        "full_name;sex;birth_year;personal_id;expected_release_date;release_kind;commune_code;address\n"
        f"Lý Văn Một;nam;1980;;{release};amnesty;{THOAI_SON};Ấp 1\n"
        f"Lý Thị Hai;nữ;1985;;{release};;{BA_DINH};Tổ 2\n"
    )
    response = client.post(
        reverse("intake:facility-notice-bulk"), {"rows_text": lines, "release_kind": "amnesty"}
    )
    assert response.status_code == 302
    assert sorted(ReleaseNotice.objects.values_list("person__full_name", flat=True)) == [
        "Lý Thị Hai",
        "Lý Văn Một",
    ]
    bad = (
        f"Lý Văn Ba;nam;1980;;{release};amnesty;{THOAI_SON};\nKhông Giới;;1980;;{release};amnesty;99999999;\n"
    )
    response = client.post(
        reverse("intake:facility-notice-bulk"), {"rows_text": bad, "release_kind": "amnesty"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="bulk-errors"' in html
    assert not Person.objects.filter(full_name="Lý Văn Ba").exists()


def test_transfer_pages_for_the_receiving_commune(client, officer, chau_doc_officer):
    transfer = make_transfer((AN_GIANG, THOAI_SON), to=(AN_GIANG, CHAU_DOC), sent_on=TODAY)
    sign_in(client, chau_doc_officer)
    page = client.get(reverse("intake:transfer-detail", args=[transfer.pk]))
    assert page.status_code == 200
    assert reverse("intake:transfer-confirm", args=[transfer.pk]) in page.content.decode()
    response = client.post(
        reverse("intake:transfer-confirm", args=[transfer.pk]),
        {"confirmed_on": TODAY.isoformat(), "version": transfer.version},
    )
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.CONFIRMED
    assert transfer.person.commune_id == CHAU_DOC


def test_sender_cannot_confirm_its_own_transfer(officer_client):
    transfer = make_transfer((AN_GIANG, THOAI_SON), to=(HA_NOI, BA_DINH), sent_on=TODAY)
    assert officer_client.get(reverse("intake:transfer-detail", args=[transfer.pk])).status_code == 200
    page = officer_client.get(reverse("intake:transfer-confirm", args=[transfer.pk]))
    assert "Only the receiving commune answers a transfer." in page.content.decode()
    response = officer_client.post(
        reverse("intake:transfer-confirm", args=[transfer.pk]),
        {"confirmed_on": TODAY.isoformat(), "version": transfer.version},
    )
    assert response.status_code == 403
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.SENT


def test_today_page_lists_the_work(officer_client):
    notice = make_notice(
        (AN_GIANG, THOAI_SON),
        person=make_person((AN_GIANG, THOAI_SON), full_name="Cần Xác Minh", status="notified"),
    )
    html = officer_client.get(reverse("intake:today")).content.decode()
    assert "Cần Xác Minh" in html
    assert reverse("intake:notice-verify", args=[notice.pk]) in html
    assert 'data-testid="policy-help"' in html


def test_today_partial_for_the_home_page(rf, officer, facility_user):
    from django.template.loader import render_to_string

    make_notice((AN_GIANG, THOAI_SON), person=make_person((AN_GIANG, THOAI_SON), status="notified"))
    request = rf.get("/")
    request.user = officer
    assert 'data-testid="today-panel"' in render_to_string("intake/partials/_today.html", {}, request=request)
    request.user = facility_user
    assert "today-panel" not in render_to_string("intake/partials/_today.html", {}, request=request)


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("intake:reception-hcd02-pdf", "application/pdf"), ("intake:reception-hcd05-docx", "officedocument")],
)
def test_reception_documents_download_and_are_audited(officer_client, name, content_type):
    reception = make_reception((AN_GIANG, THOAI_SON))
    response = officer_client.get(reverse(name, args=[reception.pk]))
    assert response.status_code == 200
    assert content_type in response["Content-Type"]
    assert "attachment" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="intake.document.printed", target_id=str(reception.pk)).exists()


def test_documents_of_another_commune_are_not_found(officer_client):
    notice = make_notice((AN_GIANG, CHAU_DOC))
    assert officer_client.get(reverse("intake:notice-hcd03-pdf", args=[notice.pk])).status_code == 404


def test_calendar_page_and_editing(client, admin, officer):
    sign_in(client, admin)
    page = client.get(reverse("intake:calendar") + "?year=2025")
    assert page.status_code == 200
    assert "29/01/2025" in page.content.decode()
    response = client.post(
        reverse("intake:calendar-day-create"),
        {"date": "2026-05-09", "kind": "working_day", "name": "Làm bù 9/5"},
    )
    assert response.status_code == 302
    day = CalendarDay.objects.get()
    response = client.post(
        reverse("intake:calendar-day-update", args=[day.pk]),
        {"date": "2026-05-09", "kind": "holiday", "name": "Nghỉ"},
    )
    assert response.status_code == 302
    day.refresh_from_db()
    assert day.kind == "holiday"
    assert client.post(reverse("intake:calendar-day-delete", args=[day.pk])).status_code == 302
    assert not CalendarDay.objects.exists()
    client.logout()
    sign_in(client, officer)
    assert client.get(reverse("intake:calendar")).status_code == 403


def test_pages_render_in_vietnamese(officer):
    """Vietnamese is the default language: the worklist renders for a Vietnamese browser."""
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    sign_in(client, officer)
    make_notice(
        (AN_GIANG, THOAI_SON),
        person=make_person((AN_GIANG, THOAI_SON), full_name="Người Việt", status="notified"),
    )
    html = client.get(reverse("intake:today")).content.decode()
    assert '<html lang="vi">' in html
    assert "Người Việt" in html
