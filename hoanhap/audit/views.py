"""Pages of the audit log: browse and filter, one entry, export as CSV with a stated purpose.

Every page needs ``Cap.VIEW_AUDIT`` and reads through ``audit.selectors`` (area-scoped). Reading
the log is not itself audited; exporting it is (``export.created``, with purpose and row count).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views import View

from hoanhap.access.roles import Cap
from hoanhap.access.views_base import ScopedViewMixin
from hoanhap.audit import display, exports, selectors
from hoanhap.audit.filters import AuditEventFilter
from hoanhap.audit.forms import ExportForm, style_filter_form
from hoanhap.audit.models import AuditEvent
from hoanhap.audit.registry import actions

PAGE_SIZE = 50


def _querystring(request, *, drop: tuple[str, ...] = ("page",)) -> str:
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    return params.urlencode()


class EventListView(ScopedViewMixin, View):
    """The log, newest first, filtered; an HTMX request gets the results partial only."""

    access_capability = Cap.VIEW_AUDIT
    model = AuditEvent

    def get(self, request):
        filterset = style_filter_form(
            AuditEventFilter(
                request.GET or None, queryset=selectors.event_list(user=request.user), request=request
            ),
            request.user,
        )
        valid = filterset.is_valid() if filterset.is_bound else True
        events = filterset.qs if valid else AuditEvent.objects.none()
        page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = display.attach_unit_names(page.object_list)
        context = {
            "filter": filterset,
            "page": page,
            "querystring": _querystring(request),
            "export_form": ExportForm(),
            "action_codes": actions.known_codes(),
        }
        if request.htmx:
            context["refresh_communes"] = True  # the province may have changed: new commune choices
            return render(request, "audit/partials/_results.html", context)
        return render(request, "audit/event_list.html", context)


class EventDetailView(ScopedViewMixin, View):
    """One entry in full: every changed field, its details, and links to related entries."""

    access_capability = Cap.VIEW_AUDIT
    model = AuditEvent

    def get(self, request, pk: int):
        event = selectors.event_get(user=request.user, pk=pk)
        display.attach_unit_names([event])
        return render(
            request,
            "audit/event_detail.html",
            {
                "event": event,
                "changes": display.change_rows(event, resolve_relations=True),
                "data": event.data or {},
            },
        )


class EventExportView(ScopedViewMixin, View):
    """The filtered log as CSV, after the user states why; the export itself is audited."""

    access_capability = Cap.VIEW_AUDIT
    model = AuditEvent

    def _filterset(self, request) -> AuditEventFilter:
        return AuditEventFilter(
            request.GET, queryset=selectors.event_list(user=request.user), request=request
        )

    def _form_page(self, request, form, filterset, status=200) -> HttpResponse:
        context = {"form": form, "filter": filterset, "querystring": _querystring(request)}
        return render(request, "audit/event_export.html", context, status=status)

    def get(self, request):
        return self._form_page(request, ExportForm(), self._filterset(request))

    def post(self, request):
        form = ExportForm(request.POST)
        filterset = self._filterset(request)
        if not form.is_valid() or not filterset.is_valid():
            return self._form_page(request, form, filterset, status=400)
        rows = exports.export_log(
            user=request.user,
            events=filterset.qs,
            purpose=form.cleaned_data["purpose"],
            filters=filterset.applied(),
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = StreamingHttpResponse(
            exports.csv_lines(rows, language=translation.get_language()),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
        return response
