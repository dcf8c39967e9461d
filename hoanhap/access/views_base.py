"""Base classes and decorators through which every view declares its access rule.

Views stay thin: they name the capability they need and fetch rows through selectors that call
``hoanhap.access.policy``. A signed-in user without the capability anywhere gets 403; an object
outside their areas gets 404 (from ``policy.get_or_404``).
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from rest_framework.authentication import SessionAuthentication

from hoanhap.access import policy


class ScopedViewMixin(LoginRequiredMixin):
    """A page that needs ``access_capability`` somewhere (``"signed_in"``: any signed-in user, as
    ``requires_capability`` reads it); rows are then scoped by the policy."""

    access_capability: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.access_capability != "signed_in" and not policy.has_cap(request.user, self.access_capability):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class SignedInViewMixin(LoginRequiredMixin):
    """A page any signed-in user may open (it shows only what the policy lets them see)."""

    access_capability = "signed_in"


def public_view(func):
    func.public = True
    return func


def requires_capability(cap: str):
    def decorator(func):
        @wraps(func)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if cap != "signed_in" and not policy.has_cap(request.user, cap):
                raise PermissionDenied
            return func(request, *args, **kwargs)

        wrapper.access_capability = cap
        return wrapper

    return decorator


class HasCapability(permissions.BasePermission):
    """DRF permission: the view's ``access_capability`` is held somewhere (rows scoped separately)."""

    def has_permission(self, request, view):
        cap = getattr(view, "access_capability", "")
        if not request.user or not request.user.is_authenticated:
            return False
        return cap == "signed_in" or policy.has_cap(request.user, cap)


class SecondFactorVerified(permissions.BasePermission):
    """DRF permission: a browser session of a role that needs TOTP must have passed it.

    Pages send such a session to the code page (``access.middleware``); the API refuses it instead,
    so the password alone never reads judgment data. Token requests pass: a token is only
    obtainable from a verified session, and a program cannot type a TOTP code.
    """

    message = _("Two-factor sign-in is required for this session.")

    def has_permission(self, request, view):
        if not getattr(settings, "HOANHAP_REQUIRE_2FA", True):
            return True
        if not isinstance(getattr(request, "successful_authenticator", None), SessionAuthentication):
            return True
        user = request.user
        if not user or not user.is_authenticated or not user.needs_two_factor:
            return True
        is_verified = getattr(user, "is_verified", None)
        return bool(is_verified and is_verified())


class ScopedAPIMixin:
    """Mixin for DRF views: authentication, second factor, capability; querysets go through the policy."""

    access_capability: str = ""
    permission_classes = [permissions.IsAuthenticated, SecondFactorVerified, HasCapability]
