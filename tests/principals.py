"""The people the generic tests act as: one account per role, plus the edge cases around them.

Each role in ``Role`` gets one account, granted the way its scoping asks (the whole country, province
91 An Giang, commune 30682 Thoại Sơn, or an organisation there), so a new role is walked without
touching this file. What an account may see is derived here from the role table and the grant we
made — not from ``access.policy`` — so that the walk checks the views against an independent answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.test import Client
from rest_framework.authtoken.models import Token

from hoanhap.access.models import Organisation, User
from hoanhap.access.roles import ROLE_SPECS, Role, Scoping
from hoanhap.core.testing import AN_GIANG, CHAU_DOC, THOAI_SON, make_organisation, make_user, sign_in

SIGNED_IN = "signed_in"  # the pseudo-capability of pages every signed-in user may open

# The organisation kind through which organisation-scoped roles are granted.
_ORGANISATION_KIND = {
    Scoping.ASSIGNMENT: Organisation.Kind.WOMENS_UNION,
    Scoping.FUND: Organisation.Kind.LOAN_FUND,
    Scoping.FACILITY: Organisation.Kind.DETENTION_FACILITY,
}


@dataclass
class Principal:
    label: str
    user: User | None = None
    role: str | None = None
    province: int | None = None
    commune: int | None = None
    verified: bool = True  # signed in with the second factor (sign_in) or with the password only
    client: Client = field(default_factory=lambda: Client(raise_request_exception=False))
    token_client: Client | None = None

    @property
    def anonymous(self) -> bool:
        return self.user is None

    @property
    def scoping(self) -> str | None:
        return ROLE_SPECS[self.role].scoping if self.role else None

    @property
    def is_global(self) -> bool:
        return self.scoping == Scoping.GLOBAL

    @property
    def caps(self) -> frozenset[str]:
        return ROLE_SPECS[self.role].capabilities if self.role else frozenset()

    def holds(self, cap: str | None) -> bool:
        if self.anonymous or cap is None:
            return False
        return cap == SIGNED_IN or cap in self.caps

    def covers(self, province: int | None, commune: int | None) -> bool:
        """Whether the grant we made covers a row in (province, commune)."""
        if self.scoping == Scoping.GLOBAL:
            return True
        if self.scoping == Scoping.PROVINCE:
            return province is not None and province == self.province
        if self.scoping == Scoping.COMMUNE:
            return commune is not None and commune == self.commune
        return False  # organisation-scoped roles and accounts without a role cover no area

    @property
    def needs_two_factor(self) -> bool:
        return bool(self.role) and ROLE_SPECS[self.role].needs_two_factor

    def __str__(self) -> str:
        return self.label


def _grant_kwargs(role: str) -> dict:
    scoping = ROLE_SPECS[role].scoping
    if scoping == Scoping.GLOBAL:
        return {}
    if scoping == Scoping.PROVINCE:
        return {"province": AN_GIANG}
    if scoping == Scoping.COMMUNE:
        return {"commune": THOAI_SON}
    kind = _ORGANISATION_KIND.get(scoping, Organisation.Kind.OTHER)
    return {"organisation": make_organisation(kind, province=AN_GIANG, commune=THOAI_SON)}


def _principal(label: str, role: str | None, *, verified: bool = True, **grant) -> Principal:
    user = make_user(role, username=label.replace("@", "_at_").replace(" ", "_"), **grant)
    principal = Principal(
        label=label,
        user=user,
        role=role,
        province=grant.get("province"),
        commune=grant.get("commune"),
        verified=verified,
    )
    if not verified:
        principal.client.force_login(user)  # password only: the second factor is still owed
        return principal
    sign_in(principal.client, user)
    token = Token.objects.create(user=user)
    principal.token_client = Client(
        raise_request_exception=False, headers={"Authorization": f"Token {token.key}"}
    )
    return principal


def build_principals() -> list[Principal]:
    """Anonymous, one account per role, and the edge cases: another commune, no role, no second factor."""
    principals = [Principal(label="anonymous")]
    for role in Role:
        principals.append(_principal(role.value, role.value, **_grant_kwargs(role.value)))
    principals.append(
        _principal(f"{Role.COMMUNE_OFFICER.value}@chau_doc", Role.COMMUNE_OFFICER.value, commune=CHAU_DOC)
    )
    principals.append(_principal("no_role", None))
    principals.append(
        _principal(
            f"{Role.COMMUNE_OFFICER.value} without 2FA",
            Role.COMMUNE_OFFICER.value,
            verified=False,
            commune=THOAI_SON,
        )
    )
    return principals
