"""Apply a staged batch in one transaction (the undo: ``undoing``).

Apply: every chosen row goes through its kind's adapter (the domain services) in one transaction,
under an audit context whose note is the batch's tag (``import <id>``), so every audit entry names
the import. ``commit="all"`` writes nothing when a row has an error (read, tried, or met during the
apply); ``commit="valid"`` writes the rows without errors and reports the others. The rows written
are captured (``capture``) into ``AppliedChange``s for the undo.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoanhap.access import policy
from hoanhap.audit import context
from hoanhap.audit import selectors as audit_selectors
from hoanhap.audit import services as audit
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
