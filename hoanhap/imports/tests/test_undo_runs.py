"""The undo of what the bulk path created: its runs of ids are checked and deleted a run at a time."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from hoanhap.access import policy
from hoanhap.audit.models import AuditEvent
from hoanhap.imports import services, undoing
from hoanhap.imports.models import AppliedChange, ImportBatch
from hoanhap.people.models import Person, TimelineEntry

from .builders import PERSON_BASE, kind_sheet, run

pytestmark = pytest.mark.django_db

CREATED = AppliedChange.Change.CREATED


def _change(model: str, pk: int, last: int | None = None, text: str = "") -> AppliedChange:
    return AppliedChange(model=model, object_pk=str(pk), change=CREATED, last_pk=last, object_repr=text)


def test_the_undo_list_knows_its_records_without_a_change_per_row():
    listed = undoing.UndoList(
        [
            _change("people.person", 10, 12),
            _change("people.person", 13, 20),
            _change("people.person", 40, 41),
            _change("access.organisation", 7, text="Trại giam Mới Lập"),
        ]
    )
    assert ("people.person", "10") in listed
    assert ("people.person", 16) in listed
    assert ("people.person", "41") in listed
    assert ("people.person", "9") not in listed
    assert ("people.person", "21") not in listed
    assert ("people.person", "x") not in listed
    assert ("justice.judgment", "10") not in listed
    assert ("access.organisation", "7") in listed
    assert listed.text(("access.organisation", "7")) == "Trại giam Mới Lập"
    assert list(listed.ranges("people.person")) == [(10, 20), (40, 41)]


ROWS = [
    {**PERSON_BASE, "full_name": name, "birth_date": f"1/1/{1980 + i}", "judgment_number": f"{i}/2019/HS-ST"}
    | {"judgment_date": "15/06/2019", "offence_committed_on": "01/02/2019", "release_date": "15/06/2021"}
    | {"address": f"Ấp Đông Sơn {i}"}
    for i, name in enumerate(["Nguyễn Văn Tâm", "Trần Văn Bảy", "Lê Văn Quý"], start=1)
]


def _imported(tmp_path) -> tuple[ImportBatch, list[Person]]:
    """The three people imported in bulk (their records in runs of ids)."""
    path = kind_sheet(tmp_path / "persons.xlsx", "persons", ROWS)
    result = run(path, "--kind", "persons", "--commit", "all", "--scope", "province:91")
    assert (result["created"], result["errors"]) == (3, []), result["errors"]
    batch = ImportBatch.objects.get()
    assert batch.changes.filter(model="people.person").get().last_pk is not None  # one run
    return batch, list(Person.objects.order_by("pk"))


def test_a_row_hung_on_a_person_of_a_run_refuses_the_undo(tmp_path):
    batch, people = _imported(tmp_path)
    TimelineEntry.objects.create(
        person=people[1], occurred_on=dt.date(2026, 1, 5), kind="note", summary="Gặp"
    )
    with pytest.raises(undoing.UndoRefused) as refused:
        services.batch_undo(batch, actor=policy.SYSTEM)
    assert any("Gặp" in record for record in refused.value.records)
    assert Person.objects.count() == 3


def test_the_undo_of_runs_deletes_every_record_each_with_its_entry(tmp_path):
    batch, _people = _imported(tmp_path)
    created = AuditEvent.objects.filter(action__endswith=".created").exclude(action__startswith="imports.")
    expected = sorted((e.action.replace(".created", ".deleted"), e.target_type, e.target_id) for e in created)
    services.batch_undo(batch, actor=policy.SYSTEM)
    assert not Person.objects.exists()
    assert not TimelineEntry.objects.exists()
    deleted = AuditEvent.objects.filter(action__endswith=".deleted")
    assert sorted((e.action, e.target_type, e.target_id) for e in deleted) == expected
    assert {e.data.get("context") for e in deleted} == {f"undo {batch.tag}"}
    undone = AuditEvent.objects.get(action="imports.batch.undone")
    assert undone.data["changes"] == batch.changes.count() + sum(
        c.last_pk - int(c.object_pk) for c in batch.changes.exclude(last_pk=None)
    )


def test_a_refused_undo_on_the_worker_leaves_the_import_applied_and_says_why(
    tmp_path, django_capture_on_commit_callbacks
):
    batch, people = _imported(tmp_path)
    TimelineEntry.objects.create(
        person=people[0], occurred_on=dt.date(2026, 1, 5), kind="note", summary="Gặp"
    )
    with django_capture_on_commit_callbacks(execute=True):  # the worker runs the job
        services.batch_undo_start(batch, actor=policy.SYSTEM)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED
    assert batch.message.startswith("The import cannot be undone")
    assert batch.job.message.startswith("The import cannot be undone")
    assert Person.objects.count() == 3
    TimelineEntry.objects.filter(summary="Gặp").delete()
    with django_capture_on_commit_callbacks(execute=True):  # once the visit is gone, it can
        services.batch_undo_start(batch, actor=policy.SYSTEM)
    batch.refresh_from_db()
    assert (batch.status, batch.job.progress_done, batch.job.progress_total) == (
        ImportBatch.Status.UNDONE,
        batch.job.progress_total,
        AuditEvent.objects.get(action="imports.batch.undone").data["changes"],
    )
    assert not Person.objects.exists()


def test_an_undo_that_fails_on_the_worker_leaves_the_import_applied(
    tmp_path, django_capture_on_commit_callbacks
):
    """A failure in the middle (the disk, the database): the transaction undid nothing, and the batch
    says so instead of staying 'being undone'; a second start while one runs is refused."""
    batch, _people = _imported(tmp_path)
    failing = mock.patch.object(undoing, "_delete_run", side_effect=OSError("disk full"))
    with failing, django_capture_on_commit_callbacks(execute=True):
        services.batch_undo_start(batch, actor=policy.SYSTEM)
        with pytest.raises(ValidationError):
            services.batch_undo_start(batch, actor=policy.SYSTEM)  # the first is queued: one at a time
    batch.refresh_from_db()
    assert (batch.status, batch.message) == (ImportBatch.Status.APPLIED, "disk full")
    assert Person.objects.count() == 3
