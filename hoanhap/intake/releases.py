"""What is known of a person's release, from the best source available.

1. the justice app's ``Release`` (the judgment record: release date, kind, certificate, end of
   probation) when one exists for the person;
2. otherwise what the officer entered when confirming the release (the ``released`` event);
3. otherwise what the detention facility announced in its notice (expected date and kind).

The intake services read release facts only through ``release_facts``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps

SOURCE_JUSTICE = "justice"
SOURCE_EVENT = "event"
SOURCE_NOTICE = "notice"


@dataclass(frozen=True)
class ReleaseFacts:
    release_date: dt.date | None
    kind: str
    probation_ends_on: dt.date | None = None
    certificate: str = ""
    source: str = ""
    release_id: int | None = None

    @property
    def is_conditional(self) -> bool:
        return self.kind == "conditional_release"

    @property
    def kind_label(self) -> str:
        from hoanhap.intake.models import ReleaseKind

        return str(dict(ReleaseKind.choices).get(self.kind, self.kind))


def _release_model() -> Any:
    try:
        return apps.get_model("justice", "Release")
    except LookupError:
        return None


def _person_lookup(model: Any) -> str | None:
    """The ORM path from a Release to its person (directly or through its judgment)."""
    names = {f.name for f in model._meta.get_fields()}
    if "person" in names:
        return "person"
    if "judgment" in names:
        return "judgment__person"
    return None


def _certificate_text(release: Any) -> str:
    for name in ("certificate", "certificate_number", "certificate_no"):
        value = getattr(release, name, None)
        if value:
            date = getattr(release, "certificate_date", None) or getattr(
                release, "certificate_issued_on", None
            )
            return f"{value} ({date:%d/%m/%Y})" if isinstance(date, dt.date) else str(value)
    return ""


def justice_release(person: Any) -> Any:
    """The person's latest ``justice.Release`` (None when the justice app records none)."""
    model = _release_model()
    if model is None:
        return None
    lookup = _person_lookup(model)
    if lookup is None:
        return None
    order = (
        ["-release_date", "-pk"] if "release_date" in {f.name for f in model._meta.get_fields()} else ["-pk"]
    )
    return model._default_manager.filter(**{lookup: person}).order_by(*order).first()


def from_justice(release: Any) -> ReleaseFacts:
    return ReleaseFacts(
        release_date=getattr(release, "release_date", None),
        kind=getattr(release, "kind", "") or "",
        probation_ends_on=getattr(release, "probation_ends_on", None),
        certificate=_certificate_text(release),
        source=SOURCE_JUSTICE,
        release_id=release.pk,
    )


def release_facts(person: Any) -> ReleaseFacts | None:
    """The current release of ``person`` as best known (see the module docstring), or None."""
    from hoanhap.intake.models import ManagementEvent

    # A management that ended (a new prison term) closes a cycle: releases before it are history.
    ended = (
        ManagementEvent.objects.filter(person=person, kind=ManagementEvent.Kind.ENDED)
        .order_by("-occurred_on")
        .values_list("occurred_on", flat=True)
        .first()
    )
    release = justice_release(person)
    release_date = getattr(release, "release_date", None) if release is not None else None
    if release_date and (ended is None or release_date > ended):
        return from_justice(release)
    events = ManagementEvent.objects.filter(person=person, kind=ManagementEvent.Kind.RELEASED)
    if ended is not None:
        events = events.filter(occurred_on__gt=ended)
    event = events.order_by("-occurred_on", "-pk").first()
    if event is not None:
        data = event.data or {}
        probation = data.get("probation_ends_on")
        return ReleaseFacts(
            release_date=event.occurred_on,
            kind=data.get("kind", ""),
            probation_ends_on=dt.date.fromisoformat(probation) if probation else None,
            certificate=data.get("certificate", ""),
            source=SOURCE_EVENT,
            release_id=data.get("release_id"),
        )
    notice = person.release_notices.order_by("-received_on", "-pk").first()
    if notice is not None:
        return ReleaseFacts(
            release_date=notice.expected_release_date, kind=notice.release_kind, source=SOURCE_NOTICE
        )
    return None
