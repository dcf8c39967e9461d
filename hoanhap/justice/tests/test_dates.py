"""Date helpers with the Civil Code 2015 conventions (pure: no database)."""

import datetime as dt

import pytest

from hoanhap.justice.rules.dates import Term, add_days, add_months, add_period, add_years, term_between

D = dt.date


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        (D(2020, 3, 15), 2, D(2022, 3, 15)),  # same day and month of the last year
        (D(2020, 2, 29), 1, D(2021, 2, 28)),  # 29 February in a common year → 28 February
        (D(2020, 2, 29), 3, D(2023, 2, 28)),
        (D(2020, 2, 29), 4, D(2024, 2, 29)),  # leap to leap keeps the 29th
        (D(2019, 2, 28), 1, D(2020, 2, 28)),  # never moves forward to the 29th
        (D(2019, 3, 1), 1, D(2020, 3, 1)),
        (D(2020, 12, 31), 5, D(2025, 12, 31)),
        (D(2020, 3, 15), 0, D(2020, 3, 15)),
    ],
)
def test_add_years_ends_on_the_same_day_and_month(start, years, expected):
    """A period of years ends on the same day and month of its last year (Civil Code Art. 148(4))."""
    assert add_years(start, years) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2021, 1, 31), 1, D(2021, 2, 28)),  # no 31 February: last day of the month
        (D(2020, 1, 31), 1, D(2020, 2, 29)),
        (D(2021, 3, 31), 1, D(2021, 4, 30)),
        (D(2021, 11, 15), 3, D(2022, 2, 15)),
        (D(2021, 5, 10), 66, D(2026, 11, 10)),
        (D(2021, 5, 10), -5, D(2020, 12, 10)),
    ],
)
def test_add_months_uses_the_last_day_when_the_day_is_missing(start, months, expected):
    """A period of months ends on the same day of its last month, or that month's last day (Art. 148(3))."""
    assert add_months(start, months) == expected


def test_add_days_and_period_count_months_first_then_days():
    assert add_days(D(2020, 12, 31), 1) == D(2021, 1, 1)
    assert add_period(D(2020, 1, 31), months=1, days=1) == D(2020, 3, 1)
    assert add_period(D(2020, 1, 10), years=2, months=3, days=10) == D(2022, 4, 20)


@pytest.mark.parametrize(
    ("term", "years", "over"),
    [
        (Term(5), 5, False),
        (Term(0, 60), 5, False),
        (Term(5, 0, 1), 5, True),
        (Term(0, 66), 5, True),
        (Term(4, 11, 30), 5, False),  # 30 days carried as one month: exactly 5 years
        (Term(4, 11, 31), 5, True),
        (Term(15), 15, False),
        (Term(15, 0, 1), 15, True),
    ],
)
def test_exceeds_years_is_strict(term, years, over):
    """'Up to N years' includes exactly N years; one day more is over."""
    assert term.exceeds_years(years) is over


def test_fraction_rounds_up_to_a_whole_day():
    assert Term(7).fraction(1, 2) == Term(3, 6)
    assert Term(5, 3).fraction(1, 2) == Term(2, 7, 15)
    assert Term(10).fraction(1, 3) == Term(3, 4)
    assert Term(0, 7, 1).fraction(1, 3) == Term(0, 2, 11)  # 211/3 = 70.33 → 71 days


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2020, 1, 31), D(2020, 2, 29)),
        (D(2020, 1, 31), D(2020, 3, 1)),
        (D(2023, 7, 10), D(2026, 7, 10)),
        (D(2020, 2, 29), D(2021, 2, 28)),
        (D(2020, 5, 5), D(2020, 5, 5)),
    ],
)
def test_term_between_is_the_inverse_of_after(start, end):
    assert term_between(start, end).after(start) == end


def test_term_between_refuses_a_backward_range():
    with pytest.raises(ValueError):
        term_between(D(2020, 1, 2), D(2020, 1, 1))
