"""Expungement dates (Criminal Code 2015 Arts. 69-73): a table of dated cases (pure: no database).

Unless a case says otherwise, the main penalty was completed on 15/03/2020, the conviction is under
Chapter XVI (property, automatic route) and everything else the judgment ordered was completed
that same day.
"""

import datetime as dt

import pytest

from hoanhap.justice.rules import InvalidInput, expungement_from_data
from hoanhap.justice.tests.cases import case

pytestmark = pytest.mark.usefixtures("english")


def answer(**kwargs):
    return expungement_from_data(case(**kwargs)).as_dict()


# (id, case arguments, route, eligible_on, Art. 70(2)/71(2) point cited in the rule)
PERIODS = [
    ("warning", {"penalty_type": "warning"}, "automatic", "2021-03-15", "70(2)(a)"),
    ("fine", {"penalty_type": "fine"}, "automatic", "2021-03-15", "70(2)(a)"),
    (
        "non-custodial",
        {"penalty_type": "non_custodial_reform", "years": 2},
        "automatic",
        "2021-03-15",
        "70(2)(a)",
    ),
    (
        "suspended-3y",
        {"penalty_type": "suspended_imprisonment", "years": 3},
        "automatic",
        "2021-03-15",
        "70(2)(a)",
    ),
    (
        "suspended-long",
        {"penalty_type": "suspended_imprisonment", "years": 7},
        "automatic",
        "2021-03-15",
        "70(2)(a)",
    ),
    ("prison-6m", {"months": 6}, "automatic", "2022-03-15", "70(2)(b)"),
    ("prison-exactly-5y", {"years": 5}, "automatic", "2022-03-15", "70(2)(b)"),
    ("prison-60-months", {"months": 60}, "automatic", "2022-03-15", "70(2)(b)"),
    ("prison-59m-30d", {"months": 59, "days": 30}, "automatic", "2022-03-15", "70(2)(b)"),
    ("prison-5y-1d", {"years": 5, "days": 1}, "automatic", "2023-03-15", "70(2)(c)"),
    ("prison-4y-12m-1d", {"years": 4, "months": 12, "days": 1}, "automatic", "2023-03-15", "70(2)(c)"),
    ("prison-59m-31d", {"months": 59, "days": 31}, "automatic", "2023-03-15", "70(2)(c)"),
    ("prison-61-months", {"months": 61}, "automatic", "2023-03-15", "70(2)(c)"),
    ("prison-66-months", {"months": 66}, "automatic", "2023-03-15", "70(2)(c)"),
    ("prison-exactly-15y", {"years": 15}, "automatic", "2023-03-15", "70(2)(c)"),
    ("prison-180-months", {"months": 180}, "automatic", "2023-03-15", "70(2)(c)"),
    ("prison-15y-1d", {"years": 15, "days": 1}, "automatic", "2025-03-15", "70(2)(d)"),
    ("prison-181-months", {"months": 181}, "automatic", "2025-03-15", "70(2)(d)"),
    ("prison-20y", {"years": 20}, "automatic", "2025-03-15", "70(2)(d)"),
    ("life", {"penalty_type": "life_imprisonment"}, "automatic", "2025-03-15", "70(2)(d)"),
    ("death-commuted", {"penalty_type": "death_commuted"}, "automatic", "2025-03-15", "70(2)(d)"),
    ("court-warning", {"penalty_type": "warning", "chapters": [13]}, "court", "2021-03-15", "71(2)(a)"),
    ("court-fine", {"penalty_type": "fine", "chapters": [26]}, "court", "2021-03-15", "71(2)(a)"),
    (
        "court-suspended",
        {"penalty_type": "suspended_imprisonment", "years": 2, "chapters": [13]},
        "court",
        "2021-03-15",
        "71(2)(a)",
    ),
    ("court-exactly-5y", {"years": 5, "chapters": [13]}, "court", "2023-03-15", "71(2)(b)"),
    ("court-60-months", {"months": 60, "chapters": [13]}, "court", "2023-03-15", "71(2)(b)"),
    ("court-5y-1d", {"years": 5, "days": 1, "chapters": [13]}, "court", "2025-03-15", "71(2)(c)"),
    ("court-66-months", {"months": 66, "chapters": [26]}, "court", "2025-03-15", "71(2)(c)"),
    ("court-exactly-15y", {"years": 15, "chapters": [13]}, "court", "2025-03-15", "71(2)(c)"),
    ("court-15y-1d", {"years": 15, "days": 1, "chapters": [13]}, "court", "2027-03-15", "71(2)(d)"),
    (
        "court-life",
        {"penalty_type": "life_imprisonment", "chapters": [13]},
        "court",
        "2027-03-15",
        "71(2)(d)",
    ),
    (
        "court-death-commuted",
        {"penalty_type": "death_commuted", "chapters": [26]},
        "court",
        "2027-03-15",
        "71(2)(d)",
    ),
    ("mixed-16-13", {"years": 2, "chapters": [16, 13]}, "court", "2023-03-15", "71(2)(b)"),
    ("mixed-26-14-20", {"years": 2, "chapters": [26, 14, 20]}, "court", "2023-03-15", "71(2)(b)"),
    (
        "several-ordinary-chapters",
        {"years": 2, "chapters": [14, 16, 20, 25]},
        "automatic",
        "2022-03-15",
        "70(2)(b)",
    ),
]


@pytest.mark.parametrize(
    ("kwargs", "route", "eligible_on", "point"), [p[1:] for p in PERIODS], ids=[p[0] for p in PERIODS]
)
def test_period_by_penalty_and_route(kwargs, route, eligible_on, point):
    """Each penalty falls in its point of Art. 70(2) or 71(2); the date is the period's last day."""
    result = answer(**kwargs)
    assert result["route"] == route
    assert result["eligible_on"] == eligible_on
    assert result["status"] == ("court_decision_required" if route == "court" else "eligible_date_known")
    assert result["blocked_by"] == []
    assert point in result["rule"]


def test_mixed_chapters_cite_art_73_3():
    """A conviction under several chapters, one of them XIII or XXVI, goes to the court (Art. 73(3))."""
    assert "73(3)" in answer(years=2, chapters=[16, 13])["rule"]
    assert "73(3)" not in answer(years=2, chapters=[13])["rule"]


def test_rule_wording_example():
    """The rule is a short sentence citing the articles applied."""
    assert answer(years=3)["rule"] == (
        "Criminal Code 2015 Art. 70(2)(b): 2 years after completing imprisonment of up to 5 years"
    )


@pytest.mark.parametrize(
    ("kwargs", "eligible_on"),
    [
        ({"penalty_type": "warning", "completed": "2020-02-29", "obligations": "2020-02-29"}, "2021-02-28"),
        ({"years": 2, "completed": "2020-02-29", "obligations": "2020-02-29"}, "2022-02-28"),
        ({"years": 10, "completed": "2020-02-29", "obligations": "2020-02-29"}, "2023-02-28"),
        ({"years": 16, "completed": "2020-02-29", "obligations": "2020-02-29"}, "2025-02-28"),
        (
            {"years": 16, "chapters": [13], "completed": "2020-02-29", "obligations": "2020-02-29"},
            "2027-02-28",
        ),
        ({"penalty_type": "fine", "completed": "2019-02-28", "obligations": "2019-02-28"}, "2020-02-28"),
        ({"penalty_type": "fine", "completed": "2019-03-01", "obligations": "2019-03-01"}, "2020-03-01"),
        ({"years": 1, "completed": "2021-12-31", "obligations": "2021-12-31"}, "2023-12-31"),
    ],
    ids=[
        "29feb+1y",
        "29feb+2y",
        "29feb+3y",
        "29feb+5y",
        "29feb+7y-court",
        "28feb-to-leap-year",
        "1mar",
        "31dec",
    ],
)
def test_leap_days(kwargs, eligible_on):
    """A period that would end on 29 February of a common year ends on 28 February; no other shift."""
    assert answer(**kwargs)["eligible_on"] == eligible_on


def test_no_shift_for_weekends_or_holidays():
    """15/03/2025 is a Saturday and 01/01/2022 a public holiday: the dates stay as they are."""
    assert answer(years=16, completed="2020-03-15")["eligible_on"] == "2025-03-15"
    assert (
        answer(penalty_type="fine", completed="2021-01-01", obligations="2021-01-01")["eligible_on"]
        == "2022-01-01"
    )


# --- additional penalties -------------------------------------------------------------------------

ADDITIONAL = [
    ("residence-ban-longer", [("residence_ban", "2023-01-10")], "2023-01-10", True),
    ("probation-longer", [("probation_supervision", "2022-09-01")], "2022-09-01", True),
    ("position-ban-longer", [("position_ban", "2024-03-16")], "2024-03-16", True),
    ("civic-rights-longer", [("civic_rights_deprivation", "2022-03-16")], "2022-03-16", True),
    ("residence-ban-shorter", [("residence_ban", "2021-01-10")], "2022-03-15", False),
    ("ends-on-the-last-day", [("residence_ban", "2022-03-15")], "2022-03-15", False),
    (
        "two-running-latest-wins",
        [("residence_ban", "2022-06-01"), ("probation_supervision", "2022-12-01")],
        "2022-12-01",
        True,
    ),
    ("additional-fine-paid-late", [("fine", "2023-01-10")], "2022-03-15", False),
    ("confiscation-late", [("confiscation", "2023-01-10")], "2022-03-15", False),
]


@pytest.mark.parametrize(
    ("additional", "eligible_on", "shifted"), [a[1:] for a in ADDITIONAL], ids=[a[0] for a in ADDITIONAL]
)
def test_additional_penalties(additional, eligible_on, shifted):
    """Only a longer probation, residence ban, position ban or civic-rights deprivation moves the date."""
    result = answer(years=2, additional=additional)
    assert result["status"] == "eligible_date_known"
    assert result["eligible_on"] == eligible_on
    assert ("last paragraph" in result["rule"]) is shifted


def test_longer_additional_penalty_on_the_court_route_moves_the_date():
    result = answer(years=2, chapters=[13], additional=[("residence_ban", "2024-01-01")])
    assert (result["status"], result["eligible_on"]) == ("court_decision_required", "2024-01-01")
    assert "71(2), last paragraph" in result["rule"]


@pytest.mark.parametrize(
    "penalty",
    [
        "probation_supervision",
        "residence_ban",
        "position_ban",
        "civic_rights_deprivation",
        "fine",
        "confiscation",
    ],
)
def test_unfinished_additional_penalty_blocks(penalty):
    result = answer(years=2, additional=[(penalty, None)])
    assert result == {
        **result,
        "status": "blocked",
        "eligible_on": None,
        "blocked_by": ["additional_penalty"],
    }


# --- other decisions of the judgment (fees, compensation) -----------------------------------------


@pytest.mark.parametrize(
    ("obligations", "status", "eligible_on", "blocked_by"),
    [
        (None, "blocked", None, ["obligations"]),
        ("2022-08-01", "eligible_date_known", "2022-08-01", []),  # paid late: that day
        ("2022-03-16", "eligible_date_known", "2022-03-16", []),
        ("2022-03-15", "eligible_date_known", "2022-03-15", []),  # paid on the last day
        ("2021-05-01", "eligible_date_known", "2022-03-15", []),  # paid within the period
        ("2019-12-01", "eligible_date_known", "2022-03-15", []),  # paid before completion
    ],
    ids=["unpaid", "late", "day-after", "last-day", "within", "before"],
)
def test_other_obligations(obligations, status, eligible_on, blocked_by):
    """Unpaid compensation blocks; a late payment moves the date to the payment (Art. 70(2))."""
    result = answer(years=2, obligations=obligations)
    assert (result["status"], result["eligible_on"], result["blocked_by"]) == (
        status,
        eligible_on,
        blocked_by,
    )


def test_late_payment_is_cited_in_the_rule():
    assert "other decisions of the judgment" in answer(years=2, obligations="2022-08-01")["rule"]
    assert "other decisions" not in answer(years=2, obligations="2021-08-01")["rule"]


def test_late_payment_after_a_longer_additional_penalty_wins():
    result = answer(years=2, additional=[("residence_ban", "2023-01-01")], obligations="2023-06-01")
    assert result["eligible_on"] == "2023-06-01"


def test_unpaid_obligations_block_the_court_route_too():
    result = answer(years=2, chapters=[13], obligations=None)
    assert (result["route"], result["status"], result["eligible_on"]) == ("court", "blocked", None)


# --- new convictions (Art. 73(2)) -----------------------------------------------------------------

CONVICTIONS = [
    ("inside", [("2021-01-01", "2021-06-01")], "eligible_date_known", "2023-06-01", []),
    ("on-the-last-day", [("2022-03-15", "2022-09-01")], "eligible_date_known", "2024-09-01", []),
    ("day-after-the-period", [("2022-03-16", "2022-09-01")], "eligible_date_known", "2022-03-15", []),
    ("long-after", [("2030-01-01", None)], "eligible_date_known", "2022-03-15", []),
    ("inside-unknown-completion", [("2021-01-01", None)], "blocked", None, ["new_conviction"]),
    ("last-day-unknown-completion", [("2022-03-15", None)], "blocked", None, ["new_conviction"]),
    (
        "while-serving-the-old-penalty",
        [("2019-06-01", "2020-01-01")],
        "eligible_date_known",
        "2022-03-15",
        [],
    ),
    # The second offence is after the first period but inside the restarted one: restarts again.
    (
        "chain",
        [("2021-01-01", "2021-12-01"), ("2023-05-01", "2024-02-01")],
        "eligible_date_known",
        "2026-02-01",
        [],
    ),
    (
        "chain-given-out-of-order",
        [("2023-05-01", "2024-02-01"), ("2021-01-01", "2021-12-01")],
        "eligible_date_known",
        "2026-02-01",
        [],
    ),
    (
        "second-after-the-restarted-period",
        [("2021-01-01", "2021-12-01"), ("2023-12-02", None)],
        "eligible_date_known",
        "2023-12-01",
        [],
    ),
    (
        "second-on-the-restarted-last-day",
        [("2021-01-01", "2021-12-01"), ("2023-12-01", None)],
        "blocked",
        None,
        ["new_conviction"],
    ),
    (
        "two-inside-later-completion-wins",
        [("2020-06-01", "2022-01-01"), ("2020-07-01", "2021-01-01")],
        "eligible_date_known",
        "2024-01-01",
        [],
    ),
]


@pytest.mark.parametrize(
    ("convictions", "status", "eligible_on", "blocked_by"),
    [c[1:] for c in CONVICTIONS],
    ids=[c[0] for c in CONVICTIONS],
)
def test_new_convictions(convictions, status, eligible_on, blocked_by):
    """A new offence up to and including the period's last day restarts it from the new completion."""
    result = answer(years=2, convictions=convictions)
    assert (result["status"], result["eligible_on"], result["blocked_by"]) == (
        status,
        eligible_on,
        blocked_by,
    )


def test_restart_keeps_the_length_of_the_old_period():
    """Court route, 5 years 1 day of prison: 5-year period, restarted with 5 years."""
    result = answer(years=5, days=1, chapters=[13], convictions=[("2021-01-01", "2021-06-30")])
    assert result["eligible_on"] == "2026-06-30"
    assert "73(2)" in result["rule"]


def test_restart_lands_on_28_february():
    """Restarted from 29/02/2020 with 2 years: ends on 28/02/2022."""
    result = answer(
        years=2, completed="2019-01-01", obligations="2019-01-01", convictions=[("2020-01-01", "2020-02-29")]
    )
    assert result["eligible_on"] == "2022-02-28"


def test_restart_then_longer_additional_penalty():
    result = answer(
        years=2, convictions=[("2021-01-01", "2021-06-01")], additional=[("residence_ban", "2024-01-01")]
    )
    assert result["eligible_on"] == "2024-01-01"


# --- blocked_by ----------------------------------------------------------------------------------


def test_blocked_by_lists_every_blocker_once_in_a_fixed_order():
    """Order: obligations, additional_penalty, new_conviction; duplicates are listed once."""
    result = answer(
        years=2,
        obligations=None,
        additional=[("residence_ban", None), ("confiscation", None), ("probation_supervision", "2021-01-01")],
        convictions=[("2021-05-01", None), ("2021-06-01", None)],
    )
    assert result["blocked_by"] == ["obligations", "additional_penalty", "new_conviction"]
    assert (result["status"], result["eligible_on"]) == ("blocked", None)


@pytest.mark.parametrize(
    ("kwargs", "blocked_by"),
    [
        ({"obligations": None, "additional": [("fine", None)]}, ["obligations", "additional_penalty"]),
        ({"obligations": None, "convictions": [("2021-01-01", None)]}, ["obligations", "new_conviction"]),
        (
            {"additional": [("residence_ban", None)], "convictions": [("2021-01-01", None)]},
            ["additional_penalty", "new_conviction"],
        ),
        ({"chapters": [13], "additional": [("residence_ban", None)]}, ["additional_penalty"]),
    ],
)
def test_blocked_by_combinations(kwargs, blocked_by):
    result = answer(years=2, **kwargs)
    assert result["blocked_by"] == blocked_by
    assert (result["status"], result["eligible_on"]) == ("blocked", None)


def test_answer_has_exactly_the_contract_keys():
    assert list(answer(years=2)) == ["route", "eligible_on", "status", "blocked_by", "rule"]
    result = expungement_from_data(case(years=2)).as_dict(explain=True)
    assert result["explanation"]
    assert all(isinstance(line, str) for line in result["explanation"])


def test_explanation_names_the_facts_used():
    """The officer sees the dates used, written dd/mm/yyyy."""
    result = expungement_from_data(
        case(months=66, additional=[("residence_ban", "2024-01-01")], convictions=[("2030-01-01", None)])
    )
    text = "\n".join(str(f) for f in result.explanation)
    assert "15/03/2020" in text
    assert "15/03/2023" in text
    assert "01/01/2024" in text
    assert "66 months" in text
    assert "5 years 6 months" in text
    assert "01/01/2030" in text  # the offence after the period is mentioned as having no effect


# --- invalid input ---------------------------------------------------------------------------------


def broken(**changes):
    data = case(years=2)
    for key, value in changes.items():
        if value is KeyError:
            data.pop(key)
        else:
            data[key] = value
    return data


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ([], None),
        (broken(main_penalty=KeyError), "main_penalty"),
        (broken(main_penalty={"type": "prison"}), "main_penalty.type"),
        (broken(main_penalty={"type": "imprisonment", "years": -1}), "main_penalty.years"),
        (broken(main_penalty={"type": "imprisonment", "years": "5"}), "main_penalty.years"),
        (broken(main_penalty={"type": "imprisonment", "years": 2.5}), "main_penalty.years"),
        (broken(main_penalty={"type": "imprisonment", "years": True}), "main_penalty.years"),
        (broken(main_penalty={"type": "imprisonment"}), "main_penalty"),
        (broken(main_penalty={"type": "fine", "amount": 5}), "main_penalty.amount"),
        (broken(main_penalty_completed_on="15/03/2020"), "main_penalty_completed_on"),
        (broken(main_penalty_completed_on="2021-02-29"), "main_penalty_completed_on"),
        (broken(main_penalty_completed_on=None), "main_penalty_completed_on"),
        (broken(main_penalty_completed_on=KeyError), "main_penalty_completed_on"),
        (broken(chapters=[]), "chapters"),
        (broken(chapters=16), "chapters"),
        (broken(chapters=[16, 12]), "chapters[1]"),
        (broken(chapters=["XIII"]), "chapters[0]"),
        (broken(chapters=[27]), "chapters[0]"),
        (
            broken(additional_penalties=[{"type": "exile", "completed_on": None}]),
            "additional_penalties[0].type",
        ),
        (
            broken(additional_penalties=[{"type": "fine", "completed_on": "soon"}]),
            "additional_penalties[0].completed_on",
        ),
        (broken(additional_penalties=["fine"]), "additional_penalties[0]"),
        (broken(other_obligations_completed_on=KeyError), "other_obligations_completed_on"),
        (broken(other_obligations_completed_on="2020/01/01"), "other_obligations_completed_on"),
        (
            broken(new_convictions=[{"main_penalty_completed_on": None}]),
            "new_convictions[0].offence_committed_on",
        ),
        (
            broken(
                new_convictions=[
                    {"offence_committed_on": "2021-05-01", "main_penalty_completed_on": "2021-04-30"}
                ]
            ),
            "new_convictions[0].main_penalty_completed_on",
        ),
        (broken(extra="x"), "extra"),
    ],
)
def test_invalid_input_names_the_field(data, field):
    with pytest.raises(InvalidInput) as caught:
        expungement_from_data(data)
    assert caught.value.field == field
    assert caught.value.as_dict() == {"error": caught.value.text, "field": field}
    if field:
        assert caught.value.text.startswith(field + ": ")


def test_optional_lists_may_be_left_out():
    data = broken(additional_penalties=KeyError, new_convictions=KeyError)
    assert expungement_from_data(data).as_dict()["eligible_on"] == "2022-03-15"


def test_lengths_of_non_custodial_penalties_may_be_left_out():
    data = case(years=2)
    data["main_penalty"] = {"type": "warning"}
    assert expungement_from_data(data).eligible_on == dt.date(2021, 3, 15)
