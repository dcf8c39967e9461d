"""Cell parsers: every accepted form, and a precise refusal quoting the value for everything else."""

import datetime as dt

import pytest

from hoanhap.imports.reading import values
from hoanhap.imports.reading.specs import PENALTY, RELIGION_CHOICES, ColumnSpec
from hoanhap.imports.reading.values import (
    IdNumber,
    OffenceRef,
    ParseError,
    PartialDate,
    Term,
    parse_choice,
    parse_date,
    parse_id_number,
    parse_money,
    parse_name,
    parse_sex,
    parse_term,
)

TODAY = dt.date(2025, 6, 1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("15/3/2023", PartialDate(2023, 3, 15)),
        ("15-03-23", PartialDate(2023, 3, 15)),
        ("15.03.2023", PartialDate(2023, 3, 15)),
        ("2023-03-15", PartialDate(2023, 3, 15)),
        (" 15 / 03 / 2023 ", PartialDate(2023, 3, 15)),
        ("15/03/2023 08:30", PartialDate(2023, 3, 15)),
        ("ngày 15 tháng 3 năm 2023", PartialDate(2023, 3, 15)),
        ("15032023", PartialDate(2023, 3, 15)),
        ("20230315", PartialDate(2023, 3, 15)),
        ("01022003", PartialDate(2003, 2, 1)),
        (45000, PartialDate(2023, 3, 15)),
        (45000.75, PartialDate(2023, 3, 15)),
        ("45000", PartialDate(2023, 3, 15)),
        (dt.date(2023, 3, 15), PartialDate(2023, 3, 15)),
        (dt.datetime(2023, 3, 15, 10, 30), PartialDate(2023, 3, 15)),
        ("29/02/2024", PartialDate(2024, 2, 29)),
        ("29/02/2000", PartialDate(2000, 2, 29)),
        ("31/12/1999", PartialDate(1999, 12, 31)),
        ("01/01/35", PartialDate(2035, 1, 1)),
        ("01/01/36", PartialDate(1936, 1, 1)),
        ("03/2023", PartialDate(2023, 3)),
        ("tháng 3/2023", PartialDate(2023, 3)),
        ("2023", PartialDate(2023)),
        (1985, PartialDate(1985)),
        ("năm 1985", PartialDate(1985)),
        (61, PartialDate(1900, 3, 1)),
        (59, PartialDate(1900, 2, 28)),
        (1, PartialDate(1900, 1, 1)),
    ],
)
def test_accepted_dates(value, expected):
    assert parse_date(value, partial=True, today=TODAY) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("29/02/2023", "The date “29/02/2023” does not exist."),
        ("31/04/2024", "The date “31/04/2024” does not exist."),
        ("29/02/1900", "The date “29/02/1900” does not exist."),
        (60, "The date “60” does not exist."),
        ("03/15/2023", "“03/15/2023” is not a date written day first (dd/mm/yyyy): there is no month 15."),
        ("15/13/2023", "“15/13/2023” is not a date: there is no month 13."),
        ("40/13/2023", "“40/13/2023” is not a date: there is no month 13."),
        ("13/2023", "“13/2023” is not a date: there is no month 13."),
        ("15/03/1850", "“15/03/1850”: the year must be between 1900 and 2100."),
        ("99999999", "“99999999” is not a date."),
        ("hôm qua", "“hôm qua” is not a date; write it day first, e.g. 15/03/2023, 03/2023 or 2023."),
        (True, "“True” is not a date."),
        (-5, "“-5” is not a date."),
    ],
)
def test_refused_dates_quote_the_value(value, message):
    with pytest.raises(ParseError) as exc:
        parse_date(value, partial=True, today=TODAY)
    assert exc.value.message == message


def test_month_first_is_never_guessed():
    """05/03/2023 is the 5th of March, never the 3rd of May."""
    assert parse_date("05/03/2023").date == dt.date(2023, 3, 5)


@pytest.mark.parametrize("value", ["2023", "03/2023", 2023])
def test_full_date_columns_refuse_a_year_or_month(value):
    with pytest.raises(ParseError, match="needs the full date"):
        parse_date(value)


def test_two_digit_year_pivot_moves_with_today():
    assert values.expand_year(35, dt.date(2025, 1, 1)) == 2035
    assert values.expand_year(36, dt.date(2025, 1, 1)) == 1936
    assert values.expand_year(36, dt.date(2026, 1, 1)) == 2036


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("089012345678", IdNumber("personal_id", "089012345678")),
        ("0890 1234 5678", IdNumber("personal_id", "089012345678")),
        ("089.012.345.678", IdNumber("personal_id", "089012345678")),
        (89012345678, IdNumber("personal_id", "089012345678", restored=True)),
        (89012345678.0, IdNumber("personal_id", "089012345678", restored=True)),
        ("8.9012345678E+10", IdNumber("personal_id", "089012345678", restored=True)),
        ("89012345678", IdNumber("personal_id", "089012345678", restored=True)),
        (1089012345, IdNumber("personal_id", "001089012345", restored=True)),
        (123456789, IdNumber("old_id", "123456789")),
        (12345678, IdNumber("old_id", "012345678", restored=True)),
    ],
)
def test_identification_numbers(value, expected):
    assert parse_id_number(value) == expected


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (99012345678, "with the lost leading zeros put back it is still not a valid"),
        (3089012345, "with the lost leading zeros put back"),
        ("12345", "has 5 digits"),
        ("1234567890123", "has 13 digits"),
        ("999012345678", "code of a province of birth"),
        ("08901234567x", "digits only"),
        (8.5, "is not an identification number"),
    ],
)
def test_refused_identification_numbers(value, fragment):
    with pytest.raises(ParseError) as exc:
        parse_id_number(value)
    assert fragment in exc.value.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("NGUYỄN VĂN HÒA", "Nguyễn Văn Hòa"),
        ("nguyễn văn hoà", "Nguyễn Văn Hoà"),  # the writer's tone placement is kept
        ("nguyễn thị thủy", "Nguyễn Thị Thủy"),
        ("NGUYE\u0302\u0303N VĂN AN", "Nguyễn Văn An"),  # decomposed marks come out NFC
        ("  trần   văn  an ", "Trần Văn An"),
        ("H'HEN NIÊ", "H'Hen Niê"),
        ("y-ngông", "Y-Ngông"),
        ("ĐỖ ĐỨC ĐẠT", "Đỗ Đức Đạt"),
    ],
)
def test_names_are_capitalised_keeping_their_tone_placement(value, expected):
    assert parse_name(value) == expected


def test_names_with_digits_are_refused():
    with pytest.raises(ParseError, match="cannot contain digits"):
        parse_name("Nguyễn Văn 2")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.500.000", 1_500_000),
        ("1,500,000", 1_500_000),
        ("1 500 000 đ", 1_500_000),
        ("1.500.000 VNĐ", 1_500_000),
        ("1.500.000đ", 1_500_000),
        ("1.500.000,00", 1_500_000),
        ("1500000", 1_500_000),
        (1500000, 1_500_000),
        (1500000.0, 1_500_000),
        ("1.5 triệu", 1_500_000),
        ("1,5 triệu", 1_500_000),
        ("2 tr", 2_000_000),
        ("2tr", 2_000_000),
        ("500 nghìn", 500_000),
        ("500k", 500_000),
        ("1,2 tỷ", 1_200_000_000),
    ],
)
def test_money(value, expected):
    assert parse_money(value) == expected


@pytest.mark.parametrize("value", ["1.5", "abc", "-5", "1,500.000", "1.500.000.00", 10.5])
def test_refused_money(value):
    with pytest.raises(ParseError):
        parse_money(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Nam", "male"),
        ("NAM", "male"),
        ("nam", "male"),
        ("M", "male"),
        ("Nữ", "female"),
        ("nu", "female"),
        ("F", "female"),
    ],
)
def test_sex(value, expected):
    assert parse_sex(value) == expected


def test_unknown_sex_is_refused():
    with pytest.raises(ParseError, match="write Nam or Nữ"):
        parse_sex("X")


def test_choices_by_code_label_or_synonym_folded():
    column = ColumnSpec("religion", "Tôn giáo", "choice", choices=RELIGION_CHOICES)
    for written in ("catholic", "Công giáo", "CONG GIAO", "thiên chúa giáo"):
        assert parse_choice(written, column.options, column.labels) == "catholic"
    assert parse_choice("Án treo", PENALTY.options, PENALTY.labels) == "suspended_imprisonment"
    with pytest.raises(ParseError, match="is not one of"):
        parse_choice("Vô thần", column.options, column.labels)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3 năm 6 tháng", Term(3, 6)),
        ("36 tháng", Term(0, 36)),
        ("3N6T", Term(3, 6)),
        ("2,5 năm", Term(2, 6)),
        ("Tù 3 năm, 6 tháng", Term(3, 6)),
        ("2 năm 3 tháng 10 ngày", Term(2, 3, 10)),
        ("Chung thân", Term(life=True)),
    ],
)
def test_terms(value, expected):
    assert parse_term(value) == expected


def test_a_bare_number_is_not_a_term():
    with pytest.raises(ParseError, match="is not a term"):
        parse_term("3")


def test_offences_cite_articles():
    assert values.parse_offences("Trộm cắp tài sản (Điều 173 khoản 1), Đ.171") == (
        "Trộm cắp tài sản (Điều 173 khoản 1), Đ.171",
        (OffenceRef(173, "1"), OffenceRef(171)),
    )


@pytest.mark.parametrize(
    ("value", "expected", "restored"),
    [
        (912345678, "0912345678", True),  # a mobile stored as a number
        (912345678.0, "0912345678", True),
        ("912 345 678", "0912345678", True),
        (2963852123, "02963852123", True),  # a landline: 0, then 2 and the area code
        ("0912345678", "0912345678", False),
        ("0912.345.678", "0912.345.678", False),  # written with its zero: kept as written
        ("+84 912 345 678", "+84 912 345 678", False),
        (12345678, "12345678", False),  # no reading fits: kept
        (612345678, "612345678", False),  # no Vietnamese mobile begins with 6
        (3963852123, "3963852123", False),
        ("0912345678 / 0987654321", "0912345678 / 0987654321", False),
        ("  Không có  ", "Không có", False),
    ],
)
def test_a_phone_number_gets_back_the_leading_zero_only_where_one_reading_fits(value, expected, restored):
    found = values.parse_phone(value)
    assert found == expected
    assert isinstance(found, values.RestoredPhone) is restored
