"""``support``: lists of help given, read tolerantly and imported through ``support.services`` — to a
person, a relative or a child; catalogues by code or name; idempotent and atomic."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest

from hoanhap.access.models import Organisation
from hoanhap.access.roles import Role
from hoanhap.core.testing import AN_GIANG, CHAU_DOC, THOAI_SON, make_user
from hoanhap.imports.reading.table import open_table
from hoanhap.intake.testing import make_person
from hoanhap.people.models import Person, Relative
from hoanhap.support import services as support_services
from hoanhap.support.models import SupportAction
from hoanhap.support.testing import make_child

from .builders import kind_sheet, run, xlsx

pytestmark = pytest.mark.django_db

PLACE = (AN_GIANG, THOAI_SON)


@pytest.fixture
def person() -> Person:
    return make_person(PLACE, full_name="Phạm Văn Nhận", birth_year=1984)


def commune_list(tmp_path):
    """Titles, headers in capitals and without marks, amounts as officials type them, a total line."""
    return xlsx(
        tmp_path / "ho_tro.xlsx",
        [
            ["UBND XÃ THOẠI SƠN"],
            ["DANH SÁCH HỖ TRỢ NGƯỜI CHẤP HÀNH XONG ÁN PHẠT TÙ NĂM 2024"],
            [
                "STT",
                "HỌ TÊN",
                "NĂM SINH",
                "HINH THUC HO TRO",
                "Ngày",
                "Số tiền",
                "Nguồn",
                "Đơn vị hỗ trợ",
                "Ghi chú",
            ],
            [
                1,
                "PHẠM VĂN NHẬN",
                1984,
                "Đào tạo nghề",
                "15/03/2024",
                "2 triệu",
                "Ngân sách nhà nước",
                "Trung tâm GDNN Thoại Sơn",
                "x",
            ],
            [2, "Phạm Văn Nhận", 1984, "hardship_cash", "20/01/2024", "1.500.000 đ", "state_budget", None],
            [3, "Phạm Văn Nhận", 1984, "Cho vay nặng lãi", "20/01/2024", "500k", None, None],
            [4, "Phạm Văn Nhận", 1984, "Trợ cấp khó khăn", "20/01/2024", "-5", None, None],
            ["Tổng cộng", None, None, None, None, 4_000_000],
        ],
    )


def test_a_commune_list_reads_through_synonyms(tmp_path):
    table = open_table(commune_list(tmp_path), "support", province_hint=AN_GIANG)
    assert table.errors == []
    codes = {c.header: c.spec.code for c in table.header.columns}
    assert codes == {
        "HỌ TÊN": "full_name",
        "NĂM SINH": "birth_date",
        "HINH THUC HO TRO": "kind",
        "Ngày": "given_on",
        "Số tiền": "value",
        "Nguồn": "funding_source",
        "Đơn vị hỗ trợ": "provider",
    }
    assert [w for _i, w in table.header.unknown] == ["Ghi chú"]
    records = list(table.records())
    assert [r.values["value"] for r in records[:2]] == [2_000_000, 1_500_000]
    assert len(records) == 4  # the total line is not data


def test_good_rows_are_imported_and_bad_rows_name_their_column(tmp_path, person):
    """Kinds by name or code; an unknown kind and a negative amount are errors on their columns."""
    result = run(commune_list(tmp_path), "--kind", "support", "--commit", "valid", "--scope", "province:91")
    assert (result["rows"], result["created"]) == (4, 2)
    assert sorted((e["row"], e["column"]) for e in result["errors"]) == [
        (6, "HINH THUC HO TRO"),
        (7, "Số tiền"),
    ]
    assert (4, "Đơn vị hỗ trợ") in {(w["row"], w["column"]) for w in result["warnings"]}  # provider added
    training, cash = SupportAction.objects.filter(person=person).order_by("given_on").reverse()
    assert (training.kind.code, training.value, training.funding_source.code) == (
        "vocational_training",
        2_000_000,
        "state_budget",
    )
    assert (training.provider.name, training.provider.kind) == (
        "Trung tâm GDNN Thoại Sơn",
        Organisation.Kind.OTHER,
    )
    assert (cash.kind.code, cash.value, cash.given_on) == ("hardship_cash", 1_500_000, dt.date(2024, 1, 20))
    assert person.timeline.filter(kind="support.action.recorded").count() == 2


def template_rows(person: Person, child_name: str) -> list[dict]:
    return [
        {
            "record_code": person.record_code,
            "kind": "job_placement",
            "given_on": dt.date(2024, 2, 1),
            "value_basis": "Tiền mặt",
            "provider": "Công ty May Thoại Sơn",
            "provider_kind": "Doanh nghiệp, cơ sở sử dụng lao động",
            "provider_unit": THOAI_SON,
            "employer": "Công ty May Thoại Sơn",
            "job_start_on": dt.date(2024, 2, 5),
            "employed_3m": "Có",
        },
        {
            "record_code": person.record_code,
            "relative_name": "Phạm Thị Mẹ",
            "relative_relation": "Mẹ",
            "kind": "gift_in_kind",
            "given_on": dt.date(2024, 2, 1),
            "value": 300_000,
            "value_basis": "Hiện vật (quy ra tiền)",
            "item": "Quà Tết",
            "funding_source": "donors",
        },
        {
            "record_code": person.record_code,
            "child_name": child_name,
            "child_birth_date": "2014",
            "kind": "scholarship",
            "given_on": dt.date(2024, 9, 5),
            "value": 1_000_000,
        },
        {  # the same gift twice on one day: two actions, not one
            "record_code": person.record_code,
            "relative_name": "Phạm Thị Mẹ",
            "relative_relation": "Mẹ",
            "kind": "gift_in_kind",
            "given_on": dt.date(2024, 2, 1),
            "value": 300_000,
            "value_basis": "Hiện vật (quy ra tiền)",
            "item": "Quà Tết",
            "funding_source": "donors",
        },
    ]


def test_a_person_a_relative_and_a_child_then_a_reimport_skips(tmp_path, person):
    """Each beneficiary; a follow-up of the job; re-importing changes nothing; a changed value updates."""
    child = make_child(PLACE, parent=person, full_name="Phạm Thị Bé", birth_date=dt.date(2014, 9, 5))
    path = kind_sheet(tmp_path / "support.xlsx", "support", template_rows(person, child.full_name))
    first = run(path, "--commit", "all")
    assert first["errors"] == []
    assert first["created"] == 4
    job = SupportAction.objects.get(kind__code="job_placement")
    assert (job.person, job.employed_3m, job.provider.kind) == (person, True, Organisation.Kind.EMPLOYER)
    mother = Relative.objects.get(person=person)
    assert (mother.full_name, mother.relation) == ("Phạm Thị Mẹ", "mother")
    assert SupportAction.objects.filter(relative=mother, item="Quà Tết").count() == 2
    assert SupportAction.objects.get(kind__code="scholarship").child == child

    again = run(path, "--commit", "all")
    assert again["errors"] == []
    assert (again["created"], again["updated"], again["skipped"]) == (0, 0, 4)
    assert SupportAction.objects.count() == 4
    assert Relative.objects.count() == 1

    rows = template_rows(person, child.full_name)
    rows[2]["value"] = 1_200_000
    changed = run(kind_sheet(tmp_path / "changed.xlsx", "support", rows), "--commit", "all")
    assert (changed["created"], changed["updated"], changed["skipped"]) == (0, 1, 3)
    assert SupportAction.objects.get(kind__code="scholarship").value == 1_200_000


def test_a_child_not_registered_is_an_error_on_the_child_column(tmp_path, person):
    rows = [
        {
            "record_code": person.record_code,
            "child_name": "Ai Đó",
            "kind": "scholarship",
            "given_on": dt.date(2024, 9, 5),
        }
    ]
    result = run(kind_sheet(tmp_path / "support.xlsx", "support", rows), "--commit", "valid")
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(2, "Con được hỗ trợ")]
    assert not SupportAction.objects.exists()


def test_the_commit_is_atomic_when_a_service_fails_midway(tmp_path, person):
    """A failure injected on the second row of the apply leaves no action, relative or organisation."""
    child = make_child(PLACE, parent=person, full_name="Phạm Thị Bé", birth_date=dt.date(2014, 9, 5))
    path = kind_sheet(tmp_path / "support.xlsx", "support", template_rows(person, child.full_name))
    calls = {"n": 0}
    real = support_services.action_record

    def failing(**kwargs):
        calls["n"] += 1
        if calls["n"] == 6:  # 4 rows tried for the preview (rolled back), then the second of the apply
            raise RuntimeError("disk full")
        return real(**kwargs)

    with (
        mock.patch.object(support_services, "action_record", side_effect=failing),
        pytest.raises(RuntimeError),
    ):
        run(path, "--commit", "all")
    assert calls["n"] == 6
    assert not SupportAction.objects.exists()
    assert not Relative.objects.exists()
    assert not Organisation.objects.filter(name="Công ty May Thoại Sơn").exists()


def test_support_for_a_person_outside_the_officers_commune_is_refused(tmp_path, person):
    officer = make_user(Role.COMMUNE_OFFICER, province=AN_GIANG, commune=CHAU_DOC)
    rows = [{"record_code": person.record_code, "kind": "hardship_cash", "given_on": dt.date(2024, 1, 20)}]
    result = run(kind_sheet(tmp_path / "support.xlsx", "support", rows), "--commit", "valid", user=officer)
    assert result["created"] == 0
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(2, None)]
    assert not SupportAction.objects.exists()
