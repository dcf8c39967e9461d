"""Forms of the audit pages: the export's stated purpose, and the look of the filter form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hoanhap.access import policy
from hoanhap.access.roles import Cap
from hoanhap.audit.filters import AuditEventFilter
from hoanhap.geo.models import Commune, Province


class ExportForm(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose of the export"),
        max_length=255,
        help_text=_("Why the log leaves the system, e.g. 'inspection of the provincial police, plan 12/KH'."),
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )

    def clean_purpose(self) -> str:
        purpose = self.cleaned_data["purpose"].strip()
        if len(purpose) < 5:
            raise forms.ValidationError(_("Describe the purpose in a few words."))
        return purpose


def _province_choices(user: Any) -> list[tuple[str, str]]:
    scope = policy.scope_for(user, Cap.VIEW_AUDIT)
    provinces = Province.objects.order_by("code")
    if not scope.everything:
        codes = set(scope.provinces)
        if scope.communes:
            codes |= set(Commune.objects.filter(pk__in=scope.communes).values_list("province_id", flat=True))
        provinces = provinces.filter(pk__in=codes)
    return [("", _("All provinces"))] + [
        (str(code), name) for code, name in provinces.values_list("code", "name")
    ]


def _commune_choices(user: Any, province: int | None) -> list[tuple[str, str]]:
    if province is None:
        return [("", _("Choose a province first"))]
    scope = policy.scope_for(user, Cap.VIEW_AUDIT)
    communes = Commune.objects.filter(province_id=province).order_by("name")
    if not scope.everything and province not in scope.provinces:
        communes = communes.filter(pk__in=scope.communes)
    return [("", _("All communes"))] + [
        (str(code), name) for code, name in communes.values_list("code", "name")
    ]


def selected_province(filterset: AuditEventFilter) -> int | None:
    value = filterset.data.get("province") if filterset.data else None
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None


def style_filter_form(filterset: AuditEventFilter, user: Any) -> AuditEventFilter:
    """Bootstrap classes, and unit selects limited to the user's areas (the page only)."""
    form = filterset.form
    form.fields["province"].widget = forms.Select(choices=_province_choices(user))
    form.fields["commune"].widget = forms.Select(choices=_commune_choices(user, selected_province(filterset)))
    for name in ("date_from", "date_to"):
        form.fields[name].widget.attrs.update(
            {"placeholder": _("dd/mm/yyyy"), "inputmode": "numeric", "autocomplete": "off"}
        )
    form.fields["action"].widget.attrs.update({"placeholder": "people.person", "list": "audit-action-codes"})
    form.fields["q"].widget.attrs.update({"placeholder": _("Name or id of the record"), "type": "search"})
    for field in form.fields.values():
        css = (
            "form-select form-select-sm"
            if isinstance(field.widget, forms.Select)
            else "form-control form-control-sm"
        )
        field.widget.attrs["class"] = css
    return filterset
