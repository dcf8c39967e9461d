"""Reading the audit log, always through the area policy (``Cap.VIEW_AUDIT``).

An entry is visible to a scope that covers its province or its commune. Entries with no unit
(system events, exports of the whole country) are visible only to whole-country scopes.
(``last_event_id`` reads no entry, only how far the log goes.)
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


def last_event_id() -> int:
    """The id of the latest entry (0: none): every write leaves one, so an unchanged id means that
    nothing was written meanwhile."""
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


# Entries that record no write: signing in and out (reads of personal data end with ``.viewed``).
NOT_WRITES = (
    "access.user.signed_in",
    "access.user.signed_out",
    "access.user.sign_in_failed",
    "access.two_factor.failed",
)


def written_since(mark: int) -> bool:
    """Whether an entry after ``mark`` (a ``last_event_id``) records a write."""
    later = AuditEvent.objects.filter(pk__gt=mark).exclude(action__endswith=".viewed")
    return later.exclude(action__in=NOT_WRITES).exists()
