"""Every step of intake and management: check, write, event, timeline, audit — in one transaction.

Each service

1. checks the actor's right on the unit concerned (``hoanhap.access.policy``), and the version
   the caller read (``core.concurrency``: a stale write is refused with a clear message);
2. asks ``workflow.ensure_allowed`` whether the step may happen in the person's status;
3. writes its rows, and ``Person.status`` / the current commune (only these services change them);
4. appends a ``ManagementEvent`` (counted by period summaries), a timeline entry on the person
   (``people.services.timeline_add``) and a named audit entry (``intake.<record>.<verb>``).

Facility notices and transfers are the two workflows that place a person in a commune outside the
writer's own area (``access.policy`` docstring): a detention facility notifies any commune, and a
transfer hands the person to the receiving commune when that commune confirms.

The steps live in one module per stage — ``notices``, ``arrival`` (release, reporting, entering
management, classification), ``transfers``, ``ending`` — plus ``calendar`` and the shared ``common``;
callers import them from here.
"""

from hoanhap.intake.services.arrival import (
    classify,
    management_enter,
    reception_record,
    release_confirm,
)
from hoanhap.intake.services.calendar import (
    calendar_day_delete,
    calendar_day_save,
)
from hoanhap.intake.services.ending import (
    found,
    management_end,
    whereabouts_unknown,
)
from hoanhap.intake.services.notices import (
    BulkErrors,
    notice_receive,
    notice_receive_bulk,
    notice_verify,
)
from hoanhap.intake.services.transfers import (
    transfer_confirm,
    transfer_return,
    transfer_send,
    transfers_escalate,
)

__all__ = [
    "notice_receive",
    "notice_verify",
    "BulkErrors",
    "notice_receive_bulk",
    "release_confirm",
    "reception_record",
    "management_enter",
    "classify",
    "transfer_send",
    "transfer_confirm",
    "transfer_return",
    "transfers_escalate",
    "whereabouts_unknown",
    "found",
    "management_end",
    "calendar_day_save",
    "calendar_day_delete",
]
