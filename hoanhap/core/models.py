"""Abstract bases shared by the domain apps. No concrete models live in core."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """created_at / updated_at on every domain row (the audit log says who; these say when)."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, editable=False)

    class Meta:
        abstract = True


class VersionedModel(models.Model):
    """An integer ``version`` bumped on every save through a service.

    Forms and API writes send the version they read; a service refuses the write when the row moved
    on meanwhile (see core.concurrency.check_version), so two officers never silently overwrite
    each other.
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True
