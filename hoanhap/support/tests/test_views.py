"""The support pages: list with filters and totals, forms (HTMX too), referral, Form 01, catalogue, worklist."""

import datetime as dt
import io

import pytest
from django.urls import reverse

from hoanhap.access.roles import Role
from hoanhap.audit.models import AuditEvent
from hoanhap.casework.testing import make_helper_assignment
from hoanhap.core.testing import make_user, sign_in
from hoanhap.intake import worklist
from hoanhap.support import selectors
from hoanhap.support.models import Child, Form01List, PolicyBankReferral, SupportAction, SupportKind
from hoanhap.support.testing import kind, make_action, make_child, make_evidence, make_form01

from .conftest import ELSEWHERE, PLACE

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_officer(client, officer):
    sign_in(client, officer)
    return client


def test_the_list_filters_and_totals_what_it_shows(as_officer, person):
    make_action(
        PLACE, person=person, kind="gift_in_kind", item="Xe đạp", value=1_500_000, value_basis="estimate"
    )
    make_action(PLACE, person=person, value=2_000_000)
    make_action(
        PLACE, child=make_child(PLACE), kind="scholarship", value=500_000, given_on=dt.date(2024, 9, 1)
    )
    make_action(ELSEWHERE, value=9_000_000)  # another commune: not the officer's
    page = as_officer.get(reverse("support:action-list"))
    assert page.status_code == 200
    totals = page.context["totals"]
    assert (totals["actions"], totals["people"], totals["children"], totals["value"]) == (3, 1, 1, 4_000_000)
    assert totals["value_estimate"] == 1_500_000
    filtered = as_officer.get(
        reverse("support:action-list"), {"kind": "gift_in_kind"}, HTTP_HX_REQUEST="true"
    )
    assert filtered.context["totals"]["actions"] == 1
    assert "Xe đạp" in filtered.content.decode()
    assert "<html" not in filtered.content.decode()
    period = as_officer.get(
        reverse("support:action-list"), {"date_from": "2025-01-01", "beneficiary": "person"}
    )
    assert period.context["totals"]["actions"] == 2


def test_recording_support_through_the_htmx_form_with_evidence(as_officer, person):
    url = reverse("support:action-create") + f"?person={person.record_code}"
    assert as_officer.get(url).status_code == 200
    upload = io.BytesIO(b"bien nhan")
    upload.name = "bien-nhan.pdf"
    response = as_officer.post(
        url,
        {
            "kind": kind("gift_in_kind").pk,
            "given_on": "2025-01-05",
            "item": "Xe đạp",
            "quantity": 1,
            "value": 1500000,
            "value_basis": "estimate",
            "evidence": upload,
        },
        HTTP_HX_REQUEST="true",
    )
    action = SupportAction.objects.get()
    assert response.status_code == 200
    assert response["HX-Redirect"] == action.get_absolute_url()
    assert action.evidence.count() == 1
    detail = as_officer.get(action.get_absolute_url())
    assert "Xe đạp" in detail.content.decode()
    download = as_officer.get(reverse("support:evidence-download", args=[action.evidence.get().pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"bien nhan"
    assert AuditEvent.objects.filter(action="support.supportevidence.viewed").exists()


def test_an_invalid_form_answers_400_with_the_errors(as_officer, person):
    url = reverse("support:action-create") + f"?person={person.record_code}"
    response = as_officer.post(
        url, {"kind": kind("gift_in_kind").pk, "given_on": "2025-01-05", "quantity": 1, "value_basis": "cash"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["item"]


def test_recording_for_a_person_outside_the_area_is_not_found(as_officer):
    stranger = make_action(ELSEWHERE).person
    assert (
        as_officer.get(reverse("support:action-create") + f"?person={stranger.record_code}").status_code
        == 404
    )


def test_job_follow_up_from_the_detail_page(as_officer, person):
    job = make_action(
        PLACE,
        person=person,
        kind="job_placement",
        value=None,
        employer="Xưởng may",
        job_start_on=dt.date(2024, 1, 10),
    )
    response = as_officer.post(
        reverse("support:action-follow-up", args=[job.pk]), {"months": 3, "employed": "no"}
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.employed_3m is False


def test_correcting_support(as_officer, person):
    action = make_action(PLACE, person=person)
    url = reverse("support:action-edit", args=[action.pk])
    assert as_officer.get(url).status_code == 200
    data = {
        "kind": action.kind_id,
        "given_on": "2025-06-01",
        "quantity": 2,
        "value": 3000000,
        "value_basis": "cash",
        "version": action.version,
    }
    assert as_officer.post(url, data).status_code == 302
    action.refresh_from_db()
    assert (action.quantity, action.value) == (2, 3_000_000)


def test_children_pages(as_officer, person):
    response = as_officer.post(
        reverse("support:child-create"),
        {
            "parent": person.record_code,
            "parent_relation": "father",
            "full_name": "Lê Thị Bé",
            "birth_date": "2015-03-02",
            "school": "Trường Tiểu học A",
            "grade": "4",
        },
    )
    child = Child.objects.get()
    assert response.status_code == 302
    assert child.commune_id == person.commune_id
    assert "Lê Thị Bé" in as_officer.get(reverse("support:child-list")).content.decode()
    detail = as_officer.get(child.get_absolute_url())
    assert detail.status_code == 200
    assert "Trường Tiểu học A" in detail.content.decode()
    edit = as_officer.post(
        reverse("support:child-edit", args=[child.pk]),
        {
            "parent": person.record_code,
            "parent_relation": "father",
            "full_name": "Lê Thị Bé",
            "grade": "5",
            "version": child.version,
        },
    )
    assert edit.status_code == 302
    child.refresh_from_db()
    assert child.grade == "5"


def test_referral_page_explains_then_refers(as_officer, released):
    listing = make_form01(PLACE)
    listing.entries.update(person=released)
    Form01List.objects.filter(pk=listing.pk).update(status="certified", certified_on=dt.date(2025, 1, 5))
    url = reverse("support:referral-create") + f"?person={released.record_code}"
    explained = as_officer.get(
        url,
        {
            "purpose": "business",
            "amount": 120000000,
            "referred_on": "2025-03-01",
            "person": released.record_code,
        },
        HTTP_HX_REQUEST="true",
    )
    assert explained.status_code == 200
    assert explained.context["result"] is not None
    assert not explained.context["result"].eligible
    assert "100.000.000" in explained.content.decode()
    response = as_officer.post(url, {"purpose": "business", "amount": 80000000, "referred_on": "2025-03-01"})
    referral = PolicyBankReferral.objects.get()
    assert response.status_code == 302
    detail = as_officer.get(referral.get_absolute_url())
    assert detail.status_code == 200
    assert detail.context["decision_form"] is not None
    decided = as_officer.post(
        reverse("support:referral-decide", args=[referral.pk]),
        {
            "status": "approved",
            "decided_on": selectors.today().isoformat(),
            "approved_amount": 80000000,
            "version": referral.version,
        },
    )
    assert decided.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "approved"
    assert referral.support_action.value == 80_000_000


def test_form01_generate_certify_and_print(client, officer, committee, released):
    sign_in(client, officer)
    response = client.post(
        reverse("support:form01-generate"),
        {"commune": PLACE[1], "prepared_on": selectors.today().isoformat()},
    )
    listing = Form01List.objects.get()
    assert response.status_code == 302
    assert listing.entries.get().person == released
    assert client.get(listing.get_absolute_url()).context["certify_form"] is None  # police prepare only
    pdf = client.get(reverse("support:form01-pdf", args=[listing.pk]))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    docx = client.get(reverse("support:form01-docx", args=[listing.pk]))
    assert docx.status_code == 200
    assert docx.content.startswith(b"PK")
    client.logout()
    sign_in(client, committee)
    page = client.get(listing.get_absolute_url())
    assert page.context["certify_form"] is not None
    assert not page.context["can_edit"]
    client.post(
        reverse("support:form01-certify", args=[listing.pk]),
        {"certified_on": selectors.today().isoformat(), "reference": "15/UBND", "version": listing.version},
    )
    listing.refresh_from_db()
    assert listing.is_certified


def test_docx_names_the_people_and_says_the_layout_is_provisional(released):
    from docx import Document

    from hoanhap.access.policy import SYSTEM
    from hoanhap.geo.models import Commune
    from hoanhap.support import documents, services

    listing = services.form01_generate(actor=SYSTEM, commune=Commune.objects.get(pk=PLACE[1]))
    text = "\n".join(p.text for p in Document(io.BytesIO(documents.render_docx(listing))).paragraphs)
    cells = [
        c.text
        for t in Document(io.BytesIO(documents.render_docx(listing))).tables
        for r in t.rows
        for c in r.cells
    ]
    assert released.full_name in cells
    assert "7/GCN, 01/07/2021" in cells
    assert "Provisional layout" in text or "tạm" in text.lower()


def test_catalogue_pages_add_a_kind(client):
    admin = make_user(Role.SYSTEM_ADMIN)
    sign_in(client, admin)
    assert client.get(reverse("support:kind-list")).status_code == 200
    response = client.post(
        reverse("support:kind-create"),
        {
            "code": "tet_visit",
            "name_vi": "Thăm hỏi Tết",
            "name_en": "Tết visit",
            "value_basis": "estimate",
            "is_active": "on",
            "order": 200,
        },
    )
    assert response.status_code == 302
    row = SupportKind.objects.get(code="tet_visit")
    edit = client.post(
        reverse("support:kind-edit", args=[row.pk]),
        {
            "code": "ignored",
            "name_vi": "Thăm Tết",
            "name_en": "Tết visit",
            "value_basis": "estimate",
            "order": 200,
        },
    )
    assert edit.status_code == 302
    row.refresh_from_db()
    assert row.code == "tet_visit"
    assert not row.is_active


def test_catalogue_pages_refuse_officers(as_officer):
    assert as_officer.get(reverse("support:kind-list")).status_code == 403
    assert (
        as_officer.post(reverse("support:kind-export"), {"purpose": "x", "format": "csv"}).status_code == 403
    )
    assert (
        as_officer.post(reverse("support:source-export"), {"purpose": "x", "format": "csv"}).status_code
        == 403
    )


def test_the_catalogues_export_every_row_in_their_order_with_the_purpose(client):
    """The catalogue pages have no filters: their exports hold every kind and source, in the
    catalogue's order, as .csv and .xlsx, and the audit log keeps why."""
    import csv

    from openpyxl import load_workbook

    from hoanhap.support.models import FundingSource

    sign_in(client, make_user(Role.SYSTEM_ADMIN))
    page = client.get(reverse("support:kind-list")).content.decode()
    assert reverse("support:kind-export") in page
    kinds = client.post(reverse("support:kind-export"), {"purpose": "Đối chiếu danh mục", "format": "csv"})
    assert kinds.status_code == 200
    rows = list(csv.reader(io.StringIO(kinds.content.decode("utf-8-sig"))))[1:]
    expected = list(SupportKind.objects.order_by("order", "code").values_list("code", flat=True))
    assert expected
    assert [r[0] for r in rows] == expected
    sources = client.post(
        reverse("support:source-export"), {"purpose": "Đối chiếu danh mục", "format": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(sources.content)).active
    codes = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert codes
    assert codes == list(FundingSource.objects.order_by("order", "code").values_list("code", flat=True))
    events = AuditEvent.objects.filter(action="export.created", purpose="Đối chiếu danh mục")
    assert events.count() == 2


def test_worklist_sections_list_follow_ups_and_pending_referrals(officer, person):
    make_action(
        PLACE,
        person=person,
        kind="job_placement",
        value=None,
        employer="Xưởng may",
        job_start_on=selectors.today() - dt.timedelta(days=200),
    )
    from hoanhap.support.testing import make_referral

    make_referral(PLACE, person=person)
    sections = {s.code: s for s in worklist.worklist(actor=officer, expungement=False)}
    assert len(sections["support_jobs"].items) == 1
    assert "3 months" in sections["support_jobs"].items[0].what
    assert len(sections["support_referrals"].items) == 1


def test_the_helper_records_support_from_the_person_page(client, helper, union, person):
    make_helper_assignment(PLACE, person=person, organisation=union)
    sign_in(client, helper)
    page = client.get(person.get_absolute_url()).content.decode()
    assert reverse("support:action-create") in page
    assert reverse("support:referral-create") not in page
    response = client.post(
        reverse("support:action-create") + f"?person={person.record_code}",
        {"kind": kind("counselling").pk, "given_on": "2025-01-05", "quantity": 1, "value_basis": "cash"},
    )
    assert response.status_code == 302
    assert SupportAction.objects.get().provider == union


def test_evidence_of_another_commune_is_not_found(as_officer):
    evidence = make_evidence(ELSEWHERE)
    assert as_officer.get(reverse("support:evidence-download", args=[evidence.pk])).status_code == 404
