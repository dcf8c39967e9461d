"""Builders of support records for tests (this app's and the generic access walk's).

Each builder takes a place (province code, commune code) and writes rows directly, as a fixture
would; the services are tested through the services themselves. Scoping for the walk:

* ``SupportKind``, ``FundingSource``: REFERENCE (catalogues, the same for everybody);
* ``SupportAction``, ``SupportEvidence``: AREA — support to a person living in ``place``;
* ``Child``: AREA — a child living in ``place`` (its parent too); no supporting organisation;
* ``PolicyBankReferral``: AREA — a referral of a person living in ``place``;
* ``Form01List``, ``Form01Entry``: AREA — the list of the commune of ``place``.
"""

from __future__ import annotations

import datetime as dt
import itertools

from django.core.files.base import ContentFile

from hoanhap.intake.testing import Place, make_person
from hoanhap.support.models import (
    Child,
    Form01Entry,
    Form01List,
    FundingSource,
    PolicyBankReferral,
    SupportAction,
    SupportEvidence,
    SupportKind,
)

_seq = itertools.count(1)
GIVEN_ON = dt.date(2025, 6, 1)


def kind(code: str = "vocational_training") -> SupportKind:
    return SupportKind.objects.get(code=code)


def source(code: str = "state_budget") -> FundingSource:
    return FundingSource.objects.get(code=code)


def make_kind(place: Place | None = None, **fields) -> SupportKind:
    """A seeded kind (REFERENCE: every holder sees the same catalogue)."""
    return kind(fields.pop("code", "gift_in_kind"))


def make_source(place: Place | None = None, **fields) -> FundingSource:
    return source(fields.pop("code", "donors"))


def make_action(place: Place, **fields) -> SupportAction:
    """Vocational training worth 2.000.000 đ for a person of ``place`` (unless ``person``/``child`` given)."""
    if "child" not in fields and fields.get("person") is None:
        fields["person"] = make_person(place)
    values = {
        "kind": kind(),
        "given_on": GIVEN_ON,
        "value": 2_000_000,
        "funding_source": source(),
    }
    values.update(fields)
    if isinstance(values["kind"], str):
        values["kind"] = kind(values["kind"])
    return SupportAction.objects.create(**values)


def make_evidence(place: Place, **fields) -> SupportEvidence:
    action = fields.pop("action", None) or make_action(place)
    evidence = SupportEvidence(action=action, description=fields.pop("description", "Biên nhận"), **fields)
    evidence.file.save(f"bien-nhan-{next(_seq)}.txt", ContentFile(b"Da nhan 2.000.000 d"), save=True)
    return evidence


def make_child(place: Place, **fields) -> Child:
    province, commune = place
    parent = fields.pop("parent", None) or make_person(place, status="in_prison")
    values = {
        "parent": parent,
        "full_name": f"Nguyễn Thị Bé {next(_seq)}",
        "birth_date": dt.date(2014, 9, 5),
        "school": "Trường Tiểu học Thoại Sơn",
        "grade": "5",
        "guardian_name": "Trần Thị Mẹ",
        "province_id": province,
        "commune_id": commune,
    }
    values.update(fields)
    return Child.objects.create(**values)


def make_referral(place: Place, **fields) -> PolicyBankReferral:
    person = fields.pop("person", None) or make_person(place)
    values = {
        "person": person,
        "purpose": PolicyBankReferral.Purpose.BUSINESS,
        "amount": 50_000_000,
        "referred_on": GIVEN_ON,
        "eligibility": {"eligible": True, "checks": []},
    }
    values.update(fields)
    return PolicyBankReferral.objects.create(**values)


def make_form01(place: Place, **fields) -> Form01List:
    """A draft list of the commune of ``place`` naming one person."""
    province, commune = place
    listing = Form01List.objects.create(
        province_id=province, commune_id=commune, prepared_on=fields.pop("prepared_on", GIVEN_ON), **fields
    )
    person = make_person(place)
    Form01Entry.objects.create(list=listing, person=person, position=1, full_name=person.full_name)
    return listing


def make_form01_entry(place: Place, **fields) -> Form01Entry:
    return make_form01(place, **fields).entries.get()


def register_walk_factories(register, area: str, reference: str) -> None:
    """Register the support models with the generic access walk (``tests.factories.register``)."""
    for model, builder in [
        (SupportAction, make_action),
        (SupportEvidence, make_evidence),
        (Child, make_child),
        (PolicyBankReferral, make_referral),
        (Form01List, make_form01),
        (Form01Entry, make_form01_entry),
    ]:
        register(model, area)(builder)
    register(SupportKind, reference)(make_kind)
    register(FundingSource, reference)(make_source)
