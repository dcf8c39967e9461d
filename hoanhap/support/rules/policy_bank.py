"""Eligibility of an individual for policy-bank (VBSP) credit under Decision 22/2023/QĐ-TTg.

A pure function: ``check(case)`` takes the facts (``LoanCase``) and returns a ``LoanEligibility``
carrying every check, its outcome, the facts it used and the legal reference, in the way of
``hoanhap.justice.rules``. The checks (Decision 22/2023 Arts. 3 and 6, as summarised in the legal brief
§3 — secondary sources; the caps and the window are settings, see ``hoanhap.support.conf``):

1. ``certificate`` — a certificate of completion of the prison sentence, or an amnesty certificate,
   is recorded (Art. 3(1)(a));
2. ``form01`` — the person is on the commune's Form No. 01 list certified by the commune People's
   Committee (Art. 3(2)(a));
3. ``window`` — no more than 5 years from completing the sentence to borrowing (Art. 3(2)(a)): a
   sentence completed on 1 July 2019 may be borrowed against up to and including 1 July 2024;
4. ``amount`` — within the caps: 4 million đồng per month of training, 100 million đồng for
   production and business (Art. 6);
5. ``no_debt`` — no outstanding policy-bank debt for the same purpose (Art. 3(3)); only the loans
   recorded in Hòa Nhập are known here: the bank checks its own books.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from hoanhap.core.templatetags.vn import vnd
from hoanhap.justice.rules.dates import add_years
from hoanhap.justice.rules.explain import Fact, fact
from hoanhap.support import conf

TRAINING = "training"
BUSINESS = "business"
PURPOSES = (TRAINING, BUSINESS)

REF_BORROWERS = _(
    "Decision 22/2023/QĐ-TTg Art. 3(1)(a); Law on Execution of Criminal Judgments 2019 Art. 46(2)"
)
REF_FORM01 = _("Decision 22/2023/QĐ-TTg Art. 3(2)(a), Form No. 01")
REF_WINDOW = _("Decision 22/2023/QĐ-TTg Art. 3(2)(a)")
REF_AMOUNT = _("Decision 22/2023/QĐ-TTg Art. 6")
REF_DEBT = _("Decision 22/2023/QĐ-TTg Art. 3(3)")

LABELS = {
    "certificate": _("Certificate held"),
    "form01": _("On the commune's certified Form 01 list"),
    "window": _("Within the years allowed since completing the sentence"),
    "amount": _("Amount within the cap"),
    "no_debt": _("No outstanding policy-bank debt for the same purpose"),
}


@dataclass(frozen=True)
class LoanCase:
    """The facts of one request: what for, how much, and what the records say about the person."""

    purpose: str
    amount: int
    apply_on: dt.date
    months: int | None = None
    certificate_number: str = ""
    certificate_date: dt.date | None = None
    release_kind: str = ""
    completed_on: dt.date | None = None
    form01_certified_on: dt.date | None = None
    form01_reference: str = ""
    outstanding: tuple[tuple[dt.date, int], ...] = ()  # (referred on, amount) of open loans, same purpose


@dataclass(frozen=True)
class Check:
    code: str
    passed: bool
    reference: Any
    explanation: tuple[Fact, ...]
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return str(LABELS[self.code])

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label,
            "passed": self.passed,
            "reference": str(self.reference),
            "explanation": [str(f) for f in self.explanation],
            "facts": {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in self.facts.items()},
        }


@dataclass(frozen=True)
class LoanEligibility:
    checks: tuple[Check, ...]

    @property
    def eligible(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.passed]

    def as_dict(self) -> dict[str, Any]:
        return {"eligible": self.eligible, "checks": [c.as_dict() for c in self.checks]}


def check_certificate(case: LoanCase) -> Check:
    facts = {"certificate_number": case.certificate_number, "certificate_date": case.certificate_date}
    if not case.certificate_number:
        return Check(
            "certificate",
            False,
            REF_BORROWERS,
            (fact(_("No certificate of completion or amnesty certificate is recorded for this person.")),),
            facts,
        )
    message = (
        _("Amnesty certificate no. {number} of {date}.")
        if case.release_kind == "amnesty"
        else _("Certificate of completion of the prison sentence no. {number} of {date}.")
    )
    return Check(
        "certificate",
        True,
        REF_BORROWERS,
        (fact(message, number=case.certificate_number, date=case.certificate_date or "—"),),
        facts,
    )


def check_form01(case: LoanCase) -> Check:
    facts = {"certified_on": case.form01_certified_on, "reference": case.form01_reference}
    if case.form01_certified_on is None:
        return Check(
            "form01",
            False,
            REF_FORM01,
            (
                fact(
                    _(
                        "The person is not on a Form 01 list of their commune certified by the commune People's Committee."
                    )
                ),
            ),
            facts,
        )
    return Check(
        "form01",
        True,
        REF_FORM01,
        (fact(_("On the Form 01 list certified on {date}."), date=case.form01_certified_on),),
        facts,
    )


def check_window(case: LoanCase) -> Check:
    years = conf.loan_window_years()
    facts: dict[str, Any] = {"completed_on": case.completed_on, "years": years, "apply_on": case.apply_on}
    if case.completed_on is None:
        return Check(
            "window",
            False,
            REF_WINDOW,
            (fact(_("The date the sentence was completed is not known from the records.")),),
            facts,
        )
    last_day = add_years(case.completed_on, years)
    facts["last_day"] = last_day
    if case.apply_on < case.completed_on:
        return Check(
            "window",
            False,
            REF_WINDOW,
            (fact(_("The sentence will only be completed on {date}."), date=case.completed_on),),
            facts,
        )
    passed = case.apply_on <= last_day
    message = (
        _(
            "Sentence completed on {completed}; borrowing is possible until {last} ({years} years); applying on {day}."
        )
        if passed
        else _(
            "Sentence completed on {completed}; the {years} years ended on {last}; applying on {day} is too late."
        )
    )
    return Check(
        "window",
        passed,
        REF_WINDOW,
        (fact(message, completed=case.completed_on, last=last_day, years=years, day=case.apply_on),),
        facts,
    )


def check_amount(case: LoanCase) -> Check:
    facts: dict[str, Any] = {"amount": case.amount, "purpose": case.purpose, "months": case.months}
    if case.amount <= 0:
        return Check("amount", False, REF_AMOUNT, (fact(_("The amount must be more than zero.")),), facts)
    if case.purpose == TRAINING:
        per_month = conf.training_cap_per_month()
        if not case.months or case.months <= 0:
            return Check(
                "amount",
                False,
                REF_AMOUNT,
                (fact(_("A training loan needs the number of months of study.")),),
                facts,
            )
        cap = per_month * case.months
        facts.update(cap=cap, cap_per_month=per_month)
        passed = case.amount <= cap
        message = (
            _("{amount} for {months} months of training is within the cap of {per_month} a month ({cap}).")
            if passed
            else _("{amount} for {months} months of training exceeds the cap of {per_month} a month ({cap}).")
        )
        return Check(
            "amount",
            passed,
            REF_AMOUNT,
            (
                fact(
                    message,
                    amount=vnd(case.amount),
                    months=case.months,
                    per_month=vnd(per_month),
                    cap=vnd(cap),
                ),
            ),
            facts,
        )
    cap = conf.business_cap()
    facts["cap"] = cap
    passed = case.amount <= cap
    message = (
        _("{amount} is within the cap of {cap} for production and business.")
        if passed
        else _("{amount} exceeds the cap of {cap} for production and business.")
    )
    return Check("amount", passed, REF_AMOUNT, (fact(message, amount=vnd(case.amount), cap=vnd(cap)),), facts)


def check_debt(case: LoanCase) -> Check:
    facts = {"outstanding": [{"referred_on": d.isoformat(), "amount": a} for d, a in case.outstanding]}
    note = fact(_("Only loans recorded in Hòa Nhập are known here; the bank checks its own records."))
    if case.outstanding:
        first = case.outstanding[0]
        return Check(
            "no_debt",
            False,
            REF_DEBT,
            (
                fact(
                    _(
                        "A policy-bank loan for the same purpose, referred on {date} ({amount}), is not repaid."
                    ),
                    date=first[0],
                    amount=vnd(first[1]),
                ),
                note,
            ),
            facts,
        )
    return Check(
        "no_debt",
        True,
        REF_DEBT,
        (fact(_("No unpaid policy-bank loan for the same purpose is recorded.")), note),
        facts,
    )


def check(case: LoanCase) -> LoanEligibility:
    """Every check of Decision 22/2023 for one individual's request, in the order of the law."""
    if case.purpose not in PURPOSES:
        raise ValueError(f"unknown purpose {case.purpose!r}")
    return LoanEligibility(
        (
            check_certificate(case),
            check_form01(case),
            check_window(case),
            check_amount(case),
            check_debt(case),
        )
    )
