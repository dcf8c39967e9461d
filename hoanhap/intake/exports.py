"""Intake lists as tables for export (``hoanhap.audit.lists``): what each list shows, one row each."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hoanhap.audit.lists import Table

NOTICES = Table(
    _("Release notices"),
    "release-notices",
    (
        _("Record code"),
        _("Full name"),
        _("Year of birth"),
        _("Detention facility"),
        _("Notice number"),
        _("Received on"),
        _("Late"),
        _("Expected release date"),
        _("Release kind"),
        _("Expected commune"),
        _("Expected address"),
        _("Verify by"),
        _("Verified on"),
        _("Verification result"),
    ),
    lambda n: [
        n.person.record_code,
        n.person.full_name,
        n.person.birth_year,
        n.facility.name if n.facility_id else n.sender_name,
        n.reference,
        n.received_on,
        n.is_late,
        n.expected_release_date,
        n.get_release_kind_display(),
        n.commune.name if n.commune_id else "",
        n.address,
        n.verify_by,
        n.verified_on,
        n.get_verification_result_display() if n.verification_result else "",
    ],
)

TRANSFERS = Table(
    _("Transfers"),
    "transfers",
    (
        _("Record code"),
        _("Full name"),
        _("From commune"),
        _("To commune"),
        _("New address"),
        _("Sent on"),
        _("File received on"),
        _("Confirmed on"),
        _("Status"),
    ),
    lambda t: [
        t.person.record_code,
        t.person.full_name,
        t.from_commune.name if t.from_commune_id else "",
        t.to_commune.name if t.to_commune_id else "",
        t.to_address,
        t.sent_on,
        t.received_on,
        t.confirmed_on,
        t.get_status_display(),
    ],
)
