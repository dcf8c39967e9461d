"""The audit log: an append-only security record of who did what, when, from where.

Rows are only ever inserted (``audit.services.record``). The app offers no edit or delete path,
the model refuses ``save()`` on an existing row and ``delete()``, and on PostgreSQL a trigger
refuses UPDATE and DELETE outright (migration 0002). Each row carries the unit of its target so
that the log is scoped like everything else.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hoanhap.access.models import AreaFields


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):  # pragma: no cover - guard
        raise PermissionError("The audit log is append-only.")

    def delete(self):  # pragma: no cover - guard
        raise PermissionError("The audit log is append-only.")


class AuditEvent(models.Model):
    """One audited action: a write (with old → new values), a sensitive read or an export."""

    class Source(models.TextChoices):
        WEB = "web", _("Web")
        API = "api", _("API")
        CLI = "cli", _("Command line")
        TASK = "task", _("Background task")
        SYSTEM = "system", _("System")

    occurred_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor"), max_length=150)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    target_type = models.CharField(_("record type"), max_length=80, blank=True, db_index=True)
    target_id = models.CharField(_("record id"), max_length=64, blank=True)
    target_repr = models.CharField(_("record"), max_length=255, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    purpose = models.CharField(_("purpose"), max_length=255, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=32, blank=True)
    province_code = models.PositiveSmallIntegerField(_("province code"), null=True, blank=True, db_index=True)
    commune_code = models.PositiveIntegerField(_("commune code"), null=True, blank=True, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    area_fields = AreaFields(province="province_code", commune="commune_code")

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")
