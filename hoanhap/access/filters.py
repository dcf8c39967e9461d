"""Filters shared by the list pages and the API. Choices come from the actor's own areas.

Text search folds Vietnamese (``hoanhap.core.text.fold``): "hoi phu nu", "Hội Phụ Nữ" and
"HOI PHU NU" find the same rows. Each word must appear.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q, Subquery
from django.utils.translation import gettext_lazy as _

from hoanhap.access import policy
from hoanhap.access.models import Organisation, RoleAssignment, User
from hoanhap.access.roles import Cap, Role
from hoanhap.audit.filters import AppliedFilters
from hoanhap.core.text import fold
from hoanhap.geo.models import Commune, Province


def _folded_words(queryset, field: str, value: str):
    for word in fold(value).split():
        queryset = queryset.filter(**{f"{field}__contains": word})
    return queryset


def _visible_organisations(request):
    user = getattr(request, "user", None)
    return policy.restrict(Organisation.objects.all(), user, Cap.VIEW_ORGANISATIONS)


def _province_choices(request):
    """Provinces that hold organisations the user can see (a short list whatever the country)."""
    if request is None:
        return Province.objects.all()
    return Province.objects.filter(code__in=Subquery(_visible_organisations(request).values("province")))


def _commune_choices(request):
    if request is None:
        return Commune.objects.all()
    return Commune.objects.filter(
        code__in=Subquery(_visible_organisations(request).values("commune"))
    ).order_by("province_id", "name")


class OrganisationFilter(AppliedFilters, django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.ChoiceFilter(
        choices=Organisation.Kind.choices, label=_("Kind"), empty_label=_("All kinds")
    )
    province = django_filters.ModelChoiceFilter(
        queryset=_province_choices, label=_("Province"), empty_label=_("All provinces")
    )
    commune = django_filters.ModelChoiceFilter(
        queryset=_commune_choices, label=_("Commune"), empty_label=_("All communes")
    )
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Organisation
        fields = ["q", "kind", "province", "commune", "is_active"]

    def search(self, queryset, name, value):
        return _folded_words(queryset, "name_folded", value)


class UserFilter(AppliedFilters, django_filters.FilterSet):
    STATUS_CHOICES = [("active", _("Active")), ("inactive", _("Deactivated"))]

    q = django_filters.CharFilter(method="search", label=_("Search"))
    role = django_filters.ChoiceFilter(
        choices=Role.choices, method="filter_role", label=_("Role"), empty_label=_("All roles")
    )
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, method="filter_status", label=_("Status"), empty_label=_("All accounts")
    )

    class Meta:
        model = User
        fields = ["q", "role", "status"]

    def search(self, queryset, name, value):
        return _folded_words(queryset, "name_folded", value)

    def filter_role(self, queryset, name, value):
        from hoanhap.access.selectors import in_force_q

        holders = RoleAssignment.objects.filter(in_force_q(), role=value).values("user_id")
        return queryset.filter(pk__in=holders)

    def filter_status(self, queryset, name, value):
        return queryset.filter(Q(is_active=(value == "active")))
