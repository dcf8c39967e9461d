"""The working-day calendar used for deadlines counted in working days (Circular 10/2024 Art. 8).

A day is a working day unless it is a Saturday or Sunday or a Vietnamese public holiday, with two
sources of exceptions:

* the ``holidays`` library (country "VN"): Tết, Hùng Kings' day, 30/4, 1/5, 2/9 … including the
  bridge days the government announced and the Saturdays worked to make up for them, when the
  library knows them;
* ``CalendarDay`` rows entered by administrators, which win over everything else: an extra
  holiday, a make-up Saturday (``working_day``) or a swapped day off (``day_off``).

The calendar of a year is built once per process and kept until a ``CalendarDay`` is saved or
deleted in this process, or for ``calendar_cache_seconds()`` (so that other processes see an
administrator's change too).

Counting follows the Civil Code convention used everywhere in the project: the start day is not
counted. ``add_working_days(d, 3)`` is the third working day after ``d``.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass

import holidays as holidays_lib
from django.utils.translation import gettext as _

from hoanhap.intake import policy_settings

SATURDAY, SUNDAY = 5, 6


@dataclass(frozen=True)
class DayInfo:
    """What the calendar says about one date, and why."""

    date: dt.date
    is_working: bool
    name: str  # holiday or override name; "" for an ordinary day
    source: str  # "override", "holiday", "make_up", "weekend" or "" (an ordinary working day)


@dataclass
class _YearCalendar:
    holidays: dict[dt.date, str]  # library holidays
    make_up_days: set[dt.date]  # library weekend working days


_lock = threading.Lock()
_years: dict[int, _YearCalendar] = {}
_overrides: dict[dt.date, tuple[str, str]] | None = None  # date -> (kind, name)
_loaded_at = 0.0


def clear_cache() -> None:
    """Forget the cached calendar (called when a CalendarDay changes, and by tests)."""
    global _overrides, _loaded_at
    with _lock:
        _years.clear()
        _overrides = None
        _loaded_at = 0.0


def _fresh() -> None:
    if _overrides is not None and time.monotonic() - _loaded_at > policy_settings.calendar_cache_seconds():
        clear_cache()


def _library_year(year: int) -> _YearCalendar:
    cached = _years.get(year)
    if cached is not None:
        return cached
    lib = holidays_lib.country_holidays("VN", years=year, language="vi")
    make_up = {d for d in getattr(lib, "weekend_workdays", set()) if d.year == year}
    cal = _YearCalendar(holidays={d: name for d, name in lib.items() if d.year == year}, make_up_days=make_up)
    with _lock:
        _years[year] = cal
    return cal


def _override_map() -> dict[dt.date, tuple[str, str]]:
    global _overrides, _loaded_at
    _fresh()
    if _overrides is None:
        from hoanhap.intake.models import CalendarDay

        rows = {row.date: (row.kind, row.name) for row in CalendarDay.objects.all()}
        with _lock:
            _overrides = rows
            _loaded_at = time.monotonic()
    return _overrides


def day_info(day: dt.date) -> DayInfo:
    """Whether ``day`` is a working day, with the name of the holiday or override that decides."""
    from hoanhap.intake.models import CalendarDay

    override = _override_map().get(day)
    if override is not None:
        kind, name = override
        return DayInfo(day, kind == CalendarDay.Kind.WORKING_DAY, name, "override")
    cal = _library_year(day.year)
    if day in cal.holidays:
        return DayInfo(day, False, cal.holidays[day], "holiday")
    if day in cal.make_up_days:
        return DayInfo(day, True, _("Make-up working day"), "make_up")
    if day.weekday() in (SATURDAY, SUNDAY):
        return DayInfo(day, False, "", "weekend")
    return DayInfo(day, True, "", "")


def is_working_day(day: dt.date) -> bool:
    return day_info(day).is_working


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``start`` (before it when ``n`` is negative); ``start`` itself is not counted.

    ``n == 0`` gives ``start`` unchanged.
    """
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    day = start
    while remaining:
        day += dt.timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end``; negative when ``end`` is earlier.

    The inverse of ``add_working_days``: ``working_days_between(d, add_working_days(d, n)) == n``
    for every ``n`` (going back, ``end`` is counted and ``start`` is not).
    """
    if end >= start:
        low, high, sign = start + dt.timedelta(days=1), end, 1
    else:
        low, high, sign = end, start - dt.timedelta(days=1), -1
    count = 0
    day = low
    while day <= high:
        if is_working_day(day):
            count += 1
        day += dt.timedelta(days=1)
    return sign * count


def year_days(year: int) -> list[DayInfo]:
    """The dates of ``year`` that differ from an ordinary week: holidays, make-up days, overrides."""
    day = dt.date(year, 1, 1)
    out = []
    while day.year == year:
        info = day_info(day)
        if info.source not in ("", "weekend"):
            out.append(info)
        day += dt.timedelta(days=1)
    return out


def month_grid(year: int, month: int) -> list[list[DayInfo | None]]:
    """Weeks (Monday first) of ``month``, each day with its info; None pads the first and last week."""
    first = dt.date(year, month, 1)
    weeks: list[list[DayInfo | None]] = []
    week: list[DayInfo | None] = [None] * first.weekday()
    day = first
    while day.month == month:
        week.append(day_info(day))
        if len(week) == 7:
            weeks.append(week)
            week = []
        day += dt.timedelta(days=1)
    if week:
        weeks.append(week + [None] * (7 - len(week)))
    return weeks
