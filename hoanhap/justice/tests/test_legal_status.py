"""The expungement of a person's record and the recidivism class of a judgment, computed from the
stored judgments with the rules (never typed)."""

import pytest

from hoanhap.justice.legal_status import (
    EXPUNGED,
    NO_RECORD,
    UNKNOWN,
    judgment_recidivism,
    load_judgments,
    main_penalty_completion,
    person_expungement,
)
from hoanhap.justice.tests.records import d, make_judgment, make_person, make_release, offence

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]  # rule texts checked in English


@pytest.fixture
def person():
    return make_person()


def expungement(person, today):
    return person_expungement(person, today=d(today))


# --- completion of the main penalty ---------------------------------------------------------------


def test_completion_is_worked_out_from_the_start_and_the_term(person):
    """3 years served from 01/07/2016 end on 01/07/2019 (calendar, Civil Code Arts. 147-148)."""
    judgment = make_judgment(person)
    completion = main_penalty_completion(load_judgments(person)[0])
    assert (completion.on, completion.source) == (d("2019-07-01"), "computed")
    assert judgment.main_penalty_completed_on is None  # nothing stored: worked out when needed


def test_the_release_gives_the_completion_amnesty_and_conditional_release(person):
    """An amnesty completes the penalty on the release day (Art. 73(4)); a conditional release when its
    probation ends."""
    amnestied = make_judgment(person)
    make_release(
        amnestied,
        kind="amnesty",
        release_date=d("2018-09-02"),
        certificate_date=d("2018-09-02"),
        amnesty_decision_number="1424/QĐ-CTN",
        amnesty_decision_date=d("2018-08-20"),
    )
    paroled = make_judgment(make_person(full_name="Đỗ Văn Lực"))
    make_release(
        paroled,
        kind="conditional_release",
        release_date=d("2018-03-01"),
        certificate_date=None,
        probation_ends_on=d("2019-07-01"),
    )
    assert main_penalty_completion(load_judgments(amnestied.person)[0]).on == d("2018-09-02")
    completion = main_penalty_completion(load_judgments(paroled.person)[0])
    assert (completion.on, completion.source) == (d("2019-07-01"), "release")


def test_an_entered_completion_wins(person):
    make_judgment(person, main_penalty_completed_on=d("2019-01-10"))
    assert main_penalty_completion(load_judgments(person)[0]).source == "entered"


def test_suspended_sentence_completes_when_the_probation_ends(person):
    """The probation runs from the judgment date when no start is given."""
    make_judgment(
        person,
        main_penalty_type="suspended_imprisonment",
        main_penalty_years=2,
        probation_years=4,
        main_penalty_started_on=None,
    )
    assert main_penalty_completion(load_judgments(person)[0]).on == d("2021-01-15")


# --- expungement ----------------------------------------------------------------------------------


def test_single_conviction_expunged_two_years_after_completion(person):
    """3 years' imprisonment completed 01/07/2019, Chapter XVI, nothing owed → 01/07/2021 (Art. 70(2)(b))."""
    make_judgment(person)
    before = expungement(person, "2020-01-01")
    assert (before.status, before.eligible_on) == ("eligible_date_known", d("2021-07-01"))
    assert before.result.route == "automatic"
    assert "Art. 70(2)(b)" in before.result.rule
    assert any("01/07/2019" in line for line in before.current.explanation)
    after = expungement(person, "2021-07-01")
    assert (after.status, after.expunged_on, after.current) == (EXPUNGED, d("2021-07-01"), None)


def test_a_later_conviction_within_the_period_restarts_it(person):
    """New offence on 01/03/2020 (inside the period ending 01/07/2021), suspended 1 year with 2 years'
    probation from 01/06/2020: the old record restarts from 01/06/2022 for 2 years → 01/06/2024; the new
    one is expunged 1 year after → 01/06/2023; the person is free of both on 01/06/2024."""
    first = make_judgment(person)
    make_judgment(
        person,
        articles=(171,),
        judgment_date=d("2020-06-01"),
        offence_committed_on=d("2020-03-01"),
        main_penalty_type="suspended_imprisonment",
        main_penalty_years=1,
        probation_years=2,
        main_penalty_started_on=None,
    )
    status = expungement(person, "2023-01-01")
    assert status.current.judgment == first
    assert status.result.eligible_on == d("2024-06-01")
    assert "Art. 73(2)" in status.result.rule
    assert status.result.as_dict()["route"] == "automatic"
    assert [r.result.eligible_on for r in status.records] == [d("2024-06-01"), d("2023-06-01")]
    assert status.eligible_on == d("2024-06-01")
    assert status.current.case["new_convictions"] == [
        {"offence_committed_on": "2020-03-01", "main_penalty_completed_on": "2022-06-01"}
    ]


def test_a_conviction_after_the_period_leaves_the_old_record_expunged(person):
    """The earliest record is expunged on 01/07/2021; an offence of 2022 makes the new judgment the
    person's current record."""
    make_judgment(person)
    later = make_judgment(
        person,
        judgment_date=d("2022-05-01"),
        offence_committed_on=d("2022-01-10"),
        main_penalty_type="fine",
        main_penalty_years=0,
        fine_amount=20_000_000,
        main_penalty_started_on=None,
        main_penalty_completed_on=d("2022-06-01"),
    )
    status = expungement(person, "2022-12-01")
    assert status.records[0].expunged
    assert status.current.judgment == later
    assert status.eligible_on == d("2023-06-01")  # a fine: 1 year (Art. 70(2)(a))


def test_a_later_conviction_not_yet_served_blocks(person):
    make_judgment(person)
    make_judgment(
        person,
        judgment_date=d("2021-02-01"),
        offence_committed_on=d("2020-10-01"),
        main_penalty_type="life_imprisonment",
        main_penalty_years=0,
        main_penalty_started_on=d("2020-10-02"),
    )
    status = expungement(person, "2022-01-01")
    assert status.status == "blocked"
    assert status.result.blocked_by == ("new_conviction",)
    assert status.eligible_on is None


def test_unpaid_obligation_blocks_and_late_payment_moves_the_date(person):
    make_judgment(person, obligations=({"kind": "compensation", "amount_due": 5_000_000},))
    assert expungement(person, "2022-01-01").result.blocked_by == ("obligations",)
    other = make_person(full_name="Trịnh Văn Phúc")
    make_judgment(
        other,
        obligations=(
            {
                "kind": "compensation",
                "amount_due": 5_000_000,
                "amount_paid": 5_000_000,
                "completed_on": d("2022-02-01"),
            },
        ),
    )
    status = person_expungement(other, today=d("2022-03-01"))
    assert (status.status, status.expunged_on) == (EXPUNGED, d("2022-02-01"))


def test_a_longer_residence_ban_moves_the_date(person):
    """A residence ban of 3 years from the release runs past the 2-year period: its end is the date."""
    make_judgment(
        person, additional=({"type": "residence_ban", "term_years": 3, "starts_on": d("2019-07-01")},)
    )
    status = expungement(person, "2022-01-01")
    assert status.eligible_on == d("2022-07-01")
    assert "last paragraph" in status.result.rule


def test_chapter_xiii_goes_to_the_court(person):
    make_judgment(person, articles=(117,), main_penalty_years=6)
    status = expungement(person, "2021-01-01")
    assert (status.status, status.result.route) == ("court_decision_required", "court")
    assert status.eligible_on == d(
        "2027-07-01"
    )  # 6 years to 01/07/2022, + 5 years on the court route (Art. 71(2)(c))


def test_negligent_serious_offence_leaves_no_record(person):
    """A traffic offence (Art. 260, negligent, serious) leaves no criminal record (Art. 69(2))."""
    make_judgment(person, articles=(260,))
    status = expungement(person, "2020-01-01")
    assert (status.status, status.records, status.eligible_on) == (NO_RECORD, [], None)
    assert len(status.no_record) == 1


def test_non_final_judgments_and_unknown_completions(person):
    make_judgment(person, is_final=False)
    assert expungement(person, "2020-01-01").status == NO_RECORD
    make_judgment(person, main_penalty_type="life_imprisonment", main_penalty_years=0)
    status = expungement(person, "2020-01-01")
    assert status.status == UNKNOWN
    assert status.current.problem is not None


def test_a_term_still_running_gives_a_provisional_date(person):
    make_judgment(
        person,
        judgment_date=d("2025-01-10"),
        offence_committed_on=d("2024-05-01"),
        main_penalty_started_on=d("2024-05-02"),
    )
    status = expungement(person, "2026-01-01")
    assert status.provisional
    assert status.eligible_on == d("2029-05-02")


# --- recidivism -----------------------------------------------------------------------------------


def classify(judgment):
    return judgment_recidivism(judgment, judgments=load_judgments(judgment.person))


def test_new_intentional_offence_with_an_unexpunged_record_is_recidivism(person):
    make_judgment(person)
    new = make_judgment(
        person,
        articles=(171,),
        judgment_date=d("2020-08-01"),
        offence_committed_on=d("2020-03-01"),
        main_penalty_started_on=d("2020-03-02"),
    )
    status = classify(new)
    assert status.classification == "recidivism"
    assert status.priors[0][1] is False
    assert "53(1)" in status.result.rule


def test_offence_after_expungement_is_not_recidivism(person):
    make_judgment(person)
    new = make_judgment(
        person,
        articles=(171,),
        judgment_date=d("2022-08-01"),
        offence_committed_on=d("2022-03-01"),
        main_penalty_started_on=d("2022-03-02"),
    )
    status = classify(new)
    assert status.classification == "none"
    assert status.priors[0][1] is True


def test_grave_record_and_grave_new_offence_is_dangerous(person):
    make_judgment(person, articles=(168,), main_penalty_years=7)
    new = make_judgment(
        person,
        articles=({"offence": offence(134), "clause": "4", "severity": "very_serious"},),
        judgment_date=d("2024-08-01"),
        offence_committed_on=d("2024-03-01"),
        main_penalty_started_on=d("2024-03-02"),
    )
    assert classify(new).classification == "dangerous_recidivism"
    assert "53(2)(a)" in classify(new).result.rule


def test_a_record_that_was_itself_recidivism_makes_any_new_intentional_offence_dangerous(person):
    make_judgment(person, main_penalty_years=1, main_penalty_started_on=d("2016-07-01"))
    second = make_judgment(
        person,
        judgment_date=d("2018-06-01"),
        offence_committed_on=d("2018-01-10"),
        main_penalty_years=1,
        main_penalty_started_on=d("2018-01-11"),
    )
    third = make_judgment(
        person,
        judgment_date=d("2020-01-20"),
        offence_committed_on=d("2019-10-01"),
        main_penalty_years=1,
        main_penalty_started_on=d("2019-10-02"),
    )
    assert classify(second).classification == "recidivism"
    assert classify(third).classification == "dangerous_recidivism"
    assert "53(2)(b)" in classify(third).result.rule


def test_negligent_prior_is_no_record_and_negligent_serious_new_offence_is_not_recidivism(person):
    make_judgment(person, articles=(260,))
    new = make_judgment(
        person,
        judgment_date=d("2020-08-01"),
        offence_committed_on=d("2020-03-01"),
        main_penalty_started_on=d("2020-03-02"),
    )
    assert classify(new).classification == "none"
    other = make_person(full_name="Võ Văn Kiệt")
    make_judgment(other)
    traffic = make_judgment(
        other,
        articles=(260,),
        judgment_date=d("2020-08-01"),
        offence_committed_on=d("2020-03-01"),
        main_penalty_started_on=d("2020-03-02"),
    )
    assert classify(traffic).classification == "none"
    assert classify(traffic).result.records_counted == 1


def test_first_conviction_is_never_recidivism(person):
    status = classify(make_judgment(person))
    assert (status.classification, status.priors) == ("none", [])
