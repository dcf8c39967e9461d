"""Release notices from detention facilities: filing, residence verification, many at once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hoanhap.access import policy
from hoanhap.access.models import Organisation
from hoanhap.access.roles import Cap
from hoanhap.core.concurrency import bump_version, check_version
from hoanhap.intake import deadlines, selectors, workflow
from hoanhap.intake.models import (
    ReleaseKind,
    ReleaseNotice,
)
from hoanhap.intake.services.common import (
    NOTICE_PERSON_FIELDS,
    Kind,
    _commune_province,
    _d,
    _date,
    _ensure_casework,
    _lock,
    _move,
    _not_future,
    _pk,
    _record,
    _set_status,
    _today,
)
from hoanhap.people import services as people_services
from hoanhap.people.models import Person

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
        created_by=policy.account_of(actor),
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


# -- many notices at once --------------------------------------------------------------------------


class BulkErrors(ValidationError):
    """Some lines of a bulk entry were refused; nothing was filed. ``by_line`` maps line → messages."""

    def __init__(self, by_line: dict[int, list[str]]) -> None:
        self.by_line = by_line
        super().__init__(
            ngettext(
                "{count} line could not be filed; nothing was saved. Correct it and send the list again.",
                "{count} lines could not be filed; nothing was saved. Correct them and send the list again.",
                len(by_line),
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
