"""Conditional early release (tha tù trước thời hạn có điều kiện): the date arithmetic of Art. 66.

* Time condition (Art. 66(1)(đ)): at least one half of a fixed term served, or 15 years of a life
  sentence commuted to a fixed term; one third / 12 years for the protected groups named there;
  one third for an offender under 18 (Art. 106). Counted from the first day served (custody
  included) on the calendar; fractions of a length use 30-day months and round up to a whole day.
* Probation = the remaining term, from the release date to the end of the term (Art. 66).
* Probation may be shortened once at least one half of it has passed (Resolution
  01/2018/NQ-HĐTP): the earliest date is given, the court decides.

The other conditions of Art. 66(1) (first offence, progress, residence, fines and compensation
paid, not excluded by Art. 66(2)) are facts the officer checks; they are listed in the explanation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from hoanhap.justice.rules import inputs
from hoanhap.justice.rules.dates import Term, term_between
from hoanhap.justice.rules.explain import Fact, InvalidInput, fact, join, show_term
from hoanhap.justice.rules.tables import (
    PROBATION_SHORTENING_FRACTION,
    REDUCTIONS_COUNT_AS_SERVED,
    RELEASE_FRACTION,
    RELEASE_GROUPS,
    RELEASE_LIFE_COMMUTED_YEARS,
)


@dataclass(frozen=True)
class ReleaseCase:
    term: Term
    served_from: dt.date
    life_commuted: bool = False
    reductions: Term = Term()
    group: str = "general"
    release_on: dt.date | None = None

    @property
    def remaining_term(self) -> Term:
        """The term to serve after the reductions granted (the raw term when there are none)."""
        return self.term if self.reductions.is_zero else self.term.minus(self.reductions)

    @property
    def term_ends_on(self) -> dt.date:
        return self.remaining_term.after(self.served_from)


@dataclass(frozen=True)
class ReleaseResult:
    eligible_on: dt.date | None
    term_ends_on: dt.date
    release_on: dt.date | None
    time_condition_met: bool | None
    probation: Term | None
    shortening_from: dt.date | None
    rule_parts: tuple[Fact, ...]
    explanation: tuple[Fact, ...]

    @property
    def rule(self) -> str:
        return join(self.rule_parts)

    @property
    def probation_text(self) -> str:
        return show_term(self.probation) if self.probation is not None else ""

    @property
    def probation_ends_on(self) -> dt.date | None:
        return self.term_ends_on if self.probation is not None else None

    def as_dict(self, *, explain: bool = False) -> dict[str, Any]:
        def iso(value):
            return value.isoformat() if value else None

        answer: dict[str, Any] = {
            "eligible_on": iso(self.eligible_on),
            "term_ends_on": iso(self.term_ends_on),
            "release_on": iso(self.release_on),
            "time_condition_met": self.time_condition_met,
            "probation": self.probation.as_dict() if self.probation is not None else None,
            "probation_ends_on": iso(self.probation_ends_on),
            "shortening_from": iso(self.shortening_from),
            "rule": self.rule,
        }
        if explain:
            answer["explanation"] = [str(f) for f in self.explanation]
        return answer


CASE_KEYS = ("term", "life_commuted", "served_from", "reductions", "group", "release_on")


def parse_case(data: Any) -> ReleaseCase:
    data = inputs.mapping(data, "")
    inputs.only_keys(data, CASE_KEYS, "")
    raw_term = inputs.mapping(inputs.value(data, "term", ""), "term")
    inputs.only_keys(raw_term, ("years", "months", "days"), "term")
    term = inputs.term(raw_term, "term")
    if term.is_zero:
        raise InvalidInput("term", _("The term must be longer than zero."))
    raw_reductions = inputs.mapping(inputs.value(data, "reductions", "", default={}), "reductions")
    inputs.only_keys(raw_reductions, ("years", "months", "days"), "reductions")
    reductions = inputs.term(raw_reductions, "reductions")
    if reductions.month_days >= term.month_days:
        raise InvalidInput("reductions", _("The reductions must be shorter than the term."))
    group = inputs.choice(data, "group", "", RELEASE_GROUPS, default="general")
    life_commuted = inputs.boolean(data, "life_commuted", "")
    if life_commuted and group not in RELEASE_LIFE_COMMUTED_YEARS:
        raise InvalidInput(
            "life_commuted",
            _("A person under 18 cannot have a life sentence (Criminal Code 2015 Art. 91(5))."),
        )
    case = ReleaseCase(
        term=term,
        served_from=inputs.date(data, "served_from", ""),
        life_commuted=life_commuted,
        reductions=reductions,
        group=group,
        release_on=inputs.date(data, "release_on", "", nullable=True, default=None),
    )
    if case.release_on is not None:
        if case.release_on < case.served_from:
            raise InvalidInput("release_on", _("The release cannot be before the first day served."))
        if case.release_on >= case.term_ends_on:
            raise InvalidInput(
                "release_on",
                _(
                    "The release must be before the end of the term ({date}); on that day the person is released on completion."
                ),
                date=case.term_ends_on.strftime("%d/%m/%Y"),
            )
    return case


def conditional_release(case: ReleaseCase) -> ReleaseResult:
    """Earliest release date, probation and earliest shortening of probation (Art. 66)."""
    facts: list[Fact] = []
    if case.life_commuted:
        required = Term(years=RELEASE_LIFE_COMMUTED_YEARS[case.group])
        rule = (
            _(
                "Criminal Code 2015 Art. 66(1)(đ): at least 15 years served of a life sentence commuted to a fixed term"
            )
            if case.group == "general"
            else _(
                "Criminal Code 2015 Art. 66(1)(đ): at least 12 years served of a life sentence commuted to a fixed term (protected group)"
            )
        )
        facts.append(fact(_("Life sentence commuted to a fixed term of {term}."), term=case.term))
    else:
        numerator, denominator = RELEASE_FRACTION[case.group]
        required = case.term.fraction(numerator, denominator)
        rule = {
            "general": _("Criminal Code 2015 Art. 66(1)(đ): at least one half of the fixed term served"),
            "protected": _(
                "Criminal Code 2015 Art. 66(1)(đ): at least one third of the fixed term served (protected group)"
            ),
            "under_18": _(
                "Criminal Code 2015 Art. 106: at least one third of the term served (offender under 18)"
            ),
        }[case.group]
        facts.append(fact(_("Fixed term pronounced: {term}."), term=case.term))
    facts.append(fact(_("Group: {group}."), group=RELEASE_GROUPS[case.group]))
    rule_parts = [fact(rule)]

    if not case.reductions.is_zero:
        facts.append(
            fact(
                _("Sentence reductions granted: {term}; the term now ends on {end}."),
                term=case.reductions,
                end=case.term_ends_on,
            )
        )
        if REDUCTIONS_COUNT_AS_SERVED:
            required = required.minus(case.reductions)
        else:
            facts.append(
                fact(
                    _(
                        "Reductions are not counted as time served for the time condition (reading to be confirmed against Resolution 01/2018/NQ-HĐTP)."
                    )
                )
            )
    else:
        facts.append(fact(_("The term ends on {end}."), end=case.term_ends_on))

    threshold = required.after(case.served_from)
    facts.append(
        fact(
            _("Time to serve first: {required}, counted from {start}: reached on {date}."),
            required=required,
            start=case.served_from,
            date=threshold,
        )
    )
    eligible_on = threshold if threshold < case.term_ends_on else None
    if eligible_on is None:
        facts.append(fact(_("The term ends before the time condition is reached: no conditional release.")))

    release_on = case.release_on or eligible_on
    met: bool | None = None
    probation: Term | None = None
    shortening_from: dt.date | None = None
    if case.release_on is not None:
        met = case.release_on >= threshold
        if met:
            facts.append(fact(_("Release on {date}: the time condition is met."), date=case.release_on))
        else:
            facts.append(
                fact(
                    _("Release on {date}: too early, the time condition is reached only on {threshold}."),
                    date=case.release_on,
                    threshold=threshold,
                )
            )
    elif eligible_on is not None:
        met = True
        facts.append(
            fact(
                _(
                    "No release date given: the probation is worked out for a release on the earliest date, {date}."
                ),
                date=eligible_on,
            )
        )

    if release_on is not None:
        probation = term_between(release_on, case.term_ends_on)
        shortening_from = probation.fraction(*PROBATION_SHORTENING_FRACTION).after(release_on)
        rule_parts.append(fact(_("Art. 66: probation is the remaining term")))
        facts.append(
            fact(
                _("Probation: {term}, from {start} to {end} (the remaining term)."),
                term=probation,
                start=release_on,
                end=case.term_ends_on,
            )
        )
        facts.append(
            fact(
                _(
                    "Probation may be shortened from {date}, once at least one half of it has passed; once a year, by 3 months to 2 years, or all of it when less than 3 months remain (Resolution 01/2018/NQ-HĐTP; LTHAHS 2019 Art. 65)."
                ),
                date=shortening_from,
            )
        )
    facts.append(
        fact(
            _(
                "Also required (Art. 66(1)): first offence; much progress in reform; a clear residence; the fine, compensation and court fees paid; not excluded by Art. 66(2); for very serious and particularly serious offences a sentence reduction already granted."
            )
        )
    )
    facts.append(fact(_("Conditional release is considered three times a year; the court decides.")))
    return ReleaseResult(
        eligible_on,
        case.term_ends_on,
        release_on,
        met,
        probation,
        shortening_from,
        tuple(rule_parts),
        tuple(facts),
    )


def conditional_release_from_data(data: Any) -> ReleaseResult:
    return conditional_release(parse_case(data))
