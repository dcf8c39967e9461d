"""Sets the audit context (who, from where, which request) for every web and API request."""

from hoanhap.audit import context


class _RequestContext(context.AuditContext):
    """Resolves the user lazily: API token authentication happens after middleware runs."""

    request = None

    def resolve_user(self):
        user = getattr(self.request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        source = context.SOURCE_API if request.path.startswith("/api/") else context.SOURCE_WEB
        ctx = _RequestContext(source=source, ip=client_ip(request))
        ctx.request = request
        request.audit_request_id = ctx.request_id
        token = context.set_for_request(ctx)
        try:
            return self.get_response(request)
        finally:
            context.reset(token)
