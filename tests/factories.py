"""One factory per model that a URL can name, so generic tests can build in-scope and out-of-scope rows.

A model reached through a URL id (a view's ``model``, a viewset's ``queryset``) must be listed here;
``factory_for`` fails with "add a factory for X" otherwise, so a new detail page or API endpoint
cannot escape the generic access walk.

Each factory says how its rows are scoped:

* ``AREA``: the row sits in a unit (``place`` = (province, commune)); it is visible to the roles
  whose area covers that unit;
* ``OWNER``: the row belongs to one account (``owner``); only that account, and system
  administrators, see it;
* ``REFERENCE``: shared reference data (administrative units, the offence catalogue, the working-day
  calendar): every holder of the capability sees the same rows.

Where an app ships its own test builders (``hoanhap.intake.testing``, the justice records), they are
reused here, so a change of that app's models is mended in one place.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db.models import Model

from hoanhap.access.models import Organisation, RoleAssignment, User
from hoanhap.access.roles import Role
from hoanhap.audit import services as audit
from hoanhap.audit.models import AuditEvent
from hoanhap.casework import testing as casework_testing
from hoanhap.casework.models import Contact, HelperAssignment, Need, PlanAction, PoliceNote, Review
from hoanhap.core.testing import AN_GIANG, BA_DINH, HA_NOI, THOAI_SON, make_organisation, make_user
from hoanhap.geo import models as geo
from hoanhap.imports import testing as imports_testing
from hoanhap.intake import testing as intake_testing
from hoanhap.intake.models import (
    CalendarDay,
    Classification,
    ManagementEnd,
    ManagementEvent,
    Reception,
    ReleaseNotice,
    Transfer,
)
from hoanhap.jobs.models import Job
from hoanhap.justice.models import Judgment, Offence, Release
from hoanhap.justice.tests import records as justice_records
from hoanhap.people.models import Person, Relative, ResidenceHistory, TimelineEntry
from hoanhap.support import testing as support_testing

AREA = "area"
OWNER = "owner"
REFERENCE = "reference"

Place = tuple[int, int | None]  # (province code, commune code)
IN_SCOPE: Place = (AN_GIANG, THOAI_SON)  # Xã Thoại Sơn, An Giang: the area of the test roles
OUT_OF_SCOPE: Place = (HA_NOI, BA_DINH)  # Phường Ba Đình, Hà Nội: nobody's area but the whole country's

_seq = itertools.count(1)


@dataclass(frozen=True)
class Factory:
    model: type[Model]
    scoping: str
    build: Callable[..., Model]  # AREA: build(place); OWNER: build(owner); REFERENCE: build(place)

    def make(self, *, place: Place | None = None, owner: User | None = None) -> Model:
        if self.scoping == OWNER:
            return self.build(owner)
        return self.build(place)


REGISTRY: dict[type[Model], Factory] = {}


def register(model: type[Model], scoping: str):
    def decorator(func):
        REGISTRY[model] = Factory(model=model, scoping=scoping, build=func)
        return func

    return decorator


class MissingFactory(LookupError):
    pass


def factory_for(model: type[Model]) -> Factory:
    try:
        return REGISTRY[model]
    except KeyError:
        raise MissingFactory(
            f"add a factory for {model._meta.label} in tests/factories.py "
            f"(a URL names its rows by id, so the generic access walk must be able to build one in scope "
            f"and one out of scope)"
        ) from None


# -- access ----------------------------------------------------------------------------------------


@register(Organisation, AREA)
def organisation(place: Place) -> Organisation:
    province, commune = place
    return make_organisation(province=province, commune=commune, name=f"Công an xã thử {next(_seq)}")


@register(User, AREA)
def user(place: Place) -> User:
    """An account of an organisation in ``place`` holding a commune officer grant there."""
    province, commune = place
    org = organisation(place)
    return make_user(Role.COMMUNE_OFFICER, commune=commune, organisation=org, username=f"member{next(_seq)}")


@register(RoleAssignment, AREA)
def role_assignment(place: Place) -> RoleAssignment:
    return user(place).role_assignments.get()


# -- audit -----------------------------------------------------------------------------------------


@register(AuditEvent, AREA)
def audit_event(place: Place) -> AuditEvent:
    province, commune = place
    return audit.record(
        "tests.thing.checked",
        target_type="tests.thing",
        target_id=str(next(_seq)),
        target_repr="Hồ sơ thử",
        province=province,
        commune=commune,
        data={"note": "generic access walk"},
    )


# -- geo: reference data loaded once for the whole suite ------------------------------------------


@register(geo.Province, REFERENCE)
def province(place: Place) -> geo.Province:
    return geo.Province.objects.get(code=place[0])


@register(geo.Commune, REFERENCE)
def commune(place: Place) -> geo.Commune:
    return geo.Commune.objects.get(code=place[1])


@register(geo.CommuneSuccession, REFERENCE)
def commune_succession(place: Place) -> geo.CommuneSuccession:
    return geo.CommuneSuccession.objects.filter(commune_id=place[1]).select_related("legacy_commune").first()


@register(geo.LegacyCommune, REFERENCE)
def legacy_commune(place: Place) -> geo.LegacyCommune:
    return commune_succession(place).legacy_commune


@register(geo.LegacyDistrict, REFERENCE)
def legacy_district(place: Place) -> geo.LegacyDistrict:
    return legacy_commune(place).district


@register(geo.LegacyProvince, REFERENCE)
def legacy_province(place: Place) -> geo.LegacyProvince:
    return legacy_district(place).province


# -- people ----------------------------------------------------------------------------------------


@register(Person, AREA)
def person(place: Place) -> Person:
    province, commune = place
    return Person.objects.create(
        full_name=f"Nguyễn Văn Thử {next(_seq)}",
        sex=Person.Sex.MALE,
        birth_year=1985,
        province_id=province,
        commune_id=commune,
        status=Person.Status.IN_MANAGEMENT,
    )


@register(Relative, AREA)
def relative(place: Place) -> Relative:
    return Relative.objects.create(
        person=person(place), relation=Relative.Relation.MOTHER, full_name="Trần Thị Mẹ"
    )


@register(ResidenceHistory, AREA)
def residence(place: Place) -> ResidenceHistory:
    someone = person(place)
    return ResidenceHistory.objects.create(person=someone, province_id=place[0], commune_id=place[1])


@register(TimelineEntry, AREA)
def timeline_entry(place: Place) -> TimelineEntry:
    return TimelineEntry.objects.create(
        person=person(place), occurred_on=dt.date(2026, 7, 1), kind="tests.visit", summary="Thăm gia đình"
    )


# -- justice: through the justice app's own builders (its services, as the system actor) ------------


@register(Offence, REFERENCE)
def offence(place: Place) -> Offence:
    """An article of the Criminal Code catalogue (loaded by migration): the same for everybody."""
    return justice_records.offence(173)  # theft of property


@register(Judgment, AREA)
def judgment(place: Place) -> Judgment:
    return justice_records.make_judgment(person(place))


@register(Release, AREA)
def release(place: Place) -> Release:
    return justice_records.make_release(judgment(place))


# -- intake: through the intake app's builders (hoanhap.intake.testing) ------------------------------

register(ReleaseNotice, AREA)(intake_testing.make_notice)
register(Reception, AREA)(intake_testing.make_reception)
register(Transfer, AREA)(intake_testing.make_transfer)  # out of ``place``, into a Hà Nội commune
register(Classification, AREA)(intake_testing.make_classification)

register(ManagementEnd, AREA)(intake_testing.make_management_end)
register(CalendarDay, REFERENCE)(intake_testing.make_calendar_day)  # one calendar for the whole country


@register(ManagementEvent, AREA)
def management_event(place: Place) -> ManagementEvent:
    province, commune = place
    return ManagementEvent.objects.create(
        person=person(place),
        kind=ManagementEvent.Kind.ENTERED_MANAGEMENT,
        occurred_on=dt.date(2026, 1, 12),
        province_id=province,
        commune_id=commune,
        status_before=Person.Status.RECEIVED,
        status_after=Person.Status.IN_MANAGEMENT,
    )


# -- jobs ------------------------------------------------------------------------------------------


@register(Job, OWNER)
def job(owner: User | None) -> Job:
    """A finished job with its result file, so that its download page is walked too."""
    job = Job.objects.create(
        kind="imports.export",
        params={"scope": f"commune:{THOAI_SON}", "purpose": "Kiểm thử truy cập", "commune": THOAI_SON},
        title=f"Xuất danh sách thử {next(_seq)}",
        user=owner,
        status=Job.Status.DONE,
        result_name="danh-sach.csv",
    )
    job.result_file.save("danh-sach.csv", ContentFile("Họ tên\nNguyễn Văn A\n".encode()), save=True)
    return job


# -- support -----------------------------------------------------------------------------------------

support_testing.register_walk_factories(register, AREA, REFERENCE)

# -- casework (placed by the person's unit) ----------------------------------------------------------

register(HelperAssignment, AREA)(casework_testing.make_helper_assignment)
register(Need, AREA)(casework_testing.make_need)
register(PlanAction, AREA)(casework_testing.make_plan_action)
register(Contact, AREA)(casework_testing.make_contact)
register(PoliceNote, AREA)(casework_testing.make_police_note)
register(Review, AREA)(casework_testing.make_review)

# -- imports -----------------------------------------------------------------------------------------

imports_testing.register_walk_factories(register, AREA)
