"""Transfers between communes: sent, confirmed or returned, escalated when unconfirmed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hoanhap.access import policy
from hoanhap.access.models import AreaFields
from hoanhap.access.roles import Cap
from hoanhap.core.concurrency import bump_version, check_version
from hoanhap.intake import policy_settings, workflow
from hoanhap.intake.models import (
    ManagementEvent,
    Transfer,
)
from hoanhap.intake.services.common import (
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
    _today,
)
from hoanhap.people import services as people_services
from hoanhap.people.models import Person

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
        sent_by=policy.account_of(actor),
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
    transfer.confirmed_by = policy.account_of(actor)
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
        created_by=policy.account_of(actor),
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
    transfer.confirmed_by = policy.account_of(actor)
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
