"""A form field for choosing one current commune, for any app's forms.

Usage::

    from hoanhap.geo.forms import CommuneChoiceField

    class PersonForm(forms.ModelForm):
        # All communes the user may act in, grouped by province, with a search box:
        home_commune = CommuneChoiceField(label=_("Commune"), search=True)

        def __init__(self, *args, user, **kwargs):
            super().__init__(*args, **kwargs)
            scope = policy.scope_for(user, Cap.EDIT_PEOPLE)
            self.fields["home_commune"].limit_to_scope(scope)   # or .queryset = any Commune queryset

* The value is a ``Commune`` (its primary key is the official code), validated against the
  field's queryset, exactly like ``ModelChoiceField``; options show the name with its type
  ("Xã Thoại Sơn") grouped by province.
* ``provinces=[91]`` limits the choices to some provinces; ``limit_to_scope(scope)`` to an
  ``access.policy.AreaScope`` (what the user may write to: always do this in scoped forms).
* ``search=True`` adds a search box above the select: typing narrows the options through HTMX
  (``geo:commune-options``, folded name search, so "thoai son" finds "Xã Thoại Sơn"). When more
  than ``SEARCH_ONLY_OVER`` communes are allowed, only the chosen one is rendered at first and
  the search box fills the list, so a nationwide picker does not send 3,321 options.
* To turn a free-text address into a commune (imports, "paste an old address"), use
  ``hoanhap.geo.resolver.resolve`` instead.
"""

from __future__ import annotations

from itertools import groupby
from urllib.parse import urlencode

from django import forms
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hoanhap.geo.models import Commune

SEARCH_ONLY_OVER = 400
SEARCH_FROM = 20  # fewer choices than this: no search box, the list is short enough


class CommuneSelect(forms.Select):
    """A select grouped by province, with an optional HTMX search box (see the module docstring)."""

    template_name = "geo/widgets/commune_select.html"

    def __init__(self, attrs=None, choices=(), *, search: bool = False, provinces: list[int] | None = None):
        attrs = {"class": "form-select", **(attrs or {})}
        super().__init__(attrs, choices)
        self.search = search
        self.provinces = list(provinces or [])

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        query = {"field": name}
        if self.provinces:
            query["provinces"] = ",".join(str(p) for p in self.provinces)
        context["widget"]["search"] = (
            self.search and bool(context["widget"]["attrs"].get("id")) and len(self.choices) >= SEARCH_FROM
        )
        context["widget"]["options_url"] = reverse("geo:commune-options") + "?" + urlencode(query)
        return context

    def optgroups(self, name, value, attrs=None):
        if not (self.search and len(self.choices) > SEARCH_ONLY_OVER):
            return super().optgroups(name, value, attrs)
        codes = [int(v) for v in value if str(v).isdigit()]
        chosen = Commune.objects.filter(code__in=codes).select_related("province")
        original = self.choices
        self.choices = [("", _("Type to search…"))] + [(c.province.name, [(c.code, c.name)]) for c in chosen]
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = original


class _GroupedByProvince(ModelChoiceIterator):
    """Choices as ``(province name, [(code, commune name), ...])`` groups, in code order."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        queryset = self.queryset.select_related("province").order_by("province_id", "name_folded", "code")
        for province, communes in groupby(queryset, key=lambda c: c.province):
            yield (province.name, [self.choice(c) for c in communes])


class CommuneChoiceField(forms.ModelChoiceField):
    """Choose one current commune; see the module docstring."""

    iterator = _GroupedByProvince

    def __init__(self, queryset=None, *, provinces: list[int] | None = None, search: bool = False, **kwargs):
        qs = Commune.objects.all() if queryset is None else queryset
        if provinces:
            qs = qs.filter(province_id__in=provinces)
        kwargs.setdefault("widget", CommuneSelect(search=search, provinces=provinces))
        kwargs.setdefault("label", _("Commune"))
        super().__init__(qs, **kwargs)

    def label_from_instance(self, obj: Commune) -> str:
        return obj.name

    def limit_to_scope(self, scope) -> None:
        """Keep only the communes inside an ``access.policy.AreaScope``."""
        if scope.everything:
            return
        self.queryset = self.queryset.filter(
            Q(province_id__in=sorted(scope.provinces)) | Q(code__in=sorted(scope.communes))
        )
        if isinstance(self.widget, CommuneSelect) and scope.provinces and not scope.communes:
            self.widget.provinces = sorted(scope.provinces)
