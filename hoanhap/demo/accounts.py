"""One demo account per role, all with the same printed password.

Accounts are matched on their username. An existing account is never changed: its password,
name and organisation stay as they are (someone may have changed them while trying the demo);
only a missing role grant is added.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import check_password
from django.utils.translation import gettext as _

from hoanhap.access import policy, services
from hoanhap.access.models import Organisation, RoleAssignment, User
from hoanhap.access.roles import ROLE_SPECS, Role, Scoping
from hoanhap.demo import organisations
from hoanhap.demo import province as demo


@dataclass(frozen=True)
class AccountSpec:
    username: str
    full_name: str
    role: str
    organisation: str | None  # an organisation key (see organisations.py); None: no organisation


ACCOUNTS: list[AccountSpec] = [
    AccountSpec("admin", "Nguyễn Minh Quân", Role.SYSTEM_ADMIN, None),
    AccountSpec("qtv.angiang", "Trần Thị Thu Hà", Role.PROVINCE_ACCOUNT_ADMIN, "province_police"),
    AccountSpec("canbo.tinh", "Lê Văn Hùng", Role.PROVINCE_OFFICER, "province_police"),
    AccountSpec("lanhdao.tinh", "Phạm Quốc Dũng", Role.PROVINCE_LEADER, "province_police"),
    AccountSpec("canbo.thoaison", "Huỳnh Văn Tâm", Role.COMMUNE_OFFICER, f"commune_police:{demo.THOAI_SON}"),
    AccountSpec("canbo.triton", "Chau Sóc Kha", Role.COMMUNE_OFFICER, f"commune_police:{demo.TRI_TON}"),
    AccountSpec(
        "ubnd.thoaison",
        "Võ Thị Kim Loan",
        Role.COMMUNE_COMMITTEE,
        f"commune_committee:{demo.THOAI_SON}",
    ),
    AccountSpec("hoiphunu.thoaison", "Nguyễn Thị Mỹ Linh", Role.HELPER, f"womens_union:{demo.THOAI_SON}"),
    AccountSpec("quy.triton", "Đặng Văn Phúc", Role.FUND_OFFICER, "fund:tri_ton"),
    AccountSpec("trai.dinhthanh", "Bùi Thanh Tùng", Role.FACILITY, "facility:dinh_thanh"),
]

USERNAMES: list[str] = [a.username for a in ACCOUNTS]


def grant_unit(role: str, organisation: Organisation | None) -> dict[str, Any]:
    """The unit fields of the demo grant of ``role`` for a member of ``organisation``.

    Area roles are granted on the province (or the organisation's commune); helper, fund and
    facility roles are granted through the organisation itself.
    """
    scoping = ROLE_SPECS[role].scoping
    if scoping == Scoping.GLOBAL:
        return {"province_id": None, "commune_id": None, "organisation": None}
    if scoping == Scoping.PROVINCE:
        return {"province_id": demo.PROVINCE, "commune_id": None, "organisation": None}
    if organisation is None:
        raise ValueError(f"Role {role} needs an organisation.")
    if scoping == Scoping.COMMUNE:
        return {
            "province_id": organisation.province_id,
            "commune_id": organisation.commune_id,
            "organisation": None,
        }
    return {"province_id": organisation.province_id, "commune_id": None, "organisation": organisation}


def load() -> dict[str, int]:
    """Create the missing demo accounts and their missing role grants (through the access services)."""
    orgs = organisations.organisations(*{a.organisation for a in ACCOUNTS if a.organisation})
    existing = User.objects.in_bulk(USERNAMES, field_name="username")
    accounts = grants = 0
    for spec in ACCOUNTS:
        org = orgs.get(spec.organisation) if spec.organisation else None
        user = existing.get(spec.username)
        if user is None:
            user = services.user_create(
                actor=policy.SYSTEM,
                username=spec.username,
                full_name=spec.full_name,
                password=demo.DEMO_PASSWORD,
                organisation=org,
                must_change_password=False,  # everyone shares the printed password
            )
            accounts += 1
        unit = grant_unit(spec.role, org)
        if not RoleAssignment.objects.filter(user=user, role=spec.role, **unit).exists():
            services.role_grant(
                actor=policy.SYSTEM,
                user=user,
                role=spec.role,
                province=unit["province_id"],
                commune=unit["commune_id"],
                organisation=unit["organisation"],
                starts_on=demo.GRANTS_START,
            )
            grants += 1
    return {"accounts": accounts, "grants": grants}


@dataclass(frozen=True)
class AccountRow:
    username: str
    full_name: str
    role: str  # translated label
    unit: str  # where the grant applies, with the organisation when it adds something
    password: str | None  # the demo password, or None when the account's password was changed


def account_rows() -> list[AccountRow]:
    """The demo accounts that exist, one row per role grant in force, in the order of ACCOUNTS."""
    users = User.objects.select_related("organisation").in_bulk(USERNAMES, field_name="username")
    checked: dict[str, bool] = {}  # one hash check per distinct hash (demo accounts share one)
    rows: list[AccountRow] = []
    for spec in ACCOUNTS:
        user = users.get(spec.username)
        if user is None:
            continue
        if user.password not in checked:
            checked[user.password] = check_password(demo.DEMO_PASSWORD, user.password)
        password = demo.DEMO_PASSWORD if checked[user.password] else None
        for grant in user.active_assignments() or [None]:
            if grant is None:
                role, unit = "—", str(user.organisation or "—")
            else:
                role, unit = str(grant.get_role_display()), _grant_text(grant, user.organisation)
            rows.append(AccountRow(user.username, user.full_name, role, unit, password))
    return rows


def _grant_text(grant: RoleAssignment, organisation: Organisation | None) -> str:
    place = grant.organisation or grant.commune or grant.province
    if place is None:
        return _("Whole country")
    if organisation is not None and organisation.pk != getattr(grant.organisation, "pk", None):
        return f"{place} ({organisation})"
    return str(place)
