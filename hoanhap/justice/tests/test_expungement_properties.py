"""Properties of the expungement rule over generated cases (pure: no database)."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from hoanhap.justice.rules.dates import Term, add_years
from hoanhap.justice.rules.expungement import (
    AdditionalPenalty,
    ExpungementCase,
    MainPenalty,
    NewConviction,
    expungement,
)
from hoanhap.justice.rules.tables import ADDITIONAL_PENALTY_TYPES, MAIN_PENALTY_TYPES

dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31))
maybe_dates = st.none() | dates
terms = st.builds(Term, st.integers(0, 25), st.integers(0, 300), st.integers(0, 400))
chapters = st.lists(st.integers(13, 26), min_size=1, max_size=4)
additional = st.lists(
    st.builds(AdditionalPenalty, st.sampled_from(sorted(ADDITIONAL_PENALTY_TYPES)), maybe_dates), max_size=3
)


@st.composite
def convictions(draw):
    committed = draw(dates)
    completed = draw(st.none() | st.dates(min_value=committed, max_value=dt.date(2070, 12, 31)))
    return NewConviction(committed, completed)


@st.composite
def cases(draw, penalty_type=None, term=None):
    kind = penalty_type or draw(st.sampled_from(sorted(MAIN_PENALTY_TYPES)))
    length = term if term is not None else draw(terms)
    if kind == "imprisonment" and length.is_zero:
        length = Term(0, 3)
    return ExpungementCase(
        MainPenalty(kind, length),
        draw(dates),
        tuple(draw(chapters)),
        tuple(draw(additional)),
        draw(maybe_dates),
        tuple(draw(st.lists(convictions(), max_size=3))),
    )


@settings(max_examples=120, deadline=None)
@given(cases())
def test_eligible_on_is_never_before_completion(case):
    """Whatever else happened, the date is at least a year after the main penalty was completed."""
    result = expungement(case)
    if result.eligible_on is not None:
        assert result.eligible_on > case.main_penalty_completed_on
        assert result.eligible_on >= add_years(case.main_penalty_completed_on, 1)


@settings(max_examples=120, deadline=None)
@given(cases())
def test_status_follows_the_blockers_and_the_route(case):
    """Blocked exactly when something is owed or unfinished; the court route exactly for XIII/XXVI."""
    result = expungement(case)
    assert (result.route == "court") == bool({13, 26} & set(case.chapters))
    if case.other_obligations_completed_on is None or any(
        p.completed_on is None for p in case.additional_penalties
    ):
        assert result.status == "blocked"
    if result.status == "blocked":
        assert result.eligible_on is None
        assert result.blocked_by
    else:
        assert result.eligible_on is not None
        assert not result.blocked_by
        assert result.eligible_on >= case.other_obligations_completed_on
        assert result.status == (
            "court_decision_required" if result.route == "court" else "eligible_date_known"
        )
    assert list(result.blocked_by) == [
        b for b in ("obligations", "additional_penalty", "new_conviction") if b in result.blocked_by
    ]


@settings(max_examples=120, deadline=None)
@given(
    st.data(),
    st.sampled_from(["imprisonment", "suspended_imprisonment", "non_custodial_reform"]),
    terms,
    terms,
)
def test_a_longer_penalty_never_gives_an_earlier_date(data, kind, first, second):
    """Same type, same completion and same facts: the longer penalty's date is never earlier."""
    shorter, longer = sorted([first, second], key=lambda t: t.month_days)
    if kind == "imprisonment" and shorter.is_zero:
        shorter = Term(0, 0, 1)
        longer = longer if longer.month_days >= 1 else shorter
    base = data.draw(cases(penalty_type=kind, term=shorter))
    with_longer = ExpungementCase(
        MainPenalty(kind, longer),
        *(
            base.main_penalty_completed_on,
            base.chapters,
            base.additional_penalties,
            base.other_obligations_completed_on,
            base.new_convictions,
        ),
    )
    short_result, long_result = expungement(base), expungement(with_longer)
    if short_result.eligible_on is not None and long_result.eligible_on is not None:
        assert long_result.eligible_on >= short_result.eligible_on
    assert long_result.period_years >= short_result.period_years


@settings(max_examples=100, deadline=None)
@given(cases())
def test_new_conviction_never_brings_the_date_forward(case):
    """Adding the new convictions to a clean case can only keep or delay the date (Art. 73(2))."""
    clean = ExpungementCase(
        case.main_penalty,
        case.main_penalty_completed_on,
        case.chapters,
        case.additional_penalties,
        case.other_obligations_completed_on,
        (),
    )
    before, after = expungement(clean), expungement(case)
    if before.eligible_on is not None and after.eligible_on is not None:
        assert after.eligible_on >= before.eligible_on
