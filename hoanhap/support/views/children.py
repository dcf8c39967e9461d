"""Children of people in prison or released: list, detail (with the support they received), form."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from hoanhap.access.forms import add_service_errors
from hoanhap.access.roles import Cap
from hoanhap.access.views_base import ScopedViewMixin
from hoanhap.support import exports, selectors, services
from hoanhap.support.forms import ChildForm
from hoanhap.support.models import Child
from hoanhap.support.views.base import ExportView, done, page_or_partial, paginate, querystring


def _rows(request):
    q = (request.GET.get("q") or "").strip()
    commune = request.GET.get("commune") or ""
    rows = selectors.child_list(actor=request.user, q=q, commune=int(commune) if commune.isdigit() else None)
    return rows, {"q": q, "commune": commune}


class ChildListView(ScopedViewMixin, View):
    access_capability = Cap.VIEW_CHILDREN

    def get(self, request):
        rows, filters = _rows(request)
        page = paginate(request, rows)
        context = {
            "page": page,
            "children": page.object_list,
            "q": filters["q"],
            "querystring": querystring(request),
            "can_add": bool(selectors.form01_communes(request.user).exists()),
        }
        return page_or_partial(
            request, "support/child_list.html", "support/partials/_child_results.html", context
        )


class ChildExportView(ExportView):
    access_capability = Cap.VIEW_CHILDREN
    table = exports.CHILDREN
    list_url_name = "support:child-list"

    def rows(self, request):
        return _rows(request)


class ChildDetailView(ScopedViewMixin, View):
    model = Child
    access_capability = Cap.VIEW_CHILDREN

    def get(self, request, pk):
        child = selectors.child_get(actor=request.user, pk=pk)
        actions = selectors.action_list(actor=request.user, filters=selectors.ActionFilters(child=child.pk))
        context = {
            "child": child,
            "actions": actions[:100],
            "totals": selectors.totals(actions),
            "can_edit": selectors.can_edit_child(request.user, child),
        }
        return render(request, "support/child_detail.html", context)


class ChildFormView(ScopedViewMixin, View):
    """Register a child (``?parent=<record code>`` fills the parent) or correct one."""

    access_capability = Cap.EDIT_CASEWORK

    def child(self, pk):
        if pk is None:
            return None
        child = selectors.child_get(actor=self.request.user, pk=pk)
        if not selectors.can_edit_child(self.request.user, child):
            raise Http404
        return child

    def render(self, form, child, status=200):
        return page_or_partial(
            self.request,
            "support/child_form.html",
            "support/partials/_child_form.html",
            {"form": form, "child": child},
            status=status,
        )

    def get(self, request, pk=None):
        child = self.child(pk)
        if child is None:
            initial = {"parent": request.GET.get("parent", "")}
        else:
            initial = {f: getattr(child, f) for f in services.CHILD_FIELDS if f not in {"parent", "province"}}
            initial.update(parent=child.parent.record_code, version=child.version)
        return self.render(ChildForm(actor=request.user, initial=initial), child)

    def post(self, request, pk=None):
        child = self.child(pk)
        form = ChildForm(request.POST, actor=request.user)
        if form.is_valid():
            try:
                if child is None:
                    child = services.child_create(actor=request.user, data=form.service_data())
                    message = _("Child registered.")
                else:
                    services.child_update(
                        actor=request.user,
                        child=child,
                        data=form.service_data(),
                        expected_version=form.cleaned_data.get("version"),
                    )
                    message = _("Child's record corrected.")
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                return done(request, message, child.get_absolute_url())
        return self.render(form, child, status=400)


class ChildEditView(ChildFormView):
    model = Child
