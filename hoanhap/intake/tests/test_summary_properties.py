"""Property: whatever the events, start + entered + in − out − ended = end, and end is who is managed.

Random lifecycles are played through the workflow (release, reporting, entering after probation,
transfers inside and across the province, whereabouts unknown and found, ends on every ground,
reporting twice, a new release after an end) and written as event rows; the summary of a random
period and scope must balance and agree with a plain replay of the same lifecycles.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hoanhap.access.policy import SYSTEM, AreaScope
from hoanhap.core.testing import AN_GIANG, BA_DINH, CHAU_DOC, HA_NOI, THOAI_SON
from hoanhap.intake.models import ManagementEvent
from hoanhap.intake.summary import intake_summary
from hoanhap.people.models import Person

pytestmark = pytest.mark.django_db

K = ManagementEvent.Kind
COMMUNES = (THOAI_SON, CHAU_DOC, BA_DINH)
PROVINCE_OF = {THOAI_SON: AN_GIANG, CHAU_DOC: AN_GIANG, BA_DINH: HA_NOI}
GROUNDS = ("expunged", "died", "imprisoned", "moved_abroad", "other")
START = dt.date(2022, 7, 1)
SCOPES = {
    "province:91": (AreaScope(provinces=frozenset({AN_GIANG})), lambda c: PROVINCE_OF[c] == AN_GIANG),
    "commune:thoai_son": (AreaScope(communes=frozenset({THOAI_SON})), lambda c: c == THOAI_SON),
    "commune:chau_doc": (AreaScope(communes=frozenset({CHAU_DOC})), lambda c: c == CHAU_DOC),
}

# One step: (days since the previous one, which of the allowed actions, which commune).
steps = st.lists(
    st.tuples(st.integers(0, 90), st.integers(0, 99), st.integers(0, 2)), min_size=1, max_size=14
)


def play(moves: list[tuple[int, int, int]]) -> list[tuple[str, dt.date, int, dict]]:
    """The events of one person: each move takes one of the actions its current state allows."""
    events: list[tuple[str, dt.date, int, dict]] = []
    state, commune, day, transfers, conditional = "free", COMMUNES[moves[0][2]], START, 0, False
    for gap, choice, place in moves:
        day += dt.timedelta(days=gap)
        other = next(c for c in COMMUNES[place:] + COMMUNES if c != commune)
        actions = {
            "free": ["release", "release_conditional"],
            "released": ["report", "report_elsewhere", "end"],
            "probation": ["enter", "transfer", "report", "end"],
            "managed": ["transfer", "missing", "end", "report"],
            "missing": ["found", "end"],
        }[state]
        action = actions[choice % len(actions)]
        if action.startswith("release"):
            conditional = action == "release_conditional"
            kind = "conditional_release" if conditional else ("completed_term", "amnesty")[choice % 2]
            events.append((K.RELEASED, day, commune, {"kind": kind}))
            state = "released"
        elif action.startswith("report"):
            if action == "report_elsewhere":
                commune = other
            events.append((K.REPORTED, day, commune, {}))
            if state == "released":
                if conditional:
                    state = "probation"
                else:
                    events.append((K.ENTERED_MANAGEMENT, day, commune, {}))
                    state = "managed"
        elif action == "enter":
            events.append((K.ENTERED_MANAGEMENT, day, commune, {}))
            state = "managed"
        elif action == "transfer":
            transfers += 1
            events.append((K.TRANSFERRED_OUT, day, commune, {"transfer": transfers}))
            events.append((K.TRANSFERRED_IN, day, other, {"transfer": transfers}))
            commune = other
        elif action == "missing":
            events.append((K.WHEREABOUTS_UNKNOWN, day, commune, {}))
            state = "missing"
        elif action == "found":
            events.append((K.FOUND, day, commune, {}))
            state = "managed"
        elif action == "end":
            events.append((K.ENDED, day, commune, {"ground": GROUNDS[choice % len(GROUNDS)]}))
            state = "free"
    return events


def managed_at_end_of(day: dt.date, events, inside) -> bool:
    """A plain replay: under management (entered, not ended) in a commune of the scope at the end of ``day``."""
    managed, commune = False, None
    for kind, when, where, _data in events:
        if when > day:
            break
        if kind == K.ENTERED_MANAGEMENT:
            managed, commune = True, where
        elif kind == K.TRANSFERRED_IN:
            commune = where
        elif kind == K.ENDED:
            managed = False
    return managed and inside(commune)


def received_in(date_from: dt.date, date_to: dt.date, events, inside) -> bool:
    """A plain replay: the first reporting after some release falls in the period, in the scope."""
    reported = False
    for kind, when, where, _data in events:
        if kind == K.RELEASED:
            reported = False
        elif kind == K.REPORTED and not reported:
            reported = True
            if date_from <= when <= date_to and inside(where):
                return True
    return False


def write(people_events) -> None:
    for number, events in enumerate(people_events):
        person = Person.objects.create(
            full_name=f"Người Thử {number}", sex="male", province_id=AN_GIANG, commune_id=THOAI_SON
        )
        ManagementEvent.objects.bulk_create(
            ManagementEvent(
                person=person,
                kind=kind,
                occurred_on=when,
                province_id=PROVINCE_OF[where],
                commune_id=where,
                data=data,
            )
            for kind, when, where, data in events
        )


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    people=st.lists(steps, min_size=1, max_size=5),
    offset=st.integers(0, 400),
    length=st.integers(0, 400),
    scope_name=st.sampled_from(sorted(SCOPES)),
)
def test_the_summary_balances_and_counts_who_is_managed(people, offset, length, scope_name):
    """For random lifecycles, period and scope: the flows balance the two stocks, which match a replay."""
    scope, inside = SCOPES[scope_name]
    date_from = START + dt.timedelta(days=offset)
    date_to = date_from + dt.timedelta(days=length)
    people_events = [play(moves) for moves in people]
    with transaction.atomic():
        write(people_events)
        figures = intake_summary(date_from=date_from, date_to=date_to, scope=scope, actor=SYSTEM)
        transaction.set_rollback(True)
    ended = sum(figures["managements_ended"].values())
    assert (
        figures["under_management_start"]
        + figures["entered_management"]
        + figures["transfers_in"]
        - figures["transfers_out"]
        - ended
        == figures["under_management_end"]
    )
    day_before = date_from - dt.timedelta(days=1)
    assert figures["under_management_start"] == sum(
        managed_at_end_of(day_before, e, inside) for e in people_events
    )
    assert figures["under_management_end"] == sum(
        managed_at_end_of(date_to, e, inside) for e in people_events
    )
    assert figures["received"] == sum(received_in(date_from, date_to, e, inside) for e in people_events)
    assert sum(figures["received_by_release_kind"].values()) >= figures["received"]
