"""The job list as a table for export (``hoanhap.audit.lists``): what the list shows, one row a job.

A job's parameters, message and result file stay out, as on the list: the file is downloaded (and
audited) on its own page.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hoanhap.audit.lists import Table
from hoanhap.core.templatetags.vn import vndate

JOBS = Table(
    _("Background jobs"),
    "background-jobs",
    (
        _("Job"),
        _("Started by"),
        _("Started"),
        _("Status"),
        _("Progress (%)"),
        _("Finished"),
    ),
    lambda j: [
        j.title,
        j.user.get_username() if j.user_id else "",
        vndate(j.created_at),
        j.get_status_display(),
        j.percent,
        vndate(j.finished_at),
    ],
)
