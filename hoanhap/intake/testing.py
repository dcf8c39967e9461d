"""Builders of intake records for tests (this app's and the generic access walk's).

Each builder takes a place (province code, commune code) and writes rows directly, as a fixture
would; the behaviour of the services is tested through the services themselves.
"""

from __future__ import annotations

import datetime as dt
import itertools

from hoanhap.access.models import Organisation
from hoanhap.core.testing import make_organisation
from hoanhap.geo.models import Commune
from hoanhap.intake import deadlines
from hoanhap.intake.models import (
    CalendarDay,
    Classification,
    ManagementEnd,
    Reception,
    ReleaseNotice,
    Transfer,
)
from hoanhap.people.models import Person

Place = tuple[int, int | None]
_seq = itertools.count(1)


def make_person(place: Place, **fields) -> Person:
    province, commune = place
    values = {
        "full_name": "Lê Văn Thử",
        "sex": Person.Sex.MALE,
        "birth_year": 1980,
        "province_id": province,
        "commune_id": commune,
        "status": Person.Status.IN_MANAGEMENT,
    }
    values.update(fields)
    return Person.objects.create(**values)


def make_facility(name: str | None = None) -> Organisation:
    return make_organisation(
        Organisation.Kind.DETENTION_FACILITY,
        province=91,
        commune=None,
        name=name or f"Trại giam thử {next(_seq)}",
    )


def make_notice(
    place: Place, *, facility: Organisation | None = None, person: Person | None = None, **fields
) -> ReleaseNotice:
    """A notice naming ``place``, from a facility of its own unless one is given; not verified yet."""
    province, commune = place
    person = person or make_person(place, status=Person.Status.NOTIFIED)
    received = fields.pop("received_on", dt.date(2026, 1, 5))
    values = {
        "person": person,
        "facility": facility or make_facility(),
        "expected_release_date": dt.date(2026, 3, 20),
        "release_kind": "completed_term",
        "province_id": province,
        "commune_id": commune,
        "address": "Ấp Thử",
        "received_on": received,
        "verify_by": deadlines.verify_by(received),
    }
    values.update(fields)
    return ReleaseNotice.objects.create(**values)


def make_reception(place: Place, **fields) -> Reception:
    province, commune = place
    person = fields.pop("person", None) or make_person(place)
    return Reception.objects.create(
        person=person, province_id=province, commune_id=commune, reported_on=dt.date(2026, 1, 10), **fields
    )


def other_commune(province: int, *, exclude: set[int]) -> int:
    """A commune of ``province`` other than those in ``exclude`` (first by code)."""
    return (
        Commune.objects.filter(province_id=province)
        .exclude(pk__in=exclude)
        .order_by("code")
        .values_list("code", flat=True)[0]
    )


def make_transfer(place: Place, *, to: Place | None = None, **fields) -> Transfer:
    """A transfer out of ``place``, by default to a commune of Hà Nội (province 1) nobody tested covers."""
    province, commune = place
    if to is None:
        to = (1, other_commune(1, exclude={4, commune or 0}))
    person = fields.pop("person", None) or make_person(place)
    return Transfer.objects.create(
        person=person,
        from_province_id=province,
        from_commune_id=commune,
        to_province_id=to[0],
        to_commune_id=to[1],
        sent_on=fields.pop("sent_on", dt.date(2026, 1, 10)),
        **fields,
    )


def make_classification(place: Place, **fields) -> Classification:
    person = fields.pop("person", None) or make_person(place)
    values = {
        "group": "B",
        "reasons": "Chưa có việc làm ổn định.",
        "decided_on": dt.date(2026, 1, 10),
        "next_review_on": dt.date(2026, 7, 10),
    }
    values.update(fields)
    return Classification.objects.create(person=person, **values)


def make_management_end(place: Place, **fields) -> ManagementEnd:
    province, commune = place
    person = fields.pop("person", None) or make_person(place, status=Person.Status.ENDED)
    return ManagementEnd.objects.create(
        person=person,
        ground="expunged",
        ended_on=dt.date(2026, 1, 10),
        province_id=province,
        commune_id=commune,
    )


def make_calendar_day(place: Place | None = None, **fields) -> CalendarDay:
    """An administrator's extra holiday (places are ignored: the calendar is the same everywhere)."""
    day = dt.date(2030, 1, 2) + dt.timedelta(days=next(_seq))
    return CalendarDay.objects.create(
        date=fields.pop("date", day), kind="holiday", name="Nghỉ bù thử", **fields
    )


def register_walk_factories(register, area: str, reference: str) -> None:
    """Register the intake models with the generic access walk (``tests.factories.register``).

    In-scope rows sit in the walk's place; a transfer goes to a Hà Nội commune nobody but the whole
    country covers, and a notice comes from a facility of its own (so no facility account sees it).
    """
    for model, builder in [
        (ReleaseNotice, make_notice),
        (Reception, make_reception),
        (Transfer, make_transfer),
        (Classification, make_classification),
        (ManagementEnd, make_management_end),
    ]:
        register(model, area)(builder)
    register(CalendarDay, reference)(make_calendar_day)
