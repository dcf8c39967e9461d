"""The person's note travels in the persons sheet's "Ghi chú": written on one line, read back as the
person's, and kept through a round trip — a re-import into the same registry leaves a note with line
breaks as it is; an import into an empty one stores it on one line and exports it again the same."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from hoanhap.people.models import Person

from .test_export import KIND_SHEETS, build_world, empty_everything, export, records, sheets_of

pytestmark = pytest.mark.django_db

NOTE = "Gia đình khó khăn, cần hỗ trợ vốn.\nĐang học nghề sửa xe máy tại xã."
ONE_LINE = "Gia đình khó khăn, cần hỗ trợ vốn. Đang học nghề sửa xe máy tại xã."


def import_file(path) -> dict:
    out = io.StringIO()
    call_command("import", str(path), "--commit", "all", "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def world():
    world = build_world()
    Person.objects.filter(pk=world.an.pk).update(note=NOTE)
    return world


def test_the_persons_sheet_carries_the_note_on_one_line(tmp_path, world):
    rows = {r.values["record_code"]: r.values for r in records(export(tmp_path / "out.xlsx"), "persons")}
    assert rows[world.an.record_code]["note"] == ONE_LINE
    assert rows[world.binh.record_code]["note"] is None


def test_a_reimport_of_the_export_keeps_the_note_as_it_is(tmp_path, world):
    result = import_file(export(tmp_path / "out.xlsx", with_details=False))
    assert (result["created"], result["updated"], result["errors"]) == (0, 0, [])
    assert Person.objects.get(pk=world.an.pk).note == NOTE  # not flattened
    assert Person.objects.get(pk=world.binh.pk).note == ""


def test_the_note_survives_the_round_trip_through_an_empty_registry(tmp_path, world):
    code = world.an.record_code
    first = export(tmp_path / "first.xlsx", with_details=False)
    empty_everything()
    result = import_file(first)
    assert result["errors"] == [], json.dumps(result["errors"], ensure_ascii=False, indent=1)
    assert Person.objects.get(record_code=code).note == ONE_LINE
    before, after = sheets_of(first), sheets_of(export(tmp_path / "second.xlsx", with_details=False))
    for kind in KIND_SHEETS:
        assert after[kind] == before[kind], kind
