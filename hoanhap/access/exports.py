"""The organisation and account lists as tables for export (``hoanhap.audit.lists``).

An account row carries what the list shows and nothing that signs in: no password hash, second
factor or API token.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hoanhap.access.models import User
from hoanhap.audit.lists import Table
from hoanhap.core.templatetags.vn import vndate


def _grant_text(grant) -> str:
    """'Role · unit', as the account list writes a grant in force."""
    unit = grant.commune or grant.organisation or grant.province
    return f"{grant.get_role_display()} · {unit.name}" if unit else str(grant.get_role_display())


def _grants(account: User) -> str:
    return "; ".join(_grant_text(g) for g in getattr(account, "current_grants", []))


ORGANISATIONS = Table(
    _("Organisations"),
    "organisations",
    (
        _("Name"),
        _("Kind"),
        _("Province"),
        _("Commune"),
        _("Address"),
        _("Phone"),
        _("Members"),
        _("Active"),
    ),
    lambda o: [
        o.name,
        o.get_kind_display(),
        o.province.name,
        o.commune.name if o.commune_id else "",
        o.address,
        o.phone,
        o.member_count,
        o.is_active,
    ],
)

USERS = Table(
    _("Accounts"),
    "accounts",
    (
        _("Full name"),
        _("Username"),
        _("Organisation"),
        _("Roles in force"),
        _("Last sign-in"),
        _("Active"),
    ),
    lambda u: [
        u.full_name,
        u.username,
        u.organisation.name if u.organisation_id else "",
        _grants(u),
        vndate(u.last_login),
        u.is_active,
    ],
)
