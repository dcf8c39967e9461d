"""Catalogue pages: support kinds and funding sources (catalogue administrators)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views import View

from hoanhap.access.forms import add_service_errors
from hoanhap.access.roles import Cap
from hoanhap.access.views_base import ScopedViewMixin
from hoanhap.support import exports, services
from hoanhap.support.forms import KindForm, SourceForm
from hoanhap.support.models import FundingSource, SupportKind
from hoanhap.support.views.base import ExportView, done


class _CatalogueList(ScopedViewMixin, View):
    access_capability = Cap.MANAGE_CATALOGUES
    catalogue: type
    kind = ""

    def get(self, request):
        rows = self.catalogue.objects.order_by("order", "code")
        return render(request, "support/catalogue_list.html", {"rows": rows, "kind": self.kind})


class KindListView(_CatalogueList):
    catalogue = SupportKind
    kind = "kind"


class SourceListView(_CatalogueList):
    catalogue = FundingSource
    kind = "source"


class _CatalogueForm(ScopedViewMixin, View):
    access_capability = Cap.MANAGE_CATALOGUES
    form_class: type
    kind = ""

    def row(self, pk):
        return get_object_or_404(self.model, pk=pk) if pk is not None else None

    def render(self, form, row, status=200):
        return render(
            self.request,
            "support/catalogue_form.html",
            {"form": form, "row": row, "kind": self.kind},
            status=status,
        )

    def get(self, request, pk=None):
        row = self.row(pk)
        return self.render(self.form_class(instance=row), row)

    def post(self, request, pk=None):
        row = self.row(pk)
        form = self.form_class(request.POST, instance=row)
        if form.is_valid():
            try:
                saved = services.catalogue_save(
                    actor=request.user, model=self.model, data=form.cleaned_data, row=row
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return done(request, _("Saved: {name}.").format(name=saved.name), self.list_url())
        return self.render(form, row, status=400)

    def list_url(self) -> str:
        from django.urls import reverse

        return reverse("support:kind-list" if self.kind == "kind" else "support:source-list")


class KindFormView(_CatalogueForm):
    model = SupportKind
    form_class = KindForm
    kind = "kind"


class SourceFormView(_CatalogueForm):
    model = FundingSource
    form_class = SourceForm
    kind = "source"


class KindExportView(ExportView):
    access_capability = Cap.MANAGE_CATALOGUES
    table = exports.KINDS
    list_url_name = "support:kind-list"

    def rows(self, request):
        return SupportKind.objects.order_by("order", "code"), {}


class SourceExportView(ExportView):
    access_capability = Cap.MANAGE_CATALOGUES
    table = exports.SOURCES
    list_url_name = "support:source-list"

    def rows(self, request):
        return FundingSource.objects.order_by("order", "code"), {}
