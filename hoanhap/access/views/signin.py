"""Sign-in, sign-out, password change, two-factor enrolment and verification, API token.

The order of the steps after the password is enforced by ``access.middleware``: second factor
(for roles that need it), then a password set by an administrator must be changed.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from django_otp import login as otp_login

from hoanhap.access import selectors, services
from hoanhap.access.forms import OwnPasswordChangeForm, SignInForm, TokenForm
from hoanhap.access.two_factor import qr_svg, readable_secret
from hoanhap.access.views_base import SignedInViewMixin


def safe_next(request, default: str = "core:home") -> str:
    """The ``next`` address of the request when it is on this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else reverse(default)


def idle_minutes() -> int:
    return settings.SESSION_COOKIE_AGE // 60


class SignInView(auth_views.LoginView):
    public = True
    template_name = "access/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["idle_minutes"] = idle_minutes()
        context["lockout_limit"] = getattr(settings, "AXES_FAILURE_LIMIT", 5)
        return context


class SignOutView(auth_views.LogoutView):
    """Sign out (POST only)."""

    public = True


class PasswordChangeView(SignedInViewMixin, FormView):
    template_name = "access/password_change.html"
    form_class = OwnPasswordChangeForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["forced"] = self.request.user.must_change_password
        context["next"] = self.request.GET.get("next", "")
        return context

    def form_valid(self, form):
        user = services.password_change(user=self.request.user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Your password has been changed."))
        return redirect(safe_next(self.request))


class TwoFactorSetupView(SignedInViewMixin, View):
    """Enrol an authenticator app: scan the QR code (or type the secret), then confirm a code.

    An account that already has a confirmed device must first verify with it: otherwise anyone
    holding the password alone could enrol their own phone.
    """

    template_name = "access/otp_setup.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and selectors.has_confirmed_device(user) and not user.is_verified():
            return redirect(reverse("access:otp-verify") + "?" + request.GET.urlencode())
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._render(request, TokenForm())

    def post(self, request):
        form = TokenForm(request.POST)
        device = services.two_factor_enrolment(user=request.user)
        if form.is_valid():
            if services.two_factor_confirm(
                user=request.user, device=device, token=form.cleaned_data["token"]
            ):
                otp_login(request, device)
                messages.success(request, _("Two-factor sign-in is set up. Keep your phone with you."))
                return redirect(safe_next(request))
            form.add_error("token", _("This code is not right. Check the time on your phone and try again."))
        return self._render(request, form)

    def _render(self, request, form):
        device = services.two_factor_enrolment(user=request.user)
        context = {
            "form": form,
            "qr": qr_svg(device.config_url, label=_("QR code for your authenticator app")),
            "secret": readable_secret(device),
            "has_device": selectors.has_confirmed_device(request.user),
            "next": request.GET.get("next", ""),
        }
        return render(request, self.template_name, context)


class TwoFactorVerifyView(SignedInViewMixin, FormView):
    template_name = "access/otp_verify.html"
    form_class = TokenForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not selectors.has_confirmed_device(request.user):
                return redirect(reverse("access:otp-setup") + "?" + request.GET.urlencode())
            if request.user.is_verified():
                return redirect(safe_next(request))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = self.request.GET.get("next", "")
        return context

    def form_valid(self, form):
        device = services.two_factor_verify(user=self.request.user, token=form.cleaned_data["token"])
        if device is None:
            form.add_error("token", _("This code is not right. Check the time on your phone and try again."))
            return self.form_invalid(form)
        otp_login(self.request, device)
        return redirect(safe_next(self.request))


class ApiTokenView(SignedInViewMixin, TemplateView):
    """The account's own API token: shown, created or replaced (the old one stops working)."""

    template_name = "access/tokens.html"

    def get_context_data(self, **kwargs):
        from rest_framework.authtoken.models import Token

        context = super().get_context_data(**kwargs)
        context["token"] = Token.objects.filter(user=self.request.user).first()
        return context

    def post(self, request):
        services.api_token_regenerate(user=request.user)
        messages.success(request, _("A new API token has been issued; the previous one no longer works."))
        return redirect("access:tokens")
