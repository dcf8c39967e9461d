"""Header detection: anywhere in the first rows, through synonyms, folded, on one or two lines."""

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from hoanhap.core.text import fold
from hoanhap.imports.reading.files import Merge, Row
from hoanhap.imports.reading.headers import find_header
from hoanhap.imports.reading.specs import JUDGMENTS, KINDS, NOTICES, PERSONS, header_key


def rows(*cells) -> list[Row]:
    return [Row(i, list(c)) for i, c in enumerate(cells, start=1)]


def test_header_after_title_rows_with_synonyms_in_capitals():
    sheet = rows(
        ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["DANH SÁCH NGƯỜI CHẤP HÀNH XONG ÁN PHẠT TÙ TRỞ VỀ ĐỊA PHƯƠNG"],
        [],
        ["STT", "HỌ VÀ TÊN", "NS", "Số CMND", "Địa chỉ", "Cột lạ"],
        ["1", "An", "1985", "123456789", "x"],
    )
    header = find_header(sheet, PERSONS)
    assert header.rows == (4,)
    assert [(c.index, c.spec.code, c.header) for c in header.columns] == [
        (1, "full_name", "HỌ VÀ TÊN"),
        (2, "birth_date", "NS"),
        (3, "id_number", "Số CMND"),
        (4, "address", "Địa chỉ"),
    ]
    assert header.unknown == [(5, "Cột lạ")]  # STT is not reported
    assert header.numbering_row is None


def test_two_line_header_with_a_merged_group_and_a_numbering_row():
    sheet = rows(
        ["DANH SÁCH"],
        ["Họ và tên", "Bản án", None, "Ngày ra trại"],
        [None, "Số", "Ngày", None],
        ["(1)", "(2)", "(3)", "(4)"],
        ["An", "25/2020/HS-ST", "20/05/2020", "15/03/2023"],
    )
    merges = [Merge(2, 1, 3, 1), Merge(2, 2, 2, 3), Merge(2, 4, 3, 4)]
    header = find_header(sheet, PERSONS, merges)
    assert header.rows == (2, 3)
    assert [(c.spec.code, c.header) for c in header.columns] == [
        ("full_name", "Họ và tên"),
        ("judgment_number", "Bản án / Số"),
        ("judgment_date", "Bản án / Ngày"),
        ("release_date", "Ngày ra trại"),
    ]
    assert header.numbering_row == 4
    assert header.last_row == 4


def test_a_second_column_for_the_same_data_is_a_duplicate():
    header = find_header(rows(["Họ tên", "Họ và tên", "Địa chỉ"]), PERSONS)
    assert [c.header for c in header.columns] == ["Họ tên", "Địa chỉ"]
    assert [c.header for c in header.duplicates] == ["Họ và tên"]


def test_no_header_when_fewer_than_two_columns_match():
    assert find_header(rows(["DANH SÁCH"], ["Họ và tên", "Màu mắt"]), PERSONS) is None


def test_header_beyond_the_scanned_rows_is_not_found():
    sheet = rows(*([["tiêu đề"]] * 30), ["Họ và tên", "Địa chỉ"])
    assert find_header(sheet, PERSONS) is None


def test_header_keys_ignore_stars_brackets_numbers_and_marks():
    assert header_key("1. Họ và tên (*)") == header_key("HO VA TEN") == "hovaten"
    assert header_key("Ngày sinh (dd/mm/yyyy)") == header_key("ngay sinh")


def test_every_kind_has_unambiguous_header_keys():
    """No two columns of a kind share a spelling, so a header never matches two columns."""
    for kind in KINDS.values():
        seen: dict[str, str] = {}
        for column in kind.columns:
            for key in column.keys:
                assert seen.setdefault(key, column.code) == column.code, (kind.code, key)


ALL_SPELLINGS = sorted(
    {
        (kind.code, spelling)
        for kind in (PERSONS, JUDGMENTS, NOTICES)
        for c in kind.columns
        for spelling in (c.header, *c.synonyms)
    }
)


def _variant(text: str, how: int) -> str:
    if how == 0:
        return text.upper()
    if how == 1:
        return text.lower()
    if how == 2:
        return unicodedata.normalize("NFD", text)
    if how == 3:
        return fold(text)  # typed without diacritics
    if how == 4:
        return text.replace("òa", "oà").replace("ủy", "uỷ")  # other tone placement
    return f"  {text} (*) "


@given(st.sampled_from(ALL_SPELLINGS), st.integers(0, 5))
def test_any_spelling_of_a_header_matches_its_column(kind_and_spelling, how):
    """Case, NFD, missing diacritics, tone placement and "(*)" never stop a header from matching."""
    kind_code, spelling = kind_and_spelling
    kind = KINDS[kind_code]
    expected = next(c.code for c in kind.columns if spelling in (c.header, *c.synonyms))
    other = next(c for c in kind.columns if c.code != expected and c.type not in ("commune", "province"))
    header = find_header(rows([_variant(spelling, how), other.header]), kind)
    assert header is not None
    assert header.columns[0].spec.code == expected
