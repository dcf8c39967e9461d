"""Case-work lists as tables for export (``hoanhap.audit.lists``): what each list shows, one row each."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hoanhap.audit.lists import Table

WITHOUT_HELPER = Table(
    _("People without a helper"),
    "people-without-helper",
    (_("Record code"), _("Full name"), _("Year of birth"), _("Commune"), _("Under management since")),
    lambda p: [
        p.record_code,
        p.full_name,
        p.birth_year,
        p.commune.name if p.commune_id else "",
        p.entered_on,
    ],
)


# What "My people" shows, one row per person: identity and case work only, never the judicial side
# (helpers do not see judgments).
MY_PEOPLE = Table(
    _("My people"),
    "my-people",
    (
        _("Record code"),
        _("Full name"),
        _("Commune"),
        _("Next contact due"),
        _("Contact overdue"),
        _("Open actions"),
    ),
    lambda row: [
        row.person.record_code,
        row.person.full_name,
        row.person.commune.name if row.person.commune_id else "",
        row.next_visit_on,
        row.visit_overdue,
        row.open_actions,
    ],
)
