"""Writing the audit log: ``record``, one entry; ``record_created`` and ``record_deleted_unchanged``,
the entries of rows written in bulk, as ``record`` would write them.

Domain writes are captured two ways, both in the writer's transaction:

* models that set ``audited = True`` get a ``<app>.<model>.created|updated|deleted`` entry with
  the old → new value of every changed field on each save and delete (see ``signals``), whether
  the write came from a page, the API, a command, a task or an import;
* services add named business events (``people.person.merged``) and sensitive reads
  (``record_view``) and exports (``record_export``) with their purpose.

A model may name fields never to copy into the log (``audit_exclude``) and fields whose values
are secret but whose change matters (``audit_mask``: shown as ``***``). Passwords are always
masked; bookkeeping columns that change on every save are always left out.
"""

from __future__ import annotations

import datetime as dt
import decimal
import operator
import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from hoanhap.audit import context
from hoanhap.audit.models import AuditEvent
from hoanhap.core import bulk_sql, jsontext
from hoanhap.core.text import fold
from hoanhap.geo.models import Commune

# Never copied into the log: secrets, and bookkeeping columns that change on every save.
EXCLUDED_FIELDS = {"password", "last_login", "created_at", "updated_at", "version", "name_folded"}
MASKED_FIELDS = {"password"}
MASK = "***"


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str | float):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, FieldFile):  # a stored file: its name (an empty one has no url)
        return value.name or None
    return str(value)


def _masked(model: type[models.Model]) -> set[str]:
    return MASKED_FIELDS | set(getattr(model, "audit_mask", ()))


def _excluded(model: type[models.Model]) -> set[str]:
    return (EXCLUDED_FIELDS | set(getattr(model, "audit_exclude", ()))) - _masked(model)


def audited_attnames(model: type[models.Model], names: Iterable[str] | None = None) -> set[str]:
    """Attribute names of the fields that go into the log (of ``names`` only, when given)."""
    excluded = _excluded(model)
    wanted = set(names) if names is not None else None
    return {
        f.attname
        for f in model._meta.concrete_fields
        if f.name not in excluded and (wanted is None or f.name in wanted or f.attname in wanted)
    }


def field_values(instance: models.Model, only: Iterable[str] | None = None) -> dict[str, Any]:
    """The audited, JSON-ready values of a model instance (foreign keys by id).

    Masked fields keep their real value here, so that a change can be detected; ``diff`` hides it.
    """
    keep = audited_attnames(type(instance), only)
    return {
        f.attname: _plain(f.value_from_object(instance))
        for f in instance._meta.concrete_fields
        if f.attname in keep
    }


def masked_attnames(model: type[models.Model]) -> set[str]:
    masked = _masked(model)
    return {f.attname for f in model._meta.concrete_fields if f.name in masked} | masked


def diff(
    old: dict[str, Any] | None, new: dict[str, Any], *, masked: Iterable[str] | None = None
) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value changed; secret values show as ``***``."""
    hidden = MASKED_FIELDS if masked is None else set(masked)
    old = old or {}
    changes: dict[str, list[Any]] = {}
    for key, value in new.items():
        before = old.get(key)
        if before == value:
            continue
        if key in hidden:
            changes[key] = [MASK if before else None, MASK if value else None]
        else:
            changes[key] = [before, value]
    return changes


def _follow(instance: models.Model, path: str) -> Any:
    """The value at ``path`` (``person__home_commune``): the id for a relation, else the value."""
    obj: Any = instance
    *hops, last = path.split("__")
    try:
        for hop in hops:
            obj = getattr(obj, hop)
            if obj is None:
                return None
        if hasattr(obj, f"{last}_id"):
            return getattr(obj, f"{last}_id")
        value = getattr(obj, last, None)
    except ObjectDoesNotExist:
        return None
    return value.pk if isinstance(value, models.Model) else value


def area_of(instance: models.Model | None) -> tuple[int | None, int | None]:
    """(province code, commune code) of a record, for scoping its audit entries."""
    if instance is None:
        return None, None
    if hasattr(instance, "audit_area"):
        return instance.audit_area()
    fields = getattr(type(instance), "area_fields", None)
    if fields is None:
        return None, None
    province = _follow(instance, fields.province) if fields.province else None
    commune = _follow(instance, fields.commune) if fields.commune else None
    return province, commune


def _province_of_commune(commune: int) -> int | None:
    return Commune.objects.filter(pk=commune).values_list("province_id", flat=True).first()


def _actor_label(user: Any, source: str) -> str:
    if user is not None:
        return user.get_username()
    if source in (context.SOURCE_WEB, context.SOURCE_API):
        return "anonymous"  # a request nobody signed in to, e.g. a failed sign-in
    return "system"


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
    """Insert one audit entry for the current actor (or ``actor``), in the caller's transaction.

    The unit of the entry is the target's, unless ``province``/``commune`` are given; a commune
    without a province gets its province filled in, so that province scopes see the entry.
    """
    ctx = context.current()
    user = actor if actor is not None else ctx.resolve_user()
    if user is not None and getattr(user, "is_system", False):
        user = None
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
        target_repr = target_repr or str(target)
        if province is None and commune is None:
            province, commune = area_of(target)
    if commune is not None and province is None:
        province = _province_of_commune(commune)
    payload = dict(data or {})
    if ctx.note:
        payload.setdefault("context", ctx.note)
    target_repr = (target_repr or "")[:255]
    return AuditEvent.objects.create(
        actor=user,
        actor_label=_actor_label(user, ctx.source)[:150],
        source=ctx.source,
        action=action,
        target_type=target_type,
        target_id=str(target_id or "")[:64],
        target_repr=target_repr,
        changes=_plain(changes or {}),
        data=_plain(payload),
        purpose=(purpose or "")[:255],
        ip=ctx.ip,
        request_id=(ctx.request_id or "")[:32],
        province_code=province,
        commune_code=commune,
        search_text=fold(f"{target_repr} {target_id}")[:500],
    )


# The columns of an entry as ``created_entries`` gives them, in order.
ENTRY_COLUMNS = (
    "occurred_at",
    "actor",
    "actor_label",
    "source",
    "action",
    "target_type",
    "target_id",
    "target_repr",
    "changes",
    "data",
    "purpose",
    "ip",
    "request_id",
    "province_code",
    "commune_code",
    "search_text",
)
_SIMPLE = frozenset({type(None), bool, int, str, float})  # ``_plain`` gives these back as they are


def created_entries(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[tuple[Any, Sequence[Any], str, int | None, int | None]],
) -> list[tuple]:
    """The ``<model>.created`` entries the signals would write for rows inserted without them.

    For writers that insert many rows at once (``bulk_create``, a prepared INSERT): each entry is
    the one ``record`` writes when a new row is saved — the values of the audited fields (masked
    ones masked, excluded ones left out), the current actor and context — as a tuple of
    ``ENTRY_COLUMNS``, for ``record_created``. ``fields``: the attribute names (``person_id``) of
    each row's values, which must include every audited field but the primary key. ``rows``: for
    each row (its primary key, its values in ``fields`` order, its text as ``str`` gives it, the
    province and commune of its unit). The ``[old, new]`` pairs of ``changes`` are tuples: stored
    as the same JSON arrays, and cheaper for the garbage collector than lists by the thousand.
    """
    return list(_created_entries(model, fields, rows))


def _created_entries(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[tuple[Any, Sequence[Any], str, int | None, int | None]],
) -> Iterator[tuple]:
    """``created_entries``, one at a time."""
    meta = model._meta
    label = meta.label_lower
    audited = audited_attnames(model)
    masked = masked_attnames(model)
    position = {name: i for i, name in enumerate(fields)}
    missing = audited - set(position) - {meta.pk.attname}
    if missing:
        raise ValueError(f"{label}: no value for the audited fields {sorted(missing)}")
    # The audited fields in field order: attribute, position in (pk, *values), masked, a file.
    plan = [
        (
            f.attname,
            0 if f.primary_key else position[f.attname] + 1,
            f.attname in masked,
            isinstance(f, models.FileField),
        )
        for f in meta.concrete_fields
        if f.attname in audited
    ]
    names = [name for name, *_rest in plan]
    at = [index for _name, index, *_rest in plan]
    pick = operator.itemgetter(*at) if len(at) > 1 else (lambda row: (row[at[0]],))
    plain = not any(secret or is_file for _name, _at, secret, is_file in plan)
    ctx, actor, actor_label, data, request_id, now = _writing()
    action = f"{label}.created"
    provinces: dict[int, int | None] = {}
    folded: dict[str, str] = {}  # texts repeat (a residence in the same commune): folded once
    for pk, values, text, province, commune in rows:
        picked = pick((pk, *values))
        if plain:  # ``diff(None, field_values(row))``: every value but None, as ``_plain`` gives it
            changes = {
                name: (None, value if type(value) in _SIMPLE else _plain(value))
                for name, value in zip(names, picked, strict=True)
                if value is not None
            }
        else:
            changes = {}
            for (name, _at, secret, is_file), value in zip(plan, picked, strict=True):
                value = (getattr(value, "name", value) or None) if is_file else _plain(value)
                if value is not None:
                    changes[name] = (None, MASK if value else None) if secret else (None, value)
        if commune is not None and province is None:
            if commune not in provinces:
                provinces[commune] = _province_of_commune(commune)
            province = provinces[commune]
        target_id = str(pk)
        target_repr = (text or "")[:255]
        if target_repr not in folded:
            folded[target_repr] = fold(target_repr)
        if target_id.isascii() and target_id.isdigit():  # fold("text 12") is fold("text") + " 12"
            search = f"{folded[target_repr]} {target_id}" if folded[target_repr] else target_id
        else:
            search = fold(f"{target_repr} {target_id}")
        yield (
            now,
            actor,
            actor_label,
            ctx.source,
            action,
            label,
            target_id[:64],
            target_repr,
            changes,
            data,
            "",
            ctx.ip,
            request_id,
            province,
            commune,
            search[:500],
        )


def _writing() -> tuple[context.AuditContext, int | None, str, dict, str, dt.datetime]:
    """What every entry written in bulk now carries: the context, the actor's id and label, the
    context's note as data, the request and the time."""
    ctx = context.current()
    user = ctx.resolve_user()
    if user is not None and (
        getattr(user, "is_system", False) or not getattr(user, "is_authenticated", False)
    ):
        user = None
    actor = user.pk if user is not None else None
    data = _plain({"context": ctx.note} if ctx.note else {})
    return ctx, actor, _actor_label(user, ctx.source)[:150], data, (ctx.request_id or "")[:32], timezone.now()


def record_deleted_unchanged(model: type[models.Model], pks: Sequence[Any]) -> list[Any]:
    """Write the ``<model>.deleted`` entries of rows about to be deleted that nothing changed since
    they were created — the caller knows it (an import's undo checks the log first) — without
    reading the rows: each is its ``.created`` entry turned round (the same values, as old values;
    the same text and unit), for the current actor and context. A few statements per 500 rows:
    an undo deletes hundreds of thousands. Returns the ``pks`` without a ``.created`` entry, left
    to the caller (deleted one by one, the signals write theirs)."""
    label = model._meta.label_lower
    ctx, actor, actor_label, data, request_id, now = _writing()
    action = f"{label}.deleted"
    missing = []
    ids = [str(pk) for pk in pks]
    quote = connection.ops.quote_name
    columns = (
        "action",
        "target_id",
        "target_repr",
        "changes",
        "province_code",
        "commune_code",
        "search_text",
    )
    # By record only (``audit_target_idx``): with the action too, SQLite walks every entry of the action.
    sql = (
        f"SELECT {', '.join(map(quote, columns))} FROM {quote(AuditEvent._meta.db_table)} "
        f"WHERE {quote('target_type')} = %s AND {quote('target_id')} IN ({{}})"
    )
    wanted = f"{label}.created"
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        with connection.cursor() as cursor:
            cursor.execute(sql.format(", ".join(["%s"] * len(part))), [label, *part])
            found = {entry[1]: entry[2:] for entry in cursor.fetchall() if entry[0] == wanted}
        rows = []
        for target_id, pk in zip(part, pks[start : start + 500], strict=True):
            entry = found.get(target_id)
            if entry is None:
                missing.append(pk)
                continue
            text, changes, province, commune, search = entry
            turned = {name: (new, old) for name, (old, new) in jsontext.loads(changes or "{}").items()}
            rows.append(
                (now, actor, actor_label, ctx.source, action, label, target_id, text, turned, data, "")
                + (ctx.ip, request_id, province, commune, search)
            )
        bulk_sql.insert(AuditEvent, ENTRY_COLUMNS, rows)
    return missing


def record_created(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[tuple[Any, Sequence[Any], str, int | None, int | None]],
) -> None:
    """Insert the entries of ``created_entries``, made as they are inserted (a few hundred at a time:
    thousands of entries are never all in memory at once)."""
    bulk_sql.insert(AuditEvent, ENTRY_COLUMNS, _created_entries(model, fields, rows))


def _require_purpose(purpose: str) -> str:
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValueError("A sensitive read or an export is recorded with its purpose; none was given.")
    return purpose


def record_view(target: models.Model, *, purpose: str, what: str = "details") -> AuditEvent:
    """A sensitive read (a person's judgment, a dossier printout), with its stated purpose."""
    return record(
        f"{target._meta.label_lower}.viewed",
        target=target,
        purpose=_require_purpose(purpose),
        data={"what": what},
    )


def record_export(
    name: str, *, purpose: str, rows: int, filters: dict[str, Any] | None = None, province=None, commune=None
) -> AuditEvent:
    """An export of data out of the system, with its purpose, size and filters."""
    return record(
        "export.created",
        target_type="export",
        target_repr=name,
        purpose=_require_purpose(purpose),
        data={"rows": rows, "filters": filters or {}},
        province=province,
        commune=commune,
    )
