"""Release, reporting at the commune, entering management and classification."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hoanhap.access import policy
from hoanhap.intake import deadlines, releases, workflow
from hoanhap.intake.models import (
    Classification,
    Reception,
    ReleaseKind,
)
from hoanhap.intake.services.common import (
    Kind,
    _d,
    _date,
    _ensure_casework,
    _lock,
    _not_future,
    _pk,
    _record,
    _set_status,
    _today,
)
from hoanhap.people.models import Person

# -- release, reporting, entering management -------------------------------------------------------


@transaction.atomic
def release_confirm(
    *,
    actor: Any,
    person: Person,
    release_date: dt.date | None = None,
    kind: str = "",
    certificate: str = "",
    probation_ends_on: dt.date | None = None,
    expected_version: int | None = None,
) -> Person:
    """Record that the person left the facility (LTHAHS Art. 46(2)); the justice ``Release`` wins if recorded."""
    _ensure_casework(actor, person.province_id, person.commune_id)
    person = _lock(person, expected_version)
    before = person.status
    after = workflow.ensure_allowed("release_confirm", before)
    release = releases.justice_release(person)
    if release is not None and getattr(release, "release_date", None):
        facts = releases.from_justice(release)
        release_date, kind = facts.release_date, facts.kind or kind
        certificate = facts.certificate or certificate
        probation_ends_on = facts.probation_ends_on or probation_ends_on
        source = releases.SOURCE_JUSTICE
    else:
        notice = person.release_notices.order_by("-received_on", "-pk").first()
        release_date = _date(release_date, "release_date", required=notice is None) or (
            notice.expected_release_date if notice else None
        )
        kind = kind or (notice.release_kind if notice else "")
        probation_ends_on = _date(probation_ends_on, "probation_ends_on", required=False)
        source = "officer"
    if kind not in ReleaseKind.values:
        raise ValidationError({"kind": _("Choose how the person was released.")})
    _not_future(release_date, "release_date")
    if kind == ReleaseKind.CONDITIONAL_RELEASE:
        if probation_ends_on is None:
            raise ValidationError({"probation_ends_on": _("A conditional release has a probation end date.")})
        if probation_ends_on <= release_date:
            raise ValidationError({"probation_ends_on": _("The probation ends after the release.")})
    else:
        probation_ends_on = None
    _set_status(person, after)
    summary = _("Released ({kind}) on {date}.").format(kind=ReleaseKind(kind).label, date=_d(release_date))
    if probation_ends_on:
        summary += " " + _("Probation until {date}.").format(date=_d(probation_ends_on))
    _record(
        person=person,
        kind=Kind.RELEASED,
        occurred_on=release_date,
        province=person.province_id,
        commune=person.commune_id,
        actor=actor,
        summary=summary,
        action="intake.person.released",
        target=person,
        status_before=before,
        data={
            "kind": kind,
            "certificate": certificate.strip(),
            "probation_ends_on": probation_ends_on,
            "release_id": getattr(release, "pk", None),
            "source": source,
        },
    )
    return person


RECEPTION_FLAGS = (
    "commitment_signed",
    "residence_registration_done",
    "identity_card_done",
    "wants_job_info",
    "wants_loan_info",
)


def _enter(
    person: Person, *, actor: Any, on: dt.date, facts: releases.ReleaseFacts | None, target: Any
) -> None:
    before = person.status
    after = workflow.ensure_allowed("management_enter", before)
    _set_status(person, after)
    _record(
        person=person,
        kind=Kind.ENTERED_MANAGEMENT,
        occurred_on=on,
        province=person.province_id,
        commune=person.commune_id,
        actor=actor,
        summary=_("Entered reintegration management."),
        action="intake.person.entered_management",
        target=target,
        status_before=before,
        data={"release_kind": facts.kind if facts else ""},
    )


@transaction.atomic
def reception_record(
    *, actor: Any, person: Person, data: dict[str, Any], expected_version: int | None = None
) -> Reception:
    """The person reported at the commune (Circular 10/2024 Art. 9): working record and checklist.

    Reporting before the release is refused. People who completed their term or were amnestied
    enter management at once; conditionally released people are followed through their probation
    and enter management when it ends (``management_enter``).
    """
    _ensure_casework(actor, person.province_id, person.commune_id)
    person = _lock(person, expected_version)
    before = person.status
    if before in (workflow.IN_PRISON, workflow.NOTIFIED):
        raise workflow.TransitionNotAllowed(
            _("The person has not been released yet: the release must be confirmed before the reporting."),
            code="not_released",
        )
    workflow.ensure_allowed("reception_record", before)
    if person.commune_id is None:
        raise ValidationError(_("Set the person's commune of residence before recording the reporting."))
    reported_on = _date(data.get("reported_on"), "reported_on", default=_today())
    _not_future(reported_on, "reported_on")
    facts = releases.release_facts(person)
    if facts is not None and facts.release_date and reported_on < facts.release_date:
        raise ValidationError(
            {
                "reported_on": _("The person cannot report before the release on {date}.").format(
                    date=_d(facts.release_date)
                )
            }
        )
    officer = _pk(data.get("officer")) or getattr(policy.account_of(actor), "pk", None)
    reception = Reception.objects.create(
        person=person,
        province_id=person.province_id,
        commune_id=person.commune_id,
        reported_on=reported_on,
        officer_id=officer,
        notes=str(data.get("notes") or "").strip(),
        **{flag: bool(data.get(flag)) for flag in RECEPTION_FLAGS},
    )
    _set_status(person, workflow.RECEIVED)
    _record(
        person=person,
        kind=Kind.REPORTED,
        occurred_on=reported_on,
        province=reception.province_id,
        commune=reception.commune_id,
        actor=actor,
        summary=_("Reported at the commune; reception record made."),
        action="intake.person.reported",
        target=reception,
        status_before=before,
        data={"reception": reception.pk, **{flag: getattr(reception, flag) for flag in RECEPTION_FLAGS}},
    )
    if facts is None or not facts.is_conditional:
        _enter(person, actor=actor, on=reported_on, facts=facts, target=reception)
    return reception


@transaction.atomic
def management_enter(
    *, actor: Any, person: Person, entered_on: dt.date | None = None, expected_version: int | None = None
) -> Person:
    """Bring a received person under management; a conditionally released person only once probation ends.

    Circular 10/2024 Art. 7: conditionally released people are managed as people who completed
    their sentence after completing the probation period.
    """
    _ensure_casework(actor, person.province_id, person.commune_id)
    person = _lock(person, expected_version)
    entered_on = _date(entered_on, "entered_on", default=_today())
    _not_future(entered_on, "entered_on")
    workflow.ensure_allowed("management_enter", person.status)
    facts = releases.release_facts(person)
    if facts is not None and facts.is_conditional:
        if facts.probation_ends_on is None:
            raise ValidationError(
                _("The end of the probation period is not known; record the release first.")
            )
        if entered_on < facts.probation_ends_on:
            raise ValidationError(
                _(
                    "The person is on probation until {date}: management starts when the probation ends."
                ).format(date=_d(facts.probation_ends_on))
            )
    _enter(person, actor=actor, on=entered_on, facts=facts, target=person)
    return person


# -- classification --------------------------------------------------------------------------------


@transaction.atomic
def classify(
    *,
    actor: Any,
    person: Person,
    group: str,
    reasons: str,
    decided_on: dt.date | None = None,
    next_review_on: dt.date | None = None,
    expected_version: int | None = None,
) -> Classification:
    """Place the person in group A, B, C or D with the reasons; earlier decisions stay in the history."""
    _ensure_casework(actor, person.province_id, person.commune_id)
    person = _lock(person, expected_version)
    workflow.ensure_allowed("classify", person.status)
    if group not in Person.Classification.values:
        raise ValidationError({"group": _("Choose group A, B, C or D.")})
    if not (reasons or "").strip():
        raise ValidationError({"reasons": _("Give the reasons for the classification.")})
    decided_on = _date(decided_on, "decided_on", default=_today())
    _not_future(decided_on, "decided_on")
    next_review_on = _date(next_review_on, "next_review_on", required=False) or deadlines.next_review_on(
        decided_on
    )
    if next_review_on <= decided_on:
        raise ValidationError({"next_review_on": _("The next review comes after the decision.")})
    previous = person.classification
    classification = Classification.objects.create(
        person=person,
        group=group,
        reasons=reasons.strip(),
        decided_on=decided_on,
        next_review_on=next_review_on,
        decided_by=policy.account_of(actor),
    )
    _set_status(person, person.status, classification=group)
    _record(
        person=person,
        kind=Kind.CLASSIFIED,
        occurred_on=decided_on,
        province=person.province_id,
        commune=person.commune_id,
        actor=actor,
        summary=_("Classified in group {group}; next review by {date}.").format(
            group=group, date=_d(next_review_on)
        ),
        action="intake.person.classified",
        target=classification,
        status_before=person.status,
        data={"group": group, "previous": previous, "next_review_on": next_review_on},
    )
    return classification
