"""Apply a staged batch in one transaction, and undo it as a whole.

Apply: every chosen row goes through its kind's adapter (the domain services) in one transaction,
under an audit context whose note is the batch's tag (``import <id>``), so every audit entry names
the import. ``commit="all"`` writes nothing when a row has an error (read, tried, or met during the
apply); ``commit="valid"`` writes the rows without errors and reports the others. The rows written
are captured (``capture``) into ``AppliedChange``s for the undo.

Undo: one transaction that puts back the values the import changed, re-creates the rows it deleted
(with their keys) and deletes what it created (newest first); refused, listing the records, when
anything else changed one of them after the import (an audit entry without the import's tag), hung
a new row on one of them, stored a row again under a deleted row's key or deleted a row a deleted
row pointed at.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hoanhap.access import policy
from hoanhap.audit import context
from hoanhap.audit import selectors as audit_selectors
from hoanhap.audit import services as audit
from hoanhap.audit.models import AuditEvent
from hoanhap.core import bulk_sql, clock, heap
from hoanhap.imports import bulk, capture, staging
from hoanhap.imports.kinds import adapter
from hoanhap.imports.kinds.base import ApplyContext
from hoanhap.imports.models import AppliedChange, ImportBatch, ResidenceCandidate, ResidenceChoice, StagedRow

ALL, VALID = ImportBatch.Commit.ALL, ImportBatch.Commit.VALID


class ApplyRefused(ValidationError):
    """Nothing was written: ``errors`` are the problems (in the command's shape)."""

    def __init__(self, message: str, errors: list[dict] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []


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


@contextlib.contextmanager
def tagged(note: str, actor: Any) -> Iterator[None]:
    """Run as ``actor`` (or the current actor) with ``note`` carried into every audit entry."""
    current = context.current()
    user = policy.account_of(actor)
    with context.acting(
        user=user or current.resolve_user(), source=current.source, ip=current.ip, note=note
    ) as ctx:
        ctx.request_id = current.request_id
        yield


ROW_FIELDS = ["outcome", "outcome_message", "target_repr", "target_url", "action", "errors", "duplicates"]


@dataclass
class Counts:
    rows: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    problems: list[dict] = field(default_factory=list)


def apply_batch(batch: ImportBatch, *, actor: Any, commit: str) -> Counts:
    """Write the batch (see the module docstring); raises ``ApplyRefused`` when nothing was written.

    Rows are read ``staging.CHUNK`` at a time (memory stays flat). The persons rows that register a
    new person are written together (``bulk``) — before any row the adapter applies, so each row
    meets what the rows above it wrote, as one by one.
    """
    if batch.status not in {ImportBatch.Status.STAGED, ImportBatch.Status.APPLYING}:
        raise ApplyRefused(_("This import is not ready to be applied."))
    if commit == ALL:
        _refuse_any_error(batch)
    ids = staging._order(batch)
    counts = Counts(rows=len(ids))
    ctx = ApplyContext(actor=actor, batch=batch, province_hint=staging.province_of(batch))
    with (
        heap.settled(),
        clock.one_day(),
        bulk_sql.batch_cache(),
        transaction.atomic(),
        capture.capturing() as captured,
        tagged(batch.tag, actor),
    ):
        planner = (
            bulk.Planner(ctx, adapter("persons"), staging.linked(batch), trusted=trusted(batch, actor))
            if "persons" in batch.kinds
            else None
        )
        writer = bulk.Writer(planner, captured) if planner is not None else None
        for start in range(0, len(ids), staging.CHUNK):
            chunk = staging.chunk_rows(ids[start : start + staging.CHUNK])
            if planner is not None:
                planner.prepare(
                    [r for r in chunk if r.kind == "persons" and r.action != StagedRow.Action.ERROR]
                )
            for row in chunk:
                _apply_row(batch, row, ctx, commit, counts, planner, writer)
            if writer is not None:
                _written(writer.flush(), counts)
            staging.update_rows(staging.row_params(chunk, ROW_FIELDS), ROW_FIELDS)
            _record_changes(batch, captured)  # chunk by chunk: the apply's memory stays flat
        _record_changes(batch, captured)
        batch.status = ImportBatch.Status.APPLIED
        batch.commit = commit
        batch.created, batch.updated, batch.skipped, batch.failed = (
            counts.created,
            counts.updated,
            counts.skipped,
            counts.failed,
        )
        batch.applied_at = timezone.now()
        batch.save()
        audit.record(
            "imports.batch.applied",
            target=batch,
            data={
                "rows": counts.rows,
                "created": counts.created,
                "updated": counts.updated,
                "skipped": counts.skipped,
            },
        )
        ImportBatch.objects.filter(pk=batch.pk).update(audit_mark=audit_selectors.last_event_id())
    return counts


def trusted(batch: ImportBatch, actor: Any) -> bool:
    """Whether the apply may take the trial's word on the people already registered: the officer
    who tried the rows applies them, and nothing was written since (``Planner.trusts``)."""
    user = policy.account_of(actor)
    return (
        batch.tried_mark is not None
        and user is not None
        and batch.tried_by_id == user.pk
        and not audit_selectors.written_since(batch.tried_mark)
    )


def _refuse_any_error(batch: ImportBatch) -> None:
    """``commit="all"``: refused, with every problem, when a sheet or a row has an error."""
    errors = [staging.public(e) for e in batch.sheet_errors]
    for problems in (
        batch.staged_rows.filter(action=StagedRow.Action.ERROR)
        .order_by("pk")
        .values_list("errors", flat=True)
    ):
        errors += [staging.public(e) for e in problems]
    if errors:
        raise ApplyRefused(_("Some rows have errors: nothing was imported."), errors)


def _apply_row(batch, row: staging.Staged, ctx, commit: str, counts: Counts, planner, writer) -> None:
    """One row: settled by the bulk path when it can, else through its kind's adapter."""
    if row.action == StagedRow.Action.ERROR:
        row.outcome, row.outcome_message = (
            StagedRow.Action.ERROR,
            "; ".join(e["message"] for e in row.errors),
        )
        counts.failed += 1
        return
    names = staging.column_names(batch, row.kind)
    before = list(row.errors)
    if planner is not None and row.kind == "persons":
        plan = planner.plan(row, staging.row_input(row).values)
        if plan is not None:
            if not staging.settle(row, plan, names, planner.units):
                _refused(row, before, commit, counts)
                return
            planner.settled(row, plan)
            if plan.action == StagedRow.Action.CREATE:
                writer.add(row, plan)
                return
            row.outcome, row.target_repr = plan.action, plan.target_repr
            row.target_url = plan.target_url[:255]
            counts.skipped += 1
            return
    if writer is not None:
        _written(writer.flush(), counts)  # the adapter's row meets what the rows above it wrote
    outcome = staging.try_row(row, ctx, names)
    if outcome is None:
        _refused(row, before, commit, counts)
        return
    if planner is not None:
        planner.tried(outcome)
    row.outcome = outcome.action
    row.target_repr = str(outcome.target)[:255] if outcome.target is not None else ""
    url = getattr(outcome.target, "get_absolute_url", None)
    row.target_url = url()[:255] if callable(url) else ""
    counter = {"create": "created", "update": "updated"}.get(outcome.action, "skipped")
    setattr(counts, counter, getattr(counts, counter) + 1)
    if outcome.residence_choice is not None:
        _residence_choice(batch, outcome.target, outcome.residence_choice)


def _refused(row: staging.Staged, before: list, commit: str, counts: Counts) -> None:
    if commit == ALL:
        raise ApplyRefused(
            _("A row was refused during the import: nothing was imported."),
            [staging.public(e) for e in row.errors[len(before) :]],
        )
    row.action = row.outcome = StagedRow.Action.ERROR
    row.outcome_message = "; ".join(e["message"] for e in row.errors)
    counts.failed += 1


def _written(written: list, counts: Counts) -> None:
    """Rows the bulk path wrote (row, the person's text, its address): created, linked to the person."""
    for row, text, url in written:
        row.outcome = StagedRow.Action.CREATE
        row.target_repr = text[:255]
        row.target_url = url[:255]
        counts.created += 1


def _residence_choice(batch: ImportBatch, person, pending: dict) -> None:
    if ResidenceChoice.objects.filter(person=person, chosen__isnull=True).exists():
        return  # already waiting (a re-import of the same list)
    choice = ResidenceChoice.objects.create(
        batch=batch, person=person, province_id=person.province_id, address_text=pending["text"][:255]
    )
    ResidenceCandidate.objects.bulk_create(
        [ResidenceCandidate(choice=choice, commune_id=code) for code in pending["candidates"]]
    )


def _record_changes(batch: ImportBatch, captured: capture.Captured) -> None:
    """The undo list of the rows written since the last call, in the order they were written (plain
    inserts: 100,000s of rows; a run of rows created together is one change, ``last_pk``). The undo
    restores every changed row, then re-creates the deleted ones (the reverse of the order they were
    deleted in: a parent before its children), then deletes the created ones."""
    created, updated, deleted = captured.take()
    change = AppliedChange.Change.CREATED
    rows = [
        (batch.pk, model, pk, change, {}, "", text[-1])
        if isinstance(text, range)
        else (batch.pk, model, pk, change, {}, text, None)
        for (model, pk), text in created.items()
    ]
    for kind, noted in ((AppliedChange.Change.UPDATED, updated), (AppliedChange.Change.DELETED, deleted)):
        rows += [
            (batch.pk, model, pk, kind, values, text, None) for (model, pk), (values, text) in noted.items()
        ]
    bulk.insert_rows(
        AppliedChange, ["batch", "model", "object_pk", "change", "before", "object_repr", "last_pk"], rows
    )


def one_by_one(changes: list[AppliedChange]) -> list[AppliedChange]:
    """The undo list (newest first) with each run of created rows as one change per row, its newest
    row first: what the undo works through."""
    found = []
    for change in changes:
        if change.last_pk is None:
            found.append(change)
            continue
        first = int(change.object_pk)
        found += [
            AppliedChange(
                batch_id=change.batch_id, model=change.model, object_pk=str(pk), change=change.change
            )
            for pk in range(change.last_pk, first - 1, -1)
        ]
    return found


# -- undo --------------------------------------------------------------------------------------------


def _changed_since(batch: ImportBatch, changes: list[AppliedChange]) -> list[str]:
    """Records of the import that an audit entry without the import's tag touched afterwards."""
    keys = {(c.model, c.object_pk): c.object_repr for c in changes}
    models = {c.model for c in changes}
    later = AuditEvent.objects.filter(pk__gt=batch.audit_mark or 0, target_type__in=models).values_list(
        "target_type", "target_id", "data", "target_repr"
    )
    found = []
    for model, pk, data, text in later.iterator():
        if (model, pk) in keys and (data or {}).get("context") != batch.tag:
            found.append(keys[(model, pk)] or text)
    return found


def _to_recreate(changes: list[AppliedChange]) -> list[AppliedChange]:
    """The deleted rows to bring back, in the order of ``changes`` (newest first: a parent before its
    children). A row the import created is left gone; a row it changed before deleting it comes back
    with its values from before the import."""
    created = {(c.model, c.object_pk) for c in changes if c.change == AppliedChange.Change.CREATED}
    before = {(c.model, c.object_pk): c.before for c in changes if c.change == AppliedChange.Change.UPDATED}
    rows = []
    for c in changes:
        key = (c.model, c.object_pk)
        if c.change == AppliedChange.Change.DELETED and key not in created:
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
        for start in range(0, len(rows), 500):
            part = {c.object_pk: c for c in rows[start : start + 500]}
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
        for start in range(0, len(values), 500):
            present |= set(
                target._base_manager.filter(**{f"{attname}__in": values[start : start + 500]}).values_list(
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


def _hung_on(changes: list[AppliedChange]) -> list[str]:
    """Rows added by something else that point at a record the import created."""
    keys = {(c.model, c.object_pk) for c in changes}
    created: dict[str, list[str]] = {}
    for c in changes:
        if c.change == AppliedChange.Change.CREATED:
            created.setdefault(c.model, []).append(c.object_pk)
    found = []
    for label, pks in created.items():
        model = apps.get_model(label)
        for relation in model._meta.related_objects:
            if not (relation.one_to_many or relation.one_to_one):
                continue
            related = relation.related_model
            if related._meta.app_label in capture.IGNORED_APPS:
                continue
            for start in range(0, len(pks), 500):
                rows = related._base_manager.filter(
                    **{f"{relation.field.name}__in": pks[start : start + 500]}
                )
                for row in rows.iterator():
                    if (related._meta.label_lower, str(row.pk)) not in keys:
                        found.append(f"{related._meta.verbose_name}: {row}")
    return found


def undo_batch(batch: ImportBatch, *, actor: Any) -> ImportBatch:
    """Undo an applied import (see the module docstring)."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportBatch.Status.APPLIED:
            raise ValidationError(_("Only an applied import can be undone."))
        # Changed rows first (their values before may name rows the import created), then deleted
        # rows (a parent before its children), then created rows; each part newest first.
        first = Case(
            When(change=AppliedChange.Change.UPDATED, then=Value(0)),
            When(change=AppliedChange.Change.DELETED, then=Value(1)),
            default=Value(2),
        )
        changes = one_by_one(list(batch.changes.order_by(first, "-pk")))
        deleted = _to_recreate(changes)
        conflicts = _changed_since(batch, changes) + _hung_on(changes) + _blocked(deleted)
        if conflicts:
            raise UndoRefused(sorted(set(conflicts)))
        recreated = {id(c) for c in deleted}
        with tagged(f"undo {batch.tag}", actor):
            for (
                change
            ) in changes:  # newest first: a release before its judgment, a judgment before its person
                if change.change == AppliedChange.Change.DELETED:
                    if id(change) in recreated:
                        _recreate(change)
                    continue
                model = apps.get_model(change.model)
                obj = model._base_manager.filter(pk=change.object_pk).first()
                if obj is None:
                    continue
                if change.change == AppliedChange.Change.CREATED:
                    obj.delete()
                else:
                    capture.restore(obj, change.before)
                    if hasattr(obj, "version"):
                        obj.version = (obj.version or 0) + 1
                    obj.save()
            batch.status = ImportBatch.Status.UNDONE
            batch.undone_at = timezone.now()
            batch.save(update_fields=["status", "undone_at", "updated_at"])
            audit.record("imports.batch.undone", target=batch, data={"changes": len(changes)})
    return batch
