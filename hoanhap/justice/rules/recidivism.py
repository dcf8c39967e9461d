"""Recidivism (tái phạm) and dangerous recidivism (tái phạm nguy hiểm): Criminal Code 2015 Arts. 53, 69.

A legal status computed at the time of the new offence from the person's prior convictions that
still count as a criminal record:

* A prior conviction counts unless it was expunged, or it was for a less serious or serious offence
  committed through negligence, or the person was exempted from penalty (Art. 69(2)).
* Dangerous recidivism (Art. 53(2)): (a) a counting record for a very serious or particularly
  serious intentional offence and a new very serious or particularly serious intentional offence;
  or (b) a counting record that was itself recidivism, and any new intentional offence.
* Recidivism (Art. 53(1)): a counting record and a new intentional offence, or a new very serious
  or particularly serious offence committed through negligence.
* Otherwise neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from hoanhap.justice.rules import inputs
from hoanhap.justice.rules.explain import Fact, InvalidInput, fact, join
from hoanhap.justice.rules.tables import (
    CLASSIFICATIONS,
    GRAVE_SEVERITIES,
    INTENTS,
    NO_RECORD_IF_NEGLIGENT,
    SEVERITIES,
)

NONE = "none"
RECIDIVISM = "recidivism"
DANGEROUS = "dangerous_recidivism"


@dataclass(frozen=True)
class PriorConviction:
    severity: str
    intent: str
    was_recidivism: bool = False
    exempted_from_penalty: bool = False
    expunged: bool = False

    @property
    def intentional(self) -> bool:
        return self.intent == "intentional"


@dataclass(frozen=True)
class Offence:
    severity: str
    intent: str

    @property
    def intentional(self) -> bool:
        return self.intent == "intentional"

    @property
    def grave(self) -> bool:
        return self.severity in GRAVE_SEVERITIES


@dataclass(frozen=True)
class RecidivismCase:
    prior_convictions: tuple[PriorConviction, ...]
    new_offence: Offence


@dataclass(frozen=True)
class RecidivismResult:
    classification: str
    records_counted: int
    rule_parts: tuple[Fact, ...]
    explanation: tuple[Fact, ...]

    @property
    def rule(self) -> str:
        return join(self.rule_parts)

    @property
    def classification_label(self) -> object:
        return CLASSIFICATIONS[self.classification]

    def as_dict(self, *, explain: bool = False) -> dict[str, Any]:
        answer: dict[str, Any] = {
            "classification": self.classification,
            "records_counted": self.records_counted,
            "rule": self.rule,
        }
        if explain:
            answer["explanation"] = [str(f) for f in self.explanation]
        return answer


PRIOR_KEYS = ("severity", "intent", "was_recidivism", "exempted_from_penalty", "expunged")


def parse_case(data: Any) -> RecidivismCase:
    data = inputs.mapping(data, "")
    inputs.only_keys(data, ("prior_convictions", "new_offence"), "")
    priors = []
    for index, raw in enumerate(inputs.items(data, "prior_convictions", "", default=[])):
        where = inputs.path("prior_convictions", index)
        raw = inputs.mapping(raw, where)
        inputs.only_keys(raw, PRIOR_KEYS, where)
        priors.append(
            PriorConviction(
                inputs.choice(raw, "severity", where, SEVERITIES),
                inputs.choice(raw, "intent", where, INTENTS),
                inputs.boolean(raw, "was_recidivism", where),
                inputs.boolean(raw, "exempted_from_penalty", where),
                inputs.boolean(raw, "expunged", where),
            )
        )
    raw_new = inputs.mapping(inputs.value(data, "new_offence", ""), "new_offence")
    inputs.only_keys(raw_new, ("severity", "intent"), "new_offence")
    new = Offence(
        inputs.choice(raw_new, "severity", "new_offence", SEVERITIES),
        inputs.choice(raw_new, "intent", "new_offence", INTENTS),
    )
    for index, prior in enumerate(priors):
        if prior.was_recidivism and prior.exempted_from_penalty:
            raise InvalidInput(
                inputs.path("prior_convictions", index),
                _("A conviction exempted from penalty cannot also be recorded as recidivism."),
            )
    return RecidivismCase(tuple(priors), new)


def counts_as_record(prior: PriorConviction) -> tuple[bool, Fact]:
    """Whether a prior conviction is a criminal record still in force (Art. 69), and why."""
    severity = SEVERITIES[prior.severity]
    intent = INTENTS[prior.intent]
    if prior.expunged:
        return False, fact(
            _("{severity} {intent} offence: expunged, so it no longer counts (Art. 69(1))."),
            severity=severity,
            intent=intent,
        )
    if prior.exempted_from_penalty:
        return False, fact(
            _("{severity} {intent} offence: exempted from penalty, so no criminal record (Art. 69(2))."),
            severity=severity,
            intent=intent,
        )
    if not prior.intentional and prior.severity in NO_RECORD_IF_NEGLIGENT:
        return False, fact(
            _("{severity} offence committed through negligence: no criminal record (Art. 69(2))."),
            severity=severity,
        )
    if prior.was_recidivism:
        return True, fact(
            _(
                "{severity} {intent} offence, itself found to be recidivism: a criminal record not yet expunged."
            ),
            severity=severity,
            intent=intent,
        )
    return True, fact(
        _("{severity} {intent} offence: a criminal record not yet expunged."),
        severity=severity,
        intent=intent,
    )


def recidivism(case: RecidivismCase) -> RecidivismResult:
    """Classify the new offence under Art. 53 from the prior convictions that still count."""
    facts: list[Fact] = []
    records: list[PriorConviction] = []
    for number, prior in enumerate(case.prior_convictions, start=1):
        counts, why = counts_as_record(prior)
        facts.append(fact(_("Prior conviction {number}: {why}"), number=number, why=why))
        if counts:
            records.append(prior)
    new = case.new_offence
    facts.append(
        fact(
            _("New offence: {severity}, {intent}."),
            severity=SEVERITIES[new.severity],
            intent=INTENTS[new.intent],
        )
    )

    if not records:
        classification = NONE
        rule = fact(
            _(
                "Criminal Code 2015 Art. 53: no criminal record in force, so neither recidivism nor dangerous recidivism"
            )
        )
    elif (
        new.intentional
        and new.grave
        and any(r.intentional and r.severity in GRAVE_SEVERITIES for r in records)
    ):
        classification = DANGEROUS
        rule = fact(
            _(
                "Criminal Code 2015 Art. 53(2)(a): a record for a very serious or particularly serious intentional offence, and a new very serious or particularly serious intentional offence"
            )
        )
    elif new.intentional and any(r.was_recidivism for r in records):
        classification = DANGEROUS
        rule = fact(
            _(
                "Criminal Code 2015 Art. 53(2)(b): already a recidivist, not expunged, and a new intentional offence"
            )
        )
    elif new.intentional:
        classification = RECIDIVISM
        rule = fact(
            _("Criminal Code 2015 Art. 53(1): a criminal record in force and a new intentional offence")
        )
    elif new.grave:
        classification = RECIDIVISM
        rule = fact(
            _(
                "Criminal Code 2015 Art. 53(1): a criminal record in force and a new very serious or particularly serious offence committed through negligence"
            )
        )
    else:
        classification = NONE
        rule = fact(
            _(
                "Criminal Code 2015 Art. 53(1): a less serious or serious offence committed through negligence is not recidivism"
            )
        )
    facts.append(fact(_("Result: {classification}."), classification=CLASSIFICATIONS[classification]))
    return RecidivismResult(classification, len(records), (rule,), tuple(facts))


def recidivism_from_data(data: Any) -> RecidivismResult:
    return recidivism(parse_case(data))
