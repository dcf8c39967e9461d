"""The structure of Vietnamese identification numbers (pure: no database, no settings).

Personal identification number (số định danh cá nhân, printed on the citizen identity card, CCCD),
12 digits, structure set by Decree 137/2015/NĐ-CP and Circular 07/2016/TT-BCA (kept by later
texts):

* digits 1–3: the code of the province where the birth was registered, from the list of the 63
  provinces as they were before the 2025 reform (``001`` Hà Nội … ``096`` Cà Mau); the 2025
  mergers do not change numbers already issued;
* digit 4: sex and century of birth — 0 male / 1 female born 1900–1999, 2 / 3 born 2000–2099,
  4 / 5 born 2100–2199, 6 / 7 born 2200–2299, 8 / 9 born 2300–2399 (even: male, odd: female);
* digits 5–6: the last two digits of the year of birth;
* digits 7–12: a random serial.

The old identity card (chứng minh nhân dân, CMND) number has 9 digits.

Each check returns the broken rules as full, translatable sentences that name the rule, so a
form can show them beside the field and an import can list them per row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

MALE = "male"
FEMALE = "female"

# Province-of-birth codes: the 63 provinces before 1 July 2025 (Circular 07/2016/TT-BCA, annex).
PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}

# Fourth digit → (sex, first year of the century).
CENTURY_SEX: dict[int, tuple[str, int]] = {
    0: (MALE, 1900),
    1: (FEMALE, 1900),
    2: (MALE, 2000),
    3: (FEMALE, 2000),
    4: (MALE, 2100),
    5: (FEMALE, 2100),
    6: (MALE, 2200),
    7: (FEMALE, 2200),
    8: (MALE, 2300),
    9: (FEMALE, 2300),
}


@dataclass(frozen=True)
class PersonalIdParts:
    """What a well-formed personal identification number says about its holder."""

    province_code: str
    province_name: str
    sex: str
    birth_year: int
    serial: str


_SEPARATORS = str.maketrans(dict.fromkeys(" .-\t"))


def normalise(number: str | None) -> str:
    """The number without the spaces, dots and dashes people type between groups of digits."""
    if not number:
        return ""
    return number if number.isdigit() else number.translate(_SEPARATORS)


def century_digit(sex: str, birth_year: int) -> int | None:
    """The fourth digit a person of ``sex`` born in ``birth_year`` must have (None if out of range)."""
    for digit, (digit_sex, start) in CENTURY_SEX.items():
        if digit_sex == sex and start <= birth_year < start + 100:
            return digit
    return None


def decode_personal_id(number: str) -> PersonalIdParts | None:
    """The parts of a structurally valid number; None when the number breaks a structure rule."""
    number = normalise(number)
    if len(number) != 12 or not number.isascii() or not number.isdigit():
        return None
    province = number[:3]
    if province not in PROVINCE_CODES:
        return None
    sex, start = CENTURY_SEX[int(number[3])]
    return PersonalIdParts(
        province_code=province,
        province_name=PROVINCE_CODES[province],
        sex=sex,
        birth_year=start + int(number[4:6]),
        serial=number[6:],
    )


def _sex_label(sex: str) -> str:
    return _("male") if sex == MALE else _("female")


def personal_id_errors(
    number: str | None, *, sex: str | None = None, birth_year: int | None = None
) -> list[str]:
    """The rules ``number`` breaks, as sentences (empty when it is valid for this person).

    ``sex`` ("male"/"female") and ``birth_year`` are the person's recorded values; each is checked
    against the number only when known.
    """
    number = normalise(number)
    if len(number) != 12 or not number.isascii() or not number.isdigit():
        return [_("The personal identification number must have exactly 12 digits.")]
    errors: list[str] = []
    province = number[:3]
    if province not in PROVINCE_CODES:
        errors.append(
            _(
                "The first three digits of the personal identification number must be the code of a "
                "province of birth (001 Hà Nội … 096 Cà Mau); {code} is not one."
            ).format(code=province)
        )
    return errors + holder_errors(number, sex=sex, birth_year=birth_year)


def holder_errors(number: str, *, sex: str | None = None, birth_year: int | None = None) -> list[str]:
    """The rules a number of 12 digits breaks for this person: the sex and the year of birth its
    fourth to sixth digits give (``personal_id_errors`` less the structure, for a number whose
    structure was checked already, as an import checks each cell before the row)."""
    if sex not in (MALE, FEMALE) and birth_year is None:
        return []
    digit = int(number[3])
    number_sex, start = CENTURY_SEX[digit]
    errors: list[str] = []
    if sex in (MALE, FEMALE) and sex != number_sex:
        errors.append(
            _(
                "The fourth digit of the personal identification number gives sex and century of birth: "
                "{digit} means {number_sex}, but the person is recorded as {sex}."
            ).format(digit=digit, number_sex=_sex_label(number_sex), sex=_sex_label(sex))
        )
    number_year = start + int(number[4:6])
    if birth_year is not None and birth_year != number_year:
        errors.append(
            _(
                "The fourth to sixth digits of the personal identification number give the year of birth "
                "{number_year}, but the person is recorded as born in {birth_year}."
            ).format(number_year=number_year, birth_year=birth_year)
        )
    return errors


def old_id_errors(number: str | None) -> list[str]:
    """The rules an old identity card (CMND) number breaks (empty when it is valid)."""
    number = normalise(number)
    if len(number) != 9 or not number.isascii() or not number.isdigit():
        return [_("The old identity card number must have exactly 9 digits.")]
    return []


def looks_like_personal_id(text: str) -> bool:
    number = normalise(text)
    return len(number) == 12 and number.isascii() and number.isdigit()


def looks_like_old_id(text: str) -> bool:
    number = normalise(text)
    return len(number) == 9 and number.isascii() and number.isdigit()
