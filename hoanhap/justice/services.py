"""Every write to judgments and releases: check the facts, write, timeline, audit — in one transaction.

Rules enforced here (a refusal is a ``ValidationError`` naming the field, e.g. ``judgment_date`` or
``additional_penalties[1].completed_on`` for the second additional penalty given):

* writes need ``edit_people`` on the unit of the person (``policy.ensure_unit_in_scope``);
* a judgment is not dated in the future; the offence was committed on or before the judgment date; the
  main penalty starts on or after the offence and is completed on or after its start, never in the
  future; a judgment cannot be moved after a release recorded under it;
* the main penalty's fields match its type (a length for imprisonment, non-custodial reform and a
  suspended sentence, a probation for a suspended sentence, an amount for a fine, nothing else);
* a judgment has at least one offence from the catalogue; an additional penalty is completed on or
  after its start, which is not before the offence; an obligation never has more paid than due;
* a release is not before the judgment (nor before its main penalty started) and not in the future;
  it is a release under one of the person's custodial judgments, from a detention facility; an
  amnesty names its decision (not dated after the release); a conditional release has a probation
  ending after the release; the certificate is not dated before the release;
* an edit carries the version it read; a stale edit is refused (``core.concurrency``).

Judgment, its lines and Release are ``audited`` models: every save and delete is in the audit log.
Each write also adds an entry to the person's timeline (``people.services.timeline_add``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hoanhap.access import policy
from hoanhap.access.models import Organisation
from hoanhap.access.roles import Cap
from hoanhap.core import clock
from hoanhap.core.concurrency import bump_version, check_version
from hoanhap.justice.models import (
    CUSTODIAL_PENALTIES,
    PENALTIES_WITH_TERM,
    AdditionalPenalty,
    Judgment,
    JudgmentOffence,
    Obligation,
    Offence,
    Release,
)
from hoanhap.justice.rules.explain import show_date
from hoanhap.justice.rules.tables import INTENTS, SEVERITIES
from hoanhap.people.services import timeline_add

JUDGMENT_FIELDS = (
    "court_name",
    "judgment_number",
    "judgment_date",
    "is_final",
    "offence_committed_on",
    "main_penalty_type",
    "main_penalty_years",
    "main_penalty_months",
    "main_penalty_days",
    "fine_amount",
    "probation_years",
    "probation_months",
    "main_penalty_started_on",
    "main_penalty_completed_on",
    "note",
)
OFFENCE_FIELDS = ("offence", "clause", "severity", "intent")
ADDITIONAL_FIELDS = ("type", "term_years", "term_months", "amount", "starts_on", "completed_on")
OBLIGATION_FIELDS = ("kind", "description", "amount_due", "amount_paid", "completed_on")
RELEASE_FIELDS = (
    "judgment",
    "facility",
    "release_date",
    "kind",
    "amnesty_decision_number",
    "amnesty_decision_date",
    "probation_ends_on",
    "certificate_number",
    "certificate_date",
    "allowance_amount",
    "note",
)
DEFAULTS = {  # what an omitted field means on a new row
    "is_final": True,
    "main_penalty_years": 0,
    "main_penalty_months": 0,
    "main_penalty_days": 0,
    "probation_years": 0,
    "probation_months": 0,
    "term_years": 0,
    "term_months": 0,
    "amount_due": 0,
    "amount_paid": 0,
}
TEXT_FIELDS = {
    "court_name",
    "judgment_number",
    "note",
    "clause",
    "severity",
    "intent",
    "description",
    "amnesty_decision_number",
    "certificate_number",
}

# Allowed codes, as sets: ``Choices.values`` builds a list on every read (rules run per import row).
_PENALTY_TYPES = frozenset(Judgment.PenaltyType.values)
_ADDITIONAL_PENALTY_TYPES = frozenset(AdditionalPenalty.Type.values)
_OBLIGATION_KINDS = frozenset(Obligation.Kind.values)
_RELEASE_KINDS = frozenset(Release.Kind.values)


class Errors:
    """Collects field errors so that one refusal lists every problem of the input."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _ensure_person_in_scope(actor: Any, person: Any) -> None:
    policy.ensure_unit_in_scope(
        actor, Cap.EDIT_PEOPLE, province=person.province_id, commune=person.commune_id
    )


def _values(data: Mapping[str, Any], fields: Iterable[str], *, instance: models.Model | None = None) -> dict:
    """The values of ``fields``: from ``data`` when given, else the instance's, else the default."""
    values = {}
    for name in fields:
        if name in data:
            value = data[name]
        elif instance is not None:
            value = getattr(instance, name)
        else:
            value = DEFAULTS.get(name, "" if name in TEXT_FIELDS else None)
        if name in TEXT_FIELDS and value is None:
            value = ""
        if isinstance(value, str):
            value = " ".join(value.split()) if name not in {"note", "description"} else value.strip()
        values[name] = value
    return values


def _today() -> dt.date:
    return clock.today()


# --- judgment -------------------------------------------------------------------------------------


def _check_main_penalty(values: dict, errors: Errors) -> None:
    kind = values["main_penalty_type"]
    if kind not in _PENALTY_TYPES:
        errors.add("main_penalty_type", _("Choose the main penalty."))
        return
    length = (
        values["main_penalty_years"] or 0,
        values["main_penalty_months"] or 0,
        values["main_penalty_days"] or 0,
    )
    for name in (
        "main_penalty_years",
        "main_penalty_months",
        "main_penalty_days",
        "probation_years",
        "probation_months",
    ):
        if (values[name] or 0) < 0:
            errors.add(name, _("A length cannot be negative."))
    if kind in PENALTIES_WITH_TERM and not any(length):
        errors.add("main_penalty_years", _("Give the length of this penalty (years, months or days)."))
    if kind not in PENALTIES_WITH_TERM and any(length):
        errors.add("main_penalty_years", _("This penalty has no length; leave years, months and days at 0."))
    probation = (values["probation_years"] or 0, values["probation_months"] or 0)
    if kind == Judgment.PenaltyType.SUSPENDED and not any(probation):
        errors.add("probation_years", _("Give the probation period of the suspended sentence."))
    if kind != Judgment.PenaltyType.SUSPENDED and any(probation):
        errors.add("probation_years", _("Only a suspended sentence has a probation period."))
    fine = values["fine_amount"]
    if kind == Judgment.PenaltyType.FINE and not fine:
        errors.add("fine_amount", _("Give the amount of the fine in đồng."))
    elif fine is not None and fine < 0:
        errors.add("fine_amount", _("An amount cannot be negative."))
    elif kind != Judgment.PenaltyType.FINE and fine:
        errors.add(
            "fine_amount",
            _("Only a fine as main penalty has an amount here; record an additional fine below."),
        )


def _check_judgment_dates(values: dict, errors: Errors, *, judgment: Judgment | None) -> None:
    today = _today()
    judged, committed = values["judgment_date"], values["offence_committed_on"]
    started, completed = values["main_penalty_started_on"], values["main_penalty_completed_on"]
    if judged is None:
        errors.add("judgment_date", _("Give the judgment date."))
    elif judged > today:
        errors.add("judgment_date", _("The judgment date cannot be in the future."))
    if committed is None:
        errors.add("offence_committed_on", _("Give the day the offence was committed."))
    elif judged is not None and committed > judged:
        errors.add(
            "offence_committed_on", _("The offence cannot have been committed after the judgment date.")
        )
    if started is not None and committed is not None and started < committed:
        errors.add(
            "main_penalty_started_on", _("The main penalty cannot start before the offence was committed.")
        )
    if completed is not None:
        if started is not None and completed < started:
            errors.add(
                "main_penalty_completed_on", _("The main penalty cannot be completed before it started.")
            )
        elif committed is not None and completed < committed:
            errors.add(
                "main_penalty_completed_on",
                _("The main penalty cannot be completed before the offence was committed."),
            )
        if completed > today:
            errors.add("main_penalty_completed_on", _("A completion date cannot be in the future."))
    if judgment is not None and judged is not None:
        first = judgment.releases.order_by("release_date").first()
        if first is not None and judged > first.release_date:
            errors.add(
                "judgment_date",
                _("The judgment cannot be dated after the release of {date} recorded under it.").format(
                    date=show_date(first.release_date)
                ),
            )
        if first is not None and started is not None and started > first.release_date:
            errors.add(
                "main_penalty_started_on",
                _("The main penalty cannot start after the release of {date} recorded under it.").format(
                    date=show_date(first.release_date)
                ),
            )


def _offence_rows(rows: list[Mapping[str, Any]], judgment: Judgment | None, errors: Errors) -> list[tuple]:
    """Validated (existing line or None, values) for the offence lines; at least one is needed."""
    if not rows:
        errors.add("offences", _("Give at least one offence of the conviction."))
    checked = []
    for index, row in enumerate(rows):
        where = f"offences[{index}]"
        line = _existing(JudgmentOffence, row, judgment, errors, where)
        values = _values(row, OFFENCE_FIELDS, instance=line)
        offence = values["offence"]
        if offence is not None and not isinstance(offence, Offence):
            offence = Offence.objects.filter(pk=offence).first()
        if offence is None:
            errors.add(f"{where}.offence", _("Choose the offence from the catalogue."))
        values["offence"] = offence
        if values["severity"] not in {"", *SEVERITIES}:
            errors.add(f"{where}.severity", _("Choose a severity class, or leave it empty."))
        if values["intent"] not in {"", *INTENTS}:
            errors.add(f"{where}.intent", _("Choose the intent, or leave it empty."))
        checked.append((line, values))
    return checked


def _additional_rows(rows: list[Mapping[str, Any]], judgment, committed, errors: Errors) -> list[tuple]:
    today = _today()
    checked = []
    for index, row in enumerate(rows):
        where = f"additional_penalties[{index}]"
        line = _existing(AdditionalPenalty, row, judgment, errors, where)
        values = _values(row, ADDITIONAL_FIELDS, instance=line)
        if values["type"] not in _ADDITIONAL_PENALTY_TYPES:
            errors.add(f"{where}.type", _("Choose the additional penalty."))
        if (values["term_years"] or 0) < 0 or (values["term_months"] or 0) < 0:
            errors.add(f"{where}.term_years", _("A length cannot be negative."))
        if values["amount"] is not None and values["amount"] < 0:
            errors.add(f"{where}.amount", _("An amount cannot be negative."))
        starts, completed = values["starts_on"], values["completed_on"]
        if starts is not None and committed is not None and starts < committed:
            errors.add(
                f"{where}.starts_on",
                _("An additional penalty cannot start before the offence was committed."),
            )
        if completed is not None:
            if starts is not None and completed < starts:
                errors.add(
                    f"{where}.completed_on", _("An additional penalty cannot be completed before it started.")
                )
            elif committed is not None and completed < committed:
                errors.add(
                    f"{where}.completed_on",
                    _("An additional penalty cannot be completed before the offence was committed."),
                )
            if completed > today:
                errors.add(f"{where}.completed_on", _("A completion date cannot be in the future."))
        checked.append((line, values))
    return checked


def _obligation_rows(rows: list[Mapping[str, Any]], judgment, committed, errors: Errors) -> list[tuple]:
    today = _today()
    checked = []
    for index, row in enumerate(rows):
        where = f"obligations[{index}]"
        line = _existing(Obligation, row, judgment, errors, where)
        values = _values(row, OBLIGATION_FIELDS, instance=line)
        if values["kind"] not in _OBLIGATION_KINDS:
            errors.add(f"{where}.kind", _("Choose the kind of obligation."))
        due, paid = values["amount_due"] or 0, values["amount_paid"] or 0
        values["amount_due"], values["amount_paid"] = due, paid
        if due < 0:
            errors.add(f"{where}.amount_due", _("An amount cannot be negative."))
        if paid < 0:
            errors.add(f"{where}.amount_paid", _("An amount cannot be negative."))
        elif paid > due:
            errors.add(f"{where}.amount_paid", _("More cannot be paid than is due."))
        completed = values["completed_on"]
        if completed is not None and committed is not None and completed < committed:
            errors.add(
                f"{where}.completed_on",
                _("An obligation cannot be completed before the offence was committed."),
            )
        if completed is not None and completed > today:
            errors.add(f"{where}.completed_on", _("A completion date cannot be in the future."))
        checked.append((line, values))
    return checked


def _existing(model, row: Mapping[str, Any], judgment: Judgment | None, errors: Errors, where: str):
    """The line ``row['id']`` names, which must belong to ``judgment``; None for a new line."""
    pk = row.get("id")
    if not pk:
        return None
    line = model.objects.filter(pk=pk, judgment=judgment).first() if judgment is not None else None
    if line is None:
        errors.add(f"{where}.id", _("This line does not belong to this judgment."))
    return line


def _save_lines(model, judgment: Judgment, checked: list[tuple] | None) -> None:
    """Update the lines given, create the new ones, delete the ones left out (each one audited)."""
    if checked is None:
        return
    kept = set()
    for line, values in checked:
        line = line or model(judgment=judgment)
        for name, value in values.items():
            setattr(line, name, value)
        line.save()
        kept.add(line.pk)
    for stale in model.objects.filter(judgment=judgment).exclude(pk__in=kept):
        stale.delete()


def _check_judgment(
    values: dict, *, judgment: Judgment | None, offences, additional, obligations
) -> tuple[list | None, list | None, list | None]:
    errors = Errors()
    _check_main_penalty(values, errors)
    _check_judgment_dates(values, errors, judgment=judgment)
    if not values["court_name"]:
        errors.add("court_name", _("Give the court that pronounced the judgment."))
    if not values["judgment_number"]:
        errors.add("judgment_number", _("Give the judgment number."))
    committed = values["offence_committed_on"]
    checked = (
        _offence_rows(list(offences), judgment, errors) if offences is not None else None,
        _additional_rows(list(additional), judgment, committed, errors) if additional is not None else None,
        _obligation_rows(list(obligations), judgment, committed, errors) if obligations is not None else None,
    )
    errors.raise_if_any()
    return checked


def judgment_checked(
    data: Mapping[str, Any], offences: Iterable[Mapping[str, Any]]
) -> tuple[dict, list[dict]]:
    """The values a new judgment and its offence lines would be saved with, checked exactly as
    ``judgment_create`` checks them (``ValidationError`` otherwise); no query when the offences are
    catalogue rows. Lets an import check thousands of judgments before writing any."""
    values = _values(data, JUDGMENT_FIELDS)
    lines, _additional, _obligations = _check_judgment(
        values, judgment=None, offences=offences, additional=(), obligations=()
    )
    return values, [line for _existing_line, line in lines or ()]


class PlannedJudgment:
    """A new judgment checked by ``judgment_checked`` and not yet saved: what the release rules read
    of it (an import plans thousands of releases under judgments it has not written yet)."""

    __slots__ = ("judgment_date", "main_penalty_started_on", "main_penalty_type")
    pk = None
    person_id = None

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.judgment_date = values["judgment_date"]
        self.main_penalty_started_on = values.get("main_penalty_started_on")
        self.main_penalty_type = values["main_penalty_type"]

    @property
    def is_custodial(self) -> bool:
        return self.main_penalty_type in CUSTODIAL_PENALTIES


def release_checked(person: Any, data: Mapping[str, Any]) -> dict:
    """The values a new release of ``person`` would be saved with, checked as ``release_record``
    checks them (``ValidationError`` otherwise); ``data`` names the judgment and facility as rows."""
    values = _values(data, RELEASE_FIELDS)
    errors = Errors()
    _check_release(values, person, errors)
    errors.raise_if_any()
    return values


# The patterns of the timeline's summaries; a writer of thousands translates them once and hands
# them to ``judgment_summary`` / ``release_summary``.
JUDGMENT_SUMMARY = gettext_noop("{judgment}, {court}: {penalty}.")
RELEASE_SUMMARY = gettext_noop("Released from {facility} ({kind}) under {judgment}.")
UNNAMED_FACILITY = gettext_noop("a detention facility")


def judgment_summary(judgment: Judgment, pattern: str | None = None) -> str:
    """'Judgment 12/2020/HS-ST of 15/03/2020, Tòa án nhân dân tỉnh An Giang: imprisonment of 3 years.'"""
    return (pattern or _(JUDGMENT_SUMMARY)).format(
        judgment=str(judgment), court=judgment.court_name, penalty=judgment.main_penalty_display
    )


@transaction.atomic
def judgment_create(
    *,
    actor: Any,
    person: Any,
    data: Mapping[str, Any],
    offences: Iterable[Mapping[str, Any]],
    additional_penalties: Iterable[Mapping[str, Any]] = (),
    obligations: Iterable[Mapping[str, Any]] = (),
) -> Judgment:
    """Record a judgment of ``person`` with its offences, additional penalties and obligations."""
    _ensure_person_in_scope(actor, person)
    values = _values(data, JUDGMENT_FIELDS)
    checked = _check_judgment(
        values, judgment=None, offences=offences, additional=additional_penalties, obligations=obligations
    )
    judgment = Judgment(person=person, **values)
    judgment.save()
    for model, lines in zip((JudgmentOffence, AdditionalPenalty, Obligation), checked, strict=True):
        _save_lines(model, judgment, lines)
    timeline_add(
        person=person,
        occurred_on=judgment.judgment_date,
        kind="justice.judgment.recorded",
        summary=judgment_summary(judgment),
        target=judgment,
        actor=actor,
    )
    return judgment


@transaction.atomic
def judgment_update(
    *,
    actor: Any,
    judgment: Judgment,
    data: Mapping[str, Any],
    offences: Iterable[Mapping[str, Any]] | None = None,
    additional_penalties: Iterable[Mapping[str, Any]] | None = None,
    obligations: Iterable[Mapping[str, Any]] | None = None,
    version: int | None = None,
) -> Judgment:
    """Correct a judgment. Fields left out of ``data`` keep their value; a list of lines given
    replaces the lines (rows with an ``id`` are updated, the others created, the missing deleted)."""
    judgment = Judgment.objects.select_for_update().select_related("person").get(pk=judgment.pk)
    _ensure_person_in_scope(actor, judgment.person)
    check_version(judgment, version)
    values = _values(data, JUDGMENT_FIELDS, instance=judgment)
    checked = _check_judgment(
        values, judgment=judgment, offences=offences, additional=additional_penalties, obligations=obligations
    )
    changed = sorted(name for name, value in values.items() if getattr(judgment, name) != value)
    for name, value in values.items():
        setattr(judgment, name, value)
    bump_version(judgment)
    judgment.save()
    for model, lines in zip((JudgmentOffence, AdditionalPenalty, Obligation), checked, strict=True):
        _save_lines(model, judgment, lines)
    labels = [str(Judgment._meta.get_field(name).verbose_name) for name in changed]
    timeline_add(
        person=judgment.person,
        occurred_on=_today(),
        kind="justice.judgment.updated",
        summary=_("{judgment} corrected: {fields}.").format(
            judgment=str(judgment), fields=", ".join(labels) if labels else _("its lines")
        ),
        target=judgment,
        actor=actor,
    )
    return judgment


# --- release --------------------------------------------------------------------------------------


def _check_release(values: dict, person: Any, errors: Errors) -> None:
    judgment, release_date = values["judgment"], values["release_date"]
    if isinstance(judgment, int | str):  # given by its key
        judgment = Judgment.objects.filter(pk=judgment).first()
        values["judgment"] = judgment
    if judgment is None or judgment.person_id != person.pk:
        errors.add("judgment", _("Choose one of this person's judgments."))
        judgment = None
    elif not judgment.is_custodial:
        errors.add(
            "judgment", _("This judgment did not impose a prison sentence: nobody is released under it.")
        )
    facility = values["facility"]
    if facility is not None and not isinstance(facility, Organisation):
        facility = Organisation.objects.filter(pk=facility).first()
        values["facility"] = facility
        if facility is None:
            errors.add("facility", _("Choose a detention facility."))
    if facility is not None and facility.kind != Organisation.Kind.DETENTION_FACILITY:
        errors.add("facility", _("This organisation is not a detention facility."))
    if values["kind"] not in _RELEASE_KINDS:
        errors.add("kind", _("Choose how the person was released."))
    if release_date is None:
        errors.add("release_date", _("Give the release date."))
        return
    if release_date > _today():
        errors.add("release_date", _("A release cannot be recorded before it happens."))
    if judgment is not None:
        if release_date < judgment.judgment_date:
            errors.add(
                "release_date",
                _("The release cannot be before the judgment of {date}.").format(
                    date=show_date(judgment.judgment_date)
                ),
            )
        elif judgment.main_penalty_started_on and release_date < judgment.main_penalty_started_on:
            errors.add(
                "release_date",
                _("The release cannot be before the main penalty started on {date}.").format(
                    date=show_date(judgment.main_penalty_started_on)
                ),
            )
    _check_release_kind(values, release_date, errors)
    certificate_date = values["certificate_date"]
    if certificate_date is not None and certificate_date < release_date:
        errors.add("certificate_date", _("The certificate cannot be dated before the release."))
    if certificate_date is not None and certificate_date > _today():
        errors.add("certificate_date", _("The certificate date cannot be in the future."))
    allowance = values["allowance_amount"]
    if allowance is not None and allowance < 0:
        errors.add("allowance_amount", _("An amount cannot be negative."))


def _check_release_kind(values: dict, release_date: dt.date, errors: Errors) -> None:
    kind = values["kind"]
    decision_date = values["amnesty_decision_date"]
    if kind == Release.Kind.AMNESTY:
        if not values["amnesty_decision_number"]:
            errors.add("amnesty_decision_number", _("Give the number of the amnesty decision."))
        if decision_date is None:
            errors.add("amnesty_decision_date", _("Give the date of the amnesty decision."))
        elif decision_date > release_date:
            errors.add("amnesty_decision_date", _("The amnesty decision cannot be dated after the release."))
    elif values["amnesty_decision_number"] or decision_date:
        errors.add("amnesty_decision_number", _("Only an amnesty has an amnesty decision."))
    probation_end = values["probation_ends_on"]
    if kind == Release.Kind.CONDITIONAL_RELEASE:
        if probation_end is None:
            errors.add("probation_ends_on", _("Give the day the probation of the conditional release ends."))
        elif probation_end <= release_date:
            errors.add("probation_ends_on", _("The probation must end after the release."))
    elif probation_end is not None:
        errors.add("probation_ends_on", _("Only a conditional release has a probation."))


def release_summary(release: Release, pattern: str | None = None, unnamed: str | None = None) -> str:
    """'Released from Trại giam Xuân Lộc (completed term) under Judgment …'; ``pattern`` and
    ``unnamed``: ``RELEASE_SUMMARY`` and ``UNNAMED_FACILITY`` translated."""
    facility = release.facility.name if release.facility_id else (unnamed or _(UNNAMED_FACILITY))
    return (pattern or _(RELEASE_SUMMARY)).format(
        facility=facility, kind=release.get_kind_display(), judgment=str(release.judgment)
    )


@transaction.atomic
def release_record(*, actor: Any, person: Any, data: Mapping[str, Any]) -> Release:
    """Record the release of ``person`` under one of their custodial judgments."""
    _ensure_person_in_scope(actor, person)
    values = release_checked(person, data)
    release = Release(person=person, **values)
    release.save()
    timeline_add(
        person=person,
        occurred_on=release.release_date,
        kind="justice.release.recorded",
        summary=release_summary(release),
        target=release,
        actor=actor,
    )
    return release


@transaction.atomic
def release_update(
    *, actor: Any, release: Release, data: Mapping[str, Any], version: int | None = None
) -> Release:
    """Correct a recorded release (fields left out of ``data`` keep their value)."""
    release = Release.objects.select_for_update().select_related("person").get(pk=release.pk)
    _ensure_person_in_scope(actor, release.person)
    check_version(release, version)
    values = _values(data, RELEASE_FIELDS, instance=release)
    errors = Errors()
    _check_release(values, release.person, errors)
    errors.raise_if_any()
    changed = sorted(name for name, value in values.items() if getattr(release, name) != value)
    for name, value in values.items():
        setattr(release, name, value)
    bump_version(release)
    release.save()
    labels = [str(Release._meta.get_field(name).verbose_name) for name in changed]
    timeline_add(
        person=release.person,
        occurred_on=_today(),
        kind="justice.release.updated",
        summary=_("{release} corrected: {fields}.").format(
            release=str(release), fields=", ".join(labels) if labels else _("nothing changed")
        ),
        target=release,
        actor=actor,
    )
    return release
