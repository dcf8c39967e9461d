"""Two-factor sign-in for roles that see judgment data (settings.HOANHAP_REQUIRE_2FA)."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

# Paths a signed-in but not yet verified user may reach: the 2FA pages, sign-out, language, assets.
_OPEN_PREFIXES = ("/static/", "/i18n/", "/favicon")


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_verify(request):
            return redirect(reverse("access:otp-verify") + "?next=" + request.get_full_path())
        return self.get_response(request)

    @staticmethod
    def _must_verify(request) -> bool:
        if not getattr(settings, "HOANHAP_REQUIRE_2FA", True):
            return False
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith("/api/"):
            return False
        if request.path.startswith(_OPEN_PREFIXES):
            return False
        open_paths = {reverse("access:otp-verify"), reverse("access:otp-setup"), reverse("access:logout")}
        if request.path in open_paths:
            return False
        is_verified = getattr(user, "is_verified", lambda: False)
        return user.needs_two_factor and not is_verified()
