"""Geography pages: the address look-up and the province → commune browser.

Units are reference data, so every signed-in user sees them all (``SignedInViewMixin``). Each view
returns its partial when asked by HTMX, the whole page otherwise.
"""

from __future__ import annotations

from django.shortcuts import render
from django.views.generic import DetailView, TemplateView, View

from hoanhap.access.views_base import SignedInViewMixin
from hoanhap.geo import selectors
from hoanhap.geo.models import Commune, Province
from hoanhap.geo.resolver import resolve

NAME_SEARCH_LIMIT = 20
OPTIONS_LIMIT = 60


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() else None


class LookupView(SignedInViewMixin, TemplateView):
    """Type an address (current or legacy) and see the current commune(s) it lies in."""

    template_name = "geo/lookup.html"

    def get_template_names(self):
        if self.request.htmx:
            return ["geo/partials/_resolution.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        q = self.request.GET.get("q", "").strip()[:300]
        hint = _int_or_none(self.request.GET.get("province"))
        provinces = selectors.province_list()
        context.update(q=q, hint=hint, provinces=provinces, resolution=None, by_name=[])
        if q:
            resolution = resolve(q, province_hint=hint)
            context["resolution"] = resolution
            if not resolution.matches and not resolution.candidates:
                context["by_name"] = list(
                    selectors.commune_search(q, provinces=[hint] if hint else None)[:NAME_SEARCH_LIMIT]
                )
        return context


class ProvinceDetailView(SignedInViewMixin, DetailView):
    """The communes of one province, each with the legacy communes it was formed from."""

    model = Province
    template_name = "geo/province_detail.html"
    context_object_name = "province"

    def get_template_names(self):
        if self.request.htmx:
            return ["geo/partials/_province_communes.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        q = self.request.GET.get("q", "").strip()[:100]
        communes = list(selectors.commune_search(q, provinces=[self.object.code]))
        predecessors = selectors.predecessors_of([c.code for c in communes])
        context.update(q=q, rows=[(c, predecessors[c.code]) for c in communes])
        return context


class CommuneDetailView(SignedInViewMixin, DetailView):
    """One current commune: its province and the legacy communes it came from."""

    model = Commune
    template_name = "geo/commune_detail.html"
    context_object_name = "commune"

    def get_queryset(self):
        return Commune.objects.select_related("province")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["predecessors"] = selectors.predecessors_of([self.object.code])[self.object.code]
        return context


class CommuneOptionsView(SignedInViewMixin, View):
    """``<option>`` elements for ``CommuneSelect``'s search box (see ``hoanhap.geo.forms``)."""

    def get(self, request):
        provinces = [int(p) for p in request.GET.get("provinces", "").split(",") if p.strip().isdigit()]
        field = request.GET.get("field", "")
        q = request.GET.get("q", request.GET.get(field + "__search", "")).strip()[:100]
        selected = _int_or_none(request.GET.get(field)) if field else None
        communes = list(selectors.commune_search(q, provinces=provinces or None)[:OPTIONS_LIMIT])
        if selected and all(c.code != selected for c in communes):
            chosen = selectors.commune_search(provinces=provinces or None).filter(code=selected).first()
            if chosen is not None:
                communes = sorted([chosen, *communes], key=lambda c: (c.province_id, c.name_folded, c.code))
        return render(
            request,
            "geo/partials/_commune_options.html",
            {"communes": communes, "selected": selected, "q": q},
        )
