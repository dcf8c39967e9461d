"""Sets the audit context (who, from where, which request) for every web and API request.

The request id ties together every audit entry written while serving one request. A reverse
proxy may supply it in ``X-Request-ID`` (hex, up to 32 characters); otherwise one is made up. It
is echoed back in the response header of the same name, so a user's report can be matched to
the log.
"""

import re

from hoanhap.audit import context

_REQUEST_ID = re.compile(r"^[0-9a-fA-F-]{8,36}$")


class _RequestContext(context.AuditContext):
    """Resolves the user lazily: API token authentication happens after middleware runs."""

    request = None

    def resolve_user(self):
        user = getattr(self.request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


def client_ip(request) -> str | None:
    """The address the request came from (the proxy's address when behind one)."""
    return request.META.get("REMOTE_ADDR") or None


def incoming_request_id(request) -> str | None:
    value = request.headers.get("X-Request-ID", "")
    if _REQUEST_ID.match(value):
        return value.replace("-", "").lower()[:32]
    return None


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        source = context.SOURCE_API if request.path.startswith("/api/") else context.SOURCE_WEB
        ctx = _RequestContext(source=source, ip=client_ip(request))
        ctx.request_id = incoming_request_id(request) or ctx.request_id
        ctx.request = request
        request.audit_request_id = ctx.request_id
        token = context.set_for_request(ctx)
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response["X-Request-ID"] = ctx.request_id
        return response
