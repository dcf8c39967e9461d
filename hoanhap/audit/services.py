"""Writing the audit log. ``record`` is the only function that inserts audit rows.

Domain writes are captured two ways, both in the writer's transaction:

* models that set ``audited = True`` get a ``<app>.<model>.created|updated|deleted`` entry with
  the old → new value of every changed field on each save and delete (see ``signals``), whether
  the write came from a page, the API, a command, a task or an import;
* services add named business events (``people.person.merged``) and sensitive reads
  (``record_view``) and exports (``record_export``) with their purpose.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.db import models

from hoanhap.audit import context
from hoanhap.audit.models import AuditEvent

# Never copied into the log: secrets, and bookkeeping columns that change on every save.
EXCLUDED_FIELDS = {"password", "last_login", "created_at", "updated_at", "version", "name_folded"}
MASKED_FIELDS = {"password"}


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str | float):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if hasattr(value, "name") and hasattr(value, "url"):  # a stored file
        return value.name or None
    return str(value)


def field_values(instance: models.Model) -> dict[str, Any]:
    """The audited, JSON-ready values of a model instance (foreign keys by id)."""
    values: dict[str, Any] = {}
    for f in instance._meta.concrete_fields:
        if f.name in EXCLUDED_FIELDS and f.name not in MASKED_FIELDS:
            continue
        values[f.attname] = _plain(f.value_from_object(instance))
    return values


def diff(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value changed; passwords are masked."""
    old = old or {}
    changes: dict[str, list[Any]] = {}
    for key, value in new.items():
        before = old.get(key)
        if before != value:
            if key in MASKED_FIELDS:
                changes[key] = ["***" if before else None, "***"]
            else:
                changes[key] = [before, value]
    return changes


def area_of(instance: models.Model | None) -> tuple[int | None, int | None]:
    """(province code, commune code) of a record, for scoping its audit entries."""
    if instance is None:
        return None, None
    if hasattr(instance, "audit_area"):
        return instance.audit_area()
    fields = getattr(type(instance), "area_fields", None)
    if fields is None:
        return None, None
    province = getattr(instance, f"{fields.province}_id", None) if "__" not in fields.province else None
    commune = None
    if fields.commune and "__" not in fields.commune:
        commune = getattr(instance, f"{fields.commune}_id", None)
    return province, commune


def record(
    action: str,
    *,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str = "",
    target_repr: str = "",
    changes: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    purpose: str = "",
    province: int | None = None,
    commune: int | None = None,
    actor: Any = None,
) -> AuditEvent:
    """Insert one audit entry for the current actor (or ``actor``), in the caller's transaction."""
    ctx = context.current()
    user = actor if actor is not None else ctx.resolve_user()
    if user is not None and getattr(user, "is_system", False):
        user = None
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
        target_repr = target_repr or str(target)[:255]
        if province is None and commune is None:
            province, commune = area_of(target)
    label = user.get_username() if user is not None else "system"
    payload = dict(data or {})
    if ctx.note:
        payload.setdefault("context", ctx.note)
    return AuditEvent.objects.create(
        actor=user,
        actor_label=label,
        source=ctx.source,
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_repr=target_repr[:255],
        changes=_plain(changes or {}),
        data=_plain(payload),
        purpose=purpose[:255],
        ip=ctx.ip,
        request_id=ctx.request_id,
        province_code=province,
        commune_code=commune,
    )


def record_view(target: models.Model, *, purpose: str, what: str = "details") -> AuditEvent:
    """A sensitive read (a person's judgment, a dossier printout), with its stated purpose."""
    return record(f"{target._meta.label_lower}.viewed", target=target, purpose=purpose, data={"what": what})


def record_export(
    name: str, *, purpose: str, rows: int, filters: dict[str, Any] | None = None, province=None, commune=None
) -> AuditEvent:
    """An export of data out of the system, with its purpose, size and filters."""
    return record(
        "export.created",
        target_type="export",
        target_repr=name,
        purpose=purpose,
        data={"rows": rows, "filters": filters or {}},
        province=province,
        commune=commune,
    )
