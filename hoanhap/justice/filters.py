"""Filters of the judgment, release and offence endpoints (the rows are scoped before filtering)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from hoanhap.justice.models import Judgment, Offence, Release
from hoanhap.justice.rules.tables import CHAPTERS
from hoanhap.justice.selectors import offence_search


class JudgmentFilter(django_filters.FilterSet):
    person = django_filters.CharFilter(
        field_name="person__record_code", label=_("Record code of the person"), help_text="e.g. 91-000012"
    )
    judgment_date_from = django_filters.DateFilter(field_name="judgment_date", lookup_expr="gte")
    judgment_date_to = django_filters.DateFilter(field_name="judgment_date", lookup_expr="lte")

    class Meta:
        model = Judgment
        fields = ["person", "is_final"]


class ReleaseFilter(django_filters.FilterSet):
    person = django_filters.CharFilter(field_name="person__record_code", label=_("Record code of the person"))
    release_date_from = django_filters.DateFilter(field_name="release_date", lookup_expr="gte")
    release_date_to = django_filters.DateFilter(field_name="release_date", lookup_expr="lte")

    class Meta:
        model = Release
        fields = ["person"]


class OffenceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search", label=_("Article number or words of the name (tone marks optional)")
    )
    chapter = django_filters.TypedChoiceFilter(
        choices=[(n, roman) for n, (roman, _name) in CHAPTERS.items()], coerce=int
    )

    class Meta:
        model = Offence
        fields = ["chapter", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(pk__in=offence_search(query=value, active_only=False).values("pk"))
