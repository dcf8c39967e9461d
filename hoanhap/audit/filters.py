"""The filters of the audit log, shared by the page, its CSV export and the API.

Dates are whole days in Vietnam's time zone (``date_to`` includes the whole of that day), and
accept dd/mm/yyyy (or ISO in the API). ``action`` matches a code prefix (``people.`` or
``people.person.merged``). ``q`` matches the record's name or id, without regard to diacritics.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.apps import apps
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from hoanhap.audit.models import AuditEvent
from hoanhap.core.text import fold

EXPORT_TYPE = "export"


def record_type_choices() -> list[tuple[str, str]]:
    """Every model of ours (entries may concern any of them), plus exports, by translated name."""
    choices = [
        (m._meta.label_lower, str(capfirst(m._meta.verbose_name)))
        for m in apps.get_models()
        if m.__module__.startswith("hoanhap.") and m is not AuditEvent
    ]
    choices.append((EXPORT_TYPE, str(_("Export"))))
    return sorted(choices, key=lambda c: fold(c[1]))


@extend_schema_field(OpenApiTypes.INT)
class CodeFilter(django_filters.NumberFilter):
    """A unit code: a whole number."""

    field_class = forms.IntegerField


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_current_timezone())


class AppliedFilters:
    """A filter set that says which of its filters are in use: what a list's export records in its
    audit entry."""

    def applied(self) -> dict[str, str]:
        """The filters in use, as given."""
        if not self.is_bound or not self.form.is_valid():
            return {}
        return {
            key: str(self.data.get(key))
            for key, value in self.form.cleaned_data.items()
            if value not in (None, "", [])
        }


class AuditEventFilter(AppliedFilters, django_filters.FilterSet):
    date_from = django_filters.DateFilter(label=_("From"), method="filter_date_from")
    date_to = django_filters.DateFilter(label=_("To"), method="filter_date_to")
    actor = django_filters.CharFilter(label=_("Actor"), field_name="actor_label", lookup_expr="icontains")
    action = django_filters.CharFilter(label=_("Action"), method="filter_action")
    record_type = django_filters.ChoiceFilter(
        label=_("Record type"), field_name="target_type", choices=record_type_choices, empty_label=_("Any")
    )
    record_id = django_filters.CharFilter(label=_("Record id"), field_name="target_id")
    source = django_filters.ChoiceFilter(
        label=_("Source"), choices=AuditEvent.Source.choices, empty_label=_("Any")
    )
    province = CodeFilter(label=_("Province"), field_name="province_code")
    commune = CodeFilter(label=_("Commune"), field_name="commune_code")
    request_id = django_filters.CharFilter(label=_("Request id"), field_name="request_id")
    q = django_filters.CharFilter(label=_("Record"), method="filter_text")

    class Meta:
        model = AuditEvent
        fields: list[str] = []

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(occurred_at__gte=_start_of_day(value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(occurred_at__lt=_start_of_day(value + dt.timedelta(days=1)))

    def filter_action(self, queryset, name, value):
        return queryset.filter(action__startswith=value.strip())

    def filter_text(self, queryset, name, value):
        for word in fold(value).split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset
