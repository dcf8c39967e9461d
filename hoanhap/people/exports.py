"""The people list as a table for export (``hoanhap.audit.lists``): what the list shows, one row each."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hoanhap.audit.lists import Table

EXPORT_LIMIT = 50_000  # a province is about 4,000 people; a search never needs more rows than this

PEOPLE = Table(
    _("People"),
    "people",
    (
        _("Record code"),
        _("Full name"),
        _("Other names"),
        _("Date of birth"),
        _("Sex"),
        _("Ethnicity"),
        _("Personal identification number"),
        _("Phone"),
        _("Province"),
        _("Commune"),
        _("Address"),
        _("Status"),
        _("Group"),
    ),
    lambda p: [
        p.record_code,
        p.full_name,
        p.other_names,
        p.birth_date_display,
        p.get_sex_display(),
        p.get_ethnicity_display(),
        p.personal_id,
        p.phone,
        p.province.name if p.province_id else "",
        p.commune.name if p.commune_id else "",
        p.address,
        p.get_status_display(),
        p.classification,
    ],
)
