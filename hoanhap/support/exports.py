"""The support lists as tables for export (``hoanhap.audit.lists``): titles and cells of each row."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from hoanhap.audit.lists import Table

# -- the tables ------------------------------------------------------------------------------------


def _unit(person_or_child: Any) -> str:
    commune = getattr(person_or_child, "commune", None)
    return commune.name if commune is not None else ""


ACTIONS = Table(
    _("Support actions"),
    "support-actions",
    (
        _("Date"),
        _("Kind"),
        _("Beneficiary"),
        _("Beneficiary type"),
        _("Person's record code"),
        _("Commune"),
        _("Provider organisation"),
        _("Community model"),
        _("Item"),
        _("Quantity"),
        _("Value (đồng)"),
        _("Value basis"),
        _("Funding source"),
        _("Employer"),
        _("Job started on"),
        _("Employed after 3 months"),
        _("Employed after 6 months"),
        _("Employed after 12 months"),
        _("Outcome"),
    ),
    lambda a: [
        a.given_on,
        a.kind.name,
        a.beneficiary_name,
        a.beneficiary_type_display,
        a.person.record_code if a.person_id else "",
        _unit(a.child if a.child_id else a.person),
        a.provider.name if a.provider_id else "",
        a.community_model_name,
        a.item,
        a.quantity,
        a.value,
        a.get_value_basis_display() if a.value is not None else "",
        a.funding_source.name if a.funding_source_id else "",
        a.employer,
        a.job_start_on,
        a.employed_3m,
        a.employed_6m,
        a.employed_12m,
        a.outcome,
    ],
)

CHILDREN = Table(
    _("Children"),
    "children",
    (
        _("Full name"),
        _("Date of birth"),
        _("School"),
        _("Grade"),
        _("Guardian"),
        _("Guardian's phone"),
        _("Parent"),
        _("Parent's status"),
        _("Commune"),
        _("Address"),
    ),
    lambda c: [
        c.full_name,
        c.birth_date,
        c.school,
        c.grade,
        c.guardian_name,
        c.guardian_phone,
        c.parent.full_name,
        c.parent.get_status_display(),
        _unit(c),
        c.address,
    ],
)

REFERRALS = Table(
    _("Policy-bank referrals"),
    "policy-bank-referrals",
    (
        _("Referred on"),
        _("Person"),
        _("Record code"),
        _("Commune"),
        _("Purpose"),
        _("Amount requested (đồng)"),
        _("Months"),
        _("Status"),
        _("Decided on"),
        _("Amount approved (đồng)"),
        _("Bank's reference"),
        _("Repaid on"),
    ),
    lambda r: [
        r.referred_on,
        r.person.full_name,
        r.person.record_code,
        _unit(r.person),
        r.get_purpose_display(),
        r.amount,
        r.months or "",
        r.get_status_display(),
        r.decided_on,
        r.approved_amount,
        r.decision_reference,
        r.repaid_on,
    ],
)

FORM01_LISTS = Table(
    _("Form 01 lists"),
    "form01-lists",
    (
        _("Commune"),
        _("Prepared on"),
        _("Status"),
        _("Certified on"),
        _("Certification reference"),
        _("People"),
    ),
    lambda f: [
        f.commune.name,
        f.prepared_on,
        f.get_status_display(),
        f.certified_on,
        f.certificate_reference,
        getattr(f, "included_count", 0),
    ],
)

KINDS = Table(
    _("Support kinds"),
    "support-kinds",
    (_("Code"), _("Name (Vietnamese)"), _("Name (English)"), _("Usual value basis"), _("In use")),
    lambda k: [k.code, k.name_vi, k.name_en, k.get_value_basis_display(), k.is_active],
)

SOURCES = Table(
    _("Funding sources"),
    "funding-sources",
    (_("Code"), _("Name (Vietnamese)"), _("Name (English)"), _("In use")),
    lambda s: [s.code, s.name_vi, s.name_en, s.is_active],
)
