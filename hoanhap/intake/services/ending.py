"""Whereabouts unknown, found again, and the end of management."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hoanhap.access import policy
from hoanhap.intake import workflow
from hoanhap.intake.models import (
    ManagementEnd,
    Transfer,
)
from hoanhap.intake.services.common import (
    Kind,
    _date,
    _ensure_casework,
    _lock,
    _not_future,
    _record,
    _set_status,
    _today,
)
from hoanhap.people.models import Person

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
        decided_by=policy.account_of(actor),
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
