"""A helper's "My people" exports what the page shows: their assigned people only, never the judicial side."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from hoanhap.audit.models import AuditEvent
from hoanhap.casework.testing import make_helper_assignment, make_plan_action
from hoanhap.core.testing import sign_in
from hoanhap.intake.testing import make_person
from hoanhap.justice.tests.records import make_judgment

from .conftest import PLACE

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
COLUMNS = ["Record code", "Full name", "Commune", "Next contact due", "Contact overdue", "Open actions"]


@pytest.fixture
def assigned(union):
    """Two people helped by the helper's organisation, one of them with a judgment on record."""
    start = TODAY - dt.timedelta(days=10)
    first = make_helper_assignment(PLACE, organisation=union, start_date=start).person
    second = make_helper_assignment(PLACE, organisation=union, start_date=start).person
    make_judgment(second, court_name="Tòa án nhân dân tỉnh An Giang", judgment_number="77/2019/HS-ST")
    make_plan_action(PLACE, person=second)
    return first, second


def test_a_helpers_export_lists_only_their_people_and_no_judicial_column(client, helper, assigned, union):
    """The CSV holds the page's people (not a neighbour of the same commune) and no court, judgment or
    offence; the export is recorded with its purpose."""
    make_person(PLACE, full_name="Người Không Được Giao")
    sign_in(client, helper)
    page = client.get(reverse("casework:my-people")).content.decode()
    assert reverse("casework:my-people-export") in page
    response = client.post(
        reverse("casework:my-people-export"), {"purpose": "Báo cáo chi hội", "format": "csv"}
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == COLUMNS
    assert sorted(row[0] for row in rows[1:]) == sorted(p.record_code for p in assigned)
    assert [row[5] for row in rows[1:] if row[0] == assigned[1].record_code] == ["1"]
    for judicial in ("Tòa án", "77/2019", "HS-ST", "Điều"):
        assert judicial not in text
    event = AuditEvent.objects.get(action="export.created")
    assert (event.actor, event.purpose, event.data["rows"]) == (helper, "Báo cáo chi hội", 2)
    # A helper holds no area: the export is filed under the unit of the helper's organisation.
    assert (event.province_code, event.commune_code) == (union.province_id, union.commune_id) != (None, None)


def test_the_excel_export_has_the_same_columns(client, helper, assigned):
    sign_in(client, helper)
    response = client.post(
        reverse("casework:my-people-export"), {"purpose": "Báo cáo chi hội", "format": "xlsx"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    assert len(rows) == 3


def test_the_export_needs_a_purpose_and_a_helper(client, helper, officer, assigned):
    """Without a purpose nothing leaves; a police officer has no "My people" list to export."""
    sign_in(client, helper)
    response = client.post(reverse("casework:my-people-export"), {"purpose": "", "format": "csv"})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="export.created").exists()
    sign_in(client, officer)
    assert client.get(reverse("casework:my-people-export")).status_code == 403
