"""The background jobs of imports and export, on the worker.

* ``imports.stage`` / ``imports.apply`` / ``imports.undo``: read and try, apply, undo an import
  batch;
* ``imports.export``: the whole-scope export (``exporting.writer.export_scope``, the workbook the
  ``hoanhap export`` command writes), started from the export page or the API
  (``exporting.services``); the .xlsx becomes the job's result file.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from hoanhap.access import policy
from hoanhap.imports import services
from hoanhap.imports.exporting.services import (
    EXPORT,
    export_check_scope,
    export_file_name,
    export_record_download,
)
from hoanhap.imports.models import ImportBatch
from hoanhap.jobs.models import Job
from hoanhap.jobs.services import register


def _batch(job: Job) -> ImportBatch:
    return ImportBatch.objects.select_related("commune").get(pk=job.params["batch"])


@register("imports.stage")
def stage(job: Job, progress):
    services.batch_stage(_batch(job), actor=job.user or _system(), progress=progress)


@register("imports.apply")
def apply(job: Job, progress):
    batch = _batch(job)
    try:
        counts = services.batch_apply(batch, actor=job.user or _system(), commit=job.params["commit"])
    except ValidationError as exc:  # refused: nothing written; the batch page says why
        Job.objects.filter(pk=job.pk).update(message=str(exc.messages[0])[:255])
        return None
    progress(counts.rows, counts.rows)
    from hoanhap.imports import report

    return report.filename(batch), report.workbook_bytes(batch)


@register("imports.undo")
def undo(job: Job, progress):
    try:
        services.batch_undo(_batch(job), actor=job.user or _system(), progress=progress)
    except ValidationError as exc:  # refused: nothing undone; the batch page says why
        Job.objects.filter(pk=job.pk).update(message=str(exc.messages[0])[:255])
    return None


def _system():
    return policy.SYSTEM


@register(EXPORT, on_download=export_record_download)
def export(job: Job, progress):
    """Write the workbook as the job's user; ``export_scope`` records it with the purpose."""
    from hoanhap.imports.exporting.writer import export_scope

    if job.user is None:
        raise PermissionDenied(_("An export runs as the person who asked for it."))
    scope = export_check_scope(job.user, job.params["scope"])
    progress(0, 1)
    name = export_file_name(job.params["scope"])
    with tempfile.TemporaryDirectory(prefix="hoanhap-export-") as folder:
        path = Path(folder) / name
        export_scope(
            path,
            actor=job.user,
            scope=scope,
            purpose=job.params["purpose"],
            with_details=job.params.get("with_details", True),
        )
        content = path.read_bytes()
    progress(1, 1)
    return name, content
