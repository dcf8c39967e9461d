"""Form 01 lists: generate from the records, leave people out, certify, print (PDF, .docx)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from hoanhap.access import policy
from hoanhap.access.roles import Cap
from hoanhap.access.views_base import ScopedViewMixin
from hoanhap.audit import services as audit
from hoanhap.support import documents, exports, selectors, services
from hoanhap.support.forms import Form01CertifyForm, Form01EntryForm, Form01GenerateForm
from hoanhap.support.models import Form01Entry, Form01List
from hoanhap.support.views.base import ExportView, paginate, querystring


class Form01ListView(ScopedViewMixin, View):
    access_capability = Cap.VIEW_JUDGMENTS

    def get(self, request):
        page = paginate(request, selectors.form01_list(actor=request.user))
        can_generate = policy.has_cap(request.user, Cap.EDIT_CASEWORK)
        context = {
            "page": page,
            "lists": page.object_list,
            "querystring": querystring(request),
            "generate_form": Form01GenerateForm(
                actor=request.user, initial={"prepared_on": selectors.today()}
            )
            if can_generate
            else None,
        }
        return render(request, "support/form01_list.html", context)


class Form01ExportView(ExportView):
    access_capability = Cap.VIEW_JUDGMENTS
    table = exports.FORM01_LISTS
    list_url_name = "support:form01-list"

    def rows(self, request):
        return selectors.form01_list(actor=request.user), {}


class Form01GenerateView(ScopedViewMixin, View):
    """POST: prepare the list of a commune from the records."""

    access_capability = Cap.EDIT_CASEWORK

    def post(self, request):
        form = Form01GenerateForm(request.POST, actor=request.user)
        if not form.is_valid():
            messages.error(request, _("Choose a commune of your areas and the date."))
            return redirect("support:form01-list")
        listing = services.form01_generate(
            actor=request.user,
            commune=form.cleaned_data["commune"],
            prepared_on=form.cleaned_data["prepared_on"],
        )
        messages.success(
            request,
            _("List prepared: check it, leave out anyone who should not be on it, then have it certified."),
        )
        return redirect(listing.get_absolute_url())


class Form01DetailView(ScopedViewMixin, View):
    model = Form01List
    access_capability = Cap.VIEW_JUDGMENTS

    def get(self, request, pk):
        listing = selectors.form01_get(actor=request.user, pk=pk)
        unit = {"province": listing.province_id, "commune": listing.commune_id}
        can_edit = not listing.is_certified and policy.scope_for(request.user, Cap.EDIT_CASEWORK).covers(
            **unit
        )
        can_certify = not listing.is_certified and policy.scope_for(request.user, Cap.CERTIFY_LISTS).covers(
            **unit
        )
        context = {
            "listing": listing,
            "entries": listing.entries.select_related("person").order_by("position", "pk"),
            "can_edit": can_edit,
            "certify_form": Form01CertifyForm(
                initial={"certified_on": selectors.today(), "version": listing.version}
            )
            if can_certify
            else None,
            "provisional_note": documents.provisional_note(),
        }
        return render(request, "support/form01_detail.html", context)


class Form01EntryView(ScopedViewMixin, View):
    """POST: leave a person out of a draft list (with the reason), or put them back."""

    model = Form01Entry
    access_capability = Cap.EDIT_CASEWORK

    def post(self, request, pk):
        entry = selectors.form01_entry_get(actor=request.user, pk=pk)
        form = Form01EntryForm(request.POST)
        if form.is_valid():
            try:
                services.form01_set_entry(
                    actor=request.user,
                    entry=entry,
                    included=form.cleaned_data["included"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        return redirect(entry.list.get_absolute_url())


class Form01CertifyView(ScopedViewMixin, View):
    """POST: the commune People's Committee certifies the list."""

    model = Form01List
    access_capability = Cap.CERTIFY_LISTS

    def post(self, request, pk):
        listing = selectors.form01_get(actor=request.user, pk=pk, cap=Cap.CERTIFY_LISTS)
        form = Form01CertifyForm(request.POST)
        if form.is_valid():
            try:
                services.form01_certify(
                    actor=request.user,
                    listing=listing,
                    certified_on=form.cleaned_data["certified_on"],
                    reference=form.cleaned_data["reference"],
                    expected_version=form.cleaned_data.get("version"),
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            except PermissionDenied as exc:
                raise Http404 from exc
            else:
                messages.success(request, _("List certified."))
        return redirect(listing.get_absolute_url())


class Form01PrintView(ScopedViewMixin, View):
    """The list as PDF or .docx (provisional layout); the printout is audited."""

    model = Form01List
    access_capability = Cap.VIEW_JUDGMENTS

    def get(self, request, pk, fmt):
        if fmt not in documents.FORMATS:
            raise Http404
        listing = selectors.form01_get(actor=request.user, pk=pk)
        rendered = documents.render(listing, fmt)
        audit.record_view(listing, purpose=_("printing the Form 01 list"), what=fmt)
        response = HttpResponse(rendered.content, content_type=rendered.content_type)
        response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
        return response
