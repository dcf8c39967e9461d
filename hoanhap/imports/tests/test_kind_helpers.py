"""``helpers``: lists of who helps whom, read tolerantly and imported through ``casework.services`` —
organisations registered when missing, accounts by user name, past assignments of released people."""

from __future__ import annotations

import datetime as dt

import pytest

from hoanhap.access.models import Organisation
from hoanhap.access.roles import Role
from hoanhap.casework.models import HelperAssignment
from hoanhap.core.testing import AN_GIANG, CHAU_DOC, THOAI_SON, make_organisation, make_user
from hoanhap.imports.reading.table import open_table
from hoanhap.intake.testing import make_person
from hoanhap.people.models import Person, TimelineEntry

from .builders import kind_sheet, run, xlsx

pytestmark = pytest.mark.django_db

PLACE = (AN_GIANG, THOAI_SON)


@pytest.fixture
def person() -> Person:
    return make_person(PLACE, full_name="Lê Văn Được", birth_year=1988, personal_id="089088001234")


def commune_list(tmp_path):
    """A two-line header: "Người giúp đỡ" over the helper's columns; the ID stored as a number."""
    return xlsx(
        tmp_path / "giup_do.xlsx",
        [
            ["DANH SÁCH PHÂN CÔNG GIÚP ĐỠ NGƯỜI CHẤP HÀNH XONG ÁN PHẠT TÙ"],
            ["STT", "Họ tên người được giúp đỡ", "CCCD", "Người giúp đỡ", None, None, "Tổ chức", "Từ ngày"],
            [None, None, None, "Họ tên", "Chức vụ", "SĐT", None, None],
            [
                1,
                "LÊ VĂN ĐƯỢC",
                89088001234,
                "trần thị hoa",
                "Chi hội trưởng",
                "0912 345 678",
                None,
                "01/04/2024",
            ],
            [2, "Lê Văn Được", 89088001234, None, None, None, "Hội Cựu chiến binh xã Thoại Sơn", "1/4/24"],
            [3, "Lê Văn Được", 89088001234, "Võ Văn Sai", None, None, None, "2024-13-01"],
        ],
        merges=("D2:F2", "B2:B3", "C2:C3", "G2:G3", "H2:H3"),
    )


def test_a_commune_list_reads_through_synonyms_and_two_line_headers(tmp_path):
    table = open_table(commune_list(tmp_path), "helpers", province_hint=AN_GIANG)
    assert table.errors == []
    codes = {c.header: c.spec.code for c in table.header.columns}
    assert codes["Người giúp đỡ / Họ tên"] == "helper_name"
    assert codes["Người giúp đỡ / Chức vụ"] == "helper_role"
    assert codes["Người giúp đỡ / SĐT"] == "helper_phone"
    assert (codes["Họ tên người được giúp đỡ"], codes["CCCD"], codes["Từ ngày"]) == (
        "full_name",
        "id_number",
        "start_date",
    )
    assert codes["Tổ chức"] == "organisation"


def test_good_rows_are_imported_and_bad_rows_name_their_column(tmp_path, person):
    """An individual and an organisation (registered, with a warning); an impossible date is an error."""
    result = run(commune_list(tmp_path), "--kind", "helpers", "--commit", "valid", "--scope", "province:91")
    assert (result["rows"], result["created"]) == (3, 2)
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(6, "Từ ngày")]
    assert (5, "Tổ chức") in {(w["row"], w["column"]) for w in result["warnings"]}  # organisation added
    by_name = {a.helper_name: a for a in HelperAssignment.objects.filter(person=person)}
    hoa = by_name["Trần Thị Hoa"]
    assert (hoa.helper_role, hoa.phone, hoa.start_date) == (
        "Chi hội trưởng",
        "0912 345 678",
        dt.date(2024, 4, 1),
    )
    veterans = by_name[""].organisation
    assert (veterans.name, veterans.province_id, veterans.kind) == (
        "Hội Cựu chiến binh xã Thoại Sơn",
        AN_GIANG,
        Organisation.Kind.OTHER,
    )
    assert TimelineEntry.objects.filter(person=person, kind="casework.helper.assigned").count() == 2


def template_rows(person: Person, organisation: Organisation, account: str) -> list[dict]:
    return [
        {
            "record_code": person.record_code,
            "helper_name": "Trần Thị Hoa",
            "helper_role": "Hội viên",
            "organisation": organisation.name,
            "organisation_kind": "Hội Liên hiệp Phụ nữ",
            "organisation_unit": THOAI_SON,
            "start_date": dt.date(2023, 4, 1),
            "end_date": dt.date(2024, 3, 31),
        },
        {"record_code": person.record_code, "helper_account": account, "start_date": dt.date(2024, 4, 1)},
    ]


def test_a_released_persons_past_helpers_are_recorded_and_a_reimport_skips(tmp_path, person):
    """A released person (case work not running) keeps the list's helpers; an account names its helper."""
    Person.objects.filter(pk=person.pk).update(status=Person.Status.RELEASED)
    union = make_organisation(Organisation.Kind.WOMENS_UNION, name="Hội Phụ nữ xã Thoại Sơn")
    helper = make_user(Role.HELPER, organisation=union, username="hoa.tran")
    path = kind_sheet(tmp_path / "helpers.xlsx", "helpers", template_rows(person, union, "hoa.tran"))
    first = run(path, "--commit", "all")
    assert first["errors"] == []
    assert first["created"] == 2
    assignments = list(HelperAssignment.objects.filter(person=person).order_by("start_date"))
    assert [(a.organisation, a.end_date) for a in assignments] == [
        (union, dt.date(2024, 3, 31)),
        (None, None),
    ]
    assert (assignments[1].user, assignments[1].helper_name) == (helper, "")

    again = run(path, "--commit", "all")
    assert (again["created"], again["updated"], again["skipped"]) == (0, 0, 2)

    rows = template_rows(person, union, "hoa.tran")
    rows[1]["end_date"] = dt.date(2025, 1, 31)
    changed = run(kind_sheet(tmp_path / "changed.xlsx", "helpers", rows), "--commit", "all")
    assert (changed["updated"], changed["skipped"]) == (1, 1)
    assert HelperAssignment.objects.get(user=helper).end_date == dt.date(2025, 1, 31)
    assert HelperAssignment.objects.count() == 2


def test_an_unknown_account_keeps_the_helper_by_name(tmp_path, person):
    rows = [
        {
            "record_code": person.record_code,
            "helper_name": "Trần Thị Hoa",
            "helper_account": "nobody",
            "start_date": dt.date(2024, 4, 1),
        }
    ]
    result = run(kind_sheet(tmp_path / "helpers.xlsx", "helpers", rows), "--commit", "all")
    assert result["created"] == 1
    assert [w["column"] for w in result["warnings"]] == ["Tài khoản người giúp đỡ"]
    assert HelperAssignment.objects.get().helper_name == "Trần Thị Hoa"


def test_a_person_outside_the_officers_commune_is_refused(tmp_path, person):
    officer = make_user(Role.COMMUNE_OFFICER, province=AN_GIANG, commune=CHAU_DOC)
    rows = [
        {"record_code": person.record_code, "helper_name": "Trần Thị Hoa", "start_date": dt.date(2024, 4, 1)}
    ]
    result = run(kind_sheet(tmp_path / "helpers.xlsx", "helpers", rows), "--commit", "valid", user=officer)
    assert result["created"] == 0
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(2, None)]
    assert not HelperAssignment.objects.exists()


def test_an_unknown_record_code_is_never_given_to_a_namesake(tmp_path, person):
    """A row whose record code or number nobody holds is an error, even if a person has its name."""
    rows = [
        {
            "record_code": "91-999999",
            "full_name": person.full_name,
            "birth_date": "1988",
            "helper_name": "Trần Thị Hoa",
            "start_date": dt.date(2024, 4, 1),
        },
        {
            "full_name": person.full_name,
            "birth_date": "1988",
            "helper_name": "Võ Văn Tư",
            "start_date": dt.date(2024, 4, 1),
        },
    ]
    result = run(kind_sheet(tmp_path / "helpers.xlsx", "helpers", rows), "--commit", "valid")
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(2, "Mã hồ sơ")]
    assert [a.helper_name for a in HelperAssignment.objects.filter(person=person)] == ["Võ Văn Tư"]
