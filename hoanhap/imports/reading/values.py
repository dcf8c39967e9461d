"""One cell value → a clean Python value, or a ``ParseError`` whose message quotes what was written.

Cells come from ``files`` already repaired (Unicode NFC, legacy encodings converted); they are
``str``, ``int``, ``float``, ``bool``, ``datetime.date``/``datetime`` (Excel date cells) or None.
Each parser accepts the forms found in real commune lists and refuses everything else with a
sentence that says what was expected; it never guesses. docs/import.md lists every accepted form.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from hoanhap.core.text import fold, nfc
from hoanhap.people.rules import identity

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1 January 1900 (after Excel's fictitious 29/02/1900)
MIN_YEAR, MAX_YEAR = 1900, 2100
# Two-digit years: 20YY when that is at most TWO_DIGIT_YEAR_AHEAD years after today, else 19YY.
TWO_DIGIT_YEAR_AHEAD = 10


class ParseError(ValueError):
    """A cell that cannot be read; ``message`` is a translated sentence quoting the value."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def shown(value: object) -> str:
    """The value as the user typed it, for messages."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def plain(text: str) -> str:
    """Lower case without diacritics (đ→d) but with its punctuation, unlike ``fold``."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower().strip()


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- Text -------------------------------------------------------------------------------------------


def parse_text(value: object) -> str:
    """Any cell as one line of NFC text (numbers without a trailing ".0")."""
    return " ".join(nfc(shown(value)).split())


class RestoredPhone(str):
    """A phone number whose leading zero a spreadsheet dropped, put back (the reading warns)."""

    __slots__ = ()


_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")


def parse_phone(value: object) -> str:
    """A phone number as written, with the leading zero put back where one reading is possible.

    A number stored as a number loses its leading 0. Vietnamese numbers dialled at home all begin
    with 0: a mobile has 10 digits (0 then 3, 5, 7, 8 or 9), a landline 11 (0 then 2 and the area).
    So 9 digits beginning with 3, 5, 7, 8 or 9, or 10 beginning with 2, are such a number without
    its 0; anything else (with +84, several numbers, words) is kept as written.
    """
    text = parse_text(value)
    digits = _PHONE_SEPARATORS.sub("", text)
    lost_zero = (len(digits) == 9 and digits[0] in "35789") or (len(digits) == 10 and digits[0] == "2")
    if lost_zero and digits.isascii() and digits.isdigit():
        return RestoredPhone("0" + digits)
    return text


_NAME_PART = re.compile(r"([^\W\d_]+)", re.UNICODE)


def parse_name(value: object) -> str:
    """A person's name with each word capitalised, its tone marks where the writer put them.

    "NGUYỄN VĂN HÒA" → "Nguyễn Văn Hòa", "nguyễn văn hoà" → "Nguyễn Văn Hoà": both placements are
    correct spellings, the registry keeps the one written (search finds either from either), and an
    export imported again gives the same names. Letters after a hyphen or an apostrophe start a word
    too ("H'Hen Niê", "Y-Ngông").
    """
    text = parse_text(value)
    if text.replace(" ", "").isalpha():  # words of letters only, each one match of ``_NAME_PART``
        return " ".join([_capitalised(word.lower()) for word in text.split(" ")])
    if any(ch.isdigit() for ch in text):
        raise ParseError(_("A name cannot contain digits: “{value}”.").format(value=text))

    def fix(match: re.Match) -> str:
        word = match.group(1).lower()
        return word[:1].upper() + word[1:]

    return _NAME_PART.sub(fix, text)


def _capitalised(word: str) -> str:
    return word[:1].upper() + word[1:]


# --- Dates ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, the month or only the year (dates of birth often are)."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def is_full(self) -> bool:
        return self.day is not None

    @property
    def date(self) -> dt.date | None:
        return dt.date(self.year, self.month, self.day) if self.day is not None else None

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.month:02d}/{self.year:04d}"
        return f"{self.day:02d}/{self.month:02d}/{self.year:04d}"


def _full(year: int, month: int, day: int, written: str) -> PartialDate:
    _check_year(year, written)
    if not 1 <= month <= 12:
        if 1 <= day <= 12 and 1 <= month <= 31:
            raise ParseError(
                _(
                    "“{value}” is not a date written day first (dd/mm/yyyy): there is no month {month}."
                ).format(value=written, month=month)
            )
        raise ParseError(
            _("“{value}” is not a date: there is no month {month}.").format(value=written, month=month)
        )
    try:
        dt.date(year, month, day)
    except ValueError:
        raise ParseError(_("The date “{value}” does not exist.").format(value=written)) from None
    return PartialDate(year, month, day)


def _check_year(year: int, written: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ParseError(
            _("“{value}”: the year must be between {low} and {high}.").format(
                value=written, low=MIN_YEAR, high=MAX_YEAR
            )
        )


def expand_year(two_digits: int, today: dt.date | None = None) -> int:
    """ "23" → 2023, "65" → 1965: 20YY unless that is more than TWO_DIGIT_YEAR_AHEAD years ahead."""
    today = today or timezone.localdate()
    year = 2000 + two_digits
    return year if year <= today.year + TWO_DIGIT_YEAR_AHEAD else year - 100


def from_serial(serial: float, written: str) -> PartialDate:
    """An Excel serial day number (1 = 01/01/1900; 60 is Excel's non-existent 29/02/1900)."""
    whole = int(serial)
    if whole == 60:
        raise ParseError(_("The date “{value}” does not exist.").format(value=written))
    day = EXCEL_EPOCH + dt.timedelta(days=whole + (1 if whole < 60 else 0))
    _check_year(day.year, written)
    return PartialDate(day.year, day.month, day.day)


_SEP = r"\s*[/.\-]\s*"
_DMY = re.compile(rf"^(\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}(\d{{4}}|\d{{2}})$")
_YMD = re.compile(rf"^(\d{{4}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}})$")
_MY = re.compile(rf"^(\d{{1,2}}){_SEP}(\d{{4}})$")
_Y = re.compile(r"^(\d{4})$")
_WORDS_DMY = re.compile(r"^(?:ngay\s*)?(\d{1,2})\s*thang\s*(\d{1,2})\s*(?:nam\s*)?(\d{4})$")
_WORDS_MY = re.compile(r"^(?:thang|t)\s*(\d{1,2})\s*(?:nam\s*)?(\d{4})$")
_WORDS_Y = re.compile(r"^nam\s*(\d{4})$")
_SERIAL_TEXT = re.compile(r"^\d{5}(?:\.\d+)?$")
_TIME_SUFFIX = re.compile(r"\s+\d{1,2}:\d{2}(?::\d{2})?$")


def parse_date(value: object, *, partial: bool = False, today: dt.date | None = None) -> PartialDate:
    """A date, day first. With ``partial`` a month/year or a year alone is accepted too.

    Accepted: Excel date cells; Excel serial numbers (as numbers or text of five digits);
    15/3/2023, 15-03-23, 15.03.2023, 2023-03-15, 03/2023, 2023, "ngày 15 tháng 3 năm 2023",
    "tháng 3/2023", "năm 2023"; a time after the date is ignored. A whole number between 1900 and
    2100 is a year, never a serial.
    """
    written = shown(value)
    if isinstance(value, bool):
        raise ParseError(_("“{value}” is not a date.").format(value=written))
    if isinstance(value, dt.date):  # date cells, and datetime cells (a subclass)
        result = PartialDate(value.year, value.month, value.day)
    elif isinstance(value, int | float):
        if float(value).is_integer() and MIN_YEAR <= value <= MAX_YEAR:
            result = PartialDate(int(value))
        elif value >= 1:
            result = from_serial(value, written)
        else:
            raise ParseError(_("“{value}” is not a date.").format(value=written))
    else:
        result = _parse_date_text(_TIME_SUFFIX.sub("", written), written, today)
    if not partial and not result.is_full:
        raise ParseError(
            _(
                "“{value}” gives only the month or the year; this column needs the full date (dd/mm/yyyy)."
            ).format(value=written)
        )
    return result


def _parse_date_text(text: str, written: str, today: dt.date | None) -> PartialDate:
    if m := _DMY.match(text):
        day, month, year = int(m[1]), int(m[2]), m[3]
        return _full(expand_year(int(year), today) if len(year) == 2 else int(year), month, day, written)
    if m := _YMD.match(text):
        return _full(int(m[1]), int(m[2]), int(m[3]), written)
    if m := _MY.match(text):
        return _month(int(m[2]), int(m[1]), written)
    if m := _Y.match(text):
        _check_year(int(m[1]), written)
        return PartialDate(int(m[1]))
    if _SERIAL_TEXT.match(text):
        return from_serial(float(text), written)
    if re.fullmatch(r"\d{8}", text):
        return _eight_digits(text, written)
    folded = fold(text)
    if m := _WORDS_DMY.match(folded):
        return _full(int(m[3]), int(m[2]), int(m[1]), written)
    if m := _WORDS_MY.match(folded):
        return _month(int(m[2]), int(m[1]), written)
    if m := _WORDS_Y.match(folded):
        _check_year(int(m[1]), written)
        return PartialDate(int(m[1]))
    raise ParseError(
        _("“{value}” is not a date; write it day first, e.g. 15/03/2023, 03/2023 or 2023.").format(
            value=written
        )
    )


def _month(year: int, month: int, written: str) -> PartialDate:
    _check_year(year, written)
    if not 1 <= month <= 12:
        raise ParseError(
            _("“{value}” is not a date: there is no month {month}.").format(value=written, month=month)
        )
    return PartialDate(year, month)


def _eight_digits(text: str, written: str) -> PartialDate:
    """ddmmyyyy or yyyymmdd, whichever is a real date; both or neither is an error."""
    readings = []
    for year, month, day in ((text[4:], text[2:4], text[:2]), (text[:4], text[4:6], text[6:])):
        with contextlib.suppress(ParseError):
            readings.append(_full(int(year), int(month), int(day), written))
    if len(readings) == 1:
        return readings[0]
    if readings:
        raise ParseError(
            _("“{value}” can be read as {first} or {second}; write the date with slashes.").format(
                value=written, first=readings[0], second=readings[1]
            )
        )
    raise ParseError(_("“{value}” is not a date.").format(value=written))


def parse_year(value: object, *, today: dt.date | None = None) -> int:
    """A year (a full or partial date gives its year)."""
    return parse_date(value, partial=True, today=today).year


# --- Numbers ----------------------------------------------------------------------------------------


_THOUSANDS = r"\d{1,3}([.,])\d{3}(?:\1\d{3})*"  # one separator throughout: 1.500.000 or 1,500,000


def parse_integer(value: object) -> int:
    """A whole number, with or without thousands separators."""
    written = shown(value)
    if isinstance(value, bool):
        raise ParseError(_("“{value}” is not a whole number.").format(value=written))
    if isinstance(value, int | float):
        if float(value).is_integer():
            return int(value)
        raise ParseError(_("“{value}” is not a whole number.").format(value=written))
    text = written.replace(" ", "")
    if text.isdigit() and text.isascii():  # the usual cell: digits only
        return text
    if re.fullmatch("-?" + _THOUSANDS, text) or re.fullmatch(r"-?\d+", text):
        return int(re.sub(r"[.,]", "", text))
    raise ParseError(_("“{value}” is not a whole number.").format(value=written))


_MONEY_UNITS = (
    (("ty", "ti"), 1_000_000_000),
    (("trieu", "tr"), 1_000_000),
    (("nghin", "ngan", "k"), 1_000),
)
_CURRENCY = re.compile(r"(vnd|dong|d)\s*$")


def parse_money(value: object) -> int:
    """An amount in whole đồng.

    "1.500.000", "1,500,000", "1 500 000 đ", "1.500.000 VNĐ" → 1500000; "1.5 triệu", "1,5 tr",
    "2tr" → millions; "500 nghìn", "500k" → thousands; "1,2 tỷ" → billions.
    """
    written = shown(value)
    if isinstance(value, bool):
        raise ParseError(_("“{value}” is not an amount of money.").format(value=written))
    if isinstance(value, int | float):
        return _whole_dong(Decimal(str(value)), written)
    text = plain(written.replace("₫", "đ")).replace(" ", "").replace("\xa0", "")
    text = _CURRENCY.sub("", text.rstrip("."))
    multiplier = 1
    for words, factor in _MONEY_UNITS:
        for word in words:
            if text.endswith(word) and text[: -len(word)][-1:].isdigit():
                text, multiplier = text[: -len(word)], factor
                break
        if multiplier != 1:
            break
    try:
        if multiplier != 1:
            number = Decimal(text.replace(",", ".")) if text.count(",") + text.count(".") <= 1 else None
        elif re.fullmatch(_THOUSANDS, text):
            number = Decimal(re.sub(r"[.,]", "", text))
        elif m := re.fullmatch(r"(\d{1,3}(?:([.,])\d{3})+)[.,](\d{1,2})", text):
            number = Decimal(m[1].replace(m[2], "") + "." + m[3]) if text[-len(m[3]) - 1] != m[2] else None
        elif re.fullmatch(r"\d+([.,]\d{1,2})?", text):
            number = Decimal(text.replace(",", "."))
        else:
            number = None
    except InvalidOperation:
        number = None
    if number is None:
        raise ParseError(
            _("“{value}” is not an amount of money; write it in đồng, e.g. 1.500.000 or 1,5 triệu.").format(
                value=written
            )
        )
    return _whole_dong(number * multiplier, written)


def _whole_dong(amount: Decimal, written: str) -> int:
    if amount < 0:
        raise ParseError(_("“{value}”: an amount cannot be negative.").format(value=written))
    if amount != amount.to_integral_value():
        raise ParseError(_("“{value}” is not a whole number of đồng.").format(value=written))
    return int(amount)


# --- Identification numbers -------------------------------------------------------------------------

PERSONAL_ID = "personal_id"
OLD_ID = "old_id"


@dataclass(frozen=True)
class IdNumber:
    """A 12-digit personal identification number or a 9-digit old identity card number.

    ``restored`` says that leading zeros lost by a spreadsheet were put back.
    """

    kind: str
    number: str
    restored: bool = False


def _id_digits(value: object, written: str) -> str:
    if isinstance(value, bool):
        raise ParseError(_("“{value}” is not an identification number.").format(value=written))
    if isinstance(value, float):
        if not value.is_integer():
            raise ParseError(_("“{value}” is not an identification number.").format(value=written))
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    text = written.replace(" ", "")
    if text.isdigit() and text.isascii():  # the usual cell: digits only
        return text
    if re.fullmatch(r"\d(?:[.,]\d+)?[eE]\+?\d{1,2}", text):  # 8.9012345678E+10 typed or exported as text
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            number = None
        if number is not None and number == number.to_integral_value():
            return str(int(number))
        raise ParseError(_("“{value}” is not an identification number.").format(value=written))
    digits = identity.normalise(text)
    if not digits.isascii() or not digits.isdigit():
        raise ParseError(
            _("“{value}” is not an identification number: it must hold digits only.").format(value=written)
        )
    return digits


def parse_id_number(value: object) -> IdNumber:
    """A personal ID (12 digits) or an old ID card number (9 digits), restoring lost leading zeros.

    A spreadsheet that stored the number as a number drops its leading zeros: 89012345678 was
    089012345678. Zeros are put back only where one reading is possible: 10 or 11 digits become a
    12-digit personal ID when the result passes the structure rules (``people.rules.identity``);
    8 digits become a 9-digit old ID card number. Anything else is refused with the reason.
    """
    written = shown(value)
    digits = _id_digits(value, written)
    if len(digits) == 12:
        errors = identity.personal_id_errors(digits)
        if errors:
            raise ParseError(" ".join([_("“{value}”:").format(value=written), *errors]))
        return IdNumber(PERSONAL_ID, digits)
    if len(digits) == 9:
        return IdNumber(OLD_ID, digits)
    candidates = []
    if len(digits) in (10, 11):
        padded = digits.zfill(12)
        if identity.decode_personal_id(padded) is not None:
            candidates.append(IdNumber(PERSONAL_ID, padded, restored=True))
    if len(digits) == 8:
        candidates.append(IdNumber(OLD_ID, digits.zfill(9), restored=True))
    if len(candidates) == 1:
        return candidates[0]
    if len(candidates) > 1:
        raise ParseError(
            _("“{value}” lost its leading zeros and could be {options}; type the number as text.").format(
                value=written, options=_(" or ").join(c.number for c in candidates)
            )
        )
    if len(digits) in (10, 11):
        raise ParseError(
            _(
                "“{value}” has {count} digits; with the lost leading zeros put back it is still not a valid "
                "personal identification number."
            ).format(value=written, count=len(digits))
        )
    raise ParseError(
        _(
            "“{value}” has {count} digits; a personal identification number has 12 and an old identity card "
            "number 9."
        ).format(value=written, count=len(digits))
    )


# --- Choices ----------------------------------------------------------------------------------------

MALE, FEMALE = "male", "female"
_SEX_WORDS = {
    "nam": MALE,
    "m": MALE,
    "male": MALE,
    "trai": MALE,
    "nu": FEMALE,
    "f": FEMALE,
    "female": FEMALE,
    "gai": FEMALE,
}


def parse_sex(value: object) -> str:
    """Nam/Nữ in any case or without marks, M/F, male/female → "male"/"female"."""
    written = shown(value)
    sex = _SEX_WORDS.get(fold(written))
    if sex is None:
        raise ParseError(_("“{value}” is not a sex; write Nam or Nữ.").format(value=written))
    return sex


def parse_choice(value: object, options: dict[str, str], labels: dict[str, str]) -> str:
    """The code of a coded column, matched by code or by (folded) label or synonym.

    ``options`` maps every folded spelling to its code; ``labels`` maps codes to the labels the
    message lists.
    """
    written = shown(value)
    code = options.get(fold(written).replace(" ", ""))
    if code is None:
        raise ParseError(
            _("“{value}” is not one of: {labels}.").format(value=written, labels="; ".join(labels.values()))
        )
    return code


# --- Terms and offences -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """A sentence length in years, months and days (``life``: life imprisonment)."""

    years: int = 0
    months: int = 0
    days: int = 0
    life: bool = False


_TERM_PART = re.compile(r"(\d+(?:[.,]\d+)?)\s*(nam|n|thang|th|t|ngay|ng|d)\b")


def parse_term(value: object) -> Term:
    """ "3 năm 6 tháng", "36 tháng", "3N6T", "2,5 năm", "chung thân" → years, months, days.

    A bare number is refused: 3 may be years or months.
    """
    written = shown(value)
    if fold(written) in ("chung than", "tu chung than"):
        return Term(life=True)
    text = re.sub(r"(\d)([a-z])", r"\1 \2", plain(written))
    text = re.sub(r"([a-z])(\d)", r"\1 \2", text)
    parts = _TERM_PART.findall(text)
    leftover = re.sub(r"[\s,;]+|\btu\b", "", _TERM_PART.sub("", text))
    if not parts or leftover:
        raise ParseError(
            _("“{value}” is not a term; write it as e.g. 3 năm 6 tháng, 18 tháng or chung thân.").format(
                value=written
            )
        )
    years = months = days = Decimal(0)
    for number, unit in parts:
        amount = Decimal(number.replace(",", "."))
        if unit in ("nam", "n"):
            years += amount
        elif unit in ("thang", "th", "t"):
            months += amount
        else:
            days += amount
    months += (years - int(years)) * 12
    if months != int(months) or days != int(days):
        raise ParseError(_("“{value}” is not a whole number of months and days.").format(value=written))
    return Term(int(years), int(months), int(days))


@dataclass(frozen=True)
class OffenceRef:
    """An article (and clause) of the Criminal Code named in the text."""

    article: int
    clause: str = ""


_ARTICLE = re.compile(r"(?:dieu|d)\s*(\d{2,3})(?:\s*(?:khoan|k)\s*(\d+))?")


def parse_offences(value: object) -> tuple[str, tuple[OffenceRef, ...]]:
    """The offence text as written and the articles it cites ("Điều 173 khoản 1", "Đ.171")."""
    text = parse_text(value)
    refs = tuple(
        OffenceRef(int(article), clause or "")
        for article, clause in _ARTICLE.findall(fold(text))
        if 100 <= int(article) <= 426
    )
    return text, refs
