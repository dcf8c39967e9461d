"""``children``: a commune's list of children of people in prison, read tolerantly and imported through
``support.services`` — the parent named by record code, number or name; re-import changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from hoanhap.access.roles import Role
from hoanhap.audit.models import AuditEvent
from hoanhap.core.testing import AN_GIANG, CHAU_DOC, THOAI_SON, make_user
from hoanhap.imports.reading.table import open_table
from hoanhap.intake.testing import make_person
from hoanhap.people.models import Person
from hoanhap.support.models import Child

from .builders import kind_sheet, run, xlsx

pytestmark = pytest.mark.django_db

PLACE = (AN_GIANG, THOAI_SON)


@pytest.fixture
def parent() -> Person:
    return make_person(PLACE, full_name="Nguyễn Văn Cha", birth_year=1980, status=Person.Status.IN_PRISON)


def commune_list(tmp_path):
    """Titles, a two-line header (group headers merged over their columns), no diacritics in one header."""
    return xlsx(
        tmp_path / "con.xlsx",
        [
            ["DANH SÁCH CON CỦA NGƯỜI ĐANG CHẤP HÀNH ÁN PHẠT TÙ"],
            [],
            ["STT", "Cha/mẹ đang chấp hành án", None, "Con", None, None, "Truong", "Lớp", "Người nuôi dưỡng"],
            [None, "Họ tên", "Năm sinh", "Họ và tên", "Ngày sinh", "Giới tính"],
            [
                1,
                "NGUYỄN VĂN CHA",
                1980,
                "nguyễn thị bé",
                "05/09/2014",
                "Nữ",
                "TH Thoại Sơn",
                "5",
                "Trần Thị Mẹ",
            ],
            [2, "Nguyễn Văn Cha", 1980, "Nguyễn Văn Tí", "31/02/2016", "Nam"],  # no 31 February
            [3, "Lê Văn Không Có", 1970, "Lê Thị Út", "2019", "Nữ"],  # no such parent
            [None, "Người lập biểu"],
        ],
        title="Danh sách",
        merges=("B3:C3", "D3:F3", "G3:G4", "H3:H4", "I3:I4"),
    )


def test_a_commune_list_reads_through_synonyms_and_two_line_headers(tmp_path):
    """Group headers ("Cha/mẹ …", "Con") over "Họ tên", "Ngày sinh" tell the parent from the child."""
    table = open_table(commune_list(tmp_path), "children", province_hint=AN_GIANG)
    assert table.errors == []
    codes = {c.header: c.spec.code for c in table.header.columns}
    assert codes["Cha/mẹ đang chấp hành án / Họ tên"] == "full_name"
    assert codes["Cha/mẹ đang chấp hành án / Năm sinh"] == "birth_date"
    assert codes["Con / Họ và tên"] == "child_name"
    assert codes["Con / Ngày sinh"] == "child_birth_date"
    assert (codes["Truong"], codes["Người nuôi dưỡng"]) == ("school", "guardian_name")
    records = list(table.records())
    assert len(records) == 3
    assert records[0].values["child_name"] == "Nguyễn Thị Bé"


def test_good_rows_are_imported_and_bad_rows_name_their_column(tmp_path, parent):
    """The parent is found by name and year; an impossible date and an unknown parent are row errors."""
    result = run(commune_list(tmp_path), "--kind", "children", "--commit", "valid", "--scope", "province:91")
    assert (result["rows"], result["created"]) == (3, 1)
    errors = {(e["row"], e["column"]) for e in result["errors"]}
    assert errors == {(6, "Con / Ngày sinh"), (7, None)}
    child = Child.objects.get()
    assert (child.parent, child.full_name, child.birth_date) == (parent, "Nguyễn Thị Bé", dt.date(2014, 9, 5))
    assert (child.sex, child.school, child.grade, child.guardian_name) == (
        "female",
        "TH Thoại Sơn",
        "5",
        "Trần Thị Mẹ",
    )
    assert (child.province_id, child.commune_id) == (AN_GIANG, THOAI_SON)  # the parent's unit
    assert AuditEvent.objects.filter(target_type="support.child", data__context__startswith="import").exists()


def template_rows(parent: Person) -> list[dict]:
    return [
        {
            "record_code": parent.record_code,
            "parent_relation": "Cha",
            "child_name": "Nguyễn Thị Bé",
            "child_birth_date": "05/09/2014",
            "child_sex": "Nữ",
            "school": "Trường Tiểu học Thoại Sơn",
            "grade": "5",
            "address": "Tổ 1, ấp Phú Hữu",
            "commune": "Xã Thoại Sơn",
            "province": "An Giang",
        },
        {"record_code": parent.record_code, "child_name": "Nguyễn Văn Tí", "child_birth_date": "2019"},
    ]


def test_a_reimport_skips_and_a_changed_value_updates(tmp_path, parent):
    """The child is found again (parent, name, year of birth): unchanged rows are skipped, no audit entry."""
    path = kind_sheet(tmp_path / "children.xlsx", "children", template_rows(parent))
    first = run(path, "--commit", "all")
    assert first["errors"] == []
    assert (first["created"], first["skipped"]) == (2, 0)
    # Only the year of birth is known: the date stays empty, with a warning on the column.
    assert any(w["column"] == "Ngày sinh" and w["row"] == 3 for w in first["warnings"])
    assert Child.objects.get(full_name="Nguyễn Văn Tí").birth_date is None
    audit_count = AuditEvent.objects.count()

    again = run(path, "--commit", "all")
    assert (again["created"], again["updated"], again["skipped"]) == (0, 0, 2)
    assert Child.objects.count() == 2
    assert AuditEvent.objects.count() == audit_count + 2  # the batch: uploaded, applied; no record touched

    rows = template_rows(parent)
    rows[0]["grade"] = "6"
    changed = run(kind_sheet(tmp_path / "changed.xlsx", "children", rows), "--commit", "all")
    assert (changed["created"], changed["updated"], changed["skipped"]) == (0, 1, 1)
    assert Child.objects.get(full_name="Nguyễn Thị Bé").grade == "6"


def test_commit_all_writes_nothing_when_one_row_is_wrong(tmp_path, parent):
    rows = [*template_rows(parent), {"record_code": "91-999999", "child_name": "Lê Văn Lạ"}]
    result = run(kind_sheet(tmp_path / "children.xlsx", "children", rows), "--commit", "all")
    assert [e["row"] for e in result["errors"]] == [4]
    assert result["created"] == 0
    assert not Child.objects.exists()


def test_a_child_of_a_parent_outside_the_officers_commune_is_refused(tmp_path, parent):
    """A Châu Đốc officer cannot register children of a Thoại Sơn parent: the row is an error."""
    officer = make_user(Role.COMMUNE_OFFICER, province=AN_GIANG, commune=CHAU_DOC)
    path = kind_sheet(tmp_path / "children.xlsx", "children", template_rows(parent)[:1])
    result = run(path, "--commit", "valid", user=officer)
    assert result["created"] == 0
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(2, None)]
    assert not Child.objects.exists()
