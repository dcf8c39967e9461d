"""Shared steps of the intake services: dates, versions, status changes, the event-timeline-audit triple."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from hoanhap.access import policy
from hoanhap.access.roles import Cap
from hoanhap.audit import services as audit
from hoanhap.core.concurrency import bump_version, check_version
from hoanhap.geo.models import Commune
from hoanhap.intake.models import (
    ManagementEvent,
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
        created_by=policy.account_of(actor),
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
