"""Exports of what a list shows (.xlsx, .csv, audited with a purpose) and the summary command's JSON."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from hoanhap.audit import context
from hoanhap.audit.models import AuditEvent
from hoanhap.core.testing import sign_in
from hoanhap.people.models import Relative
from hoanhap.support.testing import make_action, make_child

from .conftest import ELSEWHERE, PLACE

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(person):
    make_action(
        PLACE,
        person=person,
        kind="gift_in_kind",
        item="=HYPERLINK(1)",
        value=1_500_000,
        value_basis="estimate",
    )
    make_action(PLACE, person=person, value=2_000_000)
    make_action(ELSEWHERE, value=7_000_000)


def test_the_csv_export_is_what_the_list_shows_and_is_audited(client, officer, rows):
    sign_in(client, officer)
    url = reverse("support:action-export") + "?kind=gift_in_kind"
    assert client.get(url).status_code == 200
    response = client.post(url, {"purpose": "Báo cáo quý I", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 2  # the header and the one gift in the officer's commune
    assert "'=HYPERLINK(1)" in lines[1]  # a formula is neutralised
    event = AuditEvent.objects.get(action="export.created")
    assert event.purpose == "Báo cáo quý I"
    assert event.data["rows"] == 1
    assert event.data["filters"] == {"kind": "gift_in_kind"}
    assert event.commune_code == PLACE[1]


def test_the_xlsx_export_has_a_header_and_the_rows(client, officer, rows):
    from openpyxl import load_workbook

    sign_in(client, officer)
    response = client.post(reverse("support:action-export"), {"purpose": "Báo cáo năm", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert len(values) == 3
    assert values[0][0] in {"Date", "Ngày"}
    assert sorted(v[10] for v in values[1:]) == [1_500_000, 2_000_000]


def test_an_export_without_purpose_is_refused(client, officer, rows):
    sign_in(client, officer)
    response = client.post(reverse("support:action-export"), {"purpose": "", "format": "csv"})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="export.created").exists()


@pytest.mark.parametrize("name", ["support:child-export", "support:referral-export", "support:form01-export"])
def test_the_other_lists_export_too(client, officer, name):
    make_child(PLACE)
    sign_in(client, officer)
    response = client.post(reverse(name), {"purpose": "Kiểm tra định kỳ", "format": "xlsx"})
    assert response.status_code == 200
    assert response.content.startswith(b"PK")


def summary(*args) -> dict:
    out = io.StringIO()
    call_command("support", "summary", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_summary_counts_per_kind_beneficiaries_and_value(person):
    """People, relatives and children are counted apart and once each; values split cash / estimate."""
    mother = Relative.objects.create(person=person, relation="mother", full_name="Mẹ")
    make_action(PLACE, person=person, value=2_000_000, given_on=dt.date(2023, 3, 1))
    make_action(PLACE, person=person, value=1_000_000, given_on=dt.date(2023, 5, 1))
    make_action(
        PLACE,
        person=person,
        relative=mother,
        kind="health_insurance",
        value=800_000,
        value_basis="estimate",
        given_on=dt.date(2023, 6, 1),
    )
    child = make_child(PLACE)
    make_action(
        PLACE,
        child=child,
        kind="gift_in_kind",
        item="Xe đạp",
        value=1_200_000,
        value_basis="estimate",
        given_on=dt.date(2023, 9, 5),
    )
    make_action(PLACE, person=person, given_on=dt.date(2024, 1, 2))  # outside the period
    make_action(ELSEWHERE, given_on=dt.date(2023, 3, 1))  # another commune
    data = summary("--from", "2023-01-01", "--to", "2023-12-31", "--scope", f"commune:{PLACE[1]}")
    assert data["scope"] == f"commune:{PLACE[1]}"
    assert data["from"] == "2023-01-01"
    kinds = {k["code"]: k for k in data["kinds"]}
    assert kinds["vocational_training"]["actions"] == 2
    assert kinds["vocational_training"]["beneficiaries"] == {"people": 1, "relatives": 0, "children": 0}
    assert kinds["vocational_training"]["value"] == 3_000_000
    assert kinds["health_insurance"]["beneficiaries"]["relatives"] == 1
    assert kinds["gift_in_kind"]["beneficiaries"]["children"] == 1
    assert data["totals"] == {
        "actions": 4,
        "beneficiaries": {"people": 1, "relatives": 1, "children": 1, "total": 3},
        "value": 5_000_000,
        "value_cash": 3_000_000,
        "value_estimate": 2_000_000,
    }
    province = summary("--from", "2023-01-01", "--to", "2023-12-31", "--scope", "province:91")
    assert province["totals"]["actions"] == 5


def test_the_summary_refuses_a_scope_outside_the_users_areas(officer):
    with context.acting(source=context.SOURCE_CLI, user=officer), pytest.raises(CommandError):
        summary("--from", "2023-01-01", "--to", "2023-12-31", "--scope", f"commune:{ELSEWHERE[1]}")


def test_the_summary_prints_a_readable_text_too(person):
    make_action(PLACE, person=person, value=2_000_000, given_on=dt.date(2023, 3, 1))
    out = io.StringIO()
    call_command(
        "support",
        "summary",
        "--from",
        "2023-01-01",
        "--to",
        "2023-12-31",
        "--scope",
        "province:91",
        stdout=out,
    )
    assert "2.000.000" in out.getvalue()
