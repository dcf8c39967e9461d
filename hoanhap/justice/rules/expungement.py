"""When a criminal record is expunged (xóa án tích): Criminal Code 2015 Arts. 69, 70, 71 and 73.

The answer for one conviction (the "old record"):

* ``route``: ``court`` when any offence is in Chapter XIII or XXVI (Art. 71; Art. 73(3) when mixed
  with other chapters), else ``automatic`` (Art. 70).
* The period (Art. 70(2) / Art. 71(2), by the main penalty pronounced, Art. 73(1)) runs from the
  completion of the main penalty (for a suspended sentence: the end of its probation). Its end is
  ``add_years(completed, N)``: the day of completion is not counted and the period ends on the same
  day and month of its last year (Civil Code 2015 Arts. 147, 148). That end day is ``eligible_on``.
* A new offence committed up to and including the last day of the period that led to a conviction
  restarts the period from the completion of the new main penalty, with the same length
  (Art. 73(2)); the restarted period is never earlier than the one it replaces. While that
  completion is unknown the case is blocked. An offence after the period changes nothing.
* ``eligible_on`` is the latest of the period's end, the completion of a longer-running
  probation/residence ban/position ban/civic-rights deprivation (Art. 70(2), last paragraph) and the
  day the other decisions of the judgment were completed (fees, compensation…).
* ``status``: ``blocked`` while anything is owed or unfinished (``eligible_on`` is then null),
  else ``court_decision_required`` on the court route, else ``eligible_date_known``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from hoanhap.justice.rules import inputs
from hoanhap.justice.rules.dates import Term, add_years
from hoanhap.justice.rules.explain import Fact, InvalidInput, fact, join
from hoanhap.justice.rules.tables import (
    ADDITIONAL_PENALTY_TYPES,
    BANDS,
    BLOCKERS,
    CHAPTERS,
    COURT_CHAPTERS,
    IMPRISONMENT_BANDS,
    LONGEST_IMPRISONMENT_BAND,
    MAIN_PENALTY_TYPES,
    PENALTY_BAND,
    SHIFTING_ADDITIONAL_PENALTIES,
    Band,
)

AUTOMATIC = "automatic"
COURT = "court"
ELIGIBLE_DATE_KNOWN = "eligible_date_known"
BLOCKED = "blocked"
COURT_DECISION_REQUIRED = "court_decision_required"


@dataclass(frozen=True)
class MainPenalty:
    type: str
    term: Term = Term()

    @property
    def has_length(self) -> bool:
        return self.type in {"imprisonment", "suspended_imprisonment"}


@dataclass(frozen=True)
class AdditionalPenalty:
    type: str
    completed_on: dt.date | None


@dataclass(frozen=True)
class NewConviction:
    offence_committed_on: dt.date
    main_penalty_completed_on: dt.date | None


@dataclass(frozen=True)
class ExpungementCase:
    main_penalty: MainPenalty
    main_penalty_completed_on: dt.date
    chapters: tuple[int, ...]
    additional_penalties: tuple[AdditionalPenalty, ...] = ()
    other_obligations_completed_on: dt.date | None = None
    new_convictions: tuple[NewConviction, ...] = ()


@dataclass(frozen=True)
class ExpungementResult:
    route: str
    eligible_on: dt.date | None
    status: str
    blocked_by: tuple[str, ...]
    rule_parts: tuple[Fact, ...]
    explanation: tuple[Fact, ...] = field(default=())
    band: str = ""
    period_years: int = 0

    @property
    def rule(self) -> str:
        return join(self.rule_parts)

    @property
    def blocked_labels(self) -> list[object]:
        return [BLOCKERS[b] for b in self.blocked_by]

    def as_dict(self, *, explain: bool = False) -> dict[str, Any]:
        """The CLI/API answer: exactly these five keys (plus ``explanation`` when asked for)."""
        answer: dict[str, Any] = {
            "route": self.route,
            "eligible_on": self.eligible_on.isoformat() if self.eligible_on else None,
            "status": self.status,
            "blocked_by": list(self.blocked_by),
            "rule": self.rule,
        }
        if explain:
            answer["explanation"] = [str(f) for f in self.explanation]
        return answer


# --- reading the case ---------------------------------------------------------------------------

CASE_KEYS = (
    "main_penalty",
    "main_penalty_completed_on",
    "chapters",
    "additional_penalties",
    "other_obligations_completed_on",
    "new_convictions",
)


def parse_case(data: Any) -> ExpungementCase:
    """Validate the JSON case (the CLI contract) and build an ``ExpungementCase``; ``InvalidInput`` if not."""
    data = inputs.mapping(data, "")
    inputs.only_keys(data, CASE_KEYS, "")

    raw_penalty = inputs.mapping(inputs.value(data, "main_penalty", ""), "main_penalty")
    inputs.only_keys(raw_penalty, ("type", "years", "months", "days"), "main_penalty")
    penalty = MainPenalty(
        inputs.choice(raw_penalty, "type", "main_penalty", MAIN_PENALTY_TYPES),
        inputs.term(raw_penalty, "main_penalty"),
    )
    if penalty.type == "imprisonment" and penalty.term.is_zero:
        raise InvalidInput(
            "main_penalty", _("An imprisonment term needs its length (years, months or days).")
        )
    completed = inputs.date(data, "main_penalty_completed_on", "")

    chapters = []
    for index, chapter in enumerate(inputs.items(data, "chapters", "")):
        if isinstance(chapter, bool) or not isinstance(chapter, int) or chapter not in CHAPTERS:
            raise InvalidInput(
                inputs.path("chapters", index),
                _("Expected a chapter number of the Criminal Code from 13 to 26, got {got}."),
                got=repr(chapter),
            )
        chapters.append(chapter)
    if not chapters:
        raise InvalidInput("chapters", _("Give the chapter of at least one offence of the conviction."))

    additional = []
    for index, raw in enumerate(inputs.items(data, "additional_penalties", "", default=[])):
        where = inputs.path("additional_penalties", index)
        raw = inputs.mapping(raw, where)
        inputs.only_keys(raw, ("type", "completed_on"), where)
        additional.append(
            AdditionalPenalty(
                inputs.choice(raw, "type", where, ADDITIONAL_PENALTY_TYPES),
                inputs.date(raw, "completed_on", where, nullable=True, default=None),
            )
        )

    obligations = inputs.date(data, "other_obligations_completed_on", "", nullable=True)

    convictions = []
    for index, raw in enumerate(inputs.items(data, "new_convictions", "", default=[])):
        where = inputs.path("new_convictions", index)
        raw = inputs.mapping(raw, where)
        inputs.only_keys(raw, ("offence_committed_on", "main_penalty_completed_on"), where)
        committed = inputs.date(raw, "offence_committed_on", where)
        new_completed = inputs.date(raw, "main_penalty_completed_on", where, nullable=True, default=None)
        if new_completed is not None and new_completed < committed:
            raise InvalidInput(
                inputs.path(where, "main_penalty_completed_on"),
                _("The new main penalty cannot be completed before the new offence was committed."),
            )
        convictions.append(NewConviction(committed, new_completed))

    return ExpungementCase(
        penalty, completed, tuple(chapters), tuple(additional), obligations, tuple(convictions)
    )


# --- the rule ------------------------------------------------------------------------------------


def band_for(penalty: MainPenalty) -> Band:
    """The point of Art. 70(2)/71(2) for the main penalty pronounced (Art. 73(1))."""
    if penalty.type != "imprisonment":
        return BANDS[PENALTY_BAND[penalty.type]]
    for years, point in IMPRISONMENT_BANDS:
        if not penalty.term.exceeds_years(years):
            return BANDS[point]
    return BANDS[LONGEST_IMPRISONMENT_BAND]


def describe_main_penalty(case: ExpungementCase, band: Band) -> list[Fact]:
    penalty = case.main_penalty
    label = MAIN_PENALTY_TYPES[penalty.type]
    if penalty.has_length and penalty.term.normalised() != penalty.term:
        first = fact(
            _("Main penalty pronounced: {penalty} of {term}, that is {normal}."),
            penalty=label,
            term=penalty.term,
            normal=penalty.term.normalised(),
        )
    elif penalty.has_length:
        first = fact(_("Main penalty pronounced: {penalty} of {term}."), penalty=label, term=penalty.term)
    else:
        first = fact(_("Main penalty pronounced: {penalty}."), penalty=label)
    if penalty.type == "suspended_imprisonment":
        start = _("The probation of the suspended sentence ended on {date}; the period runs from then.")
    else:
        start = _("The main penalty was completed on {date}; the period runs from then.")
    return [
        first,
        fact(
            _(
                "It falls in point ({point}): {band} (Criminal Code 2015 Art. 73(1): the main penalty pronounced counts)."
            ),
            point=band.point,
            band=band.penalties,
        ),
        fact(start, date=case.main_penalty_completed_on),
    ]


def describe_route(chapters: tuple[int, ...], court: bool) -> tuple[list[Fact], list[Fact]]:
    """Facts about the route, and the extra rule clause when chapters are mixed (Art. 73(3))."""
    names = [CHAPTERS[c][0] for c in sorted(set(chapters))]
    if not court:
        message = _(
            "Convicted under Chapter(s) {chapters}: no Chapter XIII or XXVI offence, so expungement is automatic (Art. 70)."
        )
        return [fact(message, chapters=names)], []
    message = _(
        "Convicted under Chapter(s) {chapters}: a Chapter XIII or XXVI conviction is expunged only by a court decision (Art. 71)."
    )
    facts = [fact(message, chapters=names)]
    if not set(chapters) - COURT_CHAPTERS:
        return facts, []
    facts.append(
        fact(
            _(
                "Other offences of the same conviction would qualify for automatic expungement; the court decides for all of them (Art. 73(3))."
            )
        )
    )
    return facts, [
        fact(_("Art. 73(3): offences of several chapters, one of them XIII or XXVI, go to the court"))
    ]


@dataclass
class Restarts:
    """What the new convictions did to the period (Art. 73(2))."""

    period_end: dt.date
    restarted: bool = False
    waiting_for_completion: bool = False
    facts: list[Fact] = field(default_factory=list)


def apply_new_convictions(
    convictions: tuple[NewConviction, ...], period_end: dt.date, years: int
) -> Restarts:
    """Walk the new offences in the order they were committed; each one up to and including the
    period's last day restarts the period from its completion (never to an earlier end)."""
    state = Restarts(period_end)
    length = Term(years=years)
    for conviction in sorted(convictions, key=lambda c: c.offence_committed_on):
        committed, end = conviction.offence_committed_on, state.period_end
        if committed > end:
            state.facts.append(
                fact(
                    _(
                        "New offence committed on {date}, after the period ended on {end}: it does not affect this record."
                    ),
                    date=committed,
                    end=end,
                )
            )
            continue
        if conviction.main_penalty_completed_on is None:
            state.waiting_for_completion = True
            state.facts.append(
                fact(
                    _(
                        "New offence committed on {date}, within the period ending on {end}: the period starts again when the new main penalty is completed, which is not yet known (Art. 73(2))."
                    ),
                    date=committed,
                    end=end,
                )
            )
            break  # the period is unknown from here on
        restart_end = add_years(conviction.main_penalty_completed_on, years)
        state.facts.append(
            fact(
                _(
                    "New offence committed on {date}, within the period ending on {end}: the period of {length} starts again from the completion of the new main penalty on {completed} and ends on {restart} (Art. 73(2))."
                ),
                date=committed,
                end=end,
                length=length,
                completed=conviction.main_penalty_completed_on,
                restart=restart_end,
            )
        )
        if restart_end > end:
            state.period_end, state.restarted = restart_end, True
        else:
            state.facts.append(
                fact(_("The restarted period would end earlier than {end}; the later date stands."), end=end)
            )
    return state


def check_additional_penalties(
    penalties: tuple[AdditionalPenalty, ...],
) -> tuple[dt.date | None, bool, list[Fact]]:
    """(latest completion among the penalties that move the date, whether one is unfinished, facts)."""
    latest: dt.date | None = None
    unfinished = False
    facts: list[Fact] = []
    for penalty in penalties:
        label = ADDITIONAL_PENALTY_TYPES[penalty.type]
        if penalty.completed_on is None:
            unfinished = True
            facts.append(
                fact(
                    _(
                        "Additional penalty: {penalty}, not completed yet, so the record cannot be expunged yet."
                    ),
                    penalty=label,
                )
            )
        elif penalty.type in SHIFTING_ADDITIONAL_PENALTIES:
            facts.append(
                fact(
                    _("Additional penalty: {penalty}, completed on {date}."),
                    penalty=label,
                    date=penalty.completed_on,
                )
            )
            latest = penalty.completed_on if latest is None else max(latest, penalty.completed_on)
        else:
            facts.append(
                fact(
                    _(
                        "Additional penalty: {penalty}, completed on {date} (only probation, residence ban, position ban and deprivation of civic rights move the date: Art. 70(2), last paragraph)."
                    ),
                    penalty=label,
                    date=penalty.completed_on,
                )
            )
    return latest, unfinished, facts


def expungement(case: ExpungementCase) -> ExpungementResult:
    """Apply Arts. 70, 71 and 73 to one conviction; see the module docstring for the contract."""
    band = band_for(case.main_penalty)
    court = bool(COURT_CHAPTERS & set(case.chapters))
    years = band.court_years if court else band.automatic_years
    rule_parts = [fact(band.court_rule if court else band.automatic_rule)]
    facts = describe_main_penalty(case, band)
    route_facts, route_rule = describe_route(case.chapters, court)
    facts += route_facts
    rule_parts += route_rule

    period_end = add_years(case.main_penalty_completed_on, years)
    facts.append(
        fact(
            _(
                "Period: {length}, ending on {end} (the day of completion is not counted; a period of years ends on the same day and month of its last year: Civil Code 2015 Arts. 147, 148)."
            ),
            length=Term(years=years),
            end=period_end,
        )
    )
    restarts = apply_new_convictions(case.new_convictions, period_end, years)
    facts += restarts.facts
    if restarts.restarted:
        rule_parts.append(
            fact(_("Art. 73(2): counted again from the completion of a new conviction's main penalty"))
        )

    latest_shift, unfinished, additional_facts = check_additional_penalties(case.additional_penalties)
    facts += additional_facts
    obligations = case.other_obligations_completed_on
    if obligations is None:
        facts.append(
            fact(
                _(
                    "Court fees, compensation or other decisions of the judgment are still owed, so the record cannot be expunged yet (Art. 70(2))."
                )
            )
        )
    else:
        facts.append(
            fact(
                _("Court fees, compensation and other decisions of the judgment completed on {date}."),
                date=obligations,
            )
        )

    blocked = {
        "obligations": obligations is None,
        "additional_penalty": unfinished,
        "new_conviction": restarts.waiting_for_completion,
    }
    blocked_by = tuple(code for code in BLOCKERS if blocked[code])
    if blocked_by:
        facts.append(
            fact(
                _("Blocked by: {blockers}. No date until these are completed."),
                blockers=[BLOCKERS[b] for b in blocked_by],
            )
        )
        return ExpungementResult(
            COURT if court else AUTOMATIC,
            None,
            BLOCKED,
            blocked_by,
            tuple(rule_parts),
            tuple(facts),
            band.point,
            years,
        )

    eligible_on = restarts.period_end
    if latest_shift is not None and latest_shift > eligible_on:
        eligible_on = latest_shift
        article = _("Art. 71(2)") if court else _("Art. 70(2)")
        rule_parts.append(
            fact(
                _(
                    "{article}, last paragraph: the period ends when the longer additional penalty is completed"
                ),
                article=article,
            )
        )
        facts.append(
            fact(
                _("The additional penalty runs longer than the period: the date moves to {date}."),
                date=latest_shift,
            )
        )
    elif latest_shift is not None:
        facts.append(
            fact(_("The additional penalties were completed within the period: they do not move the date."))
        )
    if obligations > eligible_on:
        eligible_on = obligations
        rule_parts.append(fact(_("Art. 70(2): not before the other decisions of the judgment are completed")))
        facts.append(
            fact(
                _("The other decisions of the judgment were completed later: the date moves to {date}."),
                date=obligations,
            )
        )
    if court:
        facts.append(
            fact(
                _(
                    "From {date} the person may ask the court to expunge the record; the court decides (Art. 71)."
                ),
                date=eligible_on,
            )
        )
    else:
        facts.append(fact(_("The record is expunged automatically on {date}."), date=eligible_on))
    status = COURT_DECISION_REQUIRED if court else ELIGIBLE_DATE_KNOWN
    return ExpungementResult(
        COURT if court else AUTOMATIC,
        eligible_on,
        status,
        (),
        tuple(rule_parts),
        tuple(facts),
        band.point,
        years,
    )


def expungement_from_data(data: Any) -> ExpungementResult:
    return expungement(parse_case(data))
