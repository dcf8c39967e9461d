"""The audit log as CSV: the rows a user sees on the page, with the same filters.

UTF-8 with a byte-order mark so that spreadsheet programs read the Vietnamese text correctly.
Cells that a spreadsheet would run as a formula (starting with =, +, - or @) get a leading
apostrophe, so that a crafted record name cannot execute anything on the reader's computer.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hoanhap.access import policy
from hoanhap.access.roles import Cap
from hoanhap.audit import display, services
from hoanhap.audit.models import AuditEvent

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value: str) -> str:
        return value


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def header() -> list[str]:
    return [
        _("Time"),
        _("Actor"),
        _("Source"),
        _("Action code"),
        _("Action"),
        _("Record type"),
        _("Record id"),
        _("Record"),
        _("Changes"),
        _("Purpose"),
        _("IP address"),
        _("Request id"),
        _("Province code"),
        _("Commune code"),
    ]


def row(event: AuditEvent) -> list[str]:
    return [
        timezone.localtime(event.occurred_at).strftime("%d/%m/%Y %H:%M:%S"),
        event.actor_label,
        event.get_source_display(),
        event.action,
        display.message(event),
        display.record_type_label(event.target_type) if event.target_type else "",
        event.target_id,
        event.target_repr,
        display.changes_text(event),
        event.purpose,
        event.ip or "",
        event.request_id,
        event.province_code if event.province_code is not None else "",
        event.commune_code if event.commune_code is not None else "",
    ]


def csv_lines(
    events: QuerySet[AuditEvent] | Iterable[AuditEvent], *, language: str | None = None
) -> Iterator[str]:
    """The CSV text, one line at a time (for a streaming response, read after the view returned:
    hence the language is passed in rather than taken from the request)."""
    writer = csv.writer(_Echo())
    with translation.override(language or translation.get_language()):
        yield "\ufeff" + writer.writerow(header())
        rows = events.iterator(chunk_size=2000) if isinstance(events, QuerySet) else events
        for event in rows:
            yield writer.writerow([safe_cell(v) for v in row(event)])


def export_area(user: Any, filters: dict[str, str]) -> tuple[int | None, int | None]:
    """The unit an export's own audit entry is filed under, so that the admins of that unit see it.

    The unit filtered on, else the user's only province; an export across several provinces
    (or the whole country) has no unit and only whole-country scopes see it.
    """
    province = int(filters["province"]) if filters.get("province") else None
    commune = int(filters["commune"]) if filters.get("commune") else None
    if province is None and commune is None:
        scope = policy.scope_for(user, Cap.VIEW_AUDIT)
        if not scope.everything and len(scope.provinces) == 1 and not scope.communes:
            province = next(iter(scope.provinces))
    return province, commune


@transaction.atomic
def export_log(
    *, user: Any, events: QuerySet[AuditEvent], purpose: str, filters: dict[str, str]
) -> QuerySet[AuditEvent]:
    """Record the export of ``events`` (already scoped and filtered) with its purpose and row count.

    Returns the rows to write: those that existed before the export's own entry, so that the file
    holds exactly the number of rows the entry states.
    """
    rows = events.count()
    province, commune = export_area(user, filters)
    entry = services.record_export(
        str(_("Audit log")), purpose=purpose, rows=rows, filters=filters, province=province, commune=commune
    )
    return events.filter(pk__lt=entry.pk)
