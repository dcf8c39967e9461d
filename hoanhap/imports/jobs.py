"""The background jobs of imports: staging (read and try) and applying a batch, on the worker."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from hoanhap.imports import services
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


def _system():
    from hoanhap.access import policy

    return policy.SYSTEM
