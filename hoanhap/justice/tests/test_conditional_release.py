"""Conditional early release arithmetic (Criminal Code 2015 Arts. 66, 106): a table of cases (pure)."""

import pytest

from hoanhap.justice.rules import InvalidInput, conditional_release_from_data

pytestmark = pytest.mark.usefixtures("english")


def release(years=0, months=0, days=0, *, served_from, **extra):
    return conditional_release_from_data(
        {"term": {"years": years, "months": months, "days": days}, "served_from": served_from, **extra}
    ).as_dict()


# (id, arguments, eligible_on, term_ends_on, release_on, probation (y, m, d), shortening_from, article)
CASES = [
    (
        "half-of-7y",
        {"years": 7, "served_from": "2020-01-10"},
        "2023-07-10",
        "2027-01-10",
        "2023-07-10",
        (3, 6, 0),
        "2025-04-10",
        "66(1)(đ): at least one half",
    ),
    (
        "third-of-10y-protected",
        {"years": 10, "served_from": "2018-05-10", "group": "protected"},
        "2021-09-10",
        "2028-05-10",
        "2021-09-10",
        (6, 8, 0),
        "2025-01-10",
        "one third of the fixed term",
    ),
    (
        "third-under-18",
        {"years": 3, "served_from": "2022-02-01", "group": "under_18"},
        "2023-02-01",
        "2025-02-01",
        "2023-02-01",
        (2, 0, 0),
        "2024-02-01",
        "Art. 106",
    ),
    (
        "life-commuted-15y",
        {"years": 30, "served_from": "2000-06-15", "life_commuted": True},
        "2015-06-15",
        "2030-06-15",
        "2015-06-15",
        (15, 0, 0),
        "2022-12-15",
        "at least 15 years",
    ),
    (
        "life-commuted-protected-12y",
        {"years": 30, "served_from": "2000-06-15", "life_commuted": True, "group": "protected"},
        "2012-06-15",
        "2030-06-15",
        "2012-06-15",
        (18, 0, 0),
        "2021-06-15",
        "at least 12 years",
    ),
    (
        "odd-months-half",
        {"years": 5, "months": 3, "served_from": "2020-01-31"},
        "2022-09-15",
        "2025-04-30",
        "2022-09-15",
        (2, 7, 15),
        "2024-01-07",
        "one half",
    ),
    (
        "reductions-end-the-term-earlier",
        {"years": 7, "served_from": "2020-01-10", "reductions": {"months": 6}},
        "2023-07-10",
        "2026-07-10",
        "2023-07-10",
        (3, 0, 0),
        "2025-01-10",
        "one half",
    ),
    (
        "release-later-than-earliest",
        {"years": 7, "served_from": "2020-01-10", "release_on": "2024-01-01"},
        "2023-07-10",
        "2027-01-10",
        "2024-01-01",
        (3, 0, 9),
        "2025-07-06",
        "one half",
    ),
    (
        "leap-day-start",
        {"years": 1, "served_from": "2020-02-29"},
        "2020-08-29",
        "2021-02-28",
        "2020-08-29",
        (0, 6, 0),
        "2020-11-29",
        "one half",
    ),
]


@pytest.mark.parametrize(
    ("kwargs", "eligible_on", "term_ends_on", "release_on", "probation", "shortening", "article"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_release_dates(kwargs, eligible_on, term_ends_on, release_on, probation, shortening, article):
    """Earliest date, probation = remaining term, shortening after one half of the probation."""
    result = release(**kwargs)
    assert result["eligible_on"] == eligible_on
    assert result["term_ends_on"] == term_ends_on
    assert result["release_on"] == release_on
    assert result["time_condition_met"] is True
    assert result["probation"] == dict(zip(["years", "months", "days"], probation, strict=True))
    assert result["probation_ends_on"] == term_ends_on
    assert result["shortening_from"] == shortening
    assert article in result["rule"]


def test_release_before_the_time_condition_is_flagged():
    result = release(years=7, served_from="2020-01-10", release_on="2022-01-01")
    assert (result["time_condition_met"], result["eligible_on"]) == (False, "2023-07-10")
    assert result["probation"] == {"years": 5, "months": 0, "days": 9}


def test_term_ending_before_the_time_condition_gives_no_date():
    """1 year with 7 months of reductions ends before half of the year is served."""
    result = release(years=1, served_from="2024-01-01", reductions={"months": 7})
    assert result["term_ends_on"] == "2024-06-01"
    assert (result["eligible_on"], result["release_on"], result["probation"], result["shortening_from"]) == (
        None,
        None,
        None,
        None,
    )
    assert result["time_condition_met"] is None


def test_answer_shape():
    result = conditional_release_from_data({"term": {"years": 2}, "served_from": "2020-01-01"})
    assert list(result.as_dict()) == [
        "eligible_on",
        "term_ends_on",
        "release_on",
        "time_condition_met",
        "probation",
        "probation_ends_on",
        "shortening_from",
        "rule",
    ]
    assert any("first offence" in line for line in result.as_dict(explain=True)["explanation"])


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"served_from": "2020-01-01"}, "term"),
        ({"term": {}, "served_from": "2020-01-01"}, "term"),
        ({"term": {"years": 2}}, "served_from"),
        ({"term": {"years": 2}, "served_from": "2020-01-01", "reductions": {"years": 2}}, "reductions"),
        ({"term": {"years": 2}, "served_from": "2020-01-01", "group": "elderly"}, "group"),
        (
            {"term": {"years": 20}, "served_from": "2020-01-01", "group": "under_18", "life_commuted": True},
            "life_commuted",
        ),
        ({"term": {"years": 2}, "served_from": "2020-01-01", "release_on": "2019-12-31"}, "release_on"),
        ({"term": {"years": 2}, "served_from": "2020-01-01", "release_on": "2022-01-01"}, "release_on"),
        ({"term": {"years": 2, "weeks": 1}, "served_from": "2020-01-01"}, "term.weeks"),
    ],
)
def test_invalid_input_names_the_field(data, field):
    with pytest.raises(InvalidInput) as caught:
        conditional_release_from_data(data)
    assert caught.value.field == field
