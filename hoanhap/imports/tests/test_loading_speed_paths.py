"""The faster reading paths change no result: a big .xlsx sheet read in slices gives the rows, cells,
merges and legacy-encoding counts of the whole sheet; the compact dependency notes give the links."""

from __future__ import annotations

import datetime as dt
import random
import threading

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hoanhap.imports import loading
from hoanhap.imports.reading import files, slices, specs
from hoanhap.imports.reading.table import CACHE_LIMIT, ParseCache


def _workbook(path, rows: int = 1500, seed: int = 1):
    """A sheet away from A1 with merged titles, gaps of blank rows, dates, numbers, booleans and
    legacy text; a second sheet."""
    rng = random.Random(seed)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "persons"
    book.create_sheet("other")["A1"] = "x"
    sheet["C2"] = "DANH SÁCH"
    sheet.merge_cells("C2:F2")
    sheet.merge_cells("C3:C4")
    number = 5
    for i in range(rows):
        number += rng.choice([1, 1, 1, 2, 5])
        sheet.cell(number, 3, f"Nguyễn Văn {i}")
        sheet.cell(number, 4, dt.date(1980, 1, 1) + dt.timedelta(days=i))
        sheet.cell(number, 5, rng.choice([1.0, 2.5, 12345678901, True, "Hµ Néi", "Vieät Nam", "  x  ", " "]))
        if i % 7 == 0:
            sheet.cell(number, 9, dt.datetime(2020, 1, 1, 10, 30))
        if i % 11 == 0:
            sheet.cell(number, 2, "lead")
    book.save(path)
    return path


def _read(path):
    return [(s.name, s.merges, list(s.rows()), dict(s.encodings)) for s in files.open_workbook(path)]


def test_a_sheet_read_in_slices_reads_as_the_whole_sheet(tmp_path, monkeypatch):
    path = _workbook(tmp_path / "big.xlsx")
    whole = _read(path)
    monkeypatch.setattr(slices, "SLICE_BYTES", 100)
    monkeypatch.setattr(slices, "PIECE_BYTES", 5_000)
    monkeypatch.setattr(slices, "READ_BYTES", 1_000)
    parts = slices.Parts.open(path)
    assert parts is not None
    assert parts.sliced("persons") is not None
    assert len(list(parts.slices(parts.sliced("persons")))) > 10
    sliced = _read(path)
    assert sliced == whole
    assert whole[0][1]  # the merged ranges are found too
    assert whole[0][3]  # and the legacy cells counted


def test_a_sheet_says_its_last_row_before_it_is_read_sliced_or_whole(tmp_path, monkeypatch):
    """What a reading's progress is measured against: the last row with something in it."""
    path = _workbook(tmp_path / "big.xlsx")
    (whole, _other) = files.open_workbook(path)
    last = max(r.number for r in whole.rows() if not r.is_blank)
    assert whole.last_row() == last
    monkeypatch.setattr(slices, "SLICE_BYTES", 100)
    (sliced, _other) = files.open_workbook(path)
    assert sliced.last_row() == last  # from the part's <dimension>, without reading the rows
    csv = tmp_path / "a.csv"
    csv.write_text("Họ và tên,Năm sinh\nAn,1980\nBình,1981", encoding="utf-8")
    assert files.open_workbook(csv)[0].last_row() == 3  # the whole file in the head: exact
    monkeypatch.setattr(files, "SNIFF_BYTES", 100)
    csv.write_text("Họ và tên,Năm sinh\n" + "Nguyễn Văn An,1980\n" * 1000, encoding="utf-8")
    assert 900 < files.open_workbook(csv)[0].last_row() < 1100  # estimated from the file's size


def test_a_reading_stopped_early_leaves_no_slice_being_parsed(tmp_path, monkeypatch):
    """The next slice is parsed on a second thread: a reader that stops waits for it, then closes."""
    path = _workbook(tmp_path / "big.xlsx")
    monkeypatch.setattr(slices, "SLICE_BYTES", 100)
    monkeypatch.setattr(slices, "PIECE_BYTES", 5_000)
    parts = slices.Parts.open(path)
    reading = parts.slices(parts.sliced("persons"))
    assert next(reading).iter_rows() is not None
    reading.close()
    assert not [t for t in threading.enumerate() if t.name.startswith("hn-slice")]


def test_a_small_or_unusual_sheet_is_read_whole(tmp_path, monkeypatch):
    path = _workbook(tmp_path / "small.xlsx", rows=20)
    assert slices.Parts.open(path).sliced("persons") is None  # small
    monkeypatch.setattr(slices, "SLICE_BYTES", 100)
    assert slices.Parts.open(path).sliced("nowhere") is None
    assert slices.Parts.open(tmp_path / "missing.xlsx") is None
    csv = tmp_path / "a.csv"
    csv.write_text("a,b\n")
    assert slices.Parts.open(csv) is None


def test_texts_are_cleaned_once_and_legacy_ones_counted_each_time():
    sheet = files.Sheet("s", [], None)
    texts = files._Texts(sheet)
    row = files.clean_cells(["  a ", "", "Hµ Néi", "Hµ Néi", 3.0, True, None, ""], texts, [None])
    assert row == [None, "a", None, "Hà Nội", "Hà Nội", 3, True]
    assert sheet.encodings == {"tcvn3": 2}
    assert "Hµ Néi" not in texts
    assert texts["  a "] == "a"


def test_a_column_whose_cells_do_not_repeat_is_no_longer_kept():
    cache = ParseCache()
    date = specs.PERSONS.column("birth_date")
    for day in range(CACHE_LIMIT + 1):
        written = (dt.date(1950, 1, 1) + dt.timedelta(days=day)).strftime("%d/%m/%Y")
        assert cache.parse(date, written).year >= 1950
    assert cache.columns["birth_date"] is None
    assert cache.parse(date, "15/03/1980").year == 1980


class _Record:
    def __init__(self, row, values, address=None):
        self.row, self.values, self.address, self.errors, self.sheet = row, values, address, [], "persons"


def test_linked_rows_from_the_compact_notes():
    """Rows of one name, year and place: linked when one has no personal number."""
    from hoanhap.imports.reading.values import PERSONAL_ID, IdNumber, PartialDate

    seen: dict = {}
    born = PartialDate(1980)
    rows = [
        _Record(5, {"full_name": "Lê Văn A", "birth_date": born}),
        _Record(
            6,
            {"full_name": "LÊ VĂN A", "birth_date": born, "id_number": IdNumber(PERSONAL_ID, "089080000001")},
        ),
        _Record(
            7, {"full_name": "Trần B", "birth_date": born, "id_number": IdNumber(PERSONAL_ID, "089080000002")}
        ),
        _Record(
            8, {"full_name": "Trần B", "birth_date": born, "id_number": IdNumber(PERSONAL_ID, "089080000003")}
        ),
    ]
    for record in rows:
        loading._note_dependency(record, seen)
    assert loading.linked_rows(seen) == [5, 6]
    assert seen.get(loading.REPEAT)
    assert seen[loading.NEWLY_LINKED] == {5, 6}  # what the reader process hands on


_TEXTS = st.text(alphabet=st.sampled_from(["a", "ă", "'", '"', "\\", "\x1f", " ", "1"]), max_size=6)
_NAME_KEYS = st.tuples(
    st.just("name"), _TEXTS, st.none() | st.integers(1900, 2030), st.integers(1, 40000) | _TEXTS
)


@given(_NAME_KEYS, _NAME_KEYS)
def test_name_keys_are_equal_exactly_when_their_tuples_are(one, other):
    assert (loading.name_key(one) == loading.name_key(other)) == (one == other)


@pytest.mark.django_db
def test_the_insert_of_staged_rows_names_every_column(tmp_path):
    """``pending.insert`` writes every column of a staged row (it gives no model defaults)."""
    from hoanhap.imports import pending
    from hoanhap.imports.models import StagedRow

    assert set(pending.STAGED_FIELDS) == {
        f.name for f in StagedRow._meta.concrete_fields if not f.primary_key
    }
