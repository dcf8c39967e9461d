"""The working-day calendar that deadlines are counted in (administrators)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hoanhap.access import policy
from hoanhap.access.roles import Cap
from hoanhap.intake.services.common import (
    _date,
)

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
