"""Rows read wait on disk until judged (``pending``): kept in order, handed out in apply order, a
persons row's judgment completed from the judgments sheet, stored once with their results."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

from hoanhap.imports.models import ImportBatch, StagedRow
from hoanhap.imports.pending import Pending, completed, judgment_key, records
from hoanhap.imports.staging import OnDisk, Staged


def staged(pk: int, kind: str = "persons", values: dict | None = None, **fields) -> Staged:
    base = {
        "pk": pk,
        "kind": kind,
        "sheet": kind,
        "row": pk + 1,
        "values": values or {"full_name": f"Nguyễn Văn {pk}"},
        "address": {"status": "resolved", "commune": 30280},
        "errors": [],
        "warnings": [],
        "action": "skip",
        "target_repr": "",
        "target_url": "",
        "duplicates": [],
        "decision": "",
        "decision_person": None,
        "commune_choice": None,
        "outcome": "",
        "outcome_message": "",
        "raw": {"Họ và tên": f"Nguyễn Văn {pk}"},
    }
    return Staged(**{**base, **fields})


def test_chunks_on_disk_come_back_in_order_as_often_as_asked():
    kept = OnDisk()
    try:
        kept.add([1, 2])
        kept.add([3])
        assert list(kept.read()) == [[1, 2], [3]]
        reading = kept.read()
        assert next(reading) == [1, 2]
        kept.add([4])  # added while it is read: read after what was there
        assert list(reading) == [[3], [4]]
        assert next(kept.read()) == [1, 2]
    finally:
        kept.close()


def test_rows_come_out_kind_by_kind_in_apply_order_counted():
    pending = Pending(batch_id=1)
    try:
        pending.add("notices", [staged(1, "notices")])
        pending.add("judgments", [staged(2, "judgments")])
        pending.add("persons", [staged(3)])
        pending.add("support", [])  # nothing read: no spool
        pending.add_pickled("persons", pickle.dumps(records([staged(4), staged(5)])), 2)
        assert pending.count == 5
        assert [[row.pk for row in chunk] for chunk in pending.chunks()] == [[3], [4, 5], [2], [1]]
        assert [chunk[0].kind for chunk in pending.chunks()] == ["persons", "persons", "judgments", "notices"]
        assert set(pending.spools) == {"notices", "judgments", "persons"}
    finally:
        pending.close()


def test_a_persons_row_takes_what_the_judgments_row_of_its_judgment_adds():
    key = {"record_code": "91-000001", "judgment_number": "5/2021/HS-ST", "judgment_date": "2021-03-02"}
    person = {**key, "full_name": "Trần Văn Treo", "term": [1, 0, 0, False]}
    judgment = {**key, "term": [2, 0, 0, False], "probation": [2, 0, 0, False], "fine_amount": 5}
    pending = Pending(batch_id=1)
    try:
        pending.add("persons", [staged(1, values=person)])
        pending.add("judgments", [staged(2, "judgments", values=judgment)])
        pending.complete_judgments()
        [row] = next(pending.chunks())
        # What the persons row gives stays; what it lacks comes from the judgments row.
        assert row.values == {**person, "probation": [2, 0, 0, False], "fine_amount": 5}
    finally:
        pending.close()
    assert judgment_key({"full_name": "Không số"}) is None
    assert completed(person, {}) is person


@pytest.mark.django_db
def test_judged_rows_are_stored_once_with_their_results(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    batch = ImportBatch.objects.create(file_name="ds.xlsx", kinds=["persons"], file="imports/ds.xlsx")
    pending = Pending(batch.pk)
    try:
        pending.add("persons", [staged(1), staged(2)])
        with pending.held():
            for chunk in pending.chunks():
                chunk[1].action, chunk[1].errors = "error", [{"message": "Sai"}]
                chunk[0].action = "create"
                pending.hold(chunk)
        stored = list(
            batch.staged_rows.order_by("pk").values_list("row", "action", "errors", "raw", "values")
        )
        assert stored == [
            (2, "create", [], {"Họ và tên": "Nguyễn Văn 1"}, {"full_name": "Nguyễn Văn 1"}),
            (3, "error", [{"message": "Sai"}], {"Họ và tên": "Nguyễn Văn 2"}, {"full_name": "Nguyễn Văn 2"}),
        ]
        assert StagedRow.objects.count() == 2
    finally:
        pending.close()


def test_results_held_for_other_rows_are_refused():
    pending = Pending(batch_id=1)
    pending.add("persons", [staged(1)])
    with pytest.raises(RuntimeError), pending.held():
        pending.hold([staged(7)])
    pending.close()


def test_a_row_comes_back_from_the_disk_as_it_was_added():
    pending = Pending(batch_id=1)
    row = staged(1, values={"full_name": "A", "release_date": "2021-01-05"}, decision_person=4)
    row.warnings = [{"sheet": "persons", "row": 2, "column": None, "message": "x", "trial": True}]
    pending.add("persons", [row])
    [[back]] = list(pending.chunks())
    assert back == row
    assert dt.date.fromisoformat(back.values["release_date"]) == dt.date(2021, 1, 5)
    pending.close()
