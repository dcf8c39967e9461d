"""A preview read by a second process (``pipeline``) stages what one process stages: the same rows,
errors, warnings, duplicates and batch notes, whether the reader's links come in time or make the
rows be tried again; a file it cannot read fails the batch as before; the reader may not query, and a reader that
dies fails the batch with the reason."""

from __future__ import annotations

import os
from unittest import mock

import pytest

from hoanhap.access.roles import Role
from hoanhap.audit import context
from hoanhap.core.testing import make_user
from hoanhap.imports import loading, pipeline, services, staging
from hoanhap.imports.models import ImportBatch
from hoanhap.imports.reading.files import ReadError
from hoanhap.people import services as people_services

from .builders import PERSON_BASE, csv_bytes, kind_sheet, without_ids, without_trial

pytestmark = pytest.mark.django_db


def row(n: int, name: str, **values) -> dict:
    year = values.pop("year", 1975 + n % 20)
    return {
        **PERSON_BASE,
        "full_name": name,
        "birth_date": f"{n % 27 + 1}/5/{year}",
        "id_number": f"0890{year % 100:02d}{n:06d}",
        "address": f"Ấp Tây Bình {n}",
        "judgment_number": f"{n}/2020/HS-ST",
        "judgment_date": "10/03/2020",
        "offence_committed_on": "01/01/2020",
        "release_date": "10/03/2022",
        "release_kind": "Hết án",
        **values,
    }


FILLER = [row(n, f"Trương Văn Tám {chr(65 + n)}") for n in range(20, 26)]

MIXED = [
    row(1, "Nguyễn Văn Hòa"),
    row(2, "Nguyễn Văn Hòa", year=1976, id_number="089076000099"),  # a namesake: repeats, probably row 1
    *FILLER[:2],
    row(3, "Lê Thị Hồng", sex="Nữ", id_number="089178000003", facility="Trại giam Mới Mở"),  # a new facility
    row(4, "Phan Văn Út", release_date="10/03/2019"),  # released before the judgment
    row(5, "Võ Văn Sáu", birth_date="31/02/1980"),  # a reading error
    row(6, "Bùi Văn Bảy", year=1976, id_number="089076000099"),  # row 2's number: an error
    row(7, "Hồ Văn Chín", year=1970),  # the registered Hồ Văn Chín (an update: tried by the adapter)
    row(8, "Đỗ Văn Mười", year=1983),
    row(9, "Đỗ Văn Mươi", year=1983),  # one mark from row 8: probably the same person
    *FILLER[2:],
]


@pytest.fixture
def officer():
    officer = make_user(Role.PROVINCE_OFFICER, province=91, username="pipeline.officer")
    with context.acting(user=officer, source=context.SOURCE_WEB):
        people_services.person_create(
            actor=officer,
            data={
                "full_name": "Hồ Văn Chín",
                "birth_year": 1970,
                "sex": "male",
                "province": 91,
                "commune": 30682,
            },
        )
    return officer


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of two rows, and every file big enough for the reader: a few rows make many chunks."""
    monkeypatch.setattr(staging, "CHUNK", 2)
    monkeypatch.setattr(pipeline, "PIPELINE_BYTES", 0)


def _staged(officer, path, settings, *, reader: bool) -> tuple:
    """Stage ``path`` with the reader process on or off: what the batch and its rows say."""
    settings.HOANHAP_IMPORT_READER_PROCESS = reader
    with mock.patch.object(pipeline, "stage", wraps=pipeline.stage) as piped:
        with path.open("rb") as handle:
            batch = services.batch_create(actor=officer, file=handle, file_name=path.name, kinds=["persons"])
        batch = services.batch_stage(batch, actor=officer)
    assert piped.called is reader
    batch.refresh_from_db()

    rows = [
        (
            r.kind,
            r.sheet,
            r.row,
            r.values,
            r.address,
            r.raw,
            r.action,
            r.target_repr,
            without_trial(r.errors),
            without_trial(r.warnings),
            without_ids(r.duplicates),
        )
        for r in batch.staged_rows.order_by("pk")
    ]
    return (
        batch.status,
        batch.rows,
        batch.failed,
        batch.headers,
        batch.sheet_errors,
        batch.sheet_warnings,
        rows,
    )


def test_the_reader_process_stages_what_one_process_stages(officer, settings, small_chunks, tmp_path):
    path = kind_sheet(tmp_path / "ds.xlsx", "persons", MIXED)
    alone = _staged(officer, path, settings, reader=False)
    piped = _staged(officer, path, settings, reader=True)
    assert piped == alone
    status, rows, failed, headers, *_rest, staged = piped
    assert (status, rows, failed) == (ImportBatch.Status.STAGED, len(MIXED), 5)
    assert headers["persons"].get(staging.REPEAT)
    assert not headers["persons"].get(staging.LINKED)
    errors = {r[2]: r[8][0]["message"].split(" ")[:3] for r in staged if r[8]}
    assert errors == {
        3: ["Probably", "the", "same"],
        7: ["The", "release", "cannot"],
        8: ["The", "date", "“31/02/1980”"],
        9: ["The", "same", "person"],
        12: ["Probably", "the", "same"],
    }
    assert {r[2]: r[6] for r in staged if not r[8]} == {
        **dict.fromkeys([2, 4, 5, 6, 11, 13, 14, 15, 16], "create"),
        10: "update",
    }


def test_rows_without_repeats_stage_alike_though_tried_in_one_transaction(
    officer, settings, small_chunks, tmp_path
):
    path = kind_sheet(
        tmp_path / "ds.xlsx", "persons", [r for r in MIXED if r["full_name"] != "Nguyễn Văn Hòa"]
    )
    alone = _staged(officer, path, settings, reader=False)
    assert not alone[3]["persons"].get(staging.REPEAT)
    assert _staged(officer, path, settings, reader=True) == alone


@pytest.mark.parametrize("late", [False, True], ids=["link-in-time", "link-after-the-row-was-tried"])
def test_linked_rows_are_left_to_the_adapter_however_late_the_link(
    officer, settings, small_chunks, tmp_path, late
):
    """Row 2 and a later row name one person, the later without a number: both go to the adapter.
    Found before row 2's chunk is tried, the link is simply used; found after it, every row is
    tried again once the reading has ended."""
    later = row(1, "Nguyễn Văn Hòa", id_number=None, address="Ấp Tây Bình 1")
    rows = [row(1, "Nguyễn Văn Hòa"), *(FILLER if late else []), later, *([] if late else FILLER)]
    path = kind_sheet(tmp_path / "ds.xlsx", "persons", rows)
    alone = _staged(officer, path, settings, reader=False)
    trials = mock.patch.object(pipeline.staging, "trial", wraps=staging.trial)
    with trials as tried:
        piped = _staged(officer, path, settings, reader=True)
    assert piped == alone
    assert alone[3]["persons"][staging.LINKED] == [2, 3 + len(FILLER) if late else 3]
    assert tried.call_count == (2 if late else 1)


def test_a_file_the_reader_cannot_read_fails_the_batch_as_before(officer, settings, small_chunks, tmp_path):
    header = "Họ và tên,Ngày sinh,Số CCCD\n"
    body = "".join(f"Nguyễn Văn {n},1/1/1980,0890800{n:05d}\n" for n in range(3000))
    path = csv_bytes(tmp_path / "ds.csv", header + body, "utf-8")
    path.write_bytes(path.read_bytes() + b"Tr\xff\xfe,1/1/1980,089080099999\n")  # not UTF-8, past the sniff
    found = []
    for reader in (False, True):
        settings.HOANHAP_IMPORT_READER_PROCESS = reader
        with path.open("rb") as handle:
            batch = services.batch_create(actor=officer, file=handle, file_name=path.name, kinds=["persons"])
        with pytest.raises(ReadError, match="not valid utf-8 text after byte"):
            services.batch_stage(batch, actor=officer)
        batch.refresh_from_db()
        found.append((batch.status, batch.message, batch.staged_rows.count()))
    assert found[0] == found[1]
    assert found[0][0] == ImportBatch.Status.FAILED
    assert found[0][2] == 0


def test_the_reader_may_not_query_and_its_end_is_told(officer, settings, small_chunks, tmp_path, monkeypatch):
    path = kind_sheet(tmp_path / "ds.xlsx", "persons", MIXED[:4])
    settings.HOANHAP_IMPORT_READER_PROCESS = True
    reading = loading.read_kinds

    def querying(opened, emit):
        ImportBatch.objects.count()  # in the child: refused
        return reading(opened, emit)

    monkeypatch.setattr(loading, "read_kinds", querying)
    with path.open("rb") as handle:
        batch = services.batch_create(actor=officer, file=handle, file_name=path.name, kinds=["persons"])
    with pytest.raises(RuntimeError, match="may not query the database"):
        services.batch_stage(batch, actor=officer)
    batch.refresh_from_db()  # failed, with the reason: not left "being checked"
    assert batch.status == ImportBatch.Status.FAILED
    assert "may not query" in batch.message

    monkeypatch.setattr(loading, "read_kinds", lambda opened, emit: os._exit(3))
    with pytest.raises(RuntimeError, match=r"stopped \(exit code 3\)"):
        services.batch_stage(batch, actor=officer)
    assert batch.staged_rows.count() == 0


def test_the_progress_of_a_piped_preview_is_measured_against_the_sheet(officer, small_chunks, tmp_path):
    """Read and tried rows count up against twice the rows the sheet says it has (the total is known
    only at the end of the reading), and never past it."""
    path = kind_sheet(tmp_path / "ds.xlsx", "persons", MIXED)
    with path.open("rb") as handle:
        batch = services.batch_create(actor=officer, file=handle, file_name=path.name, kinds=["persons"])
    seen = []
    with mock.patch.object(pipeline, "stage", wraps=pipeline.stage) as piped:
        services.batch_stage(batch, actor=officer, progress=lambda done, total: seen.append((done, total)))
    assert piped.called
    assert {total for _done, total in seen} == {2 * len(MIXED)}
    dones = [done for done, _total in seen]
    assert dones == sorted(dones)
    assert len(MIXED) < dones[-1] <= 2 * len(MIXED)


def test_each_sheet_of_a_workbook_says_its_rows_when_opened(officer, tmp_path):
    """Measured while the header search has the sheet parsed: calamine keeps one sheet at a time,
    so asking later would parse every sheet but the last once more."""
    import openpyxl

    persons = openpyxl.load_workbook(kind_sheet(tmp_path / "p.xlsx", "persons", MIXED)).active
    book = openpyxl.Workbook()
    book.active.title = "persons"
    for cells in persons.iter_rows(values_only=True):
        book["persons"].append(cells)
    book["persons"].append([None, "Người lập biểu"])  # a signature line counts: an estimate
    helpers = book.create_sheet("helpers")
    helpers.append(["Mã hồ sơ", "Họ tên người giúp đỡ", "Tổ chức"])
    helpers.append(["91-000001", "Lê Thị Mai", "Hội Phụ nữ xã Thoại Sơn"])
    book.save(tmp_path / "both.xlsx")
    with (tmp_path / "both.xlsx").open("rb") as handle:
        batch = services.batch_create(actor=officer, file=handle, file_name="both.xlsx", kinds=[])
    opened = loading.open_kinds(batch)
    assert [(one.kind, one.expected) for one in opened] == [("persons", len(MIXED) + 1), ("helpers", 1)]
    assert loading.expected_rows(opened) == len(MIXED) + 2
