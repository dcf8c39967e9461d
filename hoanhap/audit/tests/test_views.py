"""The audit pages: scoped like everything else, filterable, exportable with a purpose."""

import csv
import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from hoanhap.audit import context, services
from hoanhap.audit.models import AuditEvent
from hoanhap.audit.tests.helpers import entry_at
from hoanhap.core.testing import AN_GIANG, BA_DINH, CHAU_DOC, HA_NOI, THOAI_SON, make_organisation, sign_in

pytestmark = pytest.mark.django_db

LIST = reverse("audit:event-list")
EXPORT = reverse("audit:event-export")


@pytest.fixture
def entries():
    """One entry in each place: a commune of 91, province 91 itself, Hà Nội, and no unit."""
    return {
        "thoai_son": services.record(
            "test.case.noted", target_type="x", target_repr="Hồ sơ Thoại Sơn", commune=THOAI_SON
        ),
        "an_giang": services.record(
            "test.case.noted", target_type="x", target_repr="Hồ sơ An Giang", province=AN_GIANG
        ),
        "ha_noi": services.record(
            "test.case.noted", target_type="x", target_repr="Hồ sơ Hà Nội", province=HA_NOI, commune=BA_DINH
        ),
        "national": services.record("test.case.noted", target_type="x", target_repr="Hồ sơ toàn quốc"),
    }


def listed(response) -> set[str]:
    return {e.target_repr for e in response.context["page"].object_list}


def test_province_admin_sees_entries_of_the_province_only(client, province_admin, entries):
    """An administrator of province 91 sees its entries, not those of province 1 nor unit-less ones."""
    sign_in(client, province_admin)
    response = client.get(LIST, {"action": "test."})
    assert response.status_code == 200
    assert listed(response) == {"Hồ sơ Thoại Sơn", "Hồ sơ An Giang"}
    assert "Hồ sơ Hà Nội" not in response.content.decode()


def test_system_admin_sees_every_entry_including_those_without_unit(client, system_admin, entries):
    sign_in(client, system_admin)
    response = client.get(LIST, {"action": "test."})
    assert listed(response) == {"Hồ sơ Thoại Sơn", "Hồ sơ An Giang", "Hồ sơ Hà Nội", "Hồ sơ toàn quốc"}


def test_commune_officer_cannot_open_the_log(client, commune_officer, entries):
    """Without VIEW_AUDIT anywhere: 403 on every audit page."""
    sign_in(client, commune_officer)
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("audit:event-detail", args=[entries["thoai_son"].pk])).status_code == 403
    assert client.post(EXPORT, {"purpose": "checking things"}).status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert reverse("access:login") in response["Location"]


def test_detail_inside_and_outside_the_scope(client, province_admin, entries):
    """An entry of another province answers 404, like one that does not exist."""
    sign_in(client, province_admin)
    ok = client.get(reverse("audit:event-detail", args=[entries["thoai_son"].pk]))
    assert ok.status_code == 200
    assert "Hồ sơ Thoại Sơn" in ok.content.decode()
    assert client.get(reverse("audit:event-detail", args=[entries["ha_noi"].pk])).status_code == 404
    assert client.get(reverse("audit:event-detail", args=[entries["national"].pk])).status_code == 404


def test_detail_shows_changes_old_to_new_with_field_labels(client, system_admin):
    org = make_organisation(name="Tên cũ", province=AN_GIANG, commune=THOAI_SON)
    org.name = "Tên mới"
    org.is_active = False
    org.commune_id = CHAU_DOC
    org.save()
    event = AuditEvent.objects.get(action="access.organisation.updated", target_id=str(org.pk))
    sign_in(client, system_admin)
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        response = client.get(reverse("audit:event-detail", args=[event.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "updated organisation" in html
    assert "Tên cũ" in html
    assert "Tên mới" in html
    assert "Active" in html
    assert "Yes" in html
    assert "No" in html


def test_list_renders_action_sentences_and_changes(client, province_admin):
    org = make_organisation(name="Trước", province=AN_GIANG, commune=THOAI_SON)
    org.name = "Sau"
    org.save()
    sign_in(client, province_admin)
    client.cookies["django_language"] = "en"
    html = client.get(LIST, {"action": "access.organisation.updated"}).content.decode()
    assert "updated organisation" in html
    assert "Trước → Sau" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"date_from": "02/03/2026", "date_to": "03/03/2026"}, {"march 2", "march 3 late"}),
        ({"date_to": "01/03/2026"}, {"march 1"}),
        ({"actor": "system"}, {"march 1", "march 2", "march 3 late", "cli"}),
        ({"action": "access.organisation."}, {"march 1", "march 2", "march 3 late"}),
        ({"action": "access.organisation.deleted"}, {"march 3 late"}),
        ({"source": "cli"}, {"cli"}),
        ({"record_type": "access.organisation"}, {"march 1", "march 2", "march 3 late"}),
        ({"province": str(AN_GIANG), "commune": str(CHAU_DOC)}, {"march 2"}),
        ({"q": "nguyen van"}, {"cli"}),
    ],
)
def test_filters(client, system_admin, params, expected):
    """Dates are whole local days in dd/mm/yyyy; action is a prefix; free text ignores diacritics."""
    entry_at(
        dt.datetime(2026, 3, 1, 8, 0),
        target_type="access.organisation",
        target_repr="march 1",
        province=AN_GIANG,
        commune=THOAI_SON,
    )
    entry_at(
        dt.datetime(2026, 3, 2, 0, 5),
        target_type="access.organisation",
        target_repr="march 2",
        province=AN_GIANG,
        commune=CHAU_DOC,
    )
    entry_at(
        dt.datetime(2026, 3, 3, 23, 50),
        "access.organisation.deleted",
        target_type="access.organisation",
        target_repr="march 3 late",
        province=AN_GIANG,
    )
    with context.acting(source=context.SOURCE_CLI):
        entry_at(
            dt.datetime(2026, 3, 5, 9, 0),
            "people.person.merged",
            target_type="people.person",
            target_repr="cli",
            data={},
            province=HA_NOI,
            target_id="Nguyễn Văn An",
        )
    sign_in(client, system_admin)
    window = {"date_from": "01/01/2026", "date_to": "31/03/2026"}  # leaves out the accounts made just now
    response = client.get(LIST, {**window, **params})
    assert response.status_code == 200
    assert listed(response) == expected


def test_invalid_filter_shows_an_error_and_no_rows(client, system_admin, entries):
    sign_in(client, system_admin)
    client.cookies["django_language"] = "en"
    response = client.get(LIST, {"date_from": "31/02/2026"})
    assert response.status_code == 200
    assert listed(response) == set()
    assert "From: Enter a valid date." in response.content.decode()


def oob_commune_options(html: str) -> list[str]:
    """The option values of the commune select swapped in out of band."""
    block = html[html.index('<div id="audit-commune" hx-swap-oob="true">') :].split("</select>")[0]
    return re.findall(r'<option value="([^"]*)"', block)


def test_htmx_request_gets_the_results_partial(client, province_admin, entries):
    """Filtering swaps only the results, and refreshes the commune list for the chosen province."""
    sign_in(client, province_admin)
    html = client.get(LIST, {"action": "test."}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html
    assert 'id="audit-results"' in html
    assert "Hồ sơ Thoại Sơn" in html
    assert oob_commune_options(html) == [""]  # no province chosen: nothing to choose yet
    html = client.get(LIST, {"province": str(AN_GIANG)}, HTTP_HX_REQUEST="true").content.decode()
    options = oob_commune_options(html)
    assert str(THOAI_SON) in options
    assert str(BA_DINH) not in options


def test_province_choices_are_limited_to_the_scope(client, province_admin):
    sign_in(client, province_admin)
    choices = dict(client.get(LIST).context["filter"].form.fields["province"].widget.choices)
    assert set(choices) == {"", str(AN_GIANG)}


def test_pagination_keeps_the_filters(client, system_admin):
    for i in range(55):
        services.record("test.page.row", target_type="x", target_repr=f"row {i}")
    sign_in(client, system_admin)
    first = client.get(LIST, {"action": "test.page"})
    assert len(first.context["page"].object_list) == 50
    assert "action=test.page&amp;page=2" in first.content.decode()
    second = client.get(LIST, {"action": "test.page", "page": 2})
    assert len(second.context["page"].object_list) == 5


def test_list_query_count_does_not_grow_with_rows(client, system_admin):
    """The page costs the same number of queries for 3 rows as for 40 (bounded, no N+1)."""
    sign_in(client, system_admin)

    def queries_for(rows: int) -> int:
        for i in range(rows):
            services.record(
                "test.count.row",
                target_type="access.organisation",
                target_repr=f"r{i}",
                province=AN_GIANG,
                commune=THOAI_SON if i % 2 else CHAU_DOC,
                changes={"name": ["a", "b"]},
            )
        with CaptureQueriesContext(connection) as captured:
            response = client.get(LIST, {"action": "test.count"})
        assert response.status_code == 200
        return len(captured)

    few = queries_for(3)
    many = queries_for(37)
    assert few == many
    assert many <= 14


def test_export_requires_a_purpose(client, province_admin, entries):
    sign_in(client, province_admin)
    assert client.get(EXPORT, {"action": "test."}).status_code == 200
    response = client.post(f"{EXPORT}?action=test.", {"purpose": ""})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="export.created").exists()


def test_export_gives_the_scoped_filtered_rows_and_records_the_purpose(client, province_admin, entries):
    """The CSV holds what the page shows; the export leaves an entry with purpose and row count."""
    sign_in(client, province_admin)
    response = client.post(f"{EXPORT}?action=test.", {"purpose": "Thanh tra định kỳ quý I"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert {r[7] for r in rows[1:]} == {"Hồ sơ Thoại Sơn", "Hồ sơ An Giang"}
    export = AuditEvent.objects.get(action="export.created")
    assert export.purpose == "Thanh tra định kỳ quý I"
    assert export.data == {"rows": 2, "filters": {"action": "test."}}
    assert (export.actor, export.province_code) == (province_admin, AN_GIANG)


def test_export_neutralises_spreadsheet_formulas(client, system_admin):
    services.record("test.csv.formula", target_type="x", target_repr='=HYPERLINK("http://x")')
    sign_in(client, system_admin)
    response = client.post(f"{EXPORT}?action=test.csv", {"purpose": "kiểm tra công thức"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_export_file_and_entry_agree_on_the_row_count(client, province_admin):
    """The export's own entry is not in the file it describes, even when the filters would match it."""
    services.record_export("people", purpose="earlier export", rows=4, province=AN_GIANG)
    sign_in(client, province_admin)
    response = client.post(f"{EXPORT}?action=export.", {"purpose": "đối chiếu các lần xuất"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))[1:]
    newest = AuditEvent.objects.filter(action="export.created").order_by("-id").first()
    assert newest.purpose == "đối chiếu các lần xuất"
    assert newest.data["rows"] == len(rows) == 1
    assert rows[0][9] == "earlier export"
