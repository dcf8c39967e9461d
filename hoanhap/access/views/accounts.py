"""Account pages for administrators (capability MANAGE_ACCOUNTS): list and its export, open, edit,
deactivate, grant and end roles, reset the password or the second factor. Scope: ``selectors`` docstring.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from hoanhap.access import exports, selectors, services
from hoanhap.access.filters import UserFilter
from hoanhap.access.forms import (
    PasswordResetForm,
    RoleGrantForm,
    UserCreateForm,
    UserForm,
    add_service_errors,
    bootstrap,
)
from hoanhap.access.models import RoleAssignment, User
from hoanhap.access.roles import Cap
from hoanhap.access.views_base import ScopedViewMixin
from hoanhap.audit.lists import ExportView, querystring


def user_filter(request) -> UserFilter:
    """The list's filters over the accounts the user manages (the page and its export)."""
    return UserFilter(request.GET, queryset=selectors.user_list(actor=request.user))


class UserListView(ScopedViewMixin, ListView):
    access_capability = Cap.MANAGE_ACCOUNTS
    paginate_by = 25

    def get_queryset(self):
        self.filterset = user_filter(self.request)
        bootstrap(self.filterset.form, small=True)
        return self.filterset.qs

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.boosted:
            return ["access/partials/_user_results.html"]
        return ["access/user_list.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["querystring"] = querystring(self.request)
        return context


class UserExportView(ExportView):
    """The account list as .xlsx or .csv, with the list's search and filters (no secrets)."""

    access_capability = Cap.MANAGE_ACCOUNTS
    table = exports.USERS
    list_url_name = "access:user-list"

    def rows(self, request):
        filterset = user_filter(request)
        return filterset.qs, filterset.applied()


class _AccountMixin(ScopedViewMixin):
    """Views on one account: the account must be one the user manages (404 otherwise)."""

    model = User
    access_capability = Cap.MANAGE_ACCOUNTS

    def get_account(self) -> User:
        if not hasattr(self, "account"):
            self.account = selectors.user_get(actor=self.request.user, pk=self.kwargs["pk"])
        return self.account

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["account"] = self.get_account()
        return context


class UserDetailView(_AccountMixin, DetailView):
    template_name = "access/user_detail.html"
    context_object_name = "account"

    def get_object(self, queryset=None):
        return self.get_account()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["grants"] = selectors.user_grants(self.account)
        context["has_device"] = selectors.has_confirmed_device(self.account)
        try:
            services.ensure_account_manageable(self.request.user, self.account)
        except PermissionDenied as exc:
            context["not_manageable"] = str(exc)
        context["grant_form"] = RoleGrantForm(actor=self.request.user)
        context["today"] = timezone.localdate()
        return context


class _ServiceFormView(FormView):
    """A form whose valid data goes to a service; the service's ValidationError goes back to it."""

    success_message = ""

    def form_valid(self, form):
        try:
            self.result = self.save(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not do this."))
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["actor"] = self.request.user
        return kwargs


class UserCreateView(ScopedViewMixin, _ServiceFormView):
    access_capability = Cap.MANAGE_ACCOUNTS
    template_name = "access/user_form.html"
    form_class = UserCreateForm

    def save(self, data):
        self.success_message = _("The account has been opened. Grant it a role so that it sees something.")
        return services.user_create(
            actor=self.request.user,
            username=data["username"],
            full_name=data["full_name"],
            phone=data["phone"],
            organisation=data["organisation"],
            password=data["password"],
        )

    def get_success_url(self):
        return self.result.get_absolute_url()


class UserUpdateView(_AccountMixin, _ServiceFormView):
    template_name = "access/user_form.html"
    form_class = UserForm

    def get_initial(self):
        account = self.get_account()
        return {
            "full_name": account.full_name,
            "phone": account.phone,
            "organisation": account.organisation_id,
        }

    def save(self, data):
        self.success_message = _("The account has been saved.")
        return services.user_update(actor=self.request.user, user=self.get_account(), data=data)

    def get_success_url(self):
        return self.get_account().get_absolute_url()


class PasswordResetView(_AccountMixin, _ServiceFormView):
    template_name = "access/user_password_reset.html"
    form_class = PasswordResetForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("actor")
        return kwargs

    def save(self, data):
        self.success_message = _("The temporary password is set. The account must change it at next sign-in.")
        return services.password_reset_by_admin(
            actor=self.request.user, user=self.get_account(), password=data["password"]
        )

    def get_success_url(self):
        return self.get_account().get_absolute_url()


class RoleGrantView(_AccountMixin, _ServiceFormView):
    template_name = "access/role_grant_form.html"
    form_class = RoleGrantForm

    def save(self, data):
        self.success_message = _("The role has been granted.")
        return services.role_grant(actor=self.request.user, user=self.get_account(), **data)

    def get_success_url(self):
        return self.get_account().get_absolute_url()


class _AccountActionView(_AccountMixin, View):
    """A one-click POST action on an account (deactivate, reactivate, reset the second factor)."""

    def post(self, request, pk):
        account = self.get_account()
        try:
            self.act(account)
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("You may not do this."))
        return redirect(account.get_absolute_url())


class UserDeactivateView(_AccountActionView):
    def act(self, account):
        services.user_deactivate(actor=self.request.user, user=account)
        messages.success(self.request, _("The account is deactivated: it can no longer sign in."))


class UserReactivateView(_AccountActionView):
    def act(self, account):
        services.user_reactivate(actor=self.request.user, user=account)
        messages.success(self.request, _("The account is active again."))


class TwoFactorResetView(_AccountActionView):
    def act(self, account):
        services.two_factor_reset(actor=self.request.user, user=account)
        messages.success(
            self.request, _("The second factor is reset: the account enrols a new phone at next sign-in.")
        )


class RoleEndView(ScopedViewMixin, View):
    model = RoleAssignment
    access_capability = Cap.MANAGE_ACCOUNTS

    def post(self, request, pk):
        grant = selectors.grant_get(actor=request.user, pk=pk)
        try:
            services.role_end(actor=request.user, grant=grant)
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("You may not do this."))
        else:
            messages.success(request, _("The role grant has ended."))
        return redirect(grant.user.get_absolute_url())
