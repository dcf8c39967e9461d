"""Every step of intake and management: check, write, event, timeline, audit — in one transaction.

Each service

1. checks the actor's right on the unit concerned (``hoanhap.access.policy``), and the version
   the caller read (``core.concurrency``: a stale write is refused with a clear message);
2. asks ``workflow.ensure_allowed`` whether the step may happen in the person's status;
3. writes its rows, and ``Person.status`` / the current commune (only these services change them);
4. appends a ``ManagementEvent`` (counted by period summaries), a timeline entry on the person
   (``people.services.timeline_add``) and a named audit entry (``intake.<record>.<verb>``).

Facility notices and transfers are the two workflows that place a person in a commune outside the
writer's own area (``access.policy`` docstring): a detention facility notifies any commune, and a
transfer hands the person to the receiving commune when that commune confirms.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoanhap.access import policy
from hoanhap.access.models import AreaFields, Organisation
from hoanhap.access.roles import Cap
from hoanhap.audit import services as audit
from hoanhap.core.concurrency import bump_version, check_version
from hoanhap.geo.models import Commune
from hoanhap.intake import deadlines, policy_settings, releases, selectors, workflow
from hoanhap.intake.models import (
    Classification,
    ManagementEnd,
    ManagementEvent,
    Reception,
    ReleaseKind,
    ReleaseNotice,
    Transfer,
)
from hoanhap.people import services as people_services
from hoanhap.people.models import Person

Kind = ManagementEvent.Kind
NOTICE_PERSON_FIELDS = (
    "full_name",
    "other_names",
    "birth_year",
    "birth_month",
    "birth_day",
    "sex",
    "personal_id",
)


# -- helpers ---------------------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) and not policy.is_system(actor) else None


def _pk(value: Any) -> int | None:
    if value in (None, ""):
        return None
    return getattr(value, "pk", None) or int(value)


def _date(value: Any, field: str, *, default: dt.date | None = None, required: bool = True) -> dt.date | None:
    if value in (None, ""):
        if default is not None or not required:
            return default
        raise ValidationError({field: _("This date is required.")})
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationError({field: _("Enter a valid date.")}) from exc


def _not_future(day: dt.date, field: str) -> None:
    if day > _today():
        raise ValidationError({field: _("This date is in the future.")})


def _ensure_casework(actor: Any, province: int | None, commune: int | None) -> None:
    policy.ensure_unit_in_scope(actor, Cap.EDIT_CASEWORK, province=province, commune=commune)


def _lock(person: Person, expected_version: int | None) -> Person:
    """The person row, locked for the transaction, after checking nobody changed it meanwhile."""
    check_version(person, expected_version)
    return (
        Person.objects.select_for_update(of=("self",)).select_related("province", "commune").get(pk=person.pk)
    )


def _set_status(person: Person, status: str, **extra: Any) -> None:
    fields = ["status", "version", "updated_at"]
    person.status = status
    for name, value in extra.items():
        setattr(person, name, value)
        fields.append(name)
    bump_version(person)
    person.save(update_fields=fields)


def _record(
    *,
    person: Person,
    kind: str,
    occurred_on: dt.date,
    province: int,
    commune: int | None,
    actor: Any,
    summary: str,
    action: str,
    target: Any,
    status_before: str = "",
    data: dict[str, Any] | None = None,
) -> ManagementEvent:
    """The three records of a step: management event, timeline entry, named audit entry."""
    data = dict(data or {})
    event = ManagementEvent.objects.create(
        person=person,
        kind=kind,
        occurred_on=occurred_on,
        province_id=province,
        commune_id=commune,
        status_before=status_before,
        status_after=person.status,
        data=_jsonable(data),
        created_by=_user(actor),
    )
    people_services.timeline_add(
        person=person,
        occurred_on=occurred_on,
        kind=f"intake.{kind}",
        summary=summary,
        target=target,
        actor=actor,
    )
    audit.record(
        action,
        target=target,
        data={"person": person.record_code, "event": event.pk, "occurred_on": occurred_on, **data},
        province=province,
        commune=commune,
    )
    return event


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _commune_province(commune: int | None) -> int | None:
    if commune is None:
        return None
    return Commune.objects.filter(pk=commune).values_list("province_id", flat=True).first()


def _move(person: Person, *, province: int, commune: int | None, address: str, on: dt.date) -> Person:
    """Move the person's residence as part of a workflow the caller has authorised."""
    if (person.province_id, person.commune_id, person.address) == (province, commune, address or ""):
        return person
    return people_services.person_change_residence(
        actor=policy.SYSTEM, person=person, province=province, commune=commune, address=address, from_date=on
    )


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


# -- release notices -------------------------------------------------------------------------------


def _notice_sender(actor: Any, facility: int | None, province: int, commune: int) -> int | None:
    """Who may file this notice: a facility account for its own facility, anywhere; an officer in their area."""
    own = selectors.facility_ids(actor)
    if own:
        if facility is None and len(own) == 1:
            facility = next(iter(own))
        if facility not in own:
            raise PermissionDenied(_("You can only send notices for your own detention facility."))
        return facility
    _ensure_casework(actor, province, commune)
    if (
        facility is not None
        and not Organisation.objects.filter(pk=facility, kind=Organisation.Kind.DETENTION_FACILITY).exists()
    ):
        raise ValidationError({"facility": _("Choose a detention facility.")})
    return facility


def _notice_values(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    province = _pk(data.get("province"))
    commune = _pk(data.get("commune"))
    if commune is None:
        errors["commune"] = _("The expected commune of residence is required.")
    elif province is None:
        province = _commune_province(commune)
    elif _commune_province(commune) != province:
        errors["commune"] = _("The commune is not in the chosen province.")
    kind = data.get("release_kind") or ""
    if kind not in ReleaseKind.values:
        errors["release_kind"] = _("Choose how the person will be released.")
    if errors:
        raise ValidationError(errors)
    received_on = _date(data.get("received_on"), "received_on", default=_today())
    _not_future(received_on, "received_on")
    return {
        "province": province,
        "commune": commune,
        "address": " ".join(str(data.get("address") or "").split()),
        "expected_release_date": _date(data.get("expected_release_date"), "expected_release_date"),
        "release_kind": kind,
        "sentence_summary": str(data.get("sentence_summary") or "").strip(),
        "additional_penalties": str(data.get("additional_penalties") or "").strip(),
        "reference": str(data.get("reference") or "").strip(),
        "sender_name": str(data.get("sender_name") or "").strip(),
        "received_on": received_on,
    }


def _notice_person(actor: Any, data: dict[str, Any], values: dict[str, Any], person: Person | None) -> Person:
    """The person the notice is about: the one chosen, the holder of the number given, or a new record."""
    if person is not None:
        return person
    from hoanhap.people import selectors as people_selectors
    from hoanhap.people.rules import identity

    number = identity.normalise(data.get("personal_id") or "") if data.get("personal_id") else ""
    if number:
        holder = people_selectors.id_holder(number)
        if holder is not None:
            return holder
    person_data = {k: data.get(k) for k in NOTICE_PERSON_FIELDS if data.get(k) not in (None, "")}
    person_data.update(
        province=values["province"],
        commune=values["commune"],
        address=values["address"],
        status=workflow.IN_PRISON,
    )
    # The notice workflow may open a record in any commune (see the module docstring); the
    # sender's right was checked by ``_notice_sender``.
    result = people_services.person_create(actor=policy.SYSTEM, data=person_data, confirm_duplicates=True)
    return result.person


@transaction.atomic
def notice_receive(
    *,
    actor: Any,
    data: dict[str, Any],
    person: Person | None = None,
    expected_version: int | None = None,
) -> ReleaseNotice:
    """File a release notice (LTHAHS 2019 Art. 46(1)); the person becomes "notice received".

    A detention facility files it for any commune; a commune officer types in a paper notice for
    their own area. The person is found by the record chosen or the identification number given,
    or registered from the notice. The notice is late when received after the expected release
    date minus two months, and the residence check is due three working days after receipt.
    """
    values = _notice_values(data)
    facility = _notice_sender(actor, _pk(data.get("facility")), values["province"], values["commune"])
    if facility is None and not values["sender_name"]:
        raise ValidationError({"sender_name": _("Name the facility or agency that sent the notice.")})
    if person is not None:
        policy.ensure_unit_in_scope(
            actor, Cap.EDIT_CASEWORK, province=person.province_id, commune=person.commune_id
        )
        person = _lock(person, expected_version)
    person = _notice_person(actor, data, values, person)
    person = (
        Person.objects.select_for_update(of=("self",)).select_related("province", "commune").get(pk=person.pk)
    )
    before = person.status
    after = workflow.ensure_allowed("notice_receive", before)
    received_on = values["received_on"]
    notice = ReleaseNotice.objects.create(
        person=person,
        facility_id=facility,
        sender_name=values["sender_name"],
        reference=values["reference"],
        expected_release_date=values["expected_release_date"],
        release_kind=values["release_kind"],
        sentence_summary=values["sentence_summary"],
        additional_penalties=values["additional_penalties"],
        province_id=values["province"],
        commune_id=values["commune"],
        address=values["address"],
        received_on=received_on,
        is_late=deadlines.notice_is_late(
            received_on=received_on, expected_release=values["expected_release_date"]
        ),
        verify_by=deadlines.verify_by(received_on),
        created_by=_user(actor),
    )
    person = _move(
        person,
        province=values["province"],
        commune=values["commune"],
        address=values["address"],
        on=received_on,
    )
    _set_status(person, after)
    summary = _("Release notice received from {sender}: release expected on {date}.").format(
        sender=notice.sender_display or _("unknown sender"), date=_d(notice.expected_release_date)
    )
    if notice.is_late:
        summary += " " + _("The notice is late.")
    _record(
        person=person,
        kind=Kind.NOTICE_RECEIVED,
        occurred_on=received_on,
        province=notice.province_id,
        commune=notice.commune_id,
        actor=actor,
        summary=summary,
        action="intake.notice.received",
        target=notice,
        status_before=before,
        data={
            "notice": notice.pk,
            "facility": facility,
            "expected_release_date": notice.expected_release_date,
            "release_kind": notice.release_kind,
            "is_late": notice.is_late,
            "verify_by": notice.verify_by,
        },
    )
    return notice


@transaction.atomic
def notice_verify(
    *,
    actor: Any,
    notice: ReleaseNotice,
    result: str,
    verified_on: dt.date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> ReleaseNotice:
    """Record the residence check (Circular 10/2024 Art. 8): confirmed, or wrong (→ HCD-03 letter)."""
    _ensure_casework(actor, notice.province_id, notice.commune_id)
    check_version(notice, expected_version)
    notice = ReleaseNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.is_verified:
        raise ValidationError(
            _("This notice was already verified on {date}.").format(date=_d(notice.verified_on))
        )
    if result not in ReleaseNotice.Result.values:
        raise ValidationError({"result": _("Choose the result of the verification.")})
    verified_on = _date(verified_on, "verified_on", default=_today())
    _not_future(verified_on, "verified_on")
    if verified_on < notice.received_on:
        raise ValidationError(
            {"verified_on": _("The verification cannot precede the receipt of the notice.")}
        )
    if result == ReleaseNotice.Result.ADDRESS_WRONG and not note.strip():
        raise ValidationError(
            {"note": _("Say what is wrong with the address, for the letter to the sender.")}
        )
    person = Person.objects.select_for_update().get(pk=notice.person_id)
    workflow.ensure_allowed("notice_verify", person.status)
    notice.verified_on = verified_on
    notice.verification_result = result
    notice.verification_note = note.strip()
    bump_version(notice)
    notice.save()
    on_time = verified_on <= notice.verify_by
    if result == ReleaseNotice.Result.CONFIRMED:
        summary = _("Residence verified and confirmed.")
    else:
        summary = _(
            "Residence verified: the address is wrong; a verification letter (HCD-03) goes to the sender."
        )
    _record(
        person=person,
        kind=Kind.NOTICE_VERIFIED,
        occurred_on=verified_on,
        province=notice.province_id,
        commune=notice.commune_id,
        actor=actor,
        summary=summary,
        action="intake.notice.verified",
        target=notice,
        status_before=person.status,
        data={"notice": notice.pk, "result": result, "on_time": on_time, "verify_by": notice.verify_by},
    )
    return notice


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
    officer = _pk(data.get("officer")) or getattr(_user(actor), "pk", None)
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
        decided_by=_user(actor),
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


# -- transfers -------------------------------------------------------------------------------------


@transaction.atomic
def transfer_send(
    *,
    actor: Any,
    person: Person,
    to_commune: Any,
    to_address: str = "",
    reason: str = "",
    sent_on: dt.date | None = None,
    expected_version: int | None = None,
) -> Transfer:
    """Send the person's management file to the commune they move to; they stay here until it confirms."""
    _ensure_casework(actor, person.province_id, person.commune_id)
    person = _lock(person, expected_version)
    workflow.ensure_allowed("transfer_send", person.status)
    to_commune_id = _pk(to_commune)
    to_province_id = _commune_province(to_commune_id)
    if to_province_id is None:
        raise ValidationError({"to_commune": _("Choose the commune the person moves to.")})
    if to_commune_id == person.commune_id:
        raise ValidationError({"to_commune": _("The person already lives in this commune.")})
    if person.transfers.filter(status=Transfer.Status.SENT).exists():
        raise ValidationError(_("A transfer of this person is already awaiting confirmation."))
    sent_on = _date(sent_on, "sent_on", default=_today())
    _not_future(sent_on, "sent_on")
    transfer = Transfer.objects.create(
        person=person,
        from_province_id=person.province_id,
        from_commune_id=person.commune_id,
        to_province_id=to_province_id,
        to_commune_id=to_commune_id,
        to_address=" ".join((to_address or "").split()),
        reason=(reason or "").strip(),
        sent_on=sent_on,
        sent_by=_user(actor),
    )
    _record(
        person=person,
        kind=Kind.TRANSFER_SENT,
        occurred_on=sent_on,
        province=transfer.from_province_id,
        commune=transfer.from_commune_id,
        actor=actor,
        summary=_("Management file sent to {commune}.").format(commune=transfer.to_commune.name),
        action="intake.transfer.sent",
        target=transfer,
        status_before=person.status,
        data={"transfer": transfer.pk, "to_commune": to_commune_id},
    )
    return transfer


def _open_transfer(actor: Any, transfer: Transfer, expected_version: int | None) -> Transfer:
    """The transfer, locked, if the actor answers for the receiving commune and it still awaits an answer."""
    _ensure_casework(actor, transfer.to_province_id, transfer.to_commune_id)
    check_version(transfer, expected_version)
    transfer = (
        Transfer.objects.select_for_update().select_related("from_commune", "to_commune").get(pk=transfer.pk)
    )
    if transfer.status != Transfer.Status.SENT:
        raise ValidationError(_("This transfer was already answered."))
    return transfer


@transaction.atomic
def transfer_confirm(
    *,
    actor: Any,
    transfer: Transfer,
    confirmed_on: dt.date | None = None,
    received_on: dt.date | None = None,
    expected_version: int | None = None,
) -> Transfer:
    """The receiving commune confirms: the person now lives and is managed there."""
    transfer = _open_transfer(actor, transfer, expected_version)
    confirmed_on = _date(confirmed_on, "confirmed_on", default=_today())
    received_on = _date(received_on, "received_on", default=confirmed_on)
    _not_future(confirmed_on, "confirmed_on")
    if not (transfer.sent_on <= received_on <= confirmed_on):
        raise ValidationError(
            {"received_on": _("The file is received after it was sent and before the confirmation.")}
        )
    person = Person.objects.select_for_update().get(pk=transfer.person_id)
    workflow.ensure_allowed("transfer_confirm", person.status)
    transfer.status = Transfer.Status.CONFIRMED
    transfer.confirmed_on = confirmed_on
    transfer.received_on = received_on
    transfer.confirmed_by = _user(actor)
    bump_version(transfer)
    transfer.save()
    person = _move(
        person,
        province=transfer.to_province_id,
        commune=transfer.to_commune_id,
        address=transfer.to_address,
        on=confirmed_on,
    )
    data = {
        "transfer": transfer.pk,
        "from_commune": transfer.from_commune_id,
        "to_commune": transfer.to_commune_id,
    }
    _record(
        person=person,
        kind=Kind.TRANSFERRED_OUT,
        occurred_on=confirmed_on,
        province=transfer.from_province_id,
        commune=transfer.from_commune_id,
        actor=actor,
        summary=_("Transferred out of {commune}.").format(commune=transfer.from_commune.name),
        action="intake.transfer.confirmed",
        target=transfer,
        status_before=person.status,
        data=data,
    )
    ManagementEvent.objects.create(
        person=person,
        kind=Kind.TRANSFERRED_IN,
        occurred_on=confirmed_on,
        province_id=transfer.to_province_id,
        commune_id=transfer.to_commune_id,
        status_before=person.status,
        status_after=person.status,
        data=data,
        created_by=_user(actor),
    )
    people_services.timeline_add(
        person=person,
        occurred_on=confirmed_on,
        kind=f"intake.{Kind.TRANSFERRED_IN}",
        summary=_("Transferred in to {commune}.").format(commune=transfer.to_commune.name),
        target=transfer,
        actor=actor,
    )
    return transfer


@transaction.atomic
def transfer_return(
    *,
    actor: Any,
    transfer: Transfer,
    reason: str,
    returned_on: dt.date | None = None,
    expected_version: int | None = None,
) -> Transfer:
    """The receiving commune sends the file back (the person does not live there); the sender keeps the person."""
    transfer = _open_transfer(actor, transfer, expected_version)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the transfer is returned.")})
    returned_on = _date(returned_on, "returned_on", default=_today())
    _not_future(returned_on, "returned_on")
    person = Person.objects.select_for_update().get(pk=transfer.person_id)
    workflow.ensure_allowed("transfer_return", person.status)
    transfer.status = Transfer.Status.RETURNED
    transfer.return_reason = reason.strip()
    transfer.confirmed_on = returned_on
    transfer.confirmed_by = _user(actor)
    bump_version(transfer)
    transfer.save()
    _record(
        person=person,
        kind=Kind.TRANSFER_RETURNED,
        occurred_on=returned_on,
        province=transfer.from_province_id,
        commune=transfer.from_commune_id,
        actor=actor,
        summary=_("Transfer returned by {commune}: {reason}").format(
            commune=transfer.to_commune.name, reason=transfer.return_reason
        ),
        action="intake.transfer.returned",
        target=transfer,
        status_before=person.status,
        data={"transfer": transfer.pk, "reason": transfer.return_reason},
    )
    return transfer


@transaction.atomic
def transfers_escalate(*, actor: Any = None, today: dt.date | None = None) -> list[Transfer]:
    """Flag the transfers still unconfirmed after the escalation period (run daily by a command).

    The system actor escalates everywhere; a named user only the transfers out of or into their areas.
    """
    today = today or _today()
    actor = actor or policy.SYSTEM
    cutoff = today - dt.timedelta(days=policy_settings.transfer_escalation_days())
    pending = Transfer.objects.filter(
        status=Transfer.Status.SENT, escalated_on__isnull=True, sent_on__lt=cutoff
    )
    incoming = policy.scope_for(actor, Cap.EDIT_CASEWORK).q(
        AreaFields(province="to_province", commune="to_commune")
    )
    pending = policy.restrict(pending, actor, Cap.EDIT_CASEWORK, extra_q=incoming)
    overdue = list(
        Transfer.objects.select_for_update()
        .filter(pk__in=list(pending.values_list("pk", flat=True)))
        .select_related("person", "to_commune")
        .order_by("sent_on", "pk")
    )
    for transfer in overdue:
        transfer.escalated_on = today
        transfer.save(update_fields=["escalated_on", "updated_at"])
        _record(
            person=transfer.person,
            kind=Kind.TRANSFER_ESCALATED,
            occurred_on=today,
            province=transfer.from_province_id,
            commune=transfer.from_commune_id,
            actor=actor,
            summary=_("Transfer to {commune} not confirmed since {date}: escalated.").format(
                commune=transfer.to_commune.name, date=_d(transfer.sent_on)
            ),
            action="intake.transfer.escalated",
            target=transfer,
            status_before=transfer.person.status,
            data={"transfer": transfer.pk, "sent_on": transfer.sent_on},
        )
    return overdue


# -- whereabouts, end ------------------------------------------------------------------------------


@transaction.atomic
def whereabouts_unknown(
    *,
    actor: Any,
    person: Person,
    noted_on: dt.date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Person:
    """The person cannot be found: they stay under management, flagged, until found again."""
    _ensure_casework(actor, person.province_id, person.commune_id)
    person = _lock(person, expected_version)
    before = person.status
    after = workflow.ensure_allowed("whereabouts_unknown", before)
    noted_on = _date(noted_on, "noted_on", default=_today())
    _not_future(noted_on, "noted_on")
    _set_status(person, after)
    _record(
        person=person,
        kind=Kind.WHEREABOUTS_UNKNOWN,
        occurred_on=noted_on,
        province=person.province_id,
        commune=person.commune_id,
        actor=actor,
        summary=_("Whereabouts unknown.") + (" " + note.strip() if note.strip() else ""),
        action="intake.person.whereabouts_unknown",
        target=person,
        status_before=before,
        data={"previous_status": before, "note": note.strip()},
    )
    return person


@transaction.atomic
def found(
    *,
    actor: Any,
    person: Person,
    found_on: dt.date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Person:
    """The person is found again and returns to the status they had before going missing."""
    _ensure_casework(actor, person.province_id, person.commune_id)
    person = _lock(person, expected_version)
    before = person.status
    missing = (
        person.management_events.filter(kind=Kind.WHEREABOUTS_UNKNOWN).order_by("-occurred_on", "-pk").first()
    )
    previous = (missing.data or {}).get("previous_status") if missing else None
    after = workflow.ensure_allowed("found", before, previous=previous)
    found_on = _date(found_on, "found_on", default=_today())
    _not_future(found_on, "found_on")
    if missing and found_on < missing.occurred_on:
        raise ValidationError({"found_on": _("The person is found after going missing.")})
    _set_status(person, after)
    _record(
        person=person,
        kind=Kind.FOUND,
        occurred_on=found_on,
        province=person.province_id,
        commune=person.commune_id,
        actor=actor,
        summary=_("Found again.") + (" " + note.strip() if note.strip() else ""),
        action="intake.person.found",
        target=person,
        status_before=before,
        data={"note": note.strip()},
    )
    return person


@transaction.atomic
def management_end(
    *,
    actor: Any,
    person: Person,
    ground: str,
    ended_on: dt.date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> ManagementEnd:
    """End management on a ground of Circular 10/2024 Art. 14(1) (list UNCONFIRMED; "other" needs a note)."""
    _ensure_casework(actor, person.province_id, person.commune_id)
    person = _lock(person, expected_version)
    before = person.status
    after = workflow.ensure_allowed("management_end", before)
    if ground not in ManagementEnd.Ground.values:
        raise ValidationError({"ground": _("Choose the ground for ending management.")})
    if ground == ManagementEnd.Ground.OTHER and not note.strip():
        raise ValidationError({"note": _("Describe the ground for ending management.")})
    if person.transfers.filter(status=Transfer.Status.SENT).exists():
        raise ValidationError(_("A transfer of this person awaits confirmation; settle it first."))
    ended_on = _date(ended_on, "ended_on", default=_today())
    _not_future(ended_on, "ended_on")
    end = ManagementEnd.objects.create(
        person=person,
        ground=ground,
        ended_on=ended_on,
        note=note.strip(),
        province_id=person.province_id,
        commune_id=person.commune_id,
        decided_by=_user(actor),
    )
    _set_status(person, after)
    _record(
        person=person,
        kind=Kind.ENDED,
        occurred_on=ended_on,
        province=end.province_id,
        commune=end.commune_id,
        actor=actor,
        summary=_("Management ended: {ground}.").format(ground=end.get_ground_display()),
        action="intake.person.management_ended",
        target=end,
        status_before=before,
        data={"ground": ground, "note": end.note},
    )
    return end


# -- many notices at once --------------------------------------------------------------------------


class BulkErrors(ValidationError):
    """Some lines of a bulk entry were refused; nothing was filed. ``by_line`` maps line → messages."""

    def __init__(self, by_line: dict[int, list[str]]) -> None:
        self.by_line = by_line
        super().__init__(
            _(
                "{count} line(s) could not be filed; nothing was saved. Correct them and send the list again."
            ).format(count=len(by_line)),
            code="bulk",
        )


def notice_receive_bulk(*, actor: Any, rows: list[tuple[int, dict[str, Any]]]) -> list[ReleaseNotice]:
    """File a whole list of notices (an amnesty round): all of them, or none when a line is refused.

    ``rows`` holds (line number, notice data) pairs; each line goes through ``notice_receive``.
    """
    by_line: dict[int, list[str]] = {}
    created: list[ReleaseNotice] = []
    with transaction.atomic():
        for line, data in rows:
            try:
                with transaction.atomic():
                    created.append(notice_receive(actor=actor, data=data))
            except ValidationError as exc:
                by_line[line] = exc.messages
        if by_line:
            transaction.set_rollback(True)
    if by_line:
        raise BulkErrors(by_line)
    return created


# -- the working-day calendar ----------------------------------------------------------------------


def _ensure_catalogues(actor: Any) -> None:
    if not policy.has_cap(actor, Cap.MANAGE_CATALOGUES):
        raise PermissionDenied(_("Only administrators edit the working-day calendar."))


@transaction.atomic
def calendar_day_save(*, actor: Any, data: dict[str, Any], day: Any = None) -> Any:
    """Add or change an override of the working-day calendar (one row per date)."""
    from hoanhap.intake.models import CalendarDay

    _ensure_catalogues(actor)
    date = _date(data.get("date"), "date")
    kind = data.get("kind")
    if kind not in CalendarDay.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of day.")})
    name = " ".join(str(data.get("name") or "").split())
    if not name:
        raise ValidationError({"name": _("Give the day a name, e.g. the government notice it comes from.")})
    clash = CalendarDay.objects.filter(date=date)
    if day is not None:
        clash = clash.exclude(pk=day.pk)
    if clash.exists():
        raise ValidationError({"date": _("This date already has an entry; change that one.")})
    if kind == CalendarDay.Kind.WORKING_DAY and date.weekday() < 5:
        raise ValidationError({"kind": _("A make-up working day is a Saturday or a Sunday.")})
    day = day or CalendarDay()
    day.date, day.kind, day.name, day.note = date, kind, name, str(data.get("note") or "").strip()
    day.save()
    return day


@transaction.atomic
def calendar_day_delete(*, actor: Any, day: Any) -> None:
    _ensure_catalogues(actor)
    day.delete()
