"""The steps a signed-in person must finish before using any page.

1. Two-factor sign-in for roles that see judgment data (``settings.HOANHAP_REQUIRE_2FA`` and
   ``user.needs_two_factor``): until the session is verified with a TOTP code, every page
   redirects to the code page, or to the enrolment page when the account has no confirmed device
   yet (first sign-in, or after an administrator reset the second factor).
2. A password set by an administrator (``must_change_password``): every page redirects to the
   password change page until the person chooses their own.

The API is not concerned (tokens are obtained from a verified session); nor are the pages of
these steps themselves, sign-out, language switching and static files. The original address is
carried in ``next`` so the person lands where they were going.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

_OPEN_PREFIXES = ("/static/", "/i18n/", "/favicon", "/api/", "/health/")


def _with_next(url_name: str, request) -> str:
    return reverse(url_name) + "?" + urlencode({"next": request.get_full_path()})


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        target = self._pending_step(request)
        if target is not None:
            return redirect(_with_next(target, request))
        return self.get_response(request)

    @staticmethod
    def _pending_step(request) -> str | None:
        """The URL name of the step still to do, or None."""
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(_OPEN_PREFIXES):
            return None
        setup, verify = reverse("access:otp-setup"), reverse("access:otp-verify")
        if request.path in {setup, verify, reverse("access:logout")}:
            return None
        if getattr(settings, "HOANHAP_REQUIRE_2FA", True) and user.needs_two_factor:
            is_verified = getattr(user, "is_verified", lambda: False)
            if not is_verified():
                from hoanhap.access.selectors import has_confirmed_device

                return "access:otp-verify" if has_confirmed_device(user) else "access:otp-setup"
        if user.must_change_password and request.path != reverse("access:password-change"):
            return "access:password-change"
        return None
