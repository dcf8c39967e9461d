"""A whole sheet read as a kind: data rows only, typed values, errors in the command's shape, addresses."""

import datetime as dt

import pytest

from hoanhap.imports.reading import addresses
from hoanhap.imports.reading.files import Row
from hoanhap.imports.reading.table import is_footer, open_table
from hoanhap.imports.reading.values import IdNumber, PartialDate

from .builders import csv_bytes, xlsx

pytestmark = pytest.mark.django_db

THOAI_SON = 30682
PHUOC_HUNG_SUCCESSORS = [30337, 30346, 30352]


def messy_persons(tmp_path):
    """A real-looking commune list: titles, a two-line merged header, numbering, footer lines."""
    return xlsx(
        tmp_path / "ds.xlsx",
        [
            ["CéNG HßA X· HéI CHñ NGHÜA VIÖT NAM"],
            ["DANH SÁCH NGƯỜI CHẤP HÀNH XONG ÁN PHẠT TÙ NĂM 2023"],
            [],
            [
                "STT",
                "HỌ VÀ TÊN",
                "Năm sinh",
                "Giới tính",
                "CCCD/CMND",
                "Nơi cư trú",
                "Bản án",
                None,
                "Ngày ra trại",
            ],
            [None, None, None, None, None, None, "Số", "Ngày", None],
            [1, 2, 3, 4, 5, 6, 7, 8, 9],
            [
                1,
                "NGUYỄN VĂN AN",
                1985,
                "Nam",
                89085001234,
                "TT Núi Sập, H. Thoại Sơn, T. An Giang",
                "25/2020/HS-ST",
                "20/05/2020",
                45000,
            ],
            [],
            [
                2,
                "Lª ThÞ Hoa",
                "03/1990",
                "nu",
                "12345678",
                "Xã Phước Hưng, An Phú, An Giang",
                "26/2020/HS-ST",
                "31/02/2020",
                "2023",
            ],
            [3, "Trần Văn Bình", "15/13/1980", "X", "089085001234", "Xã Phú Hòa", None, None, None],
            [None, None, None, None, None, "Thoại Sơn, ngày 15 tháng 3 năm 2024"],
            [None, "Người lập biểu", None, None, None, "TM. UBND XÃ"],
            [None, None, None, None, None, "KT. CHỦ TỊCH"],
        ],
        merges=("A1:I1", "A4:A5", "B4:B5", "C4:C5", "D4:D5", "E4:E5", "F4:F5", "G4:H4", "I4:I5"),
    )


def test_messy_list_reads_data_rows_with_exact_numbers_and_errors(tmp_path):
    table = open_table(messy_persons(tmp_path), "persons")
    assert table.errors == []
    assert table.header.rows == (4, 5)
    records = list(table.records())
    assert [r.row for r in records] == [7, 9, 10]
    assert table.rows == 3  # titles, header, numbering, blank and footer lines are not data

    first = records[0]
    assert first.ok
    assert first.values["full_name"] == "Nguyễn Văn An"
    assert first.values["birth_date"] == PartialDate(1985)
    assert first.values["sex"] == "male"
    assert first.values["id_number"] == IdNumber("personal_id", "089085001234", restored=True)
    assert first.values["judgment_date"] == dt.date(2020, 5, 20)
    assert first.values["release_date"] == dt.date(2023, 3, 15)
    assert first.address.status == addresses.RESOLVED
    assert first.address.commune_code == THOAI_SON

    second = records[1]
    assert second.values["full_name"] == "Lê Thị Hoa"  # TCVN3
    assert second.values["id_number"] == IdNumber("old_id", "012345678", restored=True)
    assert second.address.status == addresses.CHOICE  # a split commune is offered, never guessed
    assert [m.code for m in second.address.candidates] == PHUOC_HUNG_SUCCESSORS
    assert [e.as_dict() for e in second.errors] == [
        {
            "sheet": "Sheet1",
            "row": 9,
            "column": "Bản án / Ngày",
            "message": "The date “31/02/2020” does not exist.",
        },
        {
            "sheet": "Sheet1",
            "row": 9,
            "column": "Ngày ra trại",
            "message": "“2023” gives only the month or the year; this column needs the full date (dd/mm/yyyy).",
        },
    ]

    third = records[2]
    columns = [e.column for e in third.errors]
    assert columns == ["Năm sinh", "Giới tính", "Nơi cư trú"]
    assert third.address.status == addresses.ERROR
    assert third.address.candidates  # a picker can offer them


def test_id_number_is_checked_against_sex_and_year_of_birth(tmp_path):
    path = xlsx(
        tmp_path / "a.xlsx",
        [
            ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Địa chỉ"],
            ["Lê Thị Hoa", "1990", "Nữ", "089085001234", "Xã Thoại Sơn, An Giang"],
        ],
        title="persons",
    )
    (record,) = open_table(path, "persons").records()
    messages = [e.message for e in record.errors]
    assert len(messages) == 2
    assert all(e.column == "Số CCCD" for e in record.errors)
    assert "recorded as female" in messages[0]
    assert "born in 1990" in messages[1]


def test_required_columns_missing_from_the_sheet_are_reported_once(tmp_path):
    path = xlsx(tmp_path / "a.xlsx", [["Họ và tên", "Ngày sinh"], ["An", "1985"]], title="persons")
    table = open_table(path, "persons")
    assert [e.as_dict() for e in table.errors] == [
        {
            "sheet": "persons",
            "row": 1,
            "column": None,
            "message": "One of the columns “Nơi cư trú”, “Xã, phường” is required.",
        }
    ]
    (record,) = table.records()
    assert record.errors == []


def test_empty_required_cell_is_an_error_of_that_column(tmp_path):
    path = xlsx(
        tmp_path / "a.xlsx", [["Họ và tên", "Địa chỉ"], [None, "Xã Thoại Sơn, An Giang"]], title="persons"
    )
    (record,) = open_table(path, "persons").records()
    assert [e.as_dict() for e in record.errors] == [
        {"sheet": "persons", "row": 2, "column": "Họ và tên", "message": "This column is required."}
    ]


def test_address_parts_in_separate_columns_are_joined(tmp_path):
    path = xlsx(
        tmp_path / "a.xlsx",
        [["Họ tên", "Ấp", "Xã", "Huyện", "Tỉnh"], ["An", "Ấp Đông Sơn", "Núi Sập", "Thoại Sơn", "An Giang"]],
        title="persons",
    )
    table = open_table(path, "persons")
    (record,) = table.records()
    assert record.address.commune_code == THOAI_SON
    assert table.header.unknown == [(1, "Ấp")]


def test_sheet_named_with_the_kind_is_preferred(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = "Ghi chú"
    workbook.active.append(["Họ và tên", "Địa chỉ"])
    sheet = workbook.create_sheet("notices")
    sheet.append(
        ["Họ và tên", "Ngày dự kiến ra trại", "Hình thức ra trại", "Nơi về cư trú", "Ngày nhận thông báo"]
    )
    sheet.append(["An", "15/03/2026", "Hết án", "Xã Thoại Sơn, An Giang", "10/01/2026"])
    workbook.save(tmp_path / "n.xlsx")
    table = open_table(tmp_path / "n.xlsx", "notices")
    assert table.sheet_name == "notices"
    (record,) = table.records()
    assert record.ok
    assert record.values["release_kind"] == "completed_term"


def test_csv_sheet_is_found_by_its_header(tmp_path):
    path = csv_bytes(tmp_path / "ds.csv", "Họ tên;Nơi cư trú\nAn;Xã Thoại Sơn, An Giang\n", "cp1258")
    table = open_table(path, "persons")
    assert table.sheet_name == "ds"
    (record,) = table.records()
    assert record.ok
    assert record.address.commune_code == THOAI_SON


def test_no_matching_header_is_a_sheet_error(tmp_path):
    path = xlsx(tmp_path / "a.xlsx", [["Màu"], ["xanh"]], title="persons")
    table = open_table(path, "persons")
    assert table.header is None
    assert table.errors[0].row is None
    assert "No header row was found" in table.errors[0].message
    assert list(table.records()) == []


def test_same_address_is_resolved_once(tmp_path):
    calls = []

    def resolver(text, hint):
        calls.append(text)
        return addresses.resolve_address(text, hint)

    rows = [["Họ và tên", "Địa chỉ"]] + [[f"Người {i}", "Xã Thoại Sơn, An Giang"] for i in range(5)]
    table = open_table(xlsx(tmp_path / "a.xlsx", rows, title="persons"), "persons")
    table.resolver = resolver
    assert all(r.address.commune_code == THOAI_SON for r in table.records())
    assert calls == ["Xã Thoại Sơn, An Giang"]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["Người lập biểu"], True),
        ([None, "Ngày 15 tháng 3 năm 2024"], True),
        (["An Phú, ngày 15 tháng 03 năm 2024"], True),
        (["TM. UBND XÃ", "KT. CHỦ TỊCH"], True),
        (["Tổng cộng", 15], True),
        (["Nguyễn Văn An", 15], False),
        ([None, "(Ký, ghi rõ họ tên)", None, "(Ký tên, đóng dấu)"], True),
        (["Tổng cộng: 15 người"], True),
        (["Nguyễn Văn An", "1985"], False),
        (["Công an xã"], False),
    ],
)
def test_footer_lines(cells, expected):
    assert is_footer(Row(1, cells)) is expected
