"""Decision 22/2023 eligibility: every check, its boundaries, and its explanation (pure rules, no database)."""

import datetime as dt

import pytest
from django.test import override_settings

from hoanhap.support.rules import policy_bank as pb


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def case(**fields) -> pb.LoanCase:
    """A person who completed the sentence on 01/07/2020, certified on Form 01, asking 50 million for business."""
    values = {
        "purpose": pb.BUSINESS,
        "amount": 50_000_000,
        "apply_on": d("2024-03-01"),
        "certificate_number": "12/GCN",
        "certificate_date": d("2020-07-01"),
        "release_kind": "completed_term",
        "completed_on": d("2020-07-01"),
        "form01_certified_on": d("2024-01-10"),
    }
    values.update(fields)
    return pb.LoanCase(**values)


def check(result: pb.LoanEligibility, code: str) -> pb.Check:
    return next(c for c in result.checks if c.code == code)


def test_a_complete_case_is_eligible_with_five_explained_checks():
    """All five conditions pass, in the order of the Decision, each with its legal reference."""
    result = pb.check(case())
    assert result.eligible
    assert [c.code for c in result.checks] == ["certificate", "form01", "window", "amount", "no_debt"]
    assert all(str(c.reference).startswith("Decision 22/2023") for c in result.checks)
    assert "12/GCN" in str(check(result, "certificate").explanation[0])


@pytest.mark.parametrize(
    ("apply_on", "passed"),
    [
        ("2020-07-01", True),  # the day the sentence was completed
        ("2025-06-30", True),
        ("2025-07-01", True),  # exactly five years: still allowed ("no more than 5 years")
        ("2025-07-02", False),  # one day too late
        ("2026-01-01", False),
        ("2020-06-30", False),  # before the sentence is completed
    ],
)
def test_the_five_year_window_counts_to_the_same_day_five_years_later(apply_on, passed):
    result = pb.check(case(apply_on=d(apply_on)))
    window = check(result, "window")
    assert window.passed is passed
    assert result.eligible is passed
    if d(apply_on) >= d("2020-07-01"):
        assert window.facts["last_day"] == d("2025-07-01")


@pytest.mark.parametrize(("apply_on", "passed"), [("2029-02-28", True), ("2029-03-01", False)])
def test_a_sentence_completed_on_29_february_ends_its_window_on_28_february(apply_on, passed):
    """Civil Code Art. 148(4), as the justice rules count it: 29/02/2024 + 5 years = 28/02/2029."""
    result = pb.check(case(completed_on=d("2024-02-29"), apply_on=d(apply_on)))
    assert check(result, "window").passed is passed


def test_an_unknown_completion_date_fails_the_window_with_a_reason():
    window = check(pb.check(case(completed_on=None)), "window")
    assert not window.passed
    assert "not known" in str(window.explanation[0])


@pytest.mark.parametrize(
    ("amount", "passed"), [(100_000_000, True), (100_000_001, False), (1, True), (0, False), (-5, False)]
)
def test_the_business_cap_is_100_million_inclusive(amount, passed):
    assert check(pb.check(case(amount=amount)), "amount").passed is passed


@pytest.mark.parametrize(
    ("amount", "months", "passed"),
    [
        (4_000_000, 1, True),
        (4_000_001, 1, False),
        (48_000_000, 12, True),  # 4 million a month for 12 months
        (48_000_001, 12, False),
        (1_000_000, None, False),  # a training loan needs its months
        (1_000_000, 0, False),
    ],
)
def test_the_training_cap_is_4_million_a_month_of_study(amount, months, passed):
    result = pb.check(case(purpose=pb.TRAINING, amount=amount, months=months))
    assert check(result, "amount").passed is passed


@override_settings(HOANHAP_SUPPORT_BUSINESS_CAP=120_000_000, HOANHAP_SUPPORT_LOAN_WINDOW_YEARS=6)
def test_the_caps_and_the_window_are_settings():
    """A change of the Decision is a change of settings, not of code."""
    result = pb.check(case(amount=110_000_000, apply_on=d("2026-07-01")))
    assert check(result, "amount").passed
    assert check(result, "window").passed
    assert check(result, "window").facts["years"] == 6


def test_no_certificate_and_no_form01_fail_with_their_reasons():
    result = pb.check(case(certificate_number="", form01_certified_on=None))
    assert not result.eligible
    assert {c.code for c in result.failed} == {"certificate", "form01"}


def test_an_amnesty_certificate_counts_and_says_so():
    certificate = check(pb.check(case(release_kind="amnesty")), "certificate")
    assert certificate.passed
    assert "Amnesty certificate" in str(certificate.explanation[0])


def test_an_unpaid_loan_for_the_same_purpose_blocks_and_names_it():
    result = pb.check(case(outstanding=((d("2023-05-02"), 30_000_000),)))
    debt = check(result, "no_debt")
    assert not debt.passed
    assert "02/05/2023" in str(debt.explanation[0])
    assert "30.000.000" in str(debt.explanation[0])


def test_the_result_serialises_with_every_fact():
    data = pb.check(case()).as_dict()
    assert data["eligible"] is True
    window = next(c for c in data["checks"] if c["code"] == "window")
    assert window["facts"]["completed_on"] == "2020-07-01"
    assert window["facts"]["last_day"] == "2025-07-01"
    assert window["explanation"]
    assert window["label"]


def test_an_unknown_purpose_is_refused():
    with pytest.raises(ValueError):
        pb.check(case(purpose="house"))
