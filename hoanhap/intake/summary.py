"""The period summary of intake and management, counted from the event records.

``intake_summary`` never reads a person's current fields: every figure comes from
``ManagementEvent`` rows (and, for new offences, from the judgments' offence dates), each counted in
the unit where it happened — the commune that received the person, the commune that managed them
that day — so a later move never changes a past figure.

Definitions (the events of one person are ordered by date, then by the order they were recorded):

* a person is **under management** from an ``entered_management`` event until an ``ended`` event
  (a person whose whereabouts are unknown stays under management; a conditionally released person
  on probation, or one received but not yet entered, is not). The unit managing them is that of
  their latest ``entered_management`` or ``transferred_in`` event;
* ``received`` counts the people whose first ``reported`` event after a release (the latest
  ``released`` event before it; any kind of release) falls in the period; a second reporting in
  the same cycle does not count again. ``received_previous`` is the same for the previous period:
  the previous calendar year when the period is a calendar year, otherwise as many days just before;
* ``under_management_start`` / ``_end`` count the people under management at the end of the day
  before the period and at the end of its last day;
* ``entered_management``, ``transfers_in`` / ``transfers_out`` (of people under management, across
  the scope's boundary: a transfer between two communes both in scope moves nobody in or out) and
  ``managements_ended`` (of people under management, by ground) are the flows of the period, so
  that ``start + entered + in − out − ended == end``;
* ``new_offences`` counts the people under management (at the start of the day) whose new offence,
  per a judgment's ``offence_committed_on``, was committed in the period, in the unit managing them.

Five aggregate queries, whatever the size of the area (see the correlated subqueries below; they
run on the ``(person, -occurred_on)`` index of the events).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, TextField, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from hoanhap.access import policy
from hoanhap.access.models import AreaFields
from hoanhap.access.policy import AreaScope
from hoanhap.access.roles import Cap
from hoanhap.geo.models import Commune
from hoanhap.intake.models import ManagementEvent

Kind = ManagementEvent.Kind

RELEASE_KINDS = ("completed_term", "amnesty", "conditional_release")
END_GROUNDS = ("expunged", "died", "imprisoned", "moved_abroad", "other")
KEYS = (
    "received",
    "received_previous",
    "received_change",
    "received_by_release_kind",
    "under_management_start",
    "entered_management",
    "transfers_in",
    "transfers_out",
    "managements_ended",
    "under_management_end",
    "new_offences",
)

# Events that set the unit managing a person, and events that open or close management.
ANCHORS = (Kind.ENTERED_MANAGEMENT, Kind.TRANSFERRED_IN)
MANAGEMENT_STATE = (Kind.ENTERED_MANAGEMENT, Kind.ENDED)
LONG_AGO = dt.date(1900, 1, 1)


# -- periods ---------------------------------------------------------------------------------------


def previous_period(date_from: dt.date, date_to: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar year before a calendar year; otherwise as many days just before the period."""
    if (date_from.month, date_from.day, date_to.month, date_to.day) == (1, 1, 12, 31) and (
        date_from.year == date_to.year
    ):
        year = date_from.year - 1
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    days = (date_to - date_from).days + 1
    return date_from - dt.timedelta(days=days), date_from - dt.timedelta(days=1)


# -- access ----------------------------------------------------------------------------------------


def ensure_scope_allowed(actor: Any, scope: AreaScope) -> None:
    """Refuse a summary of an area outside the actor's ``view_reports`` areas."""
    own = policy.scope_for(actor, Cap.VIEW_REPORTS)
    if own.everything:
        return
    if scope.everything or scope.is_empty:
        raise PermissionDenied(_("The scope is outside the areas of this user."))
    if not scope.provinces <= own.provinces:
        raise PermissionDenied(_("The scope is outside the areas of this user."))
    provinces = dict(Commune.objects.filter(code__in=scope.communes).values_list("code", "province_id"))
    for commune in scope.communes:
        if not own.covers(province=provinces.get(commune), commune=commune):
            raise PermissionDenied(_("The scope is outside the areas of this user."))


# -- building blocks -------------------------------------------------------------------------------


def _events() -> QuerySet[ManagementEvent]:
    return ManagementEvent.objects.all()


def _of_outer_person() -> QuerySet[ManagementEvent]:
    return _events().filter(person=OuterRef("person"))


def _before_outer() -> Q:
    """Events recorded before the outer event (by date, then by order of recording)."""
    return Q(occurred_on__lt=OuterRef("occurred_on")) | Q(
        occurred_on=OuterRef("occurred_on"), pk__lt=OuterRef("pk")
    )


def _after_outer() -> Q:
    return Q(occurred_on__gt=OuterRef("occurred_on")) | Q(
        occurred_on=OuterRef("occurred_on"), pk__gt=OuterRef("pk")
    )


def _latest(queryset: QuerySet, field: str) -> Subquery:
    return Subquery(queryset.order_by("-occurred_on", "-pk").values(field)[:1])


def _state_before_outer() -> Subquery:
    """``entered_management`` when the person was under management just before the outer event."""
    return _latest(_of_outer_person().filter(kind__in=MANAGEMENT_STATE).filter(_before_outer()), "kind")


def _transfer_key(field: str = "data") -> Coalesce:
    return Coalesce(KeyTextTransform("transfer", field), Value(""), output_field=TextField())


# -- the figures -----------------------------------------------------------------------------------


def _received(*, date_from: dt.date, date_to: dt.date, previous_from: dt.date, where: Q) -> dict[str, int]:
    """First reportings after a release, in the period and in the previous one (one query)."""
    released_before = _of_outer_person().filter(kind=Kind.RELEASED).filter(_before_outer())
    cycle_start = Coalesce(_latest(released_before, "occurred_on"), Value(LONG_AGO))
    release_kind = _latest(
        released_before.annotate(release_kind=KeyTextTransform("kind", "data")), "release_kind"
    )
    earlier_report = (
        _of_outer_person()
        .filter(kind=Kind.REPORTED, occurred_on__gte=OuterRef("cycle_start"))
        .filter(_before_outer())
    )
    rows = (
        _events()
        .filter(where, kind=Kind.REPORTED, occurred_on__gte=previous_from, occurred_on__lte=date_to)
        .annotate(cycle_start=cycle_start)
        .filter(~Exists(earlier_report))
        .annotate(release_kind=release_kind)
    )
    current = Q(occurred_on__gte=date_from)
    counts = rows.aggregate(
        received=Count("person", distinct=True, filter=current),
        received_previous=Count("person", distinct=True, filter=~current),
        **{
            f"kind_{kind}": Count("person", distinct=True, filter=current & Q(release_kind=kind))
            for kind in RELEASE_KINDS
        },
    )
    return counts


def _under_management_on(day: dt.date, *, where: Q) -> int:
    """People under management at the end of ``day`` in a unit of the scope (one query)."""
    later_anchor = _of_outer_person().filter(kind__in=ANCHORS, occurred_on__lte=day).filter(_after_outer())
    later_end = _of_outer_person().filter(kind=Kind.ENDED, occurred_on__lte=day).filter(_after_outer())
    anchors = (
        _events()
        .filter(where, kind__in=ANCHORS, occurred_on__lte=day)
        .filter(~Exists(later_anchor), ~Exists(later_end))
        .annotate(state_before=_state_before_outer())
        .filter(Q(kind=Kind.ENTERED_MANAGEMENT) | Q(state_before=Kind.ENTERED_MANAGEMENT))
    )
    return anchors.aggregate(n=Count("person", distinct=True))["n"]


def _flows(*, date_from: dt.date, date_to: dt.date, where: Q) -> dict[str, int]:
    """Entries, transfers across the boundary and ends by ground, in the period (one query)."""

    def partner(kind: str) -> Exists:
        # The other half of the same transfer, recorded in the scope too: the move stays inside.
        return Exists(
            _events()
            .annotate(key=_transfer_key())
            .filter(
                where,
                person=OuterRef("person"),
                occurred_on=OuterRef("occurred_on"),
                kind=kind,
                key=OuterRef("transfer_key"),
            )
        )

    rows = (
        _events()
        .filter(
            where,
            occurred_on__gte=date_from,
            occurred_on__lte=date_to,
            kind__in=(Kind.ENTERED_MANAGEMENT, Kind.TRANSFERRED_IN, Kind.TRANSFERRED_OUT, Kind.ENDED),
        )
        .annotate(
            state_before=_state_before_outer(),
            transfer_key=_transfer_key(),
            ground=KeyTextTransform("ground", "data"),
        )
        .annotate(out_inside=partner(Kind.TRANSFERRED_OUT), in_inside=partner(Kind.TRANSFERRED_IN))
    )
    managed = Q(state_before=Kind.ENTERED_MANAGEMENT)
    ended = Q(kind=Kind.ENDED) & managed
    return rows.aggregate(
        entered=Count("pk", filter=Q(kind=Kind.ENTERED_MANAGEMENT)),
        transfers_in=Count("pk", filter=Q(kind=Kind.TRANSFERRED_IN, out_inside=False) & managed),
        transfers_out=Count("pk", filter=Q(kind=Kind.TRANSFERRED_OUT, in_inside=False) & managed),
        ended=Count("pk", filter=ended),
        **{f"ended_{ground}": Count("pk", filter=ended & Q(ground=ground)) for ground in END_GROUNDS[:-1]},
    )


def _new_offences(*, date_from: dt.date, date_to: dt.date, scope: AreaScope) -> int:
    """People under management whose new offence was committed in the period (one query)."""
    from hoanhap.justice.models import Judgment

    before_day = _of_outer_person().filter(occurred_on__lt=OuterRef("offence_committed_on"))
    state = _latest(before_day.filter(kind__in=MANAGEMENT_STATE), "kind")
    anchor = before_day.filter(kind__in=ANCHORS)
    judgments = (
        Judgment.objects.filter(offence_committed_on__gte=date_from, offence_committed_on__lte=date_to)
        .annotate(
            state=state,
            managed_province=_latest(anchor, "province"),
            managed_commune=_latest(anchor, "commune"),
        )
        .filter(state=Kind.ENTERED_MANAGEMENT)
        .filter(scope.q(AreaFields(province="managed_province", commune="managed_commune")))
    )
    return judgments.aggregate(n=Count("person", distinct=True))["n"]


def intake_summary(*, date_from: dt.date, date_to: dt.date, scope: AreaScope, actor: Any) -> dict[str, Any]:
    """The figures of intake and management in ``scope`` from ``date_from`` to ``date_to`` (inclusive).

    The keys and their order are ``KEYS``; ``received_by_release_kind`` always has the three kinds of
    release and ``managements_ended`` the five grounds. Raises ``PermissionDenied`` when the scope
    reaches outside the actor's ``view_reports`` areas.
    """
    if date_from > date_to:
        raise ValidationError(_("The period must not end before it starts."))
    ensure_scope_allowed(actor, scope)
    where = scope.q(ManagementEvent.area_fields)
    previous_from, _previous_to = previous_period(date_from, date_to)
    received = _received(date_from=date_from, date_to=date_to, previous_from=previous_from, where=where)
    flows = _flows(date_from=date_from, date_to=date_to, where=where)
    ended = {ground: flows.get(f"ended_{ground}", 0) for ground in END_GROUNDS[:-1]}
    ended["other"] = flows["ended"] - sum(ended.values())
    return {
        "received": received["received"],
        "received_previous": received["received_previous"],
        "received_change": received["received"] - received["received_previous"],
        "received_by_release_kind": {kind: received[f"kind_{kind}"] for kind in RELEASE_KINDS},
        "under_management_start": _under_management_on(date_from - dt.timedelta(days=1), where=where),
        "entered_management": flows["entered"],
        "transfers_in": flows["transfers_in"],
        "transfers_out": flows["transfers_out"],
        "managements_ended": ended,
        "under_management_end": _under_management_on(date_to, where=where),
        "new_offences": _new_offences(date_from=date_from, date_to=date_to, scope=scope),
    }
