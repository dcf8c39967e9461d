"""Every step of an import: upload, stage, map columns, decide, commit, undo, choose a residence.

Rules enforced here:

* importing needs ``edit_people``; a batch sits in the uploader's unit (their commune, else their
  province; none for a whole-country account) and only that unit's officers see it;
* staging and applying run as background jobs (``jobs.services``), or synchronously for the command;
* a mapping saved for a batch is remembered for the source (kind + headers) in the batch's province;
* a probable duplicate is decided only as "a new person" or "this existing person" (in scope);
* a split legacy commune is chosen by an officer of one of its candidate communes, through
  ``people.services.person_change_residence``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoanhap.access import policy
from hoanhap.access.roles import Cap
from hoanhap.audit import services as audit
from hoanhap.core import clock, heap
from hoanhap.imports import applying, loading, pipeline, staging, undoing
from hoanhap.imports.models import ColumnMapping, ImportBatch, ResidenceChoice, StagedRow
from hoanhap.imports.reading import specs
from hoanhap.imports.reading.files import CSV_SUFFIXES, SPREADSHEET_SUFFIXES
from hoanhap.jobs import services as jobs
from hoanhap.people import services as people_services
from hoanhap.people.models import Person

SUFFIXES = SPREADSHEET_SUFFIXES + CSV_SUFFIXES
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def unit_of(actor: Any) -> tuple[int | None, int | None]:
    """The unit an actor's import belongs to: a single commune, else a province, else nothing (the country)."""
    scope = policy.scope_for(actor, Cap.EDIT_PEOPLE)
    if scope.everything or scope.is_empty:
        return None, None
    if scope.provinces:
        return min(scope.provinces), None
    commune = min(scope.communes)
    from hoanhap.geo.models import Commune

    return Commune.objects.values_list("province_id", flat=True).get(code=commune), commune


def check_kinds(kinds: list[str]) -> list[str]:
    unknown = [k for k in kinds if k not in specs.KINDS]
    if unknown:
        raise ValidationError(
            {
                "kind": _("Unknown kind “{kind}”. Available kinds: {kinds}.").format(
                    kind=unknown[0], kinds=", ".join(specs.KINDS)
                )
            }
        )
    return kinds


@transaction.atomic
def batch_create(
    *,
    actor: Any,
    file: Any,
    file_name: str,
    kinds: list[str] | None = None,
    unit: tuple[int | None, int | None] | None = None,
) -> ImportBatch:
    """Keep an uploaded file as a new batch (``kinds`` empty: named by the workbook's sheets)."""
    if not policy.has_cap(actor, Cap.EDIT_PEOPLE):
        raise PermissionDenied(_("You may not import data."))
    if Path(file_name).suffix.lower() not in SUFFIXES:
        raise ValidationError(
            {
                "file": _("Choose an Excel, OpenDocument or CSV file ({types}).").format(
                    types=", ".join(SUFFIXES)
                )
            }
        )
    size = getattr(file, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _("The file is larger than 50 MB; split it into several files.")})
    province, commune = unit if unit is not None else unit_of(actor)
    batch = ImportBatch(
        file_name=Path(file_name).name[:255],
        kinds=check_kinds(list(kinds or [])),
        uploaded_by=policy.account_of(actor),
        province_id=province,
        commune_id=commune,
    )
    batch.file.save(Path(file_name).name, file if isinstance(file, File) else File(file), save=False)
    batch.save()
    audit.record("imports.batch.uploaded", target=batch, data={"file": batch.file_name, "kinds": batch.kinds})
    return batch


def batch_stage(batch: ImportBatch, *, actor: Any, progress=staging._no_progress) -> ImportBatch:
    """Read and try the batch (synchronously; ``batch_stage_start`` runs it on the worker)."""
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.STAGING, message="")
    try:
        with heap.settled(), clock.one_day():  # every row judged against the same day
            _stage(batch, actor, progress)
    except Exception as exc:  # unreadable, or failing on the way (the disk, the reader process)
        batch.status, batch.message = ImportBatch.Status.FAILED, str(exc)[:500]
        batch.save(update_fields=["status", "message", "updated_at"])
        raise
    batch.failed = batch.staged_rows.filter(action=StagedRow.Action.ERROR).count()
    batch.status = ImportBatch.Status.STAGED
    batch.save(update_fields=["status", "failed", "sheet_errors", "updated_at"])
    return batch


def _stage(batch: ImportBatch, actor: Any, progress) -> None:
    """Read every kind, then try every row: the rows go to the staging table judged (a big file of
    one kind is read by a second process while its rows are tried: ``pipeline``)."""
    opened = loading.open_kinds(batch)
    if pipeline.fits(batch, opened):
        pipeline.stage(batch, opened, actor=actor, progress=progress)
        return
    pending = loading.read_rows(batch, progress, opened)
    if not batch.kinds:
        batch.sheet_errors = batch.sheet_errors + [
            {
                "sheet": "",
                "row": None,
                "column": None,
                "message": _("No sheet is named by a kind ({kinds}); choose the kind of data.").format(
                    kinds=", ".join(specs.KINDS)
                ),
            }
        ]
    try:
        staging.trial(batch, actor=actor, progress=progress, done=batch.rows, rows=pending)
    finally:
        pending.close()


def _start(kind: str, batch: ImportBatch, actor: Any, title: str, **params: Any) -> ImportBatch:
    job = jobs.start(kind, user=policy.account_of(actor), title=title, params={"batch": batch.pk, **params})
    batch.job = job
    batch.save(update_fields=["job", "updated_at"])
    return batch


def batch_stage_start(batch: ImportBatch, *, actor: Any) -> ImportBatch:
    if batch.is_busy:
        raise ValidationError(_("This import is already running."))
    if batch.status in {ImportBatch.Status.APPLIED, ImportBatch.Status.UNDOING, ImportBatch.Status.UNDONE}:
        raise ValidationError(_("This import was already applied."))
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.STAGING)
    batch.status = ImportBatch.Status.STAGING
    return _start("imports.stage", batch, actor, _("Checking {file}").format(file=batch.file_name))


def batch_commit_start(batch: ImportBatch, *, actor: Any, commit: str) -> ImportBatch:
    """Queue the apply; ``commit="all"`` is refused at once when a row has an error."""
    if commit not in ImportBatch.Commit.values:
        raise ValidationError({"commit": _("Choose which rows to import.")})
    if batch.status != ImportBatch.Status.STAGED:
        raise ValidationError(_("This import is not ready to be applied."))
    if commit == ImportBatch.Commit.ALL and (
        batch.sheet_errors or batch.staged_rows.filter(action=StagedRow.Action.ERROR).exists()
    ):
        raise ValidationError(
            {"commit": _("Some rows have errors: import only the valid rows, or correct the file.")}
        )
    if (
        batch.staged_rows.filter(duplicates__isnull=False).exclude(duplicates=[]).filter(decision="").exists()
        and commit == ImportBatch.Commit.ALL
    ):
        raise ValidationError({"commit": _("Decide on the probable duplicates first.")})
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.APPLYING, commit=commit)
    batch.status, batch.commit = ImportBatch.Status.APPLYING, commit
    return _start(
        "imports.apply", batch, actor, _("Importing {file}").format(file=batch.file_name), commit=commit
    )


def batch_apply(batch: ImportBatch, *, actor: Any, commit: str) -> applying.Counts:
    """Apply synchronously (the job handler and the command). Refused or failed, nothing was
    written (one transaction): the batch goes back to staged, with the reason."""
    try:
        return applying.apply_batch(batch, actor=actor, commit=commit)
    except applying.ApplyRefused as exc:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.STAGED, message=str(exc.message)[:500]
        )
        raise
    except Exception as exc:  # the disk, the database: not left 'being imported' for ever
        ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.APPLYING).update(
            status=ImportBatch.Status.STAGED, message=str(exc)[:500]
        )
        raise


def batch_undo_start(batch: ImportBatch, *, actor: Any) -> ImportBatch:
    """Queue the undo: a big import has hundreds of thousands of records to check and delete."""
    policy.ensure_unit_in_scope(actor, Cap.EDIT_PEOPLE, province=batch.province_id, commune=batch.commune_id)
    applied = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.APPLIED)
    if not applied.update(status=ImportBatch.Status.UNDOING, message=""):  # one undo at a time
        raise ValidationError(_("Only an applied import can be undone."))
    batch.status, batch.message = ImportBatch.Status.UNDOING, ""
    return _start("imports.undo", batch, actor, _("Undoing {file}").format(file=batch.file_name))


def batch_undo(
    batch: ImportBatch, *, actor: Any, progress: staging.Progress = staging._no_progress
) -> ImportBatch:
    """Undo synchronously (the job handler). Refused or failed, nothing was undone (one
    transaction): the batch is applied again, with the reason."""
    policy.ensure_unit_in_scope(actor, Cap.EDIT_PEOPLE, province=batch.province_id, commune=batch.commune_id)
    try:
        return undoing.undo_batch(batch, actor=actor, progress=progress)
    except Exception as exc:
        reason = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.UNDOING).update(
            status=ImportBatch.Status.APPLIED, message=str(reason)[:500]
        )
        raise


@transaction.atomic
def mapping_save(*, actor: Any, batch: ImportBatch, kind: str, mapping: dict[str, str]) -> ImportBatch:
    """Use ``mapping`` ({header key: code or ""}) for the batch and remember it for the source."""
    if kind not in batch.kinds:
        raise ValidationError({"kind": _("This import has no such kind.")})
    codes = {c.code for c in specs.get_kind(kind).columns}
    bad = [code for code in mapping.values() if code and code not in codes]
    if bad:
        raise ValidationError({"mapping": _("Unknown column “{code}”.").format(code=bad[0])})
    chosen = [code for code in mapping.values() if code]
    if len(chosen) != len(set(chosen)):
        raise ValidationError({"mapping": _("Two columns of the file are mapped to the same data.")})
    batch.mapping = {**(batch.mapping or {}), kind: mapping}
    batch.save(update_fields=["mapping", "updated_at"])
    info = (batch.headers or {}).get(kind) or {}
    if info.get("key"):
        ColumnMapping.objects.update_or_create(
            key=info["key"],
            province_id=staging.province_of(batch),
            defaults={
                "kind": kind,
                "headers": [c["header"] for c in info.get("columns", [])],
                "mapping": mapping,
            },
        )
    return batch


@transaction.atomic
def row_decide(
    *, actor: Any, row: StagedRow, decision: str, person: int | None = None, commune: int | None = None
) -> StagedRow:
    """Record the preview's decision on a row: a new person, or the existing one; or the commune chosen."""
    if row.batch.status != ImportBatch.Status.STAGED:
        raise ValidationError(_("This import can no longer be changed."))
    if commune is not None:
        if commune not in (row.address or {}).get("candidates", []):
            raise ValidationError({"commune": _("Choose one of the communes the legacy commune went to.")})
        row.commune_choice = commune
    if decision == StagedRow.Decision.NEW:
        row.decision, row.decision_person = decision, None
    elif decision == StagedRow.Decision.SAME:
        ids = {d["id"] for d in row.duplicates}
        if (
            person not in ids
            or not policy.restrict(Person.objects.filter(pk=person), actor, Cap.EDIT_PEOPLE).exists()
        ):
            raise ValidationError({"person": _("Choose one of the probable duplicates.")})
        row.decision, row.decision_person = decision, person
    elif decision:
        raise ValidationError({"decision": _("Unknown decision.")})
    row.save(update_fields=["decision", "decision_person", "commune_choice"])
    return row


def batch_retry_rows(batch: ImportBatch, *, actor: Any) -> ImportBatch:
    """Try the rows again after decisions (synchronous: a preview is small enough)."""
    staging.trial(batch, actor=actor)
    batch.failed = batch.staged_rows.filter(action=StagedRow.Action.ERROR).count()
    batch.save(update_fields=["failed", "updated_at"])
    return batch


@transaction.atomic
def residence_choose(
    *, actor: Any, choice: ResidenceChoice, commune: int, on: dt.date | None = None
) -> ResidenceChoice:
    """Settle a split legacy commune: the person's residence becomes ``commune`` (one of the candidates)."""
    choice = ResidenceChoice.objects.select_for_update().get(pk=choice.pk)
    if choice.chosen_id:
        raise ValidationError(_("The commune was already chosen."))
    candidates = set(choice.candidates.values_list("commune_id", flat=True))
    if commune not in candidates:
        raise ValidationError({"commune": _("Choose one of the communes the legacy commune went to.")})
    policy.ensure_unit_in_scope(actor, Cap.EDIT_PEOPLE, province=choice.province_id, commune=commune)
    person = choice.person
    people_services.person_change_residence(
        actor=policy.SYSTEM,  # the person has no commune yet; the officer's right on the new one was checked
        person=person,
        province=person.province_id,
        commune=commune,
        address=person.address,
        from_date=on,
    )
    choice.chosen_id, choice.chosen_by, choice.chosen_at = commune, policy.account_of(actor), timezone.now()
    choice.save()
    return choice
