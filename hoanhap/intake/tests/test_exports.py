"""The notice and transfer lists export exactly what they show, each export audited with its purpose."""

import csv
import io

import pytest
from django.urls import reverse

from hoanhap.audit.models import AuditEvent
from hoanhap.core.testing import AN_GIANG, CHAU_DOC, THOAI_SON, sign_in
from hoanhap.intake.testing import make_notice, make_person, make_transfer

pytestmark = pytest.mark.django_db

PLACE = (AN_GIANG, THOAI_SON)


def _csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_notice_export_follows_the_filters_and_the_area(client, officer):
    late = make_notice(
        PLACE, person=make_person(PLACE, full_name="Lê Văn Trễ", status="notified"), is_late=True
    )
    make_notice(PLACE, person=make_person(PLACE, full_name="Lê Văn Đúng", status="notified"))
    make_notice(
        (AN_GIANG, CHAU_DOC),
        person=make_person((AN_GIANG, CHAU_DOC), full_name="Ngoài Xã", status="notified"),
    )
    sign_in(client, officer)
    url = reverse("intake:notice-export") + "?state=late"
    response = client.post(url, {"purpose": "Rà soát", "format": "csv"})
    assert response.status_code == 200
    rows = _csv_rows(response)
    assert [r[1] for r in rows[1:]] == [late.person.full_name]
    event = AuditEvent.objects.filter(action="export.created").latest("pk")
    assert event.purpose == "Rà soát"
    assert event.data["rows"] == 1
    assert event.data["filters"]["state"] == "late"


def test_transfer_export_lists_the_transfers_of_the_area(client, officer):
    transfer = make_transfer(PLACE)
    sign_in(client, officer)
    response = client.post(reverse("intake:transfer-export"), {"purpose": "Báo cáo", "format": "csv"})
    rows = _csv_rows(response)
    assert [r[0] for r in rows[1:]] == [transfer.person.record_code]


def test_an_export_without_a_purpose_is_refused(client, officer):
    sign_in(client, officer)
    response = client.post(reverse("intake:notice-export"), {"purpose": "", "format": "xlsx"})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="export.created").exists()
