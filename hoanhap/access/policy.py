"""The one choke point that decides which rows an actor may see and change.

Every list, detail page, form, API endpoint, search, export and report asks this module, never
the role codes directly:

* ``scope_for(actor, cap)`` gives the ``AreaScope`` in which ``actor`` holds capability ``cap``:
  the union of the units of the actor's role grants in force today that carry ``cap``. A grant
  on a province covers every commune in it. The system actor (commands run without ``--user``)
  and system administrators cover the whole country.
* ``restrict(queryset, actor, cap)`` filters any model that declares ``area_fields`` to that
  scope. It fails closed: no grant means an empty queryset, never "everything".
* ``get_or_404(queryset, actor, cap, **lookup)`` is the detail-page form: an object outside the
  scope answers 404, exactly like one that does not exist, so nobody learns that it exists.
* ``ensure_unit_in_scope(actor, cap, province=…, commune=…)`` is checked by services before a
  write: a record may not be moved (or created) outside the writer's area, except through the
  workflows made for that (transfers, facility notices), which call their own checks.

Roles scoped by assignment (helpers) contribute no area. Instead ``restrict`` opens to them the rows
of models whose ``area_fields`` name a ``person``, for the people assigned to them today; the
casework app, which owns assignments, registers that list with ``register_assignment_provider``.
Fund and facility roles contribute nothing here; the apps that own those relations (funds, intake)
add their own filters and combine them with ``restrict`` through ``extra_q``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from hoanhap.access.roles import ROLE_SPECS, Scoping


class SystemActor:
    """The actor of commands run without ``--user`` and of the demo loader: every area."""

    is_system = True
    is_authenticated = True
    is_active = True
    pk = None
    id = None
    username = "system"

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()


@dataclass(frozen=True)
class AreaScope:
    """A set of units: everything, or some provinces (with all their communes) and some communes."""

    everything: bool = False
    provinces: frozenset[int] = field(default_factory=frozenset)
    communes: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_empty(self) -> bool:
        return not self.everything and not self.provinces and not self.communes

    def covers(self, *, province: int | None, commune: int | None = None) -> bool:
        if self.everything:
            return True
        if province is not None and province in self.provinces:
            return True
        return commune is not None and commune in self.communes

    def q(self, fields: Any) -> Q:
        """A filter for a model whose rows sit in units named by ``fields`` (an AreaFields)."""
        if self.everything:
            return Q()
        if self.is_empty:
            return Q(pk__in=[])
        condition = Q(pk__in=[])
        if self.provinces:
            condition |= Q(**{f"{fields.province}__in": sorted(self.provinces)})
        if self.communes and fields.commune:
            condition |= Q(**{f"{fields.commune}__in": sorted(self.communes)})
        return condition


EVERYTHING = AreaScope(everything=True)
NOTHING = AreaScope()


def is_system(actor: Any) -> bool:
    return getattr(actor, "is_system", False)


def account_of(actor: Any) -> Any:
    """The user account behind ``actor`` for the records that name one (recorded by, chosen by):
    None for the system and for a visitor who is not signed in."""
    return actor if getattr(actor, "is_authenticated", False) and not is_system(actor) else None


def _grants(actor: Any):
    if (
        actor is None
        or not getattr(actor, "is_authenticated", False)
        or not getattr(actor, "is_active", False)
    ):
        return []
    return actor.active_assignments()


def has_cap(actor: Any, cap: str) -> bool:
    """Whether the actor holds ``cap`` anywhere (in some area, assignment, fund or facility)."""
    if is_system(actor):
        return True
    return any(cap in ROLE_SPECS[g.role].capabilities for g in _grants(actor))


def scope_for(actor: Any, cap: str) -> AreaScope:
    """The units in which ``actor`` holds capability ``cap`` today."""
    if is_system(actor):
        return EVERYTHING
    cache = (
        getattr(actor, "__dict__", {}).setdefault("_scope_cache", {}) if hasattr(actor, "__dict__") else {}
    )
    if cap in cache:
        return cache[cap]
    provinces: set[int] = set()
    communes: set[int] = set()
    everything = False
    for grant in _grants(actor):
        role = ROLE_SPECS[grant.role]
        if cap not in role.capabilities:
            continue
        if role.scoping == Scoping.GLOBAL:
            everything = True
        elif role.scoping == Scoping.PROVINCE and grant.province_id:
            provinces.add(grant.province_id)
        elif role.scoping == Scoping.COMMUNE and grant.commune_id:
            communes.add(grant.commune_id)
    result = (
        EVERYTHING if everything else AreaScope(provinces=frozenset(provinces), communes=frozenset(communes))
    )
    cache[cap] = result
    return result


# -- assignment scoping (helpers) ------------------------------------------------------------------

AssignmentProvider = Callable[[Any], QuerySet]
_assignment_providers: list[AssignmentProvider] = []


def register_assignment_provider(provider: AssignmentProvider) -> None:
    """Register ``provider(actor)``: a queryset of the ids of the people assigned to ``actor`` today.

    The casework app registers one at start-up; without any provider a helper sees nobody.
    """
    if provider not in _assignment_providers:
        _assignment_providers.append(provider)


def holds_by_assignment(actor: Any, cap: str) -> bool:
    """Whether ``actor`` holds ``cap`` through a role scoped by assignment (a helper grant)."""
    if is_system(actor):
        return False
    return any(
        ROLE_SPECS[g.role].scoping == Scoping.ASSIGNMENT and cap in ROLE_SPECS[g.role].capabilities
        for g in _grants(actor)
    )


def assigned_person_ids(actor: Any) -> QuerySet | None:
    """The ids of the people assigned to ``actor`` today (a lazy queryset), or None without a provider."""
    querysets = [provider(actor) for provider in _assignment_providers]
    if not querysets:
        return None
    result = querysets[0]
    for other in querysets[1:]:
        result = result.union(other)
    return result


def _assignment_q(model: type[Model], actor: Any, cap: str) -> Q | None:
    fields = model.area_fields
    if not fields.person or not holds_by_assignment(actor, cap):
        return None
    ids = assigned_person_ids(actor)
    if ids is None:
        return None
    return Q(**{f"{fields.person}__in": ids})


def restrict(queryset: QuerySet, actor: Any, cap: str, *, extra_q: Q | None = None) -> QuerySet:
    """Only the rows of ``queryset`` that ``actor`` may see with ``cap`` (empty when none).

    The area of the actor's grants, plus — for models that name a ``person`` — the people assigned to
    a helper, plus ``extra_q`` (relations owned by other apps: a fund, a facility).
    """
    fields = getattr(queryset.model, "area_fields", None)
    if fields is None:
        raise TypeError(f"{queryset.model.__name__} declares no area_fields; it cannot be scoped.")
    scope = scope_for(actor, cap)
    if scope.everything:
        return queryset
    extras = [q for q in (_assignment_q(queryset.model, actor, cap), extra_q) if q is not None]
    if scope.is_empty and not extras:
        return queryset.none()
    condition = scope.q(fields)
    for extra in extras:
        condition |= extra
    return queryset.filter(condition)


def row_test(actor: Any, cap: str, model: type[Model]) -> Callable[..., bool]:
    """What ``restrict`` keeps, as a test of rows already read: ``test(province, commune, person)``
    (``person``: the id of the person the row names, for models that name one).

    For bulk readers that read rows from an index alone (an import's near people, a million times):
    the same rule as the query, without it. The people assigned to a helper are read once.
    """
    scope = scope_for(actor, cap)
    if scope.everything:
        return lambda province, commune, person=None: True
    assigned: set = set()
    extra = _assignment_q(model, actor, cap)
    if extra is not None:  # the person ids of the rows ``restrict`` adds for the assignments
        person = model.area_fields.person
        assigned = set(model._default_manager.filter(extra).values_list(person, flat=True))
    areas: dict[tuple, bool] = {}

    def test(province: int | None, commune: int | None, person: int | None = None) -> bool:
        found = areas.get((province, commune))
        if found is None:
            found = areas[(province, commune)] = scope.covers(province=province, commune=commune)
        return found or person in assigned

    return test


def allows(actor: Any, cap: str, obj: Model) -> bool:
    """Whether ``actor`` holds ``cap`` over this one row (its area, or an assignment to its person)."""
    if not has_cap(actor, cap):
        return False
    if scope_for(actor, cap).everything:
        return True
    model = type(obj)
    return restrict(model._default_manager.filter(pk=obj.pk), actor, cap).exists()


def get_or_404(queryset: QuerySet, actor: Any, cap: str, *, extra_q: Q | None = None, **lookup: Any) -> Model:
    """One object inside the actor's scope; 404 when it is missing or outside."""
    try:
        return restrict(queryset, actor, cap, extra_q=extra_q).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404(_("Not found.")) from exc


def ensure_unit_in_scope(actor: Any, cap: str, *, province: int | None, commune: int | None = None) -> None:
    """Refuse a write that would place a record outside the writer's area."""
    if not scope_for(actor, cap).covers(province=province, commune=commune):
        raise PermissionDenied(_("This unit is outside the areas you are assigned."))


def organisation_ids(actor: Any, scoping: str) -> set[int]:
    """Organisations through which the actor holds an assignment-, fund- or facility-scoped role."""
    return {
        g.organisation_id
        for g in _grants(actor)
        if ROLE_SPECS[g.role].scoping == scoping and g.organisation_id
    }
