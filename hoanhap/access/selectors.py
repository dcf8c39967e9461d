"""Scoped reads of organisations, accounts and role grants. Every read goes through the policy.

Which accounts an administrator may manage (capability ``MANAGE_ACCOUNTS``):

* a system administrator (and the system actor of commands) manages every account;
* an area administrator (the province account administrator) manages an account when

  - the account belongs to an organisation inside one of the administrator's units, or
  - the account holds a role grant that has not ended (in force, or still to come) on a unit
    inside one of those units — for grants made through an organisation, the unit of that
    organisation.

  An account with neither (no organisation, no running grant) is visible to system
  administrators only, which is why area administrators must attach the accounts they open to an
  organisation of their area. Outside this scope an account answers 404, like a missing one.

Seeing an account is not enough to change it: see ``services.ensure_account_manageable``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from hoanhap.access import policy
from hoanhap.access.models import Organisation, RoleAssignment, User
from hoanhap.access.policy import AreaScope
from hoanhap.access.roles import Cap
from hoanhap.geo.models import Commune, Province


def not_ended_q(on: dt.date | None = None) -> Q:
    on = on or timezone.localdate()
    return Q(ends_on__isnull=True) | Q(ends_on__gte=on)


def in_force_q(on: dt.date | None = None) -> Q:
    on = on or timezone.localdate()
    return Q(starts_on__lte=on) & not_ended_q(on)


# Organisations ------------------------------------------------------------------------------


def organisation_list(*, actor: Any, cap: str = Cap.VIEW_ORGANISATIONS) -> QuerySet[Organisation]:
    """Organisations in the actor's areas, with their units and member count (one query a page)."""
    queryset = (
        Organisation.objects.select_related("province", "commune")
        .annotate(member_count=Count("members"))
        .order_by("province_id", "commune_id", "name", "pk")
    )
    return policy.restrict(queryset, actor, cap)


def organisation_get(*, actor: Any, pk: int, cap: str = Cap.VIEW_ORGANISATIONS) -> Organisation:
    """One organisation in the actor's areas; 404 otherwise."""
    return policy.get_or_404(Organisation.objects.select_related("province", "commune"), actor, cap, pk=pk)


def organisation_members(organisation: Organisation) -> QuerySet[User]:
    return organisation.members.order_by("-is_active", "username")


def organisation_grants(organisation: Organisation) -> QuerySet[RoleAssignment]:
    """Role grants made through the organisation that have not ended."""
    return (
        organisation.role_assignments.filter(not_ended_q())
        .select_related("user", "province", "commune")
        .order_by("role", "user__username")
    )


def can_manage_organisation(actor: Any, organisation: Organisation) -> bool:
    return policy.scope_for(actor, Cap.MANAGE_ORGANISATIONS).covers(
        province=organisation.province_id, commune=organisation.commune_id
    )


# Units offered in forms ----------------------------------------------------------------------


def province_choices(*, actor: Any, cap: str) -> QuerySet[Province]:
    """Provinces in which the actor holds ``cap`` (wholly, or through one of its communes)."""
    scope = policy.scope_for(actor, cap)
    if scope.everything:
        return Province.objects.all()
    codes = set(scope.provinces)
    if scope.communes:
        codes |= set(Commune.objects.filter(code__in=scope.communes).values_list("province_id", flat=True))
    return Province.objects.filter(code__in=codes)


def commune_choices(*, actor: Any, cap: str, province: int | None) -> QuerySet[Commune]:
    """Communes of ``province`` in which the actor holds ``cap`` (none without a province)."""
    if not province:
        return Commune.objects.none()
    scope = policy.scope_for(actor, cap)
    communes = Commune.objects.filter(province_id=province).order_by("name")
    if scope.everything or province in scope.provinces:
        return communes
    return communes.filter(code__in=scope.communes)


def organisation_choices(*, actor: Any, cap: str) -> QuerySet[Organisation]:
    """Active organisations in which the actor holds ``cap`` (for account and grant forms)."""
    return policy.restrict(Organisation.objects.filter(is_active=True), actor, cap).select_related(
        "province", "commune"
    )


# Accounts -----------------------------------------------------------------------------------


def _account_extra_q(actor: Any) -> Q | None:
    """Accounts reached through their running role grants (see the module docstring)."""
    scope = policy.scope_for(actor, Cap.MANAGE_ACCOUNTS)
    if scope.everything or scope.is_empty:
        return None
    grants = policy.restrict(RoleAssignment.objects.filter(not_ended_q()), actor, Cap.MANAGE_ACCOUNTS)
    return Q(pk__in=grants.values("user_id"))


def accounts_in_scope(actor: Any, queryset: QuerySet[User] | None = None) -> QuerySet[User]:
    queryset = User.objects.all() if queryset is None else queryset
    return policy.restrict(queryset, actor, Cap.MANAGE_ACCOUNTS, extra_q=_account_extra_q(actor))


def user_list(*, actor: Any, area: AreaScope | None = None) -> QuerySet[User]:
    """Accounts the actor manages, with organisation and grants in force (constant queries a page).

    ``area`` narrows the list further (the ``--scope`` of the command): accounts whose
    organisation or running grants lie in it.
    """
    current = RoleAssignment.objects.filter(in_force_q()).select_related(
        "province", "commune", "organisation"
    )
    queryset = accounts_in_scope(actor, User.objects.select_related("organisation", "organisation__province"))
    if area is not None and not area.everything:
        grants = RoleAssignment.objects.filter(not_ended_q()).filter(area.q(RoleAssignment.area_fields))
        queryset = queryset.filter(area.q(User.area_fields) | Q(pk__in=grants.values("user_id")))
    return queryset.prefetch_related(Prefetch("role_assignments", queryset=current, to_attr="current_grants"))


def user_get(*, actor: Any, pk: int) -> User:
    """One account the actor manages; 404 otherwise."""
    queryset = User.objects.select_related("organisation", "organisation__province", "organisation__commune")
    return policy.get_or_404(queryset, actor, Cap.MANAGE_ACCOUNTS, extra_q=_account_extra_q(actor), pk=pk)


def user_by_username(*, actor: Any, username: str) -> User | None:
    """The account named ``username`` if the actor manages it (for commands)."""
    return accounts_in_scope(actor).filter(username=username).first()


def user_grants(user: User) -> QuerySet[RoleAssignment]:
    """All grants of an account, running ones first, then the most recent."""
    return user.role_assignments.select_related("province", "commune", "organisation").order_by(
        "-starts_on", "role"
    )


def grant_get(*, actor: Any, pk: int) -> RoleAssignment:
    """A grant whose account the actor manages; 404 otherwise."""
    grant = policy.get_or_404(
        RoleAssignment.objects.select_related("user", "organisation"),
        actor,
        Cap.MANAGE_ACCOUNTS,
        extra_q=Q(user__in=accounts_in_scope(actor)),
        pk=pk,
    )
    return grant


def has_confirmed_device(user: User) -> bool:
    from django_otp import user_has_device

    return user_has_device(user, confirmed=True)
