"""The bulk path of persons rows gives what the adapter gives row by row: same rows, errors, records,
audit entries and undo list; bulk-imported people are found by the search; an apply failing in the
middle of a bulk write leaves nothing; a re-import is settled without the adapter."""

from __future__ import annotations

import re
from collections import Counter
from unittest import mock

import pytest
from django.db import transaction

from hoanhap.access.models import Organisation
from hoanhap.access.roles import Role
from hoanhap.audit import context
from hoanhap.audit.models import AuditEvent
from hoanhap.core.testing import make_user
from hoanhap.imports import bulk, services, staging
from hoanhap.imports.kinds.persons import PersonsAdapter
from hoanhap.imports.models import AppliedChange, ImportBatch, StagedRow
from hoanhap.justice.models import Judgment, JudgmentOffence, Release
from hoanhap.people import selectors
from hoanhap.people import services as people_services
from hoanhap.people.models import Person, ResidenceHistory, TimelineEntry

from .builders import PERSON_BASE, kind_sheet, undo_rows, without_ids, without_trial

pytestmark = pytest.mark.django_db

BASE = PERSON_BASE


def person(n: int, name: str, **values) -> dict:
    year = values.pop("year", 1980 + n)
    return {
        **BASE,
        "full_name": name,
        "birth_date": f"{n % 27 + 1}/3/{year}",
        "id_number": f"0890{year % 100:02d}{n:06d}",
        "address": f"Ấp Đông Sơn {n}",
        "judgment_number": f"{n}/2019/HS-ST",
        "judgment_date": "15/06/2019",
        "offence_committed_on": "01/02/2019",
        "release_date": "15/06/2021",
        "release_kind": "Hết án",
        **values,
    }


ROWS = [
    person(1, "Nguyễn Văn An", note="Đi làm ăn xa"),
    person(2, "TRẦN THỊ BÌNH", sex="Nữ", id_number=None),
    person(3, "Lê Văn Chí", record_code="91-000700"),
    person(4, "Phạm Văn Dũng", facility="Trại giam Mới Lập"),  # registered by the import (a warning)
    person(5, "Võ Văn Em", offences="Tội lạ (Điều 999)"),  # cites no catalogued article: an error
    person(6, "Đỗ Văn Phúc", offences="Giết người (Điều 500)"),  # article outside the code: an error
    person(7, "Hồ Văn Giàu", release_date="15/06/2018"),  # released before the judgment: refused
    person(
        8,
        "Ngô Văn Hải",
        release_kind="Đặc xá",
        amnesty_decision_number="1/QĐ-CTN",
        amnesty_decision_date="01/06/2021",
    ),
    person(9, "Nguyễn Văn Ann", year=1981),  # one letter from row 1's name, same year and commune
    person(10, "Bùi Văn Khoa", year=1981, id_number="089081000001"),  # same as row 1's number: error
    person(11, "Tạ Văn Lâm", judgment_number=None),  # no judgment number: neither judgment nor release
    person(
        12,
        "Đinh Văn Mạnh",
        release_kind="Tha tù trước thời hạn có điều kiện",
        probation="2 năm",
        probation_ends_on="15/06/2023",
    ),
    person(13, "Lý Văn Nam", year=1970),  # probably the same as the registered Lý Văn Nam
    person(14, "Mai Văn Ổn", birth_date="31/02/1980"),  # a reading error
    person(15, "Đặng Văn Phú", commune="Xã Không Có", province="An Giang"),  # an unknown commune
]


@pytest.fixture
def officer():
    return make_user(Role.PROVINCE_OFFICER, province=91, username="bulk.officer")


@pytest.fixture
def registered(officer):
    with context.acting(user=officer, source=context.SOURCE_WEB):
        return people_services.person_create(
            actor=officer,
            data={
                "full_name": "Lý Văn Nam",
                "birth_year": 1970,
                "sex": "male",
                "province": 91,
                "commune": 30682,
            },
        ).person


def _batch(officer, path):
    with path.open("rb") as handle:
        batch = services.batch_create(actor=officer, file=handle, file_name=path.name, kinds=["persons"])
    return services.batch_stage(batch, actor=officer)


def _rows(batch) -> list[tuple]:
    return [
        (
            r.row,
            r.action,
            r.outcome,
            r.target_repr,
            without_trial(r.errors),
            without_trial(r.warnings),
            without_ids(r.duplicates),
        )
        for r in batch.staged_rows.order_by("row")
    ]


def _records(since: int) -> dict:
    """What the import wrote, without database ids."""
    people = list(Person.objects.order_by("record_code"))
    ids = {"person_id", "judgment_id", "offence_id", "facility_id", "id"}
    audits = AuditEvent.objects.filter(pk__gt=since).exclude(action__startswith="imports.")
    return {
        "people": [
            (
                p.record_code,
                p.full_name,
                p.name_folded,
                p.name_canonical,
                p.sort_key,
                p.search_text,
                p.birth_year,
                p.birth_month,
                p.birth_day,
                p.sex,
                p.personal_id,
                p.old_id_number,
                p.ethnicity,
                p.religion,
                p.province_id,
                p.commune_id,
                p.address,
                p.status,
                p.note,
                p.version,
            )
            for p in people
        ],
        "judgments": sorted(
            (
                j.person.record_code,
                j.judgment_number,
                str(j.judgment_date),
                j.court_name,
                j.main_penalty_type,
                j.main_penalty_years,
                j.probation_years,
                j.version,
            )
            for j in Judgment.objects.select_related("person")
        ),
        "lines": sorted((str(o.judgment), str(o.offence), o.clause) for o in JudgmentOffence.objects.all()),
        "releases": sorted(
            (
                r.person.record_code,
                str(r.release_date),
                r.kind,
                r.facility.name if r.facility else None,
                r.amnesty_decision_number,
                str(r.probation_ends_on),
            )
            for r in Release.objects.select_related("person", "facility")
        ),
        "residences": sorted(
            (r.person.record_code, r.province_id, r.commune_id, r.address, str(r.from_date))
            for r in ResidenceHistory.objects.select_related("person")
        ),
        "timeline": sorted(
            (
                t.person.record_code,
                str(t.occurred_on),
                t.kind,
                t.summary,
                t.target_type,
                t.url.split("/")[1] if t.url else "",
                t.created_by_id,
            )
            for t in TimelineEntry.objects.select_related("person")
        ),
        "audit": Counter(
            (
                a.action,
                a.target_type,
                a.target_repr,
                a.province_code,
                a.commune_code,
                a.actor_id,
                a.source,
                str(sorted((k, v) for k, v in a.changes.items() if k not in ids)),
                re.sub(r"import \d+", "import N", str(a.data)),
            )
            for a in audits
        ),
        # The undo list as the undo reads it (the bulk path notes its rows in runs, without a text).
        "changes": Counter(
            (model, change, "" if change == AppliedChange.Change.CREATED else text)
            for model, _pk, change, text in undo_rows(list(AppliedChange.objects.all()))
        ),
        "facilities": sorted(
            Organisation.objects.filter(kind="detention_facility").values_list("name", "province_id")
        ),
    }


def _import(officer, path, *, bulk_path: bool) -> tuple:
    since = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with context.acting(user=officer, source=context.SOURCE_WEB):
        patch = (
            mock.patch.object(bulk.Planner, "plan", return_value=None) if not bulk_path else mock.MagicMock()
        )
        with patch:
            batch = _batch(officer, path)
            preview = _rows(batch)
            counts = services.batch_apply(batch, actor=officer, commit="valid")
    batch.refresh_from_db()
    return (
        preview,
        _rows(batch),
        (counts.created, counts.updated, counts.skipped, counts.failed),
        _records(since),
    )


def test_the_bulk_path_writes_what_the_adapter_writes(tmp_path, officer, registered):
    """Preview and apply of the same file, row by row through the adapter and in bulk: same rows,
    same errors and warnings, same records, audit entries and undo list."""
    path = kind_sheet(tmp_path / "persons.xlsx", "persons", ROWS)
    with transaction.atomic():
        by_row = _import(officer, path, bulk_path=False)
        transaction.set_rollback(True)
    in_bulk = _import(officer, path, bulk_path=True)
    for (label, one), other in zip(
        (("preview", by_row[0]), ("applied", by_row[1]), ("counts", by_row[2])), in_bulk[:3], strict=True
    ):
        assert one == other, label
    for key, value in by_row[3].items():
        assert value == in_bulk[3][key], key
    assert in_bulk[2] == (7, 1, 0, 7)  # Lý Văn Nam, registered before, is completed by the adapter
    actions = {row: action for row, action, *_rest in in_bulk[0]}
    assert actions[10] == StagedRow.Action.ERROR  # Nguyễn Văn Ann: probably row 1's person


def test_the_undo_deletes_what_the_bulk_path_wrote_as_one_by_one(tmp_path, officer, registered):
    """Undone, the import applied row by row and the one applied in bulk leave the same records and
    the same audit entries: the bulk path's runs of records are deleted together, each with the
    entry its own delete would write (the values it was created with, its text and unit)."""
    path = kind_sheet(tmp_path / "persons.xlsx", "persons", ROWS)
    undone = []
    for bulk_path in (False, True):
        with transaction.atomic():
            since = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            _import(officer, path, bulk_path=bulk_path)
            with context.acting(user=officer, source=context.SOURCE_WEB):
                services.batch_undo(ImportBatch.objects.latest("pk"), actor=officer)
            undone.append(_records(since))
            transaction.set_rollback(True)
    by_row, in_bulk = undone
    assert in_bulk["people"] == by_row["people"]
    assert len([a for a in in_bulk["audit"].elements() if a[0].endswith(".deleted")]) > 20
    for key, value in by_row.items():
        assert value == in_bulk[key], key


def test_bulk_imported_people_are_found_by_the_search_and_undone(tmp_path, officer):
    """The search indexes follow the bulk insert; the undo removes every record of the import."""
    path = kind_sheet(tmp_path / "persons.xlsx", "persons", ROWS[:4])
    before = {m: m.objects.count() for m in (Person, Judgment, Release, TimelineEntry, ResidenceHistory)}
    with context.acting(user=officer, source=context.SOURCE_WEB):
        batch = _batch(officer, path)
        services.batch_apply(batch, actor=officer, commit="valid")
        for q in ("Nguyễn Văn An", "tran thi binh", "Chí", "089084000004"):
            page = selectors.person_search(actor=officer, q=q)
            assert page.people, q
        binh = selectors.person_search(actor=officer, q="tran thi binh").people[0]
        assert binh.full_name == "Trần Thị Bình"
        batch.refresh_from_db()
        services.batch_undo(batch, actor=officer)
    assert {m: m.objects.count() for m in before} == before
    assert not selectors.person_search(actor=officer, q="Phạm Văn Dũng").people


def test_a_failure_in_the_middle_of_a_bulk_write_leaves_nothing(tmp_path, officer):
    """The timeline insert fails after the people, judgments and releases were inserted: nothing stays."""
    path = kind_sheet(tmp_path / "persons.xlsx", "persons", ROWS[:4])
    people = Person.objects.count()
    audits = AuditEvent.objects.exclude(action__startswith="imports.").count()
    with context.acting(user=officer, source=context.SOURCE_WEB):
        batch = _batch(officer, path)
        failing = mock.patch.object(bulk.Writer, "_timeline", side_effect=RuntimeError("disk full"))
        with failing, pytest.raises(RuntimeError):
            services.batch_apply(batch, actor=officer, commit="valid")
    assert Person.objects.count() == people
    assert not Judgment.objects.exists()
    assert not AppliedChange.objects.exists()
    assert AuditEvent.objects.exclude(action__startswith="imports.").count() == audits
    assert ImportBatch.objects.get(pk=batch.pk).status != ImportBatch.Status.APPLIED


def test_a_commit_that_fails_on_the_worker_is_staged_again_with_the_reason(
    tmp_path, officer, django_capture_on_commit_callbacks
):
    """Not left 'being imported' for ever: the batch can be committed again once the cause is gone."""
    path = kind_sheet(tmp_path / "persons.xlsx", "persons", ROWS[:4])
    with context.acting(user=officer, source=context.SOURCE_WEB):
        batch = _batch(officer, path)
        failing = mock.patch.object(bulk.Writer, "_timeline", side_effect=OSError("disk full"))
        with failing, django_capture_on_commit_callbacks(execute=True):
            services.batch_commit_start(batch, actor=officer, commit="valid")
        batch.refresh_from_db()
        assert (batch.status, batch.message) == (ImportBatch.Status.STAGED, "disk full")
        assert not Person.objects.filter(full_name="Nguyễn Văn An").exists()
        with django_capture_on_commit_callbacks(execute=True):
            services.batch_commit_start(batch, actor=officer, commit="valid")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED


def test_a_reimport_is_settled_in_bulk_and_writes_nothing(tmp_path, officer):
    """Every row of a file imported again is unchanged, found without the adapter, and audited nowhere."""
    path = kind_sheet(tmp_path / "persons.xlsx", "persons", ROWS[:4])
    with context.acting(user=officer, source=context.SOURCE_WEB):
        services.batch_apply(_batch(officer, path), actor=officer, commit="all")
        audits = AuditEvent.objects.exclude(action__startswith="imports.").count()
        with mock.patch.object(PersonsAdapter, "apply", side_effect=AssertionError("row by row")):
            batch = _batch(officer, path)
            assert set(batch.staged_rows.values_list("action", flat=True)) == {StagedRow.Action.SKIP}
            counts = services.batch_apply(batch, actor=officer, commit="all")
    assert (counts.created, counts.updated, counts.skipped) == (0, 0, 4)
    assert AuditEvent.objects.exclude(action__startswith="imports.").count() == audits
    assert batch.staged_rows.get(row=2).warnings == []  # the note is the person's, stored the first time
    assert Person.objects.get(full_name="Nguyễn Văn An").note == "Đi làm ăn xa"


def test_the_bulk_writer_names_people_as_a_saved_person_is_named(tmp_path, officer):
    """The bulk writer takes a person's name columns from ``name_columns``, as ``Person.save`` does:
    a person it wrote has the columns an ordinary save gives the same names."""
    row = person(1, "  NGUYỄN  Văn   Hoà ", other_names="Tèo,  Tý")
    with context.acting(user=officer, source=context.SOURCE_WEB):
        batch = _batch(officer, kind_sheet(tmp_path / "persons.xlsx", "persons", [row]))
        assert services.batch_apply(batch, actor=officer, commit="valid").created == 1
    written = Person.objects.get()
    saved = Person(full_name=written.full_name, other_names=written.other_names, sex="male", province_id=91)
    saved.save()
    fields = ("full_name", "other_names", "name_folded", "name_canonical", "sort_key", "search_text")
    assert [getattr(written, f) for f in fields] == [getattr(saved, f) for f in fields]
    assert written.full_name == "Nguyễn Văn Hoà"


def test_record_codes_are_taken_in_row_order_past_a_kept_code(tmp_path, officer):
    """A kept code moves the sequence: the rows after it get the numbers after it, as one by one."""
    rows = [
        person(1, "Nguyễn Văn An"),
        person(3, "Lê Văn Chí", record_code="91-000700"),
        person(4, "Phạm Văn Dũng"),
    ]
    path = kind_sheet(tmp_path / "persons.xlsx", "persons", rows)
    with context.acting(user=officer, source=context.SOURCE_WEB):
        services.batch_apply(_batch(officer, path), actor=officer, commit="all")
    codes = dict(Person.objects.values_list("full_name", "record_code"))
    assert codes["Lê Văn Chí"] == "91-000700"
    assert int(codes["Phạm Văn Dũng"].split("-")[1]) == 701


def test_the_undo_list_written_chunk_by_chunk_undoes_the_whole_import(
    tmp_path, officer, registered, monkeypatch
):
    """With two rows a chunk, the undo list is written as the apply goes: each record once (the
    person completed by a later row is listed as changed, not created), and the undo restores the
    changed person before deleting what the import created."""
    monkeypatch.setattr(staging, "CHUNK", 2)
    path = kind_sheet(tmp_path / "persons.xlsx", "persons", ROWS)
    before = {m: m.objects.count() for m in (Person, Judgment, Release, TimelineEntry, ResidenceHistory)}
    with context.acting(user=officer, source=context.SOURCE_WEB):
        batch = _batch(officer, path)
        counts = services.batch_apply(batch, actor=officer, commit="valid")
        assert (counts.created, counts.updated) == (7, 1)
        changes = list(batch.changes.values_list("model", "object_pk", "change"))
        assert len(changes) == len({(m, pk) for m, pk, _c in changes})
        assert ("people.person", str(registered.pk), AppliedChange.Change.UPDATED) in changes
        batch.refresh_from_db()
        services.batch_undo(batch, actor=officer)
    assert {m: m.objects.count() for m in before} == before
    registered.refresh_from_db()
    assert not Judgment.objects.filter(person=registered).exists()


def test_the_apply_keeps_in_memory_only_the_people_it_has_not_written(
    tmp_path, officer, registered, monkeypatch
):
    """Each chunk of the apply reads the people earlier chunks wrote back from the database, so the
    planner's memory does not grow with the file; with two rows a chunk, the bulk path still gives
    what the adapter gives row by row."""
    monkeypatch.setattr(staging, "CHUNK", 2)
    kept: list[int] = []
    forget = bulk.Planner._forget_written

    def counting(self):
        forget(self)
        kept.append(sum(len(people) for people in self.planned.values()))

    monkeypatch.setattr(bulk.Planner, "_forget_written", counting)
    path = kind_sheet(tmp_path / "persons.xlsx", "persons", ROWS)
    with transaction.atomic():
        by_row = _import(officer, path, bulk_path=False)
        transaction.set_rollback(True)
    kept.clear()
    in_bulk = _import(officer, path, bulk_path=True)
    assert kept
    assert set(kept) == {0}
    assert by_row[:3] == in_bulk[:3]
    assert in_bulk[2] == (7, 1, 0, 7)
