"""Background jobs: start long work, run it on the worker, report progress, keep the result.

    @register("audit_export")
    def export_audit(job, progress):      # runs on the worker, as job.user
        rows = ...
        progress(0, len(rows))
        ...
        return "audit.csv", csv_bytes     # (file name, content) or None

    job = start("audit_export", user=request.user, title=_("Audit log export"), params={...})

``start`` creates the Job row and queues the task when the surrounding transaction commits (the
worker cannot see uncommitted rows). ``make run`` starts the worker; tests use the immediate
backend, so the job runs on commit.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from hoanhap.audit import context
from hoanhap.jobs import progress as job_progress
from hoanhap.jobs.models import Job

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
Handler = Callable[[Job, Progress], "tuple[str, bytes] | None"]

_HANDLERS: dict[str, Handler] = {}


_ON_DOWNLOAD: dict[str, Callable[[Job], None]] = {}


def register(kind: str, *, on_download: Callable[[Job], None] | None = None) -> Callable[[Handler], Handler]:
    """Register the handler of ``kind``; ``on_download(job)`` runs (in the request) each time its
    result file is served, e.g. to audit the download of personal data as a sensitive read."""

    def decorator(func: Handler) -> Handler:
        _HANDLERS[kind] = func
        if on_download is not None:
            _ON_DOWNLOAD[kind] = on_download
        return func

    return decorator


def record_download(job: Job) -> None:
    """What the job's kind asks to happen when its result file is served."""
    hook = _ON_DOWNLOAD.get(job.kind)
    if hook is not None:
        hook(job)


def start(kind: str, *, user: Any, title: str, params: dict[str, Any] | None = None) -> Job:
    if kind not in _HANDLERS:
        raise KeyError(f"No job handler registered for {kind!r}.")
    job = Job.objects.create(
        kind=kind, title=title[:255], user=user if getattr(user, "pk", None) else None, params=params or {}
    )
    transaction.on_commit(lambda: run_job.enqueue(job.pk))
    return job


class _ProgressWriter:
    """A job's ``progress(done, total)``: at most ~3 writes a second, so that progress never slows
    the work down.

    Progress reported inside a transaction of the job's own, which may be long and rolled back (an
    import's preview tries its rows in one, its apply writes in one), is written on PostgreSQL
    through a connection of its own, kept for the job's length: the job's page sees it now and it
    outlives a rollback. When that connection does not see the job (its row not committed: a
    test's), it is written as any other. On SQLite such a transaction holds the only write lock:
    the progress is also written to a file beside the database (``jobs.progress``), which the page
    reads while the job runs.
    """

    def __init__(self, job: Job) -> None:
        self.pk = job.pk
        self.last = 0.0
        self.depth = len(connection.atomic_blocks)  # the transactions the job starts in (a test's)
        self.aside = None
        self.in_file = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.3 and (done < total or not total):
            return
        self.last = now
        inside = len(connection.atomic_blocks) > self.depth
        if inside and connection.vendor == "postgresql" and self._write_aside(done, total):
            return
        if inside and connection.vendor == "sqlite":
            self.in_file = True
            job_progress.write(self.pk, done, total)
        Job.objects.filter(pk=self.pk).update(progress_done=done, progress_total=total)

    def _write_aside(self, done: int, total: int) -> bool:
        if self.aside is None:
            self.aside = connection.copy()
        with self.aside.cursor() as cursor:
            cursor.execute(
                f"UPDATE {self.aside.ops.quote_name(Job._meta.db_table)} "
                "SET progress_done = %s, progress_total = %s WHERE id = %s",
                [done, total, self.pk],
            )
            return cursor.rowcount == 1

    def close(self) -> None:
        if self.aside is not None:
            self.aside.close()
            self.aside = None
        if self.in_file:
            job_progress.clear(self.pk)
            self.in_file = False


@task(queue_name="default")
def run_job(job_id: int) -> None:
    job = Job.objects.select_related("user").get(pk=job_id)
    handler = _HANDLERS[job.kind]
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    progress = _ProgressWriter(job)
    try:
        with context.acting(user=job.user, source=context.SOURCE_TASK, note=f"job {job.pk}"):
            result = handler(job, progress)
    except Exception as exc:  # the job page shows the failure; the worker keeps running
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, message=str(exc)[:255], finished_at=timezone.now()
        )
        return
    finally:
        progress.close()
    job.refresh_from_db()
    if result is not None:
        name, content = result
        job.result_name = name
        job.result_file.save(name, ContentFile(content), save=False)
    job.status = Job.Status.DONE
    job.progress_done = job.progress_total or job.progress_done
    job.finished_at = timezone.now()
    job.save()
