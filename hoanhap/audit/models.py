"""The audit log: an append-only security record of who did what, when, from where.

Rows are only ever inserted (``audit.services.record``). Three layers keep them that way:

* the app offers no edit or delete path (no form, no API method, no admin);
* the model refuses ``save()`` on an existing row and ``delete()``, and its queryset refuses
  ``update()``, ``delete()`` and ``bulk_update()``;
* the database refuses UPDATE, DELETE and TRUNCATE on the table through triggers, on PostgreSQL
  and on SQLite alike (migration 0002, ``audit.db``).

Each row carries the unit of its target (``province_code``, ``commune_code``) so that the log is
scoped by ``hoanhap.access.policy`` like everything else; a row without a unit is visible only to
whole-country scopes.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hoanhap.access.models import AreaFields


class AppendOnlyError(PermissionError):
    """Raised by every code path that would change or remove an audit entry."""

    def __init__(self) -> None:
        super().__init__("The audit log is append-only: entries cannot be changed or deleted.")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError

    def delete(self):
        raise AppendOnlyError

    def _raw_delete(self, using):
        raise AppendOnlyError


class AuditEvent(models.Model):
    """One audited action: a write (with old → new values), a sensitive read or an export.

    ``action`` is a namespaced code (``<app>.<model>.<verb>``, e.g. ``people.person.merged``);
    ``audit.registry`` turns it into a translated sentence. ``changes`` holds ``{field: [old,
    new]}`` for changed fields only. ``search_text`` is the folded (no diacritics) text of the
    record and actor, so that "nguyen van a" finds "Nguyễn Văn A".
    """

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
    # Indexed as the first column of ``audit_target_idx`` (a second index of its own only slowed
    # every write: an import writes hundreds of thousands of entries).
    target_type = models.CharField(_("record type"), max_length=80, blank=True)
    target_id = models.CharField(_("record id"), max_length=64, blank=True)
    target_repr = models.CharField(_("record"), max_length=255, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    purpose = models.CharField(_("purpose"), max_length=255, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=32, blank=True, db_index=True)
    province_code = models.PositiveSmallIntegerField(_("province code"), null=True, blank=True, db_index=True)
    commune_code = models.PositiveIntegerField(_("commune code"), null=True, blank=True, db_index=True)
    search_text = models.CharField(max_length=500, blank=True, editable=False)

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
        if not self._state.adding or self.pk is not None:
            raise AppendOnlyError
        kwargs.pop("force_update", None)
        kwargs.pop("update_fields", None)
        kwargs["force_insert"] = True  # never an UPDATE, even by accident
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError
