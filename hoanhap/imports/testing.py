"""Builders of import records for tests (this app's and the generic access walk's).

Each builder takes a place (province code, commune code) and writes rows directly, as a fixture
would. Scoping (tests/factories.py): all AREA — a batch sits in its unit; a staged row and an applied
change in their batch's unit; a residence choice in its province and its candidate communes.
"""

from __future__ import annotations

import itertools

from django.core.files.base import ContentFile

from hoanhap.imports.models import AppliedChange, ImportBatch, ResidenceCandidate, ResidenceChoice, StagedRow
from hoanhap.people.models import Person

Place = tuple[int, int | None]
_seq = itertools.count(1)


def make_batch(place: Place, **fields) -> ImportBatch:
    """A checked batch of the unit ``place`` with one valid row (status ``staged``)."""
    province, commune = place
    batch = ImportBatch(
        file_name=fields.pop("file_name", f"danh-sach-{next(_seq)}.csv"),
        kinds=fields.pop("kinds", ["persons"]),
        province_id=province,
        commune_id=commune,
        status=fields.pop("status", ImportBatch.Status.STAGED),
        rows=1,
        **fields,
    )
    batch.file.save(
        batch.file_name, ContentFile("Họ và tên;Nơi cư trú\nAn;Xã Thoại Sơn\n".encode()), save=False
    )
    batch.save()
    make_row(place, batch=batch)
    return batch


def make_row(place: Place, *, batch: ImportBatch | None = None, **fields) -> StagedRow:
    batch = batch or make_batch(place)
    values = {
        "batch": batch,
        "kind": "persons",
        "sheet": "persons",
        "row": 2,
        "raw": {"Họ và tên": "An"},
        "values": {"full_name": "An"},
        "action": StagedRow.Action.CREATE,
    }
    values.update(fields)
    return StagedRow.objects.create(**values)


def make_applied_change(place: Place, **fields) -> AppliedChange:
    batch = fields.pop("batch", None) or make_batch(place, status=ImportBatch.Status.APPLIED)
    return AppliedChange.objects.create(
        batch=batch, model="people.person", object_pk="0", change=AppliedChange.Change.CREATED, **fields
    )


def make_residence_choice(place: Place, **fields) -> ResidenceChoice:
    """A person of the province without commune, to be placed in the commune of ``place`` (or another)."""
    province, commune = place
    person = fields.pop("person", None) or Person.objects.create(
        full_name=f"Lê Thị Chọn {next(_seq)}", sex=Person.Sex.FEMALE, birth_year=1990, province_id=province
    )
    choice = ResidenceChoice.objects.create(
        person=person, province_id=province, address_text=fields.pop("address_text", "Xã cũ"), **fields
    )
    if commune:
        ResidenceCandidate.objects.create(choice=choice, commune_id=commune)
    return choice


def register_walk_factories(register, area: str) -> None:
    """Register the import models with the generic access walk (``tests.factories.register``)."""
    register(ImportBatch, area)(make_batch)
    register(StagedRow, area)(make_row)
    register(AppliedChange, area)(make_applied_change)
    register(ResidenceChoice, area)(make_residence_choice)
