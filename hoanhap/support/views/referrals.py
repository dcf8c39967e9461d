"""Policy-bank referrals: the eligibility explanation, the referral, the bank's decision, repayment."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from hoanhap.access.forms import add_service_errors
from hoanhap.access.roles import Cap
from hoanhap.access.views_base import ScopedViewMixin
from hoanhap.people import selectors as people_selectors
from hoanhap.support import conf, exports, selectors, services
from hoanhap.support.forms import DecisionForm, ReferralForm, RepaidForm
from hoanhap.support.models import PolicyBankReferral
from hoanhap.support.views.base import ExportView, done, page_or_partial, paginate, querystring


def _status(request) -> str:
    status = request.GET.get("status", "")
    return status if status in PolicyBankReferral.Status.values else ""


class ReferralListView(ScopedViewMixin, View):
    access_capability = Cap.VIEW_JUDGMENTS

    def get(self, request):
        status = _status(request)
        page = paginate(request, selectors.referral_list(actor=request.user, status=status))
        context = {
            "page": page,
            "referrals": page.object_list,
            "status": status,
            "statuses": PolicyBankReferral.Status.choices,
            "querystring": querystring(request),
        }
        return page_or_partial(
            request, "support/referral_list.html", "support/partials/_referral_results.html", context
        )


class ReferralExportView(ExportView):
    access_capability = Cap.VIEW_JUDGMENTS
    table = exports.REFERRALS
    list_url_name = "support:referral-list"

    def rows(self, request):
        status = _status(request)
        return selectors.referral_list(actor=request.user, status=status), {"status": status}


def rule_settings() -> dict:
    return {
        "training_cap": conf.training_cap_per_month(),
        "business_cap": conf.business_cap(),
        "window_years": conf.loan_window_years(),
    }


class ReferralCreateView(ScopedViewMixin, View):
    """The eligibility explanation for a request (re-checked as the form changes, HTMX), then the referral."""

    access_capability = Cap.EDIT_CASEWORK

    def person(self, request):
        key = (request.GET.get("person") or "").strip()
        if not key:
            return None
        person = people_selectors.person_get(actor=request.user, key=key, cap=Cap.EDIT_CASEWORK)
        return person

    def render(self, form, person, status=200):
        result = None
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            result = selectors.eligibility(
                person,
                purpose=data["purpose"],
                amount=data["amount"],
                months=data.get("months"),
                apply_on=data["referred_on"],
            )
        return page_or_partial(
            self.request,
            "support/referral_form.html",
            "support/partials/_eligibility.html",
            {"form": form, "person": person, "result": result, "rules": rule_settings()},
            status=status,
        )

    def get(self, request):
        person = self.person(request)
        if person is None:
            return render(request, "support/choose_beneficiary.html", {"next": "support:referral-create"})
        if "purpose" in request.GET:  # the HTMX re-check as the officer types
            return self.render(ReferralForm(request.GET), person)
        return self.render(
            ReferralForm(initial={"referred_on": selectors.today(), "purpose": "business"}), person
        )

    def post(self, request):
        person = self.person(request)
        if person is None:
            raise Http404
        form = ReferralForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                referral = services.referral_create(
                    actor=request.user,
                    person=person,
                    purpose=data["purpose"],
                    amount=data["amount"],
                    months=data.get("months"),
                    referred_on=data["referred_on"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied as exc:
                raise Http404 from exc
            else:
                return done(request, _("Referral recorded."), referral.get_absolute_url())
        self.request.htmx = False  # a refused referral shows the whole page with the explanation
        return self.render(form, person, status=400)


class ReferralDetailView(ScopedViewMixin, View):
    model = PolicyBankReferral
    access_capability = Cap.VIEW_JUDGMENTS

    def get(self, request, pk):
        referral = selectors.referral_get(actor=request.user, pk=pk)
        can_edit = selectors.edits_casework_over(request.user, referral.person)
        context = {
            "referral": referral,
            "checks": referral.eligibility.get("checks", []),
            "can_edit": can_edit,
            "decision_form": DecisionForm(
                initial={"decided_on": selectors.today(), "version": referral.version}
            )
            if can_edit and referral.status == PolicyBankReferral.Status.REFERRED
            else None,
            "repaid_form": RepaidForm(initial={"repaid_on": selectors.today()})
            if can_edit and referral.status == PolicyBankReferral.Status.APPROVED and not referral.repaid_on
            else None,
        }
        return render(request, "support/referral_detail.html", context)


def _editable(request, pk) -> PolicyBankReferral:
    referral = selectors.referral_get(actor=request.user, pk=pk, cap=Cap.EDIT_CASEWORK)
    return referral


class ReferralDecideView(ScopedViewMixin, View):
    model = PolicyBankReferral
    access_capability = Cap.EDIT_CASEWORK

    def post(self, request, pk):
        referral = _editable(request, pk)
        form = DecisionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.referral_decide(
                    actor=request.user,
                    referral=referral,
                    status=data["status"],
                    decided_on=data["decided_on"],
                    approved_amount=data.get("approved_amount"),
                    reference=data.get("reference", ""),
                    note=data.get("note", ""),
                    expected_version=data.get("version"),
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The bank's decision is recorded."))
        else:
            messages.error(request, _("The decision form is not complete."))
        return redirect(referral.get_absolute_url())


class ReferralRepaidView(ScopedViewMixin, View):
    model = PolicyBankReferral
    access_capability = Cap.EDIT_CASEWORK

    def post(self, request, pk):
        referral = _editable(request, pk)
        form = RepaidForm(request.POST)
        if form.is_valid():
            try:
                services.referral_repaid(
                    actor=request.user, referral=referral, repaid_on=form.cleaned_data["repaid_on"]
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Repayment recorded."))
        return redirect(referral.get_absolute_url())
