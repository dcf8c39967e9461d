"""Background jobs: long work (exports, imports, documents) run by the task worker."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hoanhap.core.models import TimeStampedModel
from hoanhap.jobs import progress


class Job(TimeStampedModel):
    """A piece of long work (an export, an import, a document) run by the background worker.

    The person who started it follows its progress on the job page and downloads the result
    there; nobody else sees it (system administrators excepted). The work itself is a handler
    registered in ``hoanhap.jobs.services``; it runs as the job's user, so its reads are scoped and its
    writes audited exactly as if that user had done them on a page.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=255)
    user = models.ForeignKey(
        "access.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("started by"),
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(_("done"), default=0)
    progress_total = models.PositiveIntegerField(_("total"), default=0)
    message = models.CharField(_("message"), max_length=255, blank=True)
    result_file = models.FileField(_("result"), upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField(_("file name"), max_length=255, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values):
        """A running job takes the progress written beside the database when there is some (SQLite:
        the job's own transaction holds the figures in its row until it ends; ``jobs.progress``)."""
        job = super().from_db(db, field_names, values)
        if job.__dict__.get("status") == cls.Status.RUNNING and "progress_done" in job.__dict__:
            aside = progress.read(job.pk)
            if aside is not None:
                job.progress_done, job.progress_total = aside
        return job

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(self.progress_done * 100 / self.progress_total))

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}
