"""Organisation pages: list (filtered with HTMX) and its export, detail, create and edit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from hoanhap.access import exports, policy, selectors, services
from hoanhap.access.filters import OrganisationFilter
from hoanhap.access.forms import OrganisationForm, add_service_errors, bootstrap
from hoanhap.access.models import Organisation
from hoanhap.access.roles import Cap
from hoanhap.access.views_base import ScopedViewMixin, SignedInViewMixin
from hoanhap.audit.lists import ExportView, querystring


def organisation_filter(request) -> OrganisationFilter:
    """The list's filters over the organisations in the user's areas (the page and its export)."""
    return OrganisationFilter(
        request.GET, queryset=selectors.organisation_list(actor=request.user), request=request
    )


class OrganisationListView(ScopedViewMixin, ListView):
    access_capability = Cap.VIEW_ORGANISATIONS
    paginate_by = 25

    def get_queryset(self):
        self.filterset = organisation_filter(self.request)
        bootstrap(self.filterset.form, small=True)
        return self.filterset.qs

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.boosted:
            return ["access/partials/_organisation_results.html"]
        return ["access/organisation_list.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["can_create"] = policy.has_cap(self.request.user, Cap.MANAGE_ORGANISATIONS)
        context["querystring"] = querystring(self.request)
        return context


class OrganisationExportView(ExportView):
    """The organisation list as .xlsx or .csv, with the list's search and filters."""

    access_capability = Cap.VIEW_ORGANISATIONS
    table = exports.ORGANISATIONS
    list_url_name = "access:organisation-list"

    def rows(self, request):
        filterset = organisation_filter(request)
        return filterset.qs, filterset.applied()


class OrganisationDetailView(ScopedViewMixin, DetailView):
    model = Organisation
    access_capability = Cap.VIEW_ORGANISATIONS
    template_name = "access/organisation_detail.html"

    def get_object(self, queryset=None):
        return selectors.organisation_get(actor=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = self.object
        context["members"] = selectors.organisation_members(organisation)
        context["grants"] = selectors.organisation_grants(organisation)
        context["can_edit"] = selectors.can_manage_organisation(self.request.user, organisation)
        context["can_manage_accounts"] = policy.has_cap(self.request.user, Cap.MANAGE_ACCOUNTS)
        return context


class _OrganisationFormView(ScopedViewMixin, FormView):
    access_capability = Cap.MANAGE_ORGANISATIONS
    template_name = "access/organisation_form.html"
    form_class = OrganisationForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["actor"] = self.request.user
        return kwargs

    def form_valid(self, form):
        try:
            organisation = self.save(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The organisation has been saved."))
        return redirect("access:organisation-detail", pk=organisation.pk)


class OrganisationCreateView(_OrganisationFormView):
    def save(self, data):
        return services.organisation_create(actor=self.request.user, **data)


class OrganisationUpdateView(_OrganisationFormView):
    model = Organisation

    def get_object(self) -> Organisation:
        """The organisation, if it lies in the user's areas for writing (404 otherwise)."""
        if not hasattr(self, "object"):
            self.object = selectors.organisation_get(
                actor=self.request.user, pk=self.kwargs["pk"], cap=Cap.MANAGE_ORGANISATIONS
            )
        return self.object

    def get_initial(self):
        return OrganisationForm.initial_from(self.get_object())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.get_object()
        return context

    def save(self, data):
        return services.organisation_update(
            actor=self.request.user, organisation=self.get_object(), data=data
        )


class CommuneOptionsView(SignedInViewMixin, View):
    """The <option>s of the communes of a province open to the user (dependent select, HTMX)."""

    CAPS = {Cap.MANAGE_ORGANISATIONS, Cap.MANAGE_ACCOUNTS}

    def get(self, request):
        cap = request.GET.get("cap", Cap.MANAGE_ORGANISATIONS)
        try:
            province = int(request.GET.get("province") or 0)
        except ValueError:
            province = 0
        communes = (
            selectors.commune_choices(actor=request.user, cap=cap, province=province)
            if cap in self.CAPS
            else []
        )
        return render(request, "access/partials/_commune_options.html", {"communes": communes})
