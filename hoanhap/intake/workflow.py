"""The one table of the management lifecycle: which step may happen in which ``Person.status``.

Pure data and pure functions (no database): the services ask ``ensure_allowed(step, status)``
before they write, the person page asks ``allowed_steps(status)`` to offer only the buttons that
would work. The path (legal brief §9):

    in prison → notice received → released → reported at the commune → under management → ended

with side steps: classification and transfers while under management (a received person on
conditional-release probation may move too), whereabouts unknown and found again (the person
stays under management, flagged), and a new notice for someone whose management ended because
they were imprisoned again.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Person.Status values (kept as plain strings so this module imports nothing from the database).
IN_PRISON = "in_prison"
NOTIFIED = "notified"
RELEASED = "released"
RECEIVED = "received"
IN_MANAGEMENT = "in_management"
WHEREABOUTS_UNKNOWN = "whereabouts_unknown"
ENDED = "ended"

STATUSES = (IN_PRISON, NOTIFIED, RELEASED, RECEIVED, IN_MANAGEMENT, WHEREABOUTS_UNKNOWN, ENDED)

# Target of "found": the status the person had before the whereabouts became unknown.
PREVIOUS = "previous"
# Target of steps that leave the status as it is.
UNCHANGED = None


@dataclass(frozen=True)
class Step:
    code: str
    label: str  # lazy translated
    sources: frozenset[str]
    target: str | None


def _step(code: str, label, sources: set[str], target: str | None) -> Step:
    return Step(code, label, frozenset(sources), target)


TRANSITIONS: dict[str, Step] = {
    s.code: s
    for s in [
        _step(
            "notice_receive", gettext_lazy("Receive a release notice"), {IN_PRISON, NOTIFIED, ENDED}, NOTIFIED
        ),
        _step("notice_verify", gettext_lazy("Verify the residence"), {NOTIFIED, RELEASED}, UNCHANGED),
        _step("release_confirm", gettext_lazy("Confirm the release"), {IN_PRISON, NOTIFIED}, RELEASED),
        _step("reception_record", gettext_lazy("Record the reporting at the commune"), {RELEASED}, RECEIVED),
        _step("management_enter", gettext_lazy("Enter management"), {RECEIVED}, IN_MANAGEMENT),
        _step("classify", gettext_lazy("Classify (group A–D)"), {IN_MANAGEMENT}, UNCHANGED),
        _step(
            "transfer_send", gettext_lazy("Transfer to another commune"), {RECEIVED, IN_MANAGEMENT}, UNCHANGED
        ),
        _step("transfer_confirm", gettext_lazy("Confirm a transfer"), {RECEIVED, IN_MANAGEMENT}, UNCHANGED),
        _step(
            "transfer_return",
            gettext_lazy("Return a transfer"),
            {RECEIVED, IN_MANAGEMENT, WHEREABOUTS_UNKNOWN},
            UNCHANGED,
        ),
        _step(
            "whereabouts_unknown",
            gettext_lazy("Mark whereabouts unknown"),
            {RELEASED, RECEIVED, IN_MANAGEMENT},
            WHEREABOUTS_UNKNOWN,
        ),
        _step("found", gettext_lazy("Mark as found"), {WHEREABOUTS_UNKNOWN}, PREVIOUS),
        _step(
            "management_end",
            gettext_lazy("End management"),
            {RELEASED, RECEIVED, IN_MANAGEMENT, WHEREABOUTS_UNKNOWN},
            ENDED,
        ),
    ]
}

# The statuses "found" may return to: those from which the whereabouts can become unknown.
FOUND_TARGETS = TRANSITIONS["whereabouts_unknown"].sources


class TransitionNotAllowed(ValidationError):
    """A step was asked for in a status that does not allow it."""


def is_allowed(step: str, status: str) -> bool:
    return status in TRANSITIONS[step].sources


def allowed_steps(status: str) -> list[str]:
    """The steps that may be taken from ``status``, in table order."""
    return [code for code, step in TRANSITIONS.items() if status in step.sources]


def status_label(status: str) -> str:
    from hoanhap.people.models import Person  # only for the translated label

    return str(dict(Person.Status.choices).get(status, status))


def ensure_allowed(step: str, status: str, *, previous: str | None = None) -> str:
    """The status after ``step`` from ``status``; a clear, translated error when it is not allowed.

    ``previous`` is the status to return to for "found" (what the person was before going missing).
    """
    spec = TRANSITIONS[step]
    if status not in spec.sources:
        raise TransitionNotAllowed(
            _("“{step}” is not possible while the person's status is “{status}”.").format(
                step=spec.label, status=status_label(status)
            ),
            code="transition",
        )
    if spec.target is UNCHANGED:
        return status
    if spec.target == PREVIOUS:
        return previous if previous in FOUND_TARGETS else IN_MANAGEMENT
    return spec.target


def edges() -> set[tuple[str, str]]:
    """Every (from, to) status change the table allows (for documentation and tests)."""
    out: set[tuple[str, str]] = set()
    for spec in TRANSITIONS.values():
        for source in spec.sources:
            if spec.target is UNCHANGED:
                continue
            if spec.target == PREVIOUS:
                out |= {(source, t) for t in FOUND_TARGETS}
            else:
                out.add((source, spec.target))
    return out
