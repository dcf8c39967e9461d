"""Release notice pages: the list of an area, a facility's own notices, entry (one or a whole list), verification."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from hoanhap.access import policy
from hoanhap.access.roles import Cap
from hoanhap.access.views_base import ScopedViewMixin
from hoanhap.audit.lists import ExportView, querystring
from hoanhap.intake import exports, selectors, services
from hoanhap.intake.forms import BulkNoticeForm, NoticeForm, VerifyForm
from hoanhap.intake.models import ReleaseNotice
from hoanhap.intake.views.base import done, page_or_partial, policies, service_call

PAGE_SIZE = 50


def _filtered(request, queryset):
    state = request.GET.get("state", "")
    if state == "to_verify":
        queryset = queryset.filter(verified_on__isnull=True)
    elif state == "late":
        queryset = queryset.filter(is_late=True)
    elif state == "address_wrong":
        queryset = queryset.filter(verification_result=ReleaseNotice.Result.ADDRESS_WRONG)
    q = (request.GET.get("q") or "").strip()
    if q:
        from hoanhap.core.text import fold

        queryset = queryset.filter(person__name_folded__contains=fold(q))
    return queryset, state, q


class NoticeListView(ScopedViewMixin, View):
    """Notices naming a commune of the user's areas (filter: to verify, late, wrong address)."""

    access_capability = Cap.VIEW_JUDGMENTS
    facility = False

    def queryset(self):
        return selectors.notice_list(actor=self.request.user)

    def get(self, request):
        queryset, state, q = _filtered(request, self.queryset())
        page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "page": page,
            "notices": page.object_list,
            "querystring": querystring(request),
            "state": state,
            "q": q,
            "facility": self.facility,
            "can_enter": policy.has_cap(
                request.user, Cap.SEND_NOTICES if self.facility else Cap.EDIT_CASEWORK
            ),
        }
        return page_or_partial(
            request, "intake/notice_list.html", "intake/partials/_notice_rows.html", context
        )


class NoticeExportView(ExportView):
    """The notice list as .xlsx or .csv, with the list's filters."""

    access_capability = Cap.VIEW_JUDGMENTS
    table = exports.NOTICES
    list_url_name = "intake:notice-list"

    def rows(self, request):
        queryset, state, q = _filtered(request, selectors.notice_list(actor=request.user))
        return queryset.select_related("person", "facility", "commune"), {"state": state, "q": q}


class FacilityNoticeListView(NoticeListView):
    """The notices the user's detention facility sent, and nothing else."""

    access_capability = Cap.SEND_NOTICES
    facility = True

    def queryset(self):
        return selectors.facility_notice_list(actor=self.request.user)


class NoticeCreateView(ScopedViewMixin, View):
    """One notice: a facility for any commune, a commune officer for a paper notice of their area."""

    access_capability = Cap.EDIT_CASEWORK
    facility = False

    def form(self, data=None):
        return NoticeForm(data, actor=self.request.user, for_facility=self.facility)

    def render(self, form):
        return render(
            self.request,
            "intake/notice_form.html",
            {"form": form, "facility": self.facility, "policies": policies()},
        )

    def get(self, request):
        return self.render(self.form())

    def post(self, request):
        form = self.form(request.POST)
        if form.is_valid():
            ok, notice = service_call(
                form, services.notice_receive, actor=request.user, data=form.service_data()
            )
            if ok:
                messages.success(
                    request,
                    _("Notice filed for {name}; residence check due by {date}.").format(
                        name=notice.person.full_name, date=notice.verify_by.strftime("%d/%m/%Y")
                    ),
                )
                name = "intake:facility-notice-detail" if self.facility else "intake:notice-detail"
                return redirect(name, pk=notice.pk)
        return self.render(form)


class FacilityNoticeCreateView(NoticeCreateView):
    access_capability = Cap.SEND_NOTICES
    facility = True


class NoticeBulkView(ScopedViewMixin, View):
    """A whole list of notices at once (an amnesty round): CSV pasted or uploaded; all or nothing."""

    access_capability = Cap.EDIT_CASEWORK
    facility = False

    def render(self, form, rows=None, errors=None):
        return render(
            self.request,
            "intake/notice_bulk.html",
            {"form": form, "rows": rows or [], "errors": errors or {}, "facility": self.facility},
        )

    def get(self, request):
        return self.render(BulkNoticeForm())

    def post(self, request):
        form = BulkNoticeForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form)
        rows = form.cleaned_data["rows"]
        errors = {row.line: row.errors for row in rows if row.errors}
        if not errors:
            reference = form.cleaned_data.get("reference") or ""
            data = [(row.line, {**row.data, "reference": reference}) for row in rows]
            try:
                created = services.notice_receive_bulk(actor=request.user, rows=data)
            except services.BulkErrors as exc:
                errors = exc.by_line
                form.add_error(None, exc.messages)
            else:
                messages.success(
                    request,
                    ngettext("{count} notice filed.", "{count} notices filed.", len(created)).format(
                        count=len(created)
                    ),
                )
                return redirect("intake:facility-notice-list" if self.facility else "intake:notice-list")
        else:
            form.add_error(None, _("Some lines are not valid; nothing was filed."))
        return self.render(form, rows, errors)


class FacilityNoticeBulkView(NoticeBulkView):
    access_capability = Cap.SEND_NOTICES
    facility = True


class NoticeDetailView(ScopedViewMixin, View):
    model = ReleaseNotice
    access_capability = Cap.VIEW_JUDGMENTS
    facility = False

    def get_notice(self, pk):
        return selectors.notice_get(actor=self.request.user, pk=pk)

    def get(self, request, pk):
        notice = self.get_notice(pk)
        can_verify = not self.facility and policy.scope_for(request.user, Cap.EDIT_CASEWORK).covers(
            province=notice.province_id, commune=notice.commune_id
        )
        return render(
            request,
            "intake/notice_detail.html",
            {"notice": notice, "facility": self.facility, "can_verify": can_verify, "policies": policies()},
        )


class FacilityNoticeDetailView(NoticeDetailView):
    access_capability = Cap.SEND_NOTICES
    facility = True

    def get_notice(self, pk):
        return selectors.facility_notice_get(actor=self.request.user, pk=pk)


class NoticeVerifyView(ScopedViewMixin, View):
    """The residence check of a notice: confirmed, or wrong address (then the HCD-03 letter)."""

    model = ReleaseNotice
    access_capability = Cap.EDIT_CASEWORK

    def render(self, form, notice):
        return page_or_partial(
            self.request,
            "intake/notice_verify.html",
            "intake/partials/_verify_form.html",
            {"form": form, "notice": notice},
        )

    def get(self, request, pk):
        notice = selectors.notice_get(actor=request.user, pk=pk, cap=Cap.EDIT_CASEWORK)
        return self.render(VerifyForm(initial={"version": notice.version}), notice)

    def post(self, request, pk):
        notice = selectors.notice_get(actor=request.user, pk=pk, cap=Cap.EDIT_CASEWORK)
        form = VerifyForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            ok, _notice = service_call(
                form,
                services.notice_verify,
                actor=request.user,
                notice=notice,
                result=data["result"],
                verified_on=data["verified_on"],
                note=data["note"],
                expected_version=data.get("version"),
            )
            if ok:
                return done(request, _("The verification has been recorded."), notice.get_absolute_url())
        return self.render(form, notice)
