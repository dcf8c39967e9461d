"""Read-only API over the audit log: the same scope and filters as the page; no write methods."""

from rest_framework import viewsets

from hoanhap.access.roles import Cap
from hoanhap.access.views_base import ScopedAPIMixin
from hoanhap.audit import selectors
from hoanhap.audit.api.serializers import AuditEventSerializer
from hoanhap.audit.filters import AuditEventFilter
from hoanhap.audit.models import AuditEvent


class AuditEventViewSet(ScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Audit entries in the caller's areas, newest first. Entries cannot be changed or deleted."""

    access_capability = Cap.VIEW_AUDIT
    model = AuditEvent
    queryset = AuditEvent.objects.none()  # for the schema; requests use get_queryset
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter

    def get_queryset(self):
        return selectors.event_list(user=self.request.user)
