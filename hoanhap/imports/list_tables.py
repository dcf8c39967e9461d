"""The import pages' lists as tables for export (``hoanhap.audit.lists``): the imports, and the
residences left to choose. (The export of a whole area in the template's format is ``exporting``.)"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_lazy

from hoanhap.audit.lists import Table
from hoanhap.core.templatetags.vn import vndate

BATCHES = Table(
    gettext_lazy("Imports"),
    "imports",
    (
        gettext_lazy("File"),
        gettext_lazy("Kinds"),
        gettext_lazy("Uploaded"),
        gettext_lazy("By"),
        gettext_lazy("Status"),
        gettext_lazy("Rows"),
        gettext_lazy("Created"),
        gettext_lazy("Updated"),
        gettext_lazy("Unchanged"),
        gettext_lazy("Errors"),
    ),
    lambda b: [
        b.file_name,
        ", ".join(b.kinds),
        vndate(b.created_at),
        b.uploaded_by.get_username() if b.uploaded_by_id else gettext("system"),
        b.get_status_display(),
        b.rows,
        b.created,
        b.updated,
        b.skipped,
        b.failed,
    ],
)

RESIDENCE_CHOICES = Table(
    gettext_lazy("Residences to choose"),
    "residences-to-choose",
    (
        gettext_lazy("Record code"),
        gettext_lazy("Full name"),
        gettext_lazy("Address as written"),
        gettext_lazy("Province"),
        gettext_lazy("Candidate communes"),
    ),
    lambda c: [
        c.person.record_code,
        c.person.full_name,
        c.address_text,
        c.province.name,
        ", ".join(candidate.commune.name for candidate in c.candidates.all()),
    ],
)
