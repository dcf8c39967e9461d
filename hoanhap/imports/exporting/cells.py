"""Stored values → the cell values the import reader parses back to the same values.

Each function answers the written form of one column type of ``reading/specs.py``: full dates as
date cells (the reader takes them as they are), partial dates of birth as text ("15/03/1985",
"03/1985", "1985"), identification numbers and phone numbers as text so that leading zeros
survive, coded values as the Vietnamese label of the template's drop-down list, money as whole
đồng, terms as "3 năm 6 tháng". Blank is None, never "".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from hoanhap.imports.reading import specs
from hoanhap.imports.reading.specs import ColumnSpec


def text(value: object) -> str | None:
    """One line of text (the reader joins whitespace the same way); None when empty."""
    if value is None:
        return None
    line = " ".join(str(value).split())
    return line or None


def date(value: dt.date | None) -> dt.date | None:
    return value


def partial_date(year: int | None, month: int | None = None, day: int | None = None) -> str | None:
    """dd/mm/yyyy, mm/yyyy or yyyy, as precisely as the date is known."""
    if year is None:
        return None
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{month:02d}/{year:04d}"
    return f"{day:02d}/{month:02d}/{year:04d}"


def choice(column: ColumnSpec, code: object) -> str | None:
    """The Vietnamese label of a coded value (the code itself when the column does not list it)."""
    if code is None or code == "":
        return None
    return column.labels.get(str(code), str(code))


def sex(code: str | None) -> str | None:
    return choice(specs.SEX_COLUMN, code)


def money(amount: int | None) -> int | None:
    return None if amount is None else int(amount)


def term(years: int = 0, months: int = 0, days: int = 0) -> str | None:
    """ "3 năm 6 tháng", "36 tháng", "15 ngày" (as stored, not normalised); None for no length."""
    parts = [
        f"{amount} {unit}" for amount, unit in ((years, "năm"), (months, "tháng"), (days, "ngày")) if amount
    ]
    return " ".join(parts) or None


def offences(lines: Iterable[tuple[str, int, str]]) -> str | None:
    """ "Trộm cắp tài sản (Điều 173 khoản 1); …" from (name, article, clause) lines.

    The reader takes the articles and clauses back from "Điều N khoản K" (``values.parse_offences``).
    """
    written = []
    for name, article, clause in lines:
        reference = f"Điều {article}" + (f" khoản {clause}" if clause else "")
        written.append(f"{text(name) or ''} ({reference})".strip())
    return "; ".join(written) or None
