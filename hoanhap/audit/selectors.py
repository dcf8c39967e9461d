"""Reading the audit log, always through the area policy (``Cap.VIEW_AUDIT``).

An entry is visible to a scope that covers its province or its commune. Entries with no unit
(system events, exports of the whole country) are visible only to whole-country scopes.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from hoanhap.access import policy
from hoanhap.access.roles import Cap
from hoanhap.audit.models import AuditEvent


def event_list(*, user: Any) -> QuerySet[AuditEvent]:
    """Every entry ``user`` may read, newest first."""
    return policy.restrict(AuditEvent.objects.all(), user, Cap.VIEW_AUDIT).order_by("-occurred_at", "-id")


def event_get(*, user: Any, pk: int) -> AuditEvent:
    """One entry inside ``user``'s scope; 404 when it is missing or outside."""
    return policy.get_or_404(AuditEvent.objects.all(), user, Cap.VIEW_AUDIT, pk=pk)
