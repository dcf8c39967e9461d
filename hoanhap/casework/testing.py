"""Builders of case-work records for tests (this app's and the generic access walk's).

Each builder takes a place (province code, commune code) and writes rows directly, as a fixture
would; a person under management of that place is made unless one is given. Every model is scoped
by the person's unit (AREA); assignments, needs, plan actions and contacts also open to the helpers
assigned to the person, police notes and reviews never do.
"""

from __future__ import annotations

import datetime as dt

from hoanhap.access.models import Organisation
from hoanhap.casework.models import Contact, HelperAssignment, Need, PlanAction, PoliceNote, Review
from hoanhap.core.testing import make_organisation
from hoanhap.intake.testing import Place, make_classification, make_person


def make_helper_assignment(place: Place, **fields) -> HelperAssignment:
    """A Women's Union branch of ``place`` helping a person of ``place`` since 1 January 2026."""
    province, commune = place
    person = fields.pop("person", None) or make_person(place)
    if "organisation" not in fields and "user" not in fields and "helper_name" not in fields:
        fields["organisation"] = make_organisation(
            Organisation.Kind.WOMENS_UNION, province=province, commune=commune
        )
    values = {"person": person, "start_date": dt.date(2026, 1, 1)}
    values.update(fields)
    return HelperAssignment.objects.create(**values)


def make_need(place: Place, **fields) -> Need:
    """A work need of a person of ``place``, identified on 10 January 2026."""
    values = {
        "domain": Need.Domain.WORK,
        "status": Need.Status.IDENTIFIED,
        "description": "Cần việc làm ổn định",
        "status_since": dt.date(2026, 1, 10),
    }
    values.update(fields)
    values["person"] = values.get("person") or make_person(place)
    return Need.objects.create(**values)


def make_plan_action(place: Place, **fields) -> PlanAction:
    """An open action answering a need (made for the person unless given), due on 1 March 2026."""
    person = fields.pop("person", None) or (fields["need"].person if "need" in fields else make_person(place))
    need = fields.pop("need", None) or make_need(place, person=person)
    values = {
        "person": person,
        "need": need,
        "description": "Giới thiệu học nghề sửa xe",
        "owner": "Hội Phụ nữ xã",
        "due_on": dt.date(2026, 3, 1),
    }
    values.update(fields)
    return PlanAction.objects.create(**values)


def make_contact(place: Place, **fields) -> Contact:
    """A home visit to a person of ``place`` on 15 January 2026."""
    values = {
        "occurred_on": dt.date(2026, 1, 15),
        "kind": Contact.Kind.HOME_VISIT,
        "participants": "Cán bộ công an xã, Hội Phụ nữ",
        "observations": "Sống cùng mẹ, đang tìm việc",
    }
    values.update(fields)
    values["person"] = values.get("person") or make_person(place)
    return Contact.objects.create(**values)


def make_police_note(place: Place, **fields) -> PoliceNote:
    """A police-only note on a person of ``place``."""
    values = {"written_on": dt.date(2026, 1, 15), "text": "GHI CHÚ NGHIỆP VỤ: theo dõi quan hệ cũ"}
    values.update(fields)
    values["person"] = values.get("person") or make_person(place)
    return PoliceNote.objects.create(**values)


def make_review(place: Place, **fields) -> Review:
    """A review at entry of a person of ``place``, with its classification (group B, same dates)."""
    person = fields.pop("person", None) or make_person(place)
    dates = {}
    if "reviewed_on" in fields:
        dates["decided_on"] = fields["reviewed_on"]
    if "next_review_on" in fields:
        dates["next_review_on"] = fields["next_review_on"]
    classification = fields.pop("classification", None) or make_classification(place, person=person, **dates)
    values = {
        "person": person,
        "kind": Review.Kind.ENTRY,
        "reviewed_on": classification.decided_on,
        "classification": classification,
        "summary": "Chấp hành tốt, còn khó khăn việc làm",
        "next_review_on": classification.next_review_on,
    }
    values.update(fields)
    return Review.objects.create(**values)
