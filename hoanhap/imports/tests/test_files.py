"""Reading files: exact row numbers, cleaned cells, CSV encodings and delimiters, .xlsx, legacy .xls
and .ods."""

import datetime as dt

import pytest

from hoanhap.imports.reading import files
from hoanhap.imports.reading.files import ReadError, iter_rows, open_workbook

from .builders import cp1258, csv_bytes, ods, xls, xlsx

VIETNAMESE = "Họ và tên,Năm sinh\nNguyễn Văn Hoà,1985\n"


def test_xlsx_rows_keep_the_numbers_the_spreadsheet_shows(tmp_path):
    """Title and blank rows are yielded and numbered; whole numbers come back as int, dates as date."""
    path = xlsx(
        tmp_path / "a.xlsx",
        [
            ["DANH SÁCH"],
            [],
            ["Họ và tên", "CCCD", "Ngày"],
            ["Lª ThÞ Hoa", 89012345678, dt.datetime(2023, 3, 15)],
        ],
        title="persons",
    )
    assert list(iter_rows(path)) == [
        ("persons", 1, ["DANH SÁCH"]),
        ("persons", 2, []),
        ("persons", 3, ["Họ và tên", "CCCD", "Ngày"]),
        ("persons", 4, ["Lê Thị Hoa", 89012345678, dt.date(2023, 3, 15)]),
    ]


def test_xlsx_used_range_away_from_a1_keeps_rows_and_columns(tmp_path):
    """A sheet whose first cell is C3: row 3 is row 3 and column C is the third cell."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["C3"] = "Họ và tên"
    sheet["D5"] = 5
    workbook.save(tmp_path / "b.xlsx")
    rows = list(iter_rows(tmp_path / "b.xlsx"))
    assert [r[1] for r in rows] == [1, 2, 3, 4, 5]
    assert rows[2][2] == [None, None, "Họ và tên"]
    assert rows[4][2] == [None, None, None, 5]


def test_xlsx_merged_ranges_are_reported_in_spreadsheet_coordinates(tmp_path):
    path = xlsx(tmp_path / "m.xlsx", [["Bản án", None], ["Số", "Ngày"]], merges=("A1:B1",))
    (sheet,) = open_workbook(path)
    assert sheet.merges == [files.Merge(1, 1, 1, 2)]


def test_legacy_xls_is_read_like_xlsx(tmp_path):
    """An Excel 97–2003 file typed in TCVN3 (.VnTime): rows numbered as shown, the lost zero's number
    an int, date cells as dates, the legacy text converted."""
    path = xls(
        tmp_path / "ds.xls",
        [
            ["DANH S¸CH NG¦êI CHÊP HµNH XONG ¸N PH¹T Tï"],
            [],
            ["Hä vµ tªn", "CCCD", "Ngµy ra tr¹i"],
            ["Lª ThÞ Hoa", 89012345678, dt.date(2023, 3, 15)],
        ],
        title="persons",
    )
    assert list(iter_rows(path)) == [
        ("persons", 1, ["DANH SÁCH NGƯỜI CHẤP HÀNH XONG ÁN PHẠT TÙ"]),
        ("persons", 2, []),
        ("persons", 3, ["Họ và tên", "CCCD", "Ngày ra trại"]),
        ("persons", 4, ["Lê Thị Hoa", 89012345678, dt.date(2023, 3, 15)]),
    ]


def test_ods_is_read(tmp_path):
    path = ods(tmp_path / "a.ods", [["Họ và tên", "Năm sinh"], ["Vieät Nam", 1985]], title="persons")
    assert list(iter_rows(path)) == [
        ("persons", 1, ["Họ và tên", "Năm sinh"]),
        ("persons", 2, ["Việt Nam", 1985]),
    ]


def test_legacy_cells_are_converted_and_counted(tmp_path):
    path = xlsx(tmp_path / "l.xlsx", [["Hµ Néi", "Vieät Nam", "Tô Hoài"]])
    (sheet,) = open_workbook(path)
    assert [r.cells for r in sheet.rows()] == [["Hà Nội", "Việt Nam", "Tô Hoài"]]
    assert sheet.encodings == {"tcvn3": 1, "vni": 1}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1258", "utf-16"])
def test_csv_encodings(tmp_path, encoding):
    """UTF-8, UTF-8 with BOM, Windows-1258 and Excel's UTF-16 "Unicode text" all read the same."""
    path = csv_bytes(tmp_path / "persons.csv", VIETNAMESE, encoding)
    assert list(iter_rows(path)) == [
        ("persons", 1, ["Họ và tên", "Năm sinh"]),
        ("persons", 2, ["Nguyễn Văn Hoà", "1985"]),
    ]


def test_cp1258_uses_combining_tones_and_comes_back_nfc(tmp_path):
    """Windows-1258 stores "ễ" as ê + a combining tilde; the reader gives NFC."""
    raw = "Nguyê\u0303n".encode("cp1258")
    assert b"\xde" in raw  # the combining tilde byte
    path = tmp_path / "x.csv"
    path.write_bytes(b"Ten\n" + raw + b"\n")
    assert list(iter_rows(path))[1][2] == ["Nguyễn"]


def test_tcvn3_typed_in_an_ansi_csv_is_converted(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(cp1258("Nơi ở;Họ tên\n") + "Hµ Néi;NguyÔn V¨n An\n".encode("latin-1"))
    assert list(iter_rows(path)) == [("x", 1, ["Nơi ở", "Họ tên"]), ("x", 2, ["Hà Nội", "Nguyễn Văn An"])]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiter_is_sniffed(tmp_path, delimiter):
    text = "\n".join(
        delimiter.join(r)
        for r in [["Họ và tên", "Năm sinh", "Ghi chú"], ["An", "1985", "a, b"], ["Bình", "1990", ""]]
    )
    if delimiter == ",":
        text = text.replace("a, b", '"a, b"')
    path = csv_bytes(tmp_path / "d.csv", text + "\n", "utf-8")
    rows = list(iter_rows(path))
    assert rows[1][2] == ["An", "1985", "a, b"]
    assert rows[2][2] == ["Bình", "1990"]


def test_csv_blank_lines_keep_their_numbers(tmp_path):
    path = csv_bytes(tmp_path / "b.csv", "DANH SÁCH,,\n,,\nHọ và tên,Năm sinh,\nAn,1985,\n", "utf-8")
    assert [(n, c) for _s, n, c in iter_rows(path)] == [
        (1, ["DANH SÁCH"]),
        (2, []),
        (3, ["Họ và tên", "Năm sinh"]),
        (4, ["An", "1985"]),
    ]


def test_encoding_detection():
    assert files.detect_encoding(b"\xef\xbb\xbfabc") == "utf-8-sig"
    assert files.detect_encoding("Hoà".encode()) == "utf-8"
    assert files.detect_encoding("Hoà".encode()[:-1]) == "utf-8"  # cut in the middle of a character
    assert files.detect_encoding("Nguyê\u0303n".encode("cp1258")) == "cp1258"


def test_unknown_file_types_are_refused(tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(b"%PDF")
    with pytest.raises(ReadError, match="cannot be read"):
        open_workbook(path)


def test_damaged_spreadsheet_is_a_read_error(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(ReadError):
        open_workbook(path)
