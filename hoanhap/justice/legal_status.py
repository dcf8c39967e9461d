"""The legal status of a person computed from the stored judgments, with the rules of ``justice.rules``.

Nothing here is typed by an officer or stored: the expungement date and the recidivism class are worked
out again each time from the judgments, their lines and the releases.

Expungement (Criminal Code Arts. 69, 70, 71, 73):

* Only final judgments count. A judgment whose offences are all less serious or serious and committed
  through negligence leaves no criminal record (Art. 69(2)).
* Each conviction that leaves a record is a case for ``rules.expungement``: its main penalty, the
  chapters of its offences, its additional penalties, its other obligations, and as new convictions
  every later final judgment for an offence committed after it was pronounced (Art. 73(2)).
* The completion of a main penalty is the date entered on the judgment; else the release recorded for
  it (the release day, or the end of a conditional release's probation; an amnesty exempts from the
  rest: Art. 73(4)); else it is worked out from the start and the term (the judgment date and the
  probation for a suspended sentence; the judgment date for a warning).
* The person's record is the earliest conviction not yet expunged; the person is free of every record
  on the latest date of the convictions not yet expunged. A date that relies on something still in the
  future (a term still running) is marked provisional.

Recidivism (Art. 53): the judgments pronounced before the new offence was committed are its prior
convictions; each counts unless it was expunged before that day (computed as above with only the
convictions known by then), and it "was itself recidivism" when the same computation says so for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoanhap.justice.models import AdditionalPenalty, Judgment, JudgmentOffence, Release
from hoanhap.justice.rules import InvalidInput, expungement_from_data, recidivism_from_data
from hoanhap.justice.rules.explain import Fact, fact
from hoanhap.justice.rules.expungement import BLOCKED, COURT_DECISION_REQUIRED, ELIGIBLE_DATE_KNOWN
from hoanhap.justice.rules.recidivism import DANGEROUS, NONE, RECIDIVISM
from hoanhap.justice.rules.tables import NO_RECORD_IF_NEGLIGENT

# Overall status of a person's criminal record (besides the rule's own three statuses).
NO_RECORD = "no_record"
EXPUNGED = "expunged"
UNKNOWN = "unknown"
PERSON_STATUSES = {
    NO_RECORD: _("no criminal record"),
    EXPUNGED: _("expunged"),
    UNKNOWN: _("cannot be worked out yet"),
    BLOCKED: _("not yet: something is still owed or unfinished"),
    COURT_DECISION_REQUIRED: _("the court decides"),
    ELIGIBLE_DATE_KNOWN: _("expunged automatically on the date shown"),
}
CLASS_ORDER = {NONE: 0, RECIDIVISM: 1, DANGEROUS: 2}


def load_judgments(person: Any) -> list[Judgment]:
    """Every judgment of ``person`` with what the computations read, in a fixed number of queries."""
    return list(
        Judgment.objects.filter(person=person)
        .select_related("person")
        .prefetch_related(
            Prefetch("offences", queryset=JudgmentOffence.objects.select_related("offence")),
            Prefetch("additional_penalties", queryset=AdditionalPenalty.objects.all()),
            "obligations",
            Prefetch(
                "releases", queryset=Release.objects.select_related("facility").order_by("release_date", "pk")
            ),
        )
        .order_by("offence_committed_on", "judgment_date", "pk")
    )


# --- completion of the main penalty -------------------------------------------------------------


@dataclass(frozen=True)
class Completion:
    on: dt.date | None
    source: str  # entered | release | computed | "" (unknown)
    fact: Fact


def main_penalty_completion(judgment: Judgment) -> Completion:
    """When the main penalty of ``judgment`` was (or will be) completed, and how that is known."""
    if judgment.main_penalty_completed_on:
        return Completion(
            judgment.main_penalty_completed_on,
            "entered",
            fact(
                _("The main penalty was completed on {date} (as entered)."),
                date=judgment.main_penalty_completed_on,
            ),
        )
    releases = [r for r in judgment.releases.all() if r.completes_main_penalty_on]
    if releases:
        release = releases[-1]
        day = release.completes_main_penalty_on
        if release.kind == Release.Kind.CONDITIONAL_RELEASE:
            message = _(
                "Conditionally released on {release}: the main penalty counts as completed when the probation ends, on {date}."
            )
        elif release.kind == Release.Kind.AMNESTY:
            message = _(
                "Amnestied on {release}: exempted from the rest of the penalty, which counts as completed on {date} (Criminal Code Art. 73(4))."
            )
        else:
            message = _(
                "Released on {release} at the end of the term: the main penalty was completed on {date}."
            )
        return Completion(day, "release", fact(message, release=release.release_date, date=day))
    kind = judgment.main_penalty_type
    if kind == Judgment.PenaltyType.WARNING:
        day = judgment.judgment_date
        return Completion(
            day, "computed", fact(_("A warning is completed when pronounced, on {date}."), date=day)
        )
    if kind == Judgment.PenaltyType.SUSPENDED and not judgment.probation.is_zero:
        start = judgment.main_penalty_started_on or judgment.judgment_date
        day = judgment.probation.after(start)
        return Completion(
            day,
            "computed",
            fact(
                _("The probation of {length} from {start} ends on {date}."),
                length=judgment.probation,
                start=start,
                date=day,
            ),
        )
    if kind in {Judgment.PenaltyType.IMPRISONMENT, Judgment.PenaltyType.NON_CUSTODIAL_REFORM} and (
        judgment.main_penalty_started_on and not judgment.term.is_zero
    ):
        start = judgment.main_penalty_started_on
        day = judgment.term.after(start)
        return Completion(
            day,
            "computed",
            fact(
                _("A term of {length} served from {start} ends on {date}."),
                length=judgment.term,
                start=start,
                date=day,
            ),
        )
    return Completion(None, "", fact(_("The completion of the main penalty is not known yet.")))


def additional_completion(penalty: AdditionalPenalty) -> dt.date | None:
    """The completion entered, else the start plus the term (None while unknown)."""
    if penalty.completed_on:
        return penalty.completed_on
    if penalty.starts_on and not penalty.term.is_zero:
        return penalty.term.after(penalty.starts_on)
    return None


def obligations_completed_on(judgment: Judgment, main_completed: dt.date) -> dt.date | None:
    """The day the other decisions of the judgment were all completed (None while one is owed)."""
    days = [o.completed_on for o in judgment.obligations.all()]
    if any(day is None for day in days):
        return None
    return max(days) if days else main_completed  # nothing owed: complete with the main penalty


def leaves_record(judgment: Judgment) -> bool:
    """Art. 69(2): negligent less serious or serious offences only → no criminal record."""
    lines = list(judgment.offences.all())
    return not lines or any(
        line.effective_intent == "intentional" or line.effective_severity not in NO_RECORD_IF_NEGLIGENT
        for line in lines
    )


# --- expungement ----------------------------------------------------------------------------------


@dataclass
class RecordStatus:
    """One conviction as an old record: the case given to the rule and its answer."""

    judgment: Judgment
    completion: Completion
    case: dict[str, Any] | None = None
    result: Any = None  # ExpungementResult
    problem: Fact | None = None
    provisional: bool = False
    expunged: bool = False
    facts: list[Fact] = field(default_factory=list)

    @property
    def explanation(self) -> list[str]:
        lines = [str(f) for f in self.facts]
        if self.result is not None:
            lines += [str(f) for f in self.result.explanation]
        if self.problem is not None:
            lines.append(str(self.problem))
        return lines


def record_case(judgment: Judgment, later: Iterable[Judgment], *, today: dt.date) -> RecordStatus:
    """Run ``rules.expungement`` for ``judgment`` with ``later`` as the candidate new convictions."""
    completion = main_penalty_completion(judgment)
    status = RecordStatus(judgment, completion, facts=[completion.fact])
    lines = list(judgment.offences.all())
    if not lines:
        status.problem = fact(_("No offence is recorded for this judgment: the chapter is needed."))
        return status
    if completion.on is None:
        status.problem = fact(_("The date cannot be worked out until the main penalty is completed."))
        return status
    future = [completion.on]
    additional = []
    for penalty in judgment.additional_penalties.all():
        done = additional_completion(penalty)
        future.append(done)
        additional.append({"type": penalty.type, "completed_on": done.isoformat() if done else None})
    obligations = obligations_completed_on(judgment, completion.on)
    convictions = []
    for other in later:
        if other.offence_committed_on <= judgment.judgment_date:
            continue  # committed before this conviction: not a new offence of a convicted person
        other_done = main_penalty_completion(other).on
        future.append(other_done)
        convictions.append(
            {
                "offence_committed_on": other.offence_committed_on.isoformat(),
                "main_penalty_completed_on": other_done.isoformat() if other_done else None,
            }
        )
        status.facts.append(
            fact(
                _("Later conviction: {judgment}, for an offence committed on {date}."),
                judgment=str(other),
                date=other.offence_committed_on,
            )
        )
    status.case = {
        "main_penalty": {
            "type": judgment.main_penalty_type,
            "years": judgment.main_penalty_years,
            "months": judgment.main_penalty_months,
            "days": judgment.main_penalty_days,
        },
        "main_penalty_completed_on": completion.on.isoformat(),
        "chapters": sorted({line.offence.chapter for line in lines}),
        "additional_penalties": additional,
        "other_obligations_completed_on": obligations.isoformat() if obligations else None,
        "new_convictions": convictions,
    }
    try:
        status.result = expungement_from_data(status.case)
    except InvalidInput as error:  # data the services should have refused; shown, never a crash
        status.problem = fact(_("The stored facts are inconsistent: {error}"), error=error.text)
        return status
    status.provisional = any(day is not None and day > today for day in future)
    if status.provisional:
        status.facts.append(
            fact(
                _(
                    "Some of these dates are still in the future: the result holds only if nothing changes meanwhile."
                )
            )
        )
    result = status.result
    status.expunged = (
        result.status == ELIGIBLE_DATE_KNOWN
        and result.eligible_on is not None
        and result.eligible_on <= today
    )
    return status


@dataclass
class PersonExpungement:
    """The expungement of a person's criminal record, worked out from every final judgment."""

    records: list[RecordStatus]
    no_record: list[Judgment]
    not_final: list[Judgment]
    today: dt.date

    @property
    def pending(self) -> list[RecordStatus]:
        return [r for r in self.records if not r.expunged]

    @property
    def current(self) -> RecordStatus | None:
        """The earliest conviction not yet expunged (its later convictions are its new convictions)."""
        pending = self.pending
        return pending[0] if pending else None

    @property
    def result(self) -> Any:
        current = self.current
        return current.result if current else None

    @property
    def status(self) -> str:
        pending = self.pending
        if not self.records:
            return NO_RECORD
        if not pending:
            return EXPUNGED
        statuses = {r.result.status if r.result is not None else UNKNOWN for r in pending}
        for status in (BLOCKED, UNKNOWN, COURT_DECISION_REQUIRED):
            if status in statuses:
                return status
        return ELIGIBLE_DATE_KNOWN

    @property
    def status_label(self) -> object:
        return PERSON_STATUSES[self.status]

    @property
    def eligible_on(self) -> dt.date | None:
        """The day the last pending record is expunged (or may be put to the court); None if unknown."""
        pending = self.pending
        if not pending or self.status in {UNKNOWN, BLOCKED}:
            return None
        return max(r.result.eligible_on for r in pending)

    @property
    def expunged_on(self) -> dt.date | None:
        if self.status != EXPUNGED:
            return None
        return max(r.result.eligible_on for r in self.records)

    @property
    def provisional(self) -> bool:
        return any(r.provisional for r in self.pending)


def person_expungement(
    person: Any = None, *, judgments: Sequence[Judgment] | None = None, today: dt.date | None = None
) -> PersonExpungement:
    """Expungement of ``person``'s record from the stored judgments (see the module docstring)."""
    today = today or timezone.localdate()
    judgments = list(judgments) if judgments is not None else load_judgments(person)
    final = [j for j in judgments if j.is_final]
    records, no_record = [], []
    for judgment in final:
        if not leaves_record(judgment):
            no_record.append(judgment)
            continue
        others = [j for j in final if j is not judgment]  # record_case keeps those committed after it
        records.append(record_case(judgment, others, today=today))
    return PersonExpungement(records, no_record, [j for j in judgments if not j.is_final], today)


# --- recidivism -----------------------------------------------------------------------------------


@dataclass
class RecidivismStatus:
    """The recidivism class of one judgment's offences, against the convictions before them."""

    judgment: Judgment
    result: Any = None  # RecidivismResult of the offence that gave the gravest class
    priors: list[tuple[Judgment, bool]] = field(default_factory=list)  # (prior judgment, expunged then)
    problem: Fact | None = None

    @property
    def classification(self) -> str | None:
        return self.result.classification if self.result is not None else None

    @property
    def explanation(self) -> list[str]:
        lines = [
            str(
                fact(
                    _("Prior conviction: {judgment} — {state}."),
                    judgment=str(prior),
                    state=_("expunged before the new offence") if expunged else _("not expunged"),
                )
            )
            for prior, expunged in self.priors
        ]
        if self.result is not None:
            lines += [str(f) for f in self.result.explanation]
        if self.problem is not None:
            lines.append(str(self.problem))
        return lines


def _expunged_before(prior: Judgment, judgments: Sequence[Judgment], day: dt.date) -> bool:
    """Whether ``prior`` was expunged before ``day``, knowing only the offences committed before it."""
    later = [j for j in judgments if j.is_final and j.pk != prior.pk and j.offence_committed_on < day]
    status = record_case(prior, later, today=day)
    result = status.result
    return bool(
        result is not None
        and result.status == ELIGIBLE_DATE_KNOWN
        and result.eligible_on is not None
        and result.eligible_on < day
    )


def judgment_recidivism(
    judgment: Judgment, *, judgments: Sequence[Judgment] | None = None, _memo: dict | None = None
) -> RecidivismStatus:
    """Classify ``judgment`` under Art. 53 from the person's earlier convictions (see the module docstring)."""
    judgments = list(judgments) if judgments is not None else load_judgments(judgment.person)
    memo = {} if _memo is None else _memo
    if judgment.pk in memo:
        return memo[judgment.pk]
    status = RecidivismStatus(judgment)
    memo[judgment.pk] = status  # guards against cycles in inconsistent data
    lines = list(judgment.offences.all())
    if not lines:
        status.problem = fact(_("No offence is recorded for this judgment."))
        return status
    day = judgment.offence_committed_on
    priors_data = []
    for prior in judgments:
        if prior.pk == judgment.pk or not prior.is_final or prior.judgment_date >= day:
            continue
        expunged = _expunged_before(prior, judgments, day)
        status.priors.append((prior, expunged))
        was = judgment_recidivism(prior, judgments=judgments, _memo=memo).classification in {
            RECIDIVISM,
            DANGEROUS,
        }
        for line in prior.offences.all():
            priors_data.append(
                {
                    "severity": line.effective_severity,
                    "intent": line.effective_intent,
                    "was_recidivism": was,
                    "expunged": expunged,
                }
            )
    best = None
    for line in lines:
        result = recidivism_from_data(
            {
                "prior_convictions": priors_data,
                "new_offence": {"severity": line.effective_severity, "intent": line.effective_intent},
            }
        )
        if best is None or CLASS_ORDER[result.classification] > CLASS_ORDER[best.classification]:
            best = result
    status.result = best
    return status
