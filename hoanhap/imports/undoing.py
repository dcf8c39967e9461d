"""Undo an applied import as a whole, in one transaction.

It puts back the values the import changed, re-creates the rows it deleted (with their keys) and
deletes what it created, newest first. It is refused, listing the records, when anything else:

* changed one of them after the import (an audit entry without the import's tag);
* hung a new row on one of them;
* stored a row again under a deleted row's key, or deleted a row a deleted row pointed at.

The undo list (``AppliedChange``) holds the rows the bulk path created as runs of ids
(``last_pk``). They are checked a run at a time (``UndoList``) and deleted a run at a time, with
the audit entries the signals would write (``audit.record_deleted_unchanged``). A 100,000-row
import created half a million records; deleted one by one (80 s for 2,000 rows), they would take
over an hour.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Model, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hoanhap.audit import services as audit
from hoanhap.audit.models import AuditEvent
from hoanhap.imports import capture
from hoanhap.imports.applying import tagged
from hoanhap.imports.models import AppliedChange, ImportBatch
from hoanhap.imports.staging import Progress, _no_progress

CREATED, UPDATED, DELETED = (
    AppliedChange.Change.CREATED,
    AppliedChange.Change.UPDATED,
    AppliedChange.Change.DELETED,
)
PART = 500  # ids per statement


class UndoRefused(ValidationError):
    """The undo would lose later work: ``records`` names the records concerned."""

    def __init__(self, records: list[str]) -> None:
        self.records = records
        super().__init__(
            ngettext(
                "The import cannot be undone: {count} record was changed after it: {records}.",
                "The import cannot be undone: {count} records were changed after it: {records}.",
                len(records),
            ).format(count=len(records), records="; ".join(records[:20]))
        )


class UndoList:
    """Which records an undo list names, without a change per row: the single ones by key (with
    their text), the runs of created ids by model (sorted, for a search by halves)."""

    def __init__(self, changes: list[AppliedChange]) -> None:
        self.single: dict[tuple[str, str], str] = {}
        runs: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for c in changes:
            if c.last_pk is None:
                self.single[(c.model, c.object_pk)] = c.object_repr
            else:
                runs[c.model].append((int(c.object_pk), c.last_pk))
        self.runs = {model: sorted(found) for model, found in runs.items()}
        self.starts = {model: [first for first, _last in found] for model, found in self.runs.items()}

    def __contains__(self, key: tuple[str, Any]) -> bool:
        model, pk = key
        if (model, str(pk)) in self.single:
            return True
        starts = self.starts.get(model)
        if not starts or not str(pk).isdigit():
            return False
        at = bisect.bisect_right(starts, int(pk)) - 1
        return at >= 0 and int(pk) <= self.runs[model][at][1]

    def text(self, key: tuple[str, str]) -> str:
        """The record's text as the list keeps it ("" for a row of a run: the log has it)."""
        return self.single.get(key, "")

    def ranges(self, model: str) -> Iterator[tuple[int, int]]:
        """The runs of ``model``'s ids, those that touch merged (one statement each)."""
        merged: list[list[int]] = []
        for first, last in self.runs.get(model, ()):
            if merged and first <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], last)
            else:
                merged.append([first, last])
        for first, last in merged:
            yield first, last


def _changed_since(batch: ImportBatch, listed: UndoList, models: set[str]) -> list[str]:
    """Records of the import that an audit entry without the import's tag touched afterwards."""
    later = AuditEvent.objects.filter(pk__gt=batch.audit_mark or 0, target_type__in=models).values_list(
        "target_type", "target_id", "data", "target_repr"
    )
    found = []
    for model, pk, data, text in later.iterator():
        if (data or {}).get("context") != batch.tag and (model, pk) in listed:
            found.append(listed.text((model, pk)) or text)
    return found


def _to_recreate(changes: list[AppliedChange], created: UndoList) -> list[AppliedChange]:
    """The deleted rows to bring back, in the order of ``changes`` (newest first: a parent before its
    children). A row the import created is left gone; a row it changed before deleting it comes back
    with its values from before the import."""
    before = {(c.model, c.object_pk): c.before for c in changes if c.change == UPDATED}
    rows = []
    for c in changes:
        key = (c.model, c.object_pk)
        if c.change == DELETED and key not in created:
            c.before = {**c.before, **before.get(key, {})}
            rows.append(c)
    return rows


def _blocked(deleted: list[AppliedChange]) -> list[str]:
    """Deleted rows that cannot come back: a row is stored again under the key, or a row they point
    at (and that the undo does not bring back too) is gone."""
    keys = {(c.model, c.object_pk) for c in deleted}
    by_model: dict[str, list[AppliedChange]] = {}
    for c in deleted:
        by_model.setdefault(c.model, []).append(c)
    found = []
    wanted: dict[tuple[type, str], dict[Any, list[str]]] = {}  # (model, to field) → value → rows
    for label, rows in by_model.items():
        model = apps.get_model(label)
        name = model._meta.verbose_name
        for start in range(0, len(rows), PART):
            part = {c.object_pk: c for c in rows[start : start + PART]}
            stored = model._base_manager.filter(pk__in=list(part)).values_list("pk", flat=True)
            found += [f"{name}: {part[str(pk)].object_repr}" for pk in stored]
        for fk in model._meta.concrete_fields:
            if not fk.many_to_one and not fk.one_to_one or fk.primary_key:
                continue
            target = fk.related_model
            for c in rows:
                value = c.before.get(fk.attname)
                if value is not None and (target._meta.label_lower, str(value)) not in keys:
                    slot = wanted.setdefault((target, fk.target_field.attname), {})
                    slot.setdefault(value, []).append(f"{name}: {c.object_repr}")
    for (target, attname), needed in wanted.items():
        values = list(needed)
        present = set()
        for start in range(0, len(values), PART):
            present |= set(
                target._base_manager.filter(**{f"{attname}__in": values[start : start + PART]}).values_list(
                    attname, flat=True
                )
            )
        present = {str(v) for v in present}
        found += [text for value, texts in needed.items() if str(value) not in present for text in texts]
    return found


def _recreate(change: AppliedChange) -> None:
    """A deleted row back with its key and values (audited as created by the undo)."""
    model = apps.get_model(change.model)
    obj = model()
    obj.pk = model._meta.pk.to_python(change.object_pk)
    capture.restore(obj, change.before)
    if hasattr(obj, "version"):
        obj.version = (obj.version or 0) + 1
    try:
        with transaction.atomic():
            obj.save(force_insert=True)
    except IntegrityError as error:  # another row took one of its unique values meanwhile
        raise UndoRefused([f"{model._meta.verbose_name}: {change.object_repr}"]) from error
    stamped = {
        f.attname: f.to_python(change.before[f.attname])
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now_add", False) and change.before.get(f.attname) is not None
    }
    if stamped:  # the insert stamped it now; it keeps the time it was first made
        model._base_manager.filter(pk=obj.pk).update(**stamped)


def _hung_on(changes: list[AppliedChange], listed: UndoList) -> list[str]:
    """Rows added by something else that point at a record the import created."""
    created: dict[str, list[str]] = {}
    for c in changes:
        if c.change == CREATED and c.last_pk is None:
            created.setdefault(c.model, []).append(c.object_pk)
    found = []
    for label in set(created) | set(listed.runs):
        model = apps.get_model(label)
        singles = created.get(label, [])
        for relation in model._meta.related_objects:
            if not (relation.one_to_many or relation.one_to_one):
                continue
            related = relation.related_model
            if related._meta.app_label in capture.IGNORED_APPS:
                continue
            name, other = relation.field.name, related._meta.label_lower
            pointing = related._base_manager.values_list("pk", flat=True)
            candidates = [
                pk
                for start in range(0, len(singles), PART)
                for pk in pointing.filter(**{f"{name}__in": singles[start : start + PART]})
            ]
            for first, last in listed.ranges(label):
                candidates += pointing.filter(**{f"{name}__gte": first, f"{name}__lte": last})
            strangers = [pk for pk in candidates if (other, str(pk)) not in listed]
            for start in range(0, len(strangers), PART):
                rows = related._base_manager.filter(pk__in=strangers[start : start + PART])
                found += [f"{related._meta.verbose_name}: {row}" for row in rows]
    return found


def _size(change: AppliedChange) -> int:
    """The rows a change stands for."""
    return 1 if change.last_pk is None else change.last_pk - int(change.object_pk) + 1


def _delete_run(change: AppliedChange) -> None:
    """The rows of a run of created ids, deleted together, each with the entry its delete would have
    in the log (nothing changed them since: checked). Whatever pointed at them is gone already (the
    undo goes newest first) or was refused (``_hung_on``)."""
    model = apps.get_model(change.model)
    first, last = int(change.object_pk), change.last_pk
    stored = model._base_manager.filter(pk__gte=first, pk__lte=last)
    pks = list(stored.order_by("-pk").values_list("pk", flat=True))
    alone: list[Any] = []
    if getattr(model, "audited", False):
        alone = audit.record_deleted_unchanged(model, pks)
    for obj in model._base_manager.filter(pk__in=alone):  # no entry to turn round: as any delete
        obj.delete()
    _delete_ids(model, first, last)


def _delete_ids(model: type[Model], first: int, last: int) -> None:
    quote = connection.ops.quote_name
    column = quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(model._meta.db_table)} WHERE {column} >= %s AND {column} <= %s",
            [first, last],
        )


def _undo(change: AppliedChange, *, recreate: bool) -> None:
    """One change undone: a deleted row back (unless it cannot be), a run of created rows deleted
    together, a created row deleted, a changed row given its values back."""
    if change.change == DELETED:
        if recreate:
            _recreate(change)
        return
    if change.last_pk is not None:
        _delete_run(change)
        return
    model = apps.get_model(change.model)
    obj = model._base_manager.filter(pk=change.object_pk).first()
    if obj is None:
        return
    if change.change == CREATED:
        obj.delete()
        return
    capture.restore(obj, change.before)
    if hasattr(obj, "version"):
        obj.version = (obj.version or 0) + 1
    obj.save()


def undo_batch(batch: ImportBatch, *, actor: Any, progress: Progress = _no_progress) -> ImportBatch:
    """Undo an applied import (see the module docstring); ``progress(done, total)`` counts records."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status not in {ImportBatch.Status.APPLIED, ImportBatch.Status.UNDOING}:
            raise ValidationError(_("Only an applied import can be undone."))
        # Changed rows first (their values before may name rows the import created), then deleted
        # rows (a parent before its children), then created rows; each part newest first.
        first = Case(
            When(change=UPDATED, then=Value(0)),
            When(change=DELETED, then=Value(1)),
            default=Value(2),
        )
        changes = list(batch.changes.order_by(first, "-pk"))
        listed = UndoList(changes)
        created = UndoList([c for c in changes if c.change == CREATED])
        deleted = _to_recreate(changes, created)
        models = {c.model for c in changes}
        conflicts = _changed_since(batch, listed, models) + _hung_on(changes, listed) + _blocked(deleted)
        if conflicts:
            raise UndoRefused(sorted(set(conflicts)))
        recreated = {id(c) for c in deleted}
        total, done, told = sum(_size(c) for c in changes), 0, 0
        progress(0, total)
        with tagged(f"undo {batch.tag}", actor):
            for (
                change
            ) in changes:  # newest first: a release before its judgment, a judgment before its person
                _undo(change, recreate=id(change) in recreated)
                done += _size(change)
                if done - told >= PART or done == total:
                    progress(done, total)
                    told = done
            batch.status = ImportBatch.Status.UNDONE
            batch.undone_at = timezone.now()
            batch.save(update_fields=["status", "undone_at", "updated_at"])
            audit.record("imports.batch.undone", target=batch, data={"changes": total})
    return batch
