"""Date arithmetic for legal periods, with the Civil Code 2015 conventions.

* The day of the starting event is not counted (Art. 147): a period starts the next day.
* A period of months ends on the same day of its last month; when that month has no such day it
  ends on the last day of that month (Art. 148(3)). A period of years ends on the same day and month
  of its last year (Art. 148(4)), so 29 February becomes 28 February in a common year.
* A period of days ends on its last day (Art. 148(1)).
* No shift for weekends or public holidays: criminal-law periods are counted on the calendar.

Taken together, "N years after D" is the date with D's day and month in year D.year + N; that is
the date these rules return as the end of a period.

Lengths of sentences (years, months, days) are compared in "month-days": a month counts 30 days.
That is only used where a length must be compared or divided (is it over 5 years? what is one half
of it?); adding a length to a date always uses the calendar.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import dataclass

DAYS_PER_MONTH = 30  # only to compare or divide lengths, never to add them to dates


def add_months(start: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the last day of the month when that day does not exist."""
    index = start.year * 12 + (start.month - 1) + months
    year, month0 = divmod(index, 12)
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(start.day, last_day))


def add_years(start: dt.date, years: int) -> dt.date:
    """The same day and month ``years`` later; 29 February → 28 February in a common year."""
    return add_months(start, 12 * years)


def add_days(start: dt.date, days: int) -> dt.date:
    return start + dt.timedelta(days=days)


def add_period(start: dt.date, *, years: int = 0, months: int = 0, days: int = 0) -> dt.date:
    """Years and months on the calendar first, then days (as a judgment reads: 2 years 3 months 10 days)."""
    return add_days(add_months(start, 12 * years + months), days)


@dataclass(frozen=True, order=False)
class Term:
    """A length written as a judgment writes it: years, months and days (any of them may exceed its unit)."""

    years: int = 0
    months: int = 0
    days: int = 0

    @property
    def total_months(self) -> int:
        return self.years * 12 + self.months

    @property
    def month_days(self) -> int:
        """The length in 30-day months, for comparing and dividing lengths."""
        return self.total_months * DAYS_PER_MONTH + self.days

    @property
    def is_zero(self) -> bool:
        return self.month_days == 0

    def normalised(self) -> Term:
        """The same length with months < 12 and days < 30 (days carried at 30 a month)."""
        return Term.from_month_days(self.month_days)

    @classmethod
    def from_month_days(cls, value: int) -> Term:
        months, days = divmod(value, DAYS_PER_MONTH)
        years, months = divmod(months, 12)
        return cls(years, months, days)

    def exceeds_years(self, years: int) -> bool:
        """Strictly longer than ``years`` years: 60 months is not over 5 years, 5 years 1 day is."""
        return self.month_days > years * 12 * DAYS_PER_MONTH

    def fraction(self, numerator: int, denominator: int) -> Term:
        """``numerator/denominator`` of the length, rounded up to a whole day ("at least one half")."""
        return Term.from_month_days(math.ceil(self.month_days * numerator / denominator))

    def minus(self, other: Term) -> Term:
        return Term.from_month_days(max(self.month_days - other.month_days, 0))

    def after(self, start: dt.date) -> dt.date:
        """The date this length after ``start`` (calendar arithmetic)."""
        return add_period(start, years=self.years, months=self.months, days=self.days)

    def as_dict(self) -> dict[str, int]:
        return {"years": self.years, "months": self.months, "days": self.days}


def term_between(start: dt.date, end: dt.date) -> Term:
    """The calendar length from ``start`` to ``end`` (end ≥ start), so that ``term.after(start) == end``."""
    if end < start:
        raise ValueError("end is before start")
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    days = (end - add_months(start, months)).days
    return Term(months // 12, months % 12, days)
