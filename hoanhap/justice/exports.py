"""The offence catalogue as a table for export (``hoanhap.audit.lists``): one row an article/clause."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hoanhap.audit.lists import Table

OFFENCES = Table(
    _("Offence catalogue"),
    "offences",
    (
        _("Article"),
        _("Offence"),
        _("Chapter"),
        _("Chapter name"),
        _("Severity class"),
        _("Intent"),
        _("In use"),
    ),
    lambda o: [
        o.reference,
        o.name,
        o.chapter_roman,
        o.chapter_name,
        o.get_severity_display(),
        o.get_intent_display(),
        o.is_active,
    ],
)
