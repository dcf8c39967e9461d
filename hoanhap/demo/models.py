"""Bookkeeping of the demo loader: which steps have run on this database."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LoadedStep(models.Model):
    """A demo step that has run. Later runs skip it, so whatever people change while trying the
    demo (a renamed organisation, a deleted account) is not put back on the next ``make run``;
    a step added by a later release still runs once on an existing demo database."""

    name = models.CharField(_("step"), max_length=50, unique=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)
    created = models.JSONField(_("records created"), default=dict, blank=True)

    class Meta:
        verbose_name = _("loaded demo step")
        verbose_name_plural = _("loaded demo steps")
        ordering = ["loaded_at", "id"]

    def __str__(self) -> str:
        return self.name
