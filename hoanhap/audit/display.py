"""Presenting audit entries to people: field labels, readable values and unit names.

Values are stored as the model held them (ids for relations, ISO dates). Here they are shown
as a reader expects: the field's translated label, the choice's label, dd/mm/yyyy dates, Yes/No.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from hoanhap.audit import registry
from hoanhap.audit.models import AuditEvent
from hoanhap.audit.services import MASK
from hoanhap.geo.models import Commune, Province

EMPTY = "—"


@dataclass(frozen=True)
class ChangeRow:
    field: str
    label: str
    old: str
    new: str


def _model_for(record_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(record_type)
    except (LookupError, ValueError):
        return None


def _fields_by_attname(model: type[models.Model] | None) -> dict[str, models.Field]:
    if model is None:
        return {}
    return {f.attname: f for f in model._meta.concrete_fields}


def show_value(value: Any, field: models.Field | None = None) -> str:
    """One stored value as text for a reader."""
    if value is None or value == "":
        return EMPTY
    if value == MASK:
        return MASK
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field is not None and field.choices:
        label = dict(field.flatchoices).get(value)
        if label is not None:
            return str(label)
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.strftime("%d/%m/%Y %H:%M")
    if isinstance(field, models.DateField) and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _related_label(field: models.Field | None, value: Any) -> str | None:
    """The current name of the row a foreign key pointed to, when it still exists."""
    if field is None or not field.is_relation or value in (None, "", MASK):
        return None
    related = field.related_model._default_manager.filter(pk=value).first()
    return None if related is None else f"{related} (#{value})"


def change_rows(event: AuditEvent, *, resolve_relations: bool = False) -> list[ChangeRow]:
    """The entry's changes as (label, old, new) rows, in the model's field order.

    ``resolve_relations`` names the rows that foreign keys point to (one query per changed
    relation): for a single entry's page, not for lists.
    """
    changes = event.changes or {}
    fields = _fields_by_attname(_model_for(event.target_type))
    order = {name: i for i, name in enumerate(fields)}
    rows = []
    for name in sorted(changes, key=lambda n: (order.get(n, len(order)), n)):
        pair = changes[name]
        old, new = ([*pair, None, None])[:2] if isinstance(pair, list) else (None, pair)
        field = fields.get(name)
        label = str(capfirst(field.verbose_name)) if field is not None else name
        old_text, new_text = show_value(old, field), show_value(new, field)
        if resolve_relations:
            old_text = _related_label(field, old) or old_text
            new_text = _related_label(field, new) or new_text
        rows.append(ChangeRow(name, label, old_text, new_text))
    return rows


def changes_text(event: AuditEvent) -> str:
    """All changes on one line: "Name: old → new; Phone: — → 0912…"."""
    return "; ".join(f"{r.label}: {r.old} → {r.new}" for r in change_rows(event))


def record_type_label(record_type: str) -> str:
    if record_type == "export":
        return _("Export")
    model = _model_for(record_type)
    return str(capfirst(model._meta.verbose_name)) if model is not None else record_type


def message(event: AuditEvent) -> str:
    return registry.describe(event.action, event.data)


def attach_unit_names(events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """Set ``province_name``/``commune_name`` on each entry, with two queries for the lot."""
    events = list(events)
    provinces = {e.province_code for e in events if e.province_code is not None}
    communes = {e.commune_code for e in events if e.commune_code is not None}
    province_names = (
        dict(Province.objects.filter(pk__in=provinces).values_list("code", "name")) if provinces else {}
    )
    commune_names = (
        dict(Commune.objects.filter(pk__in=communes).values_list("code", "name")) if communes else {}
    )
    for event in events:
        event.province_name = province_names.get(event.province_code, event.province_code or "")
        event.commune_name = commune_names.get(event.commune_code, event.commune_code or "")
    return events
