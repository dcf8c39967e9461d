"""The roles of Hòa Nhập and what each may do.

A role is granted to a user by a ``RoleAssignment``. How the grant is scoped depends on the role:

* ``AREA`` roles are granted on a unit (a province, or a commune) and cover everything in it;
* ``ASSIGNMENT`` roles (helpers) see only the people assigned to them or to their organisation
  while the assignment runs, and of those only the records that models mark as open to helpers
  (identity, contact, needs, plan, visits, support — never judgments, offences or police notes);
* ``FUND`` roles (fund officers) see only their fund;
* ``FACILITY`` roles (detention facilities) see only the notices their facility sent;
* ``GLOBAL`` (system administrator) sees everything.

Capabilities are plain strings checked through ``hoanhap.access.policy``; nothing else in the
code base compares role codes.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Cap:
    """Capability codes: what a role may do (the area comes from the assignment)."""

    VIEW_PEOPLE = "view_people"
    EDIT_PEOPLE = "edit_people"
    VIEW_JUDGMENTS = "view_judgments"
    EDIT_CASEWORK = "edit_casework"
    VIEW_ASSIGNED = "view_assigned_people"
    RECORD_CONTACTS = "record_contacts"
    VIEW_CHILDREN = "view_children"
    SIGN_LETTERS = "sign_letters"
    CERTIFY_LISTS = "certify_lists"
    VIEW_REPORTS = "view_reports"
    VIEW_ORGANISATIONS = "view_organisations"
    MANAGE_ORGANISATIONS = "manage_organisations"
    MANAGE_ACCOUNTS = "manage_accounts"
    VIEW_AUDIT = "view_audit"
    MANAGE_FUND = "manage_fund"
    SEND_NOTICES = "send_notices"
    MANAGE_CATALOGUES = "manage_catalogues"


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    PROVINCE_ACCOUNT_ADMIN = "province_account_admin", _("Province account administrator")
    PROVINCE_OFFICER = "province_officer", _("Province police officer")
    PROVINCE_LEADER = "province_leader", _("Province police leader")
    COMMUNE_OFFICER = "commune_officer", _("Commune police officer")
    COMMUNE_COMMITTEE = "commune_committee", _("Commune People's Committee")
    HELPER = "helper", _("Helper (mass organisation)")
    FUND_OFFICER = "fund_officer", _("Fund officer")
    FACILITY = "facility", _("Detention facility")


class Scoping(models.TextChoices):
    GLOBAL = "global", _("Whole country")
    PROVINCE = "province", _("A province")
    COMMUNE = "commune", _("A commune")
    ASSIGNMENT = "assignment", _("Assigned people")
    FUND = "fund", _("A fund")
    FACILITY = "facility", _("A detention facility")


@dataclass(frozen=True)
class RoleSpec:
    role: Role
    scoping: str
    capabilities: frozenset[str]
    sees_judgments: bool

    @property
    def needs_two_factor(self) -> bool:
        """Roles that see judgment data sign in with a second factor (TOTP)."""
        return self.sees_judgments


_POLICE_CASEWORK = {
    Cap.VIEW_PEOPLE,
    Cap.EDIT_PEOPLE,
    Cap.VIEW_JUDGMENTS,
    Cap.EDIT_CASEWORK,
    Cap.RECORD_CONTACTS,
    Cap.VIEW_CHILDREN,
    Cap.VIEW_REPORTS,
    Cap.VIEW_ORGANISATIONS,
}

ROLE_SPECS: dict[str, RoleSpec] = {
    spec.role.value: spec
    for spec in [
        RoleSpec(
            Role.SYSTEM_ADMIN,
            Scoping.GLOBAL,
            frozenset(
                {
                    *_POLICE_CASEWORK,
                    Cap.MANAGE_ORGANISATIONS,
                    Cap.MANAGE_ACCOUNTS,
                    Cap.VIEW_AUDIT,
                    Cap.MANAGE_CATALOGUES,
                    Cap.SIGN_LETTERS,
                    Cap.CERTIFY_LISTS,
                }
            ),
            sees_judgments=True,
        ),
        RoleSpec(
            Role.PROVINCE_ACCOUNT_ADMIN,
            Scoping.PROVINCE,
            frozenset(
                {Cap.MANAGE_ACCOUNTS, Cap.VIEW_ORGANISATIONS, Cap.MANAGE_ORGANISATIONS, Cap.VIEW_AUDIT}
            ),
            sees_judgments=False,
        ),
        RoleSpec(
            Role.PROVINCE_OFFICER,
            Scoping.PROVINCE,
            frozenset({*_POLICE_CASEWORK, Cap.MANAGE_ORGANISATIONS}),
            sees_judgments=True,
        ),
        RoleSpec(
            Role.PROVINCE_LEADER,
            Scoping.PROVINCE,
            frozenset(
                {
                    Cap.VIEW_PEOPLE,
                    Cap.VIEW_JUDGMENTS,
                    Cap.VIEW_CHILDREN,
                    Cap.VIEW_REPORTS,
                    Cap.VIEW_ORGANISATIONS,
                }
            ),
            sees_judgments=True,
        ),
        RoleSpec(Role.COMMUNE_OFFICER, Scoping.COMMUNE, frozenset(_POLICE_CASEWORK), sees_judgments=True),
        RoleSpec(
            Role.COMMUNE_COMMITTEE,
            Scoping.COMMUNE,
            frozenset(
                {
                    Cap.VIEW_PEOPLE,
                    Cap.VIEW_JUDGMENTS,
                    Cap.VIEW_REPORTS,
                    Cap.VIEW_ORGANISATIONS,
                    Cap.SIGN_LETTERS,
                    Cap.CERTIFY_LISTS,
                }
            ),
            sees_judgments=True,
        ),
        RoleSpec(
            Role.HELPER,
            Scoping.ASSIGNMENT,
            frozenset({Cap.VIEW_PEOPLE, Cap.VIEW_ASSIGNED, Cap.RECORD_CONTACTS, Cap.VIEW_CHILDREN}),
            sees_judgments=False,
        ),
        RoleSpec(Role.FUND_OFFICER, Scoping.FUND, frozenset({Cap.MANAGE_FUND}), sees_judgments=False),
        RoleSpec(Role.FACILITY, Scoping.FACILITY, frozenset({Cap.SEND_NOTICES}), sees_judgments=False),
    ]
}


def spec(role: str) -> RoleSpec:
    return ROLE_SPECS[role]
