"""Identification number rules: structure, province of birth, sex/century digit, year of birth."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hoanhap.people.rules import identity

# A real-looking number: born 1985 in Kiên Giang (091), male (0), serial 123456.
GOOD = "091085123456"


def test_a_well_formed_number_decodes_into_its_parts():
    parts = identity.decode_personal_id(GOOD)
    assert parts == identity.PersonalIdParts(
        province_code="091", province_name="Kiên Giang", sex="male", birth_year=1985, serial="123456"
    )


def test_the_province_list_has_the_63_pre_2025_provinces():
    """63 codes, from 001 Hà Nội to 096 Cà Mau, among them 079 TP HCM and 089 An Giang."""
    assert len(identity.PROVINCE_CODES) == 63
    assert identity.PROVINCE_CODES["001"] == "Hà Nội"
    assert identity.PROVINCE_CODES["079"] == "Hồ Chí Minh"
    assert identity.PROVINCE_CODES["089"] == "An Giang"
    assert identity.PROVINCE_CODES["096"] == "Cà Mau"
    assert "003" not in identity.PROVINCE_CODES


def test_the_province_list_matches_the_legacy_units_of_the_geography_package():
    from vietnam_provinces import legacy

    codes = {f"{int(p.code):03d}" for p in legacy.Province.iter_all()}
    assert codes == set(identity.PROVINCE_CODES)


@pytest.mark.parametrize(
    ("number", "sex", "year"),
    [
        ("001085000001", "male", 1985),
        ("079185000001", "female", 1985),
        ("089200000001", "male", 2000),
        ("091399000001", "female", 2099),
        ("096401000001", "male", 2101),
        ("001599000001", "female", 2199),
        ("001600000001", "male", 2200),
        ("001700000001", "female", 2200),
        ("001800000001", "male", 2300),
        ("001999000001", "female", 2399),
        ("0010 85 000 001", "male", 1985),
    ],
)
def test_valid_numbers_agree_with_sex_and_year(number, sex, year):
    assert identity.personal_id_errors(number, sex=sex, birth_year=year) == []


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("", "exactly 12 digits"),
        ("09108512345", "exactly 12 digits"),
        ("0910851234567", "exactly 12 digits"),
        ("09108512345a", "exactly 12 digits"),
        ("０９１０８５１２３４５６", "exactly 12 digits"),  # full-width digits are not accepted
        ("003085123456", "first three digits"),
        ("099085123456", "first three digits"),
        ("000085123456", "first three digits"),
    ],
)
def test_structure_errors_name_the_rule(number, fragment):
    errors = identity.personal_id_errors(number)
    assert len(errors) == 1
    assert fragment in errors[0]


def test_sex_that_disagrees_with_the_fourth_digit_is_refused():
    errors = identity.personal_id_errors("091185123456", sex="male", birth_year=1985)
    assert errors == [
        "The fourth digit of the personal identification number gives sex and century of birth: "
        "1 means female, but the person is recorded as male."
    ]


def test_birth_year_that_disagrees_with_digits_four_to_six_is_refused():
    errors = identity.personal_id_errors(GOOD, sex="male", birth_year=1986)
    assert len(errors) == 1
    assert "year of birth 1985" in errors[0]
    assert "born in 1986" in errors[0]


def test_century_matters_not_only_the_two_digits():
    """'2' means born in the 2000s: 05 is 2005, not 1905."""
    assert identity.personal_id_errors("091205123456", sex="male", birth_year=1905) != []
    assert identity.personal_id_errors("091205123456", sex="male", birth_year=2005) == []


def test_several_broken_rules_are_all_reported():
    errors = identity.personal_id_errors("003185123456", sex="male", birth_year=1990)
    assert len(errors) == 3


@pytest.mark.parametrize(
    ("number", "ok"),
    [("123456789", True), ("12345678", False), ("1234567890", False), ("12345678x", False), ("", False)],
)
def test_old_identity_card_numbers_have_nine_digits(number, ok):
    assert (identity.old_id_errors(number) == []) is ok


@given(
    province=st.sampled_from(sorted(identity.PROVINCE_CODES)),
    sex=st.sampled_from(["male", "female"]),
    year=st.integers(min_value=1900, max_value=2399),
    serial=st.integers(min_value=0, max_value=999_999),
)
def test_every_number_built_by_the_rules_is_valid_and_decodes_back(province, sex, year, serial):
    number = f"{province}{identity.century_digit(sex, year)}{year % 100:02d}{serial:06d}"
    assert identity.personal_id_errors(number, sex=sex, birth_year=year) == []
    parts = identity.decode_personal_id(number)
    assert (parts.sex, parts.birth_year, parts.province_code) == (sex, year, province)


@given(
    number=st.text(alphabet="0123456789", min_size=12, max_size=12),
    sex=st.sampled_from(["male", "female"]),
    year=st.integers(min_value=1900, max_value=2399),
)
def test_a_number_is_valid_for_a_person_exactly_when_it_decodes_to_their_sex_and_year(number, sex, year):
    parts = identity.decode_personal_id(number)
    valid = parts is not None and parts.sex == sex and parts.birth_year == year
    assert (identity.personal_id_errors(number, sex=sex, birth_year=year) == []) is valid


@given(st.text(max_size=20))
def test_any_text_gets_an_answer_and_never_an_exception(text):
    errors = identity.personal_id_errors(text)
    assert isinstance(errors, list)
    assert all(isinstance(e, str) and e.endswith(".") for e in errors)
