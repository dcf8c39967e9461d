"""Read the rows of a spreadsheet file exactly as the spreadsheet shows them.

``open_workbook(path)`` reads .xlsx, .xlsm, .xls and .ods through python-calamine and .csv/.txt
itself, and gives ``Sheet`` objects whose ``rows()`` yield ``Row(number, cells)``: ``number`` is the
row number the spreadsheet shows (1-based, title and blank rows included) and ``cells`` start at
column A. Cell values are None (empty), ``str`` (repaired: Unicode NFC, legacy encodings converted
by ``legacy.repair``), ``int`` (whole numbers, which Excel stores as floats), ``float``, ``bool`` and
``datetime.date``/``datetime.datetime`` (date cells).

Memory: calamine loads a whole sheet into memory (about 160 MB for 100,000 rows × 33 columns), so
a big .xlsx sheet is read in slices of rows (``slices``); other sheets are loaded one at a time.
Rows are converted lazily as they are read. CSV files are streamed. The encoding of a
CSV is UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text") or Windows-1258,
decided from the bytes; the delimiter is the one of , ; tab that splits the first lines into the
most consistent number of columns.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import io
import itertools
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _

from hoanhap.imports.reading import slices
from hoanhap.imports.reading.legacy import TCVN3, VNI, repair

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
SNIFF_BYTES = 64 * 1024
DELIMITERS = (",", ";", "\t")


class ReadError(Exception):
    """The file cannot be read at all (wrong type, damaged, unknown encoding)."""


@dataclass(frozen=True)
class Row:
    number: int
    cells: list

    @property
    def is_blank(self) -> bool:
        return self.cells.count(None) == len(self.cells)


@dataclass(frozen=True)
class Merge:
    """A merged range, 1-based and inclusive, in spreadsheet coordinates."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int


@dataclass
class Sheet:
    """One sheet of a workbook; ``encodings`` counts the cells converted from legacy encodings."""

    name: str
    merges: list[Merge]
    _rows: object
    encodings: dict[str, int] = field(default_factory=dict)
    _last_row: object = None  # () -> the sheet's last row, known (or estimated) without reading it

    def rows(self) -> Iterator[Row]:
        """The rows from row 1 (each call reads the sheet again and restarts ``encodings``)."""
        self.encodings = {}
        return self._rows(self)

    def last_row(self) -> int | None:
        """The sheet's last row with something in it, when the file says (a CSV file's is estimated
        from its size): what a reading's progress is measured against."""
        return self._last_row() if self._last_row is not None else None


def clean_cell(value: object, sheet: Sheet | None = None) -> object:
    """A calamine or CSV value as the readers hand it on (see the module docstring)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        repaired = repair(value.strip())
        if sheet is not None and repaired.encoding:
            sheet.encodings[repaired.encoding] = sheet.encodings.get(repaired.encoding, 0) + 1
        return repaired.text or None
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value


def open_workbook(path: str | Path, *, name: str | None = None) -> list[Sheet]:
    """The worksheets of the file at ``path`` (its type from ``name`` or the path's suffix)."""
    path = Path(path)
    suffix = Path(name or path.name).suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        return _calamine_sheets(path)
    if suffix in CSV_SUFFIXES:
        return [_csv_sheet(path, Path(name or path.name).stem)]
    raise ReadError(
        _("Files of type “{suffix}” cannot be read; use .xlsx, .xls, .ods or .csv.").format(
            suffix=suffix or "?"
        )
    )


def iter_rows(path: str | Path, *, name: str | None = None) -> Iterator[tuple[str, int, list]]:
    """(sheet name, spreadsheet row number, cells) for every row of every sheet, blank ones included."""
    for sheet in open_workbook(path, name=name):
        for row in sheet.rows():
            yield sheet.name, row.number, row.cells


# --- Spreadsheets -----------------------------------------------------------------------------------


def _calamine_sheets(path: Path) -> list[Sheet]:
    from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as exc:
        raise ReadError(_("The file cannot be read as a spreadsheet: {error}").format(error=exc)) from exc
    sheets = []
    slot: dict = {}
    parts = slices.Parts.open(path)
    for meta in workbook.sheets_metadata:
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue
        member = parts.sliced(meta.name) if parts is not None else None
        if member is not None:
            sheets.append(
                Sheet(
                    meta.name,
                    _merges_of(parts.merges(member)),
                    _sliced_rows(parts, member),
                    _last_row=functools.partial(parts.last_row, member),
                )
            )
            continue
        loaded = _loader(workbook, meta.name, slot)
        sheets.append(
            Sheet(meta.name, _merges(loaded), _calamine_rows(loaded), _last_row=_calamine_last_row(loaded))
        )
    return sheets


def _merges_of(ranges) -> list[Merge]:
    return [Merge(r0 + 1, c0 + 1, r1 + 1, c1 + 1) for (r0, c0), (r1, c1) in ranges]


def _sliced_rows(parts: slices.Parts, member: str):
    """A big sheet read slice by slice (``slices``): memory holds two slices of calamine's cells."""

    def rows(sheet: Sheet) -> Iterator[Row]:
        texts = _Texts(sheet)
        number = 1  # the next row to yield
        for data in parts.slices(member):
            start = data.start
            if start is None:
                continue
            # calamine yields the rows above the slice's first one, empty: they are yielded once.
            while number <= start[0]:
                yield Row(number, [])
                number += 1
            lead = [None] * start[1]
            found = itertools.islice(data.iter_rows(), start[0], None)
            data = None  # the slice's cells are freed before the next slice is parsed
            for cells in found:
                yield Row(number, clean_cells(cells, texts, lead))
                number += 1
            found = None

    return rows


def _loader(workbook, sheet_name: str, slot: dict):
    """The sheet's cells as calamine parsed them, kept while it is the last sheet read (``slot``: one
    per workbook, so memory holds one sheet). Parsing 100,000 rows takes seconds: the merges, the
    header search and the data rows of a sheet then share one parse."""

    def load():
        if slot.get("name") != sheet_name:
            slot.clear()
            slot["data"] = workbook.get_sheet_by_name(sheet_name)
            slot["name"] = sheet_name
        return slot["data"]

    return load


def _merges(load) -> list[Merge]:
    try:
        ranges = load().merged_cell_ranges or []
    except Exception:  # noqa: BLE001 — merges are a help for headers, never a reason to fail
        return []
    return _merges_of(ranges)


TEXT_CACHE_LIMIT = 20_000  # distinct texts kept per reading of a sheet; the cache starts again when full


class _Texts(dict):
    """Text cells of one reading of a sheet, each distinct one cleaned once (``clean_cell``).

    Communes, courts, dates and empty cells repeat down a list. A text converted from a legacy
    encoding is not kept, so that ``Sheet.encodings`` counts every cell of it.
    """

    def __init__(self, sheet: Sheet) -> None:
        super().__init__()
        self.sheet = sheet

    def __missing__(self, raw: str) -> str | None:
        repaired = repair(raw.strip())
        text = repaired.text or None
        if repaired.encoding:
            encodings = self.sheet.encodings
            encodings[repaired.encoding] = encodings.get(repaired.encoding, 0) + 1
            return text
        if len(self) >= TEXT_CACHE_LIMIT:
            self.clear()
        self[raw] = text
        return text


def clean_cells(cells: list, texts: _Texts, lead: list | None = None) -> list:
    """A row's cells cleaned (``clean_cell``), after ``lead`` (empty leading cells), trailing empties dropped."""
    values = [texts[v] if v.__class__ is str else clean_cell(v, texts.sheet) for v in cells]
    if lead:
        values = lead + values
    while values and values[-1] is None:
        values.pop()
    return values


def _calamine_last_row(load):
    def last_row() -> int | None:
        end = load().end
        return end[0] + 1 if end else None

    return last_row


def _calamine_rows(load):
    def rows(sheet: Sheet) -> Iterator[Row]:
        data = load()
        # calamine yields rows from the first row of the sheet, cells from the first used column.
        lead = [None] * (data.start or (0, 0))[1]
        texts = _Texts(sheet)
        for offset, cells in enumerate(data.iter_rows()):
            yield Row(offset + 1, clean_cells(cells, texts, lead))

    return rows


# --- CSV --------------------------------------------------------------------------------------------


def detect_encoding(head: bytes) -> str:
    """utf-8-sig, utf-16 (with BOM), utf-8 or cp1258, from the first bytes of the file."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)  # a character cut at the end of the sample is fine
    except UnicodeDecodeError:
        return "cp1258"
    return "utf-8"


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that gives the most rows with the same number (> 1) of columns."""
    best, best_score = ",", (-1, -1)
    for delimiter in DELIMITERS:
        widths = [len(r) for r in csv.reader(lines, delimiter=delimiter) if any(c.strip() for c in r)]
        if not widths:
            continue
        common = max(set(widths), key=widths.count)
        score = (widths.count(common) if common > 1 else 0, common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_sheet(path: Path, name: str) -> Sheet:
    try:
        with path.open("rb") as raw:
            head = raw.read(SNIFF_BYTES)
    except OSError as exc:
        raise ReadError(_("The file cannot be opened: {error}").format(error=exc)) from exc
    encoding = detect_encoding(head)

    def rows(sheet: Sheet) -> Iterator[Row]:
        # cp1258 files are read byte for byte (Latin-1) so that each cell can be tried as TCVN3 or
        # VNI typed in an ANSI file before it is read as Windows-1258.
        text_encoding = "latin-1" if encoding == "cp1258" else encoding
        with path.open("rb") as raw:
            stream: IO[str] = io.TextIOWrapper(raw, encoding=text_encoding, newline="")
            sample = stream.read(SNIFF_BYTES)
            delimiter = sniff_delimiter(sample.splitlines()[:50])
            stream.seek(0)
            texts = _Texts(sheet)
            try:
                for number, cells in enumerate(csv.reader(stream, delimiter=delimiter), start=1):
                    if encoding == "cp1258":
                        values = [_csv_cell(c, encoding, sheet) for c in cells]
                        while values and values[-1] is None:
                            values.pop()
                    else:
                        values = clean_cells(cells, texts)
                    yield Row(number, values)
            except UnicodeDecodeError as exc:
                raise ReadError(
                    _("The file is not valid {encoding} text after byte {position}.").format(
                        encoding=encoding, position=exc.start
                    )
                ) from exc

    size = path.stat().st_size

    def last_row() -> int | None:
        """Exact for a file the head holds; else the head's lines scaled to the file's size (an
        estimate: a progress bar's measure, never a count)."""
        lines = head.count(b"\n")
        if len(head) >= size:
            return lines + (0 if head.endswith(b"\n") else 1)
        whole = head.rfind(b"\n") + 1  # the bytes of the head's whole lines
        return round(lines * size / whole) if whole else None

    return Sheet(name, [], rows, _last_row=last_row if head else None)


def _csv_cell(cell: str, encoding: str, sheet: Sheet) -> object:
    if encoding != "cp1258":
        return clean_cell(cell, sheet)
    legacy = repair(cell.strip())
    if legacy.encoding in (TCVN3, VNI):
        sheet.encodings[legacy.encoding] = sheet.encodings.get(legacy.encoding, 0) + 1
        return legacy.text or None
    text = cell.encode("latin-1").decode("cp1258", errors="replace")
    return clean_cell(unicodedata.normalize("NFC", text), sheet)
