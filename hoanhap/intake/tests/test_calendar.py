"""The working-day calendar: weekends, Vietnamese holidays from the library, administrators' overrides."""

import datetime as dt

import pytest

from hoanhap.intake import calendar, deadlines
from hoanhap.intake.models import CalendarDay

pytestmark = pytest.mark.django_db

D = dt.date


def test_weekends_are_not_working_days():
    """Saturday and Sunday are days off; an ordinary Monday is a working day."""
    assert not calendar.is_working_day(D(2025, 3, 8))  # Saturday
    assert not calendar.is_working_day(D(2025, 3, 9))  # Sunday
    assert calendar.is_working_day(D(2025, 3, 10))


@pytest.mark.parametrize(
    "day",
    [
        D(2025, 1, 27),
        D(2025, 1, 28),
        D(2025, 1, 29),
        D(2025, 1, 30),
        D(2025, 1, 31),
        D(2026, 2, 16),
        D(2026, 2, 20),
    ],
)
def test_tet_days_are_holidays(day):
    """Tết 2025 (27–31/1) and Tết 2026 (16–20/2) are not working days."""
    assert not calendar.is_working_day(day)
    assert calendar.day_info(day).source == "holiday"


def test_hung_kings_day_and_reunification_day_are_holidays():
    assert not calendar.is_working_day(D(2025, 4, 7))
    assert not calendar.is_working_day(D(2025, 4, 30))
    assert not calendar.is_working_day(D(2026, 4, 27))  # observed on Monday, the day fell on a Sunday


def test_library_make_up_saturday_is_a_working_day():
    """26/4/2025 was a Saturday worked to make up for the bridge day 2/5/2025."""
    assert calendar.is_working_day(D(2025, 4, 26))
    assert not calendar.is_working_day(D(2025, 5, 2))


def test_add_working_days_skips_tet_2025():
    """A notice received on Friday 24/1/2025 must be verified by Wednesday 5/2/2025 (Tết in between)."""
    assert calendar.add_working_days(D(2025, 1, 24), 3) == D(2025, 2, 5)
    assert deadlines.verify_by(D(2025, 1, 24)) == D(2025, 2, 5)


def test_add_working_days_skips_tet_2026():
    """Received Thursday 12/2/2026: Friday 13, then Tết 16–20/2, then Monday 23 and Tuesday 24."""
    assert calendar.add_working_days(D(2026, 2, 12), 3) == D(2026, 2, 24)


def test_start_day_is_not_counted_and_zero_is_identity():
    assert calendar.add_working_days(D(2025, 3, 10), 1) == D(2025, 3, 11)
    assert calendar.add_working_days(D(2025, 3, 10), 0) == D(2025, 3, 10)
    assert calendar.add_working_days(D(2025, 3, 14), 1) == D(2025, 3, 17)  # Friday → Monday


def test_add_working_days_backwards():
    assert calendar.add_working_days(D(2025, 2, 3), -1) == D(2025, 1, 24)


@pytest.mark.parametrize("n", [-7, -3, -1, 0, 1, 3, 10, 25])
def test_working_days_between_is_the_inverse_of_add(n):
    start = D(2025, 1, 20)
    assert calendar.working_days_between(start, calendar.add_working_days(start, n)) == n


def test_working_days_between_counts_over_tet():
    """From Friday 24/1/2025 to Friday 7/2/2025: 3–7 February only, five working days."""
    assert calendar.working_days_between(D(2025, 1, 24), D(2025, 2, 7)) == 5


def test_make_up_saturday_override_counts_as_working_day():
    """An administrator's make-up Saturday shortens a deadline that spans it."""
    saturday = D(2027, 3, 6)
    assert calendar.add_working_days(D(2027, 3, 5), 1) == D(2027, 3, 8)
    CalendarDay.objects.create(date=saturday, kind=CalendarDay.Kind.WORKING_DAY, name="Làm bù")
    assert calendar.is_working_day(saturday)
    assert calendar.add_working_days(D(2027, 3, 5), 1) == saturday


def test_override_holiday_and_day_off_and_deletion_refresh_the_cache():
    """Saving or deleting an override is seen at once (the per-process cache is cleared)."""
    monday = D(2027, 3, 8)
    assert calendar.is_working_day(monday)
    day = CalendarDay.objects.create(date=monday, kind=CalendarDay.Kind.DAY_OFF, name="Nghỉ hoán đổi")
    assert not calendar.is_working_day(monday)
    assert calendar.day_info(monday).name == "Nghỉ hoán đổi"
    day.delete()
    assert calendar.is_working_day(monday)


def test_override_wins_over_library_holiday():
    CalendarDay.objects.create(date=D(2025, 4, 7), kind=CalendarDay.Kind.WORKING_DAY, name="Thử")
    assert calendar.is_working_day(D(2025, 4, 7))


def test_year_days_lists_holidays_and_make_up_days():
    days = {info.date: info for info in calendar.year_days(2025)}
    assert D(2025, 1, 29) in days
    assert not days[D(2025, 1, 29)].is_working
    assert days[D(2025, 4, 26)].is_working
    assert D(2025, 3, 8) not in days  # plain weekends are not listed


def test_month_grid_has_full_weeks():
    grid = calendar.month_grid(2025, 2)
    assert all(len(week) == 7 for week in grid)
    assert grid[0][:5] == [None] * 5  # 1 February 2025 was a Saturday
    assert grid[0][5].date == D(2025, 2, 1)
