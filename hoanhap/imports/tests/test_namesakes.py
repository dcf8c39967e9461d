"""Namesakes: the same name, year of birth and commune is matched as one person only when nothing
says otherwise. A row carrying a record code unknown here (another installation's export) is its
own person; a row with another identification number is never merged by name — it is a probable
duplicate for someone to decide. The demo province has such pairs, and its export must import back
whole."""

from __future__ import annotations

import pytest

from hoanhap.people.models import Person

from .builders import run, xlsx
from .test_cli import AN, messy

pytestmark = pytest.mark.django_db

PERSONS = ["--kind", "persons", "--scope", "province:91"]
HEADER = ["Mã hồ sơ", "Họ và tên", "Năm sinh", "Giới tính", "Số định danh", "Nơi cư trú"]


def with_number(row: list, number: str | None) -> list:
    changed = list(row)
    changed[4] = number
    return changed


def exported(tmp_path, *rows, name="export.xlsx"):
    return xlsx(tmp_path / name, [HEADER, *rows], title="persons")


def test_namesakes_with_record_codes_import_as_two_people(tmp_path):
    """An export holds two namesakes, each with their code: both come back, no question asked."""
    path = exported(
        tmp_path,
        ["91-000007", "Nguyễn Văn An", 1985, "Nam", "089085001234", "Xã Thoại Sơn, An Giang"],
        ["91-000008", "Nguyễn Văn An", 1985, "Nam", "089085009999", "Xã Thoại Sơn, An Giang"],
    )
    preview = run(path, *PERSONS)
    committed = run(path, *PERSONS, "--commit", "all")
    assert preview["errors"] == committed["errors"] == []
    assert (preview["created"], committed["created"]) == (2, 2)
    assert dict(Person.objects.values_list("record_code", "personal_id")) == {
        "91-000007": "089085001234",
        "91-000008": "089085009999",
    }


def test_a_code_unknown_here_is_never_given_to_a_registered_namesake(tmp_path):
    """The registered Nguyễn Văn An keeps his record; the row's person is registered with its code."""
    run(messy(tmp_path, with_number(AN, None)), *PERSONS, "--commit", "all")
    registered = Person.objects.get()
    path = exported(tmp_path, ["91-000500", "Nguyễn Văn An", 1985, "Nam", None, "Xã Thoại Sơn, An Giang"])
    result = run(path, *PERSONS, "--commit", "all")
    assert (result["created"], result["updated"], result["errors"]) == (1, 0, [])
    assert Person.objects.get(record_code="91-000500").pk != registered.pk


def test_another_number_is_a_probable_duplicate_not_an_update(tmp_path):
    """Same name, year and commune, another number: asked about, and the registered number stays."""
    run(messy(tmp_path, with_number(AN, "089085001234")), *PERSONS, "--commit", "all")
    result = run(messy(tmp_path, with_number(AN, "089085009999"), name="second.xlsx"), *PERSONS)
    assert [e["message"].split(" ")[0] for e in result["errors"]] == ["Probably"]
    assert result["updated"] == 0
    assert Person.objects.get().personal_id == "089085001234"


def test_a_namesake_without_a_number_yet_is_still_found_by_name(tmp_path):
    """No conflict (the registered person has no number): the row adds the number, as before."""
    run(messy(tmp_path, with_number(AN, None)), *PERSONS, "--commit", "all")
    result = run(
        messy(tmp_path, with_number(AN, "089085001234"), name="again.xlsx"), *PERSONS, "--commit", "all"
    )
    assert (result["created"], result["updated"], result["errors"]) == (0, 1, [])
    assert Person.objects.get().personal_id == "089085001234"


JUDGMENT_HEADER = [
    "Mã hồ sơ",
    "Họ và tên",
    "Năm sinh",
    "Tòa án xét xử",
    "Số bản án",
    "Ngày tuyên án",
    "Ngày phạm tội",
    "Tội danh",
    "Hình phạt chính",
    "Mức án",
]


def test_a_judgment_row_with_an_unknown_code_never_lands_on_a_namesake(tmp_path):
    """The judgments sheet names the person by code: unknown here is an error on that column."""
    run(messy(tmp_path, with_number(AN, None)), *PERSONS, "--commit", "all")
    line = [
        "TAND huyện Thoại Sơn",
        "7/2012/HS-ST",
        "02/03/2012",
        "01/01/2012",
        "Đánh bạc (Điều 321)",
        "Tù",
        "1 năm",
    ]
    path = xlsx(
        tmp_path / "bản án.xlsx",
        [JUDGMENT_HEADER, ["91-000900", "Nguyễn Văn An", 1985, *line], [None, "Nguyễn Văn An", 1985, *line]],
        title="judgments",
    )
    result = run(path, "--kind", "judgments", "--scope", "province:91")
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(2, "Mã hồ sơ")]
    assert result["created"] == 1  # the row naming him only by name and year is his


def test_a_close_name_far_down_the_file_is_a_probable_duplicate_of_an_earlier_row(tmp_path):
    """The name rules meet the people earlier rows register, a chunk or more away: the trigrams the
    planner keeps for them give the same answer as the first comparison."""
    first = [None, "Nguyễn Văn Hòa", 1985, "Nam", "089085001234", "Xã Thoại Sơn, An Giang"]
    close = [None, "Nguyễn Văn Hoà Anh", 1985, "Nam", "089085009999", "Xã Thoại Sơn, An Giang"]
    # More than a chunk of rows between them (refused when read: a gender not known).
    others = [[None, "Trần Thị Mai", 1990, "?", None, "Xã Thoại Sơn, An Giang"]] * 600
    path = exported(tmp_path, first, *others, close)
    for result in (run(path, *PERSONS), run(path, *PERSONS, "--commit", "valid")):
        probable = [e["row"] for e in result["errors"] if e["message"].startswith("Probably")]
        assert (probable, result["created"]) == ([603], 1)
