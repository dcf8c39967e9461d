"""A sheet of one import kind read into records: typed values and precise errors per row.

``open_table(path, kind)`` picks the sheet (named with the kind code, else the first whose header
fits), finds the header, and ``Table.records()`` yields one ``Record`` per data row. Rows that are
not data are skipped and not counted: title and header rows, the numbering row, blank rows,
signature and date lines ("Người lập biểu", "Ngày … tháng … năm …", "TM. UBND", "KT. CHỦ TỊCH")
and total lines ("Tổng cộng"). Every error is a ``CellError`` in the shape the import command
prints: ``{"sheet", "row", "column", "message"}``, ``row`` as the spreadsheet shows it and
``column`` the header as written in the file (None for a problem of the whole row or sheet).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from hoanhap.core.text import fold
from hoanhap.imports.reading import specs, values
from hoanhap.imports.reading.addresses import AddressCache, AddressResult, resolve_address
from hoanhap.imports.reading.files import Row, Sheet, open_workbook
from hoanhap.imports.reading.headers import SCAN_ROWS, Column, Header, find_header, remap
from hoanhap.imports.reading.specs import KindSpec
from hoanhap.people.rules import identity


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int | None
    column: str | None
    message: str

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}


@dataclass
class Record:
    """One data row: ``values`` by column code (None when empty), the address, the row's errors."""

    sheet: str
    row: int
    values: dict[str, object]
    raw: dict[str, object]
    errors: list[CellError] = field(default_factory=list)
    address: AddressResult | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


# Lines under the table: signatures, places and dates, totals (folded, matched at the start).
_FOOTER = re.compile(
    r"^(nguoi lap( bieu)?|nguoi ky|nguoi duyet|tm\b|kt\b|tl\b|t l\b|chu tich|pho chu tich|truong cong an|"
    r"truong phong|thu truong|xac nhan|ky (ten|ghi|dong)|noi nhan|"
    r"ngay \S* ?thang \S* ?nam|.{0,40}\bngay \S+ thang \S+ nam)"
)
_TOTAL = re.compile(r"^(tong cong|tong so)\b|^cong$")


def is_footer(row: Row) -> bool:
    """A signature, date or total line under the table.

    At most four cells; every text cell reads like a footer, and numbers are allowed only on a
    total line ("Tổng cộng", 15).
    """
    filled = [c for c in row.cells if c is not None]
    if len(filled) > 4:
        return False
    texts = [fold(c) for c in filled if isinstance(c, str)]
    if not texts:
        return False
    totals = [t for t in texts if _TOTAL.match(t)]
    if totals:
        return all(_TOTAL.match(t) or _FOOTER.match(t) for t in texts)
    return len(texts) == len(filled) and all(_FOOTER.match(t) for t in texts)


# Column types whose value depends on the cell alone and repeats down a list (dates, choices,
# courts, offences, places, names): parsed once per distinct cell. Numbers are unique.
CACHED_TYPES = frozenset(
    {
        specs.TEXT,
        specs.NAME,
        specs.DATE,
        specs.PARTIAL_DATE,
        specs.INTEGER,
        specs.MONEY,
        specs.CHOICE,
        specs.SEX,
        specs.TERM,
        specs.OFFENCES,
        *specs.ADDRESS_TYPES,
    }
)
CACHE_LIMIT = 4_096  # distinct cells kept per column; the cache starts again when full …
# … unless fewer than one cell in CACHE_WORTH was found in it: then the column is parsed cell by cell.
CACHE_WORTH = 4


class _Cells(dict):
    """One column's parsed cells, ``(True, value)`` or ``(False, message)`` by cell (a text is its
    own key; other cells are keyed with their type, so that True is not the number 1)."""

    def __init__(self) -> None:
        super().__init__()
        self.hits = 0


class ParseCache:
    """Parsed cells of one table by (column, cell type, cell): the same cell always reads the same.

    The parsers are pure (a two-digit year depends on today, constant within one import); a
    refusal is kept too, so a bad value repeated down a column is reported on every row. Memory
    stays bounded: at most ``CACHE_LIMIT`` cells per column, and a column whose cells hardly
    repeat (dates of birth, judgment numbers) is no longer kept.
    """

    def __init__(self) -> None:
        self.columns: dict[str, _Cells | None] = {}
        self.choices: dict[str, tuple[dict[str, str], dict[str, str]]] = {}

    def parse(self, column: specs.ColumnSpec, raw: object) -> object:
        ok, result = self.attempt(column, raw)
        if not ok:
            raise values.ParseError(result)  # type: ignore[arg-type]
        return result

    def cells(self, column: specs.ColumnSpec) -> _Cells | None:
        """The column's cache (None: the column is parsed cell by cell)."""
        if column.code not in self.columns:
            self.columns[column.code] = _Cells() if column.type in CACHED_TYPES else None
        return self.columns[column.code]

    def attempt(self, column: specs.ColumnSpec, raw: object) -> tuple[bool, object]:
        """``(True, value)``, or ``(False, message)`` for a cell that cannot be read."""
        cache = self.columns.get(column.code, False)
        if cache is False:
            cache = self.cells(column)
        if cache is None:
            return _attempt(column, raw, self)
        key = raw if raw.__class__ is str else (raw.__class__, raw)
        found = cache.get(key)
        if found is not None:
            cache.hits += 1
            return found
        found = _attempt(column, raw, self)
        if len(cache) >= CACHE_LIMIT:
            if cache.hits * CACHE_WORTH < len(cache):
                self.columns[column.code] = None
                return found
            cache.clear()
            cache.hits = 0
        cache[key] = found
        return found

    def choice(self, column: specs.ColumnSpec) -> tuple[dict[str, str], dict[str, str]]:
        """The column's spellings and labels, built once (``ColumnSpec.options`` folds every synonym)."""
        found = self.choices.get(column.code)
        if found is None:
            found = self.choices[column.code] = (column.options, column.labels)
        return found


def _attempt(column: specs.ColumnSpec, raw: object, cache: ParseCache | None = None) -> tuple[bool, object]:
    try:
        return True, _parse(column, raw, cache)
    except values.ParseError as exc:
        return False, exc.message


def _parse(column: specs.ColumnSpec, raw: object, cache: ParseCache | None = None) -> object:
    kind = column.type
    if kind == specs.NAME:
        return values.parse_name(raw)
    if kind == specs.DATE:
        return values.parse_date(raw).date
    if kind == specs.PARTIAL_DATE:
        return values.parse_date(raw, partial=True)
    if kind == specs.ID_NUMBER:
        return values.parse_id_number(raw)
    if kind == specs.PHONE:
        return values.parse_phone(raw)
    if kind == specs.INTEGER:
        return values.parse_integer(raw)
    if kind == specs.MONEY:
        return values.parse_money(raw)
    if kind == specs.SEX:
        return values.parse_sex(raw)
    if kind == specs.CHOICE:
        options, labels = cache.choice(column) if cache is not None else (column.options, column.labels)
        return values.parse_choice(raw, options, labels)
    if kind == specs.TERM:
        return values.parse_term(raw)
    if kind == specs.OFFENCES:
        return values.parse_offences(raw)
    return values.parse_text(raw)


@dataclass(frozen=True)
class _Plan:
    """What reading a row takes, worked out once per table: the codes of the header's columns in
    order, a function picking their cells from a row (``width`` cells at least), and for each
    column what reads it; the required groups with a column in the file; the address columns."""

    codes: tuple[str, ...]
    repeated: bool  # a code named twice (not by ``headers``): the later column wins, as it is read
    pick: Callable[[list], tuple]
    width: int
    columns: tuple[tuple[Column, specs.ColumnSpec], ...]
    required: tuple[tuple[tuple[str, ...], tuple[Column, ...]], ...]
    address: tuple[str, ...]


@dataclass
class Table:
    """One sheet read as ``kind``; ``errors`` holds the problems of the sheet as a whole."""

    kind: KindSpec
    sheet: Sheet | None
    header: Header | None
    errors: list[CellError]
    province_hint: int | None = None
    rows: int = 0  # data rows seen so far by ``records()``
    resolver: Callable[[str, int | None], AddressResult] = resolve_address
    _addresses: AddressCache | None = None
    _cells: ParseCache = field(default_factory=ParseCache)
    _plan: _Plan | None = None

    @property
    def sheet_name(self) -> str:
        return self.sheet.name if self.sheet else ""

    def records(self) -> Iterator[Record]:
        """The data rows after the header, parsed; ``rows`` counts them."""
        if self.header is None or self.sheet is None:
            return
        self.rows = 0
        last = self.header.last_row
        for row in self.sheet.rows():
            if row.number <= last or row.is_blank or is_footer(row):
                continue
            self.rows += 1
            yield self.record(row)

    def _make_plan(self) -> _Plan:
        assert self.header is not None
        columns = self.header.columns
        codes = tuple(c.spec.code for c in columns)
        indices = [c.index for c in columns]
        if len(indices) == 1:
            index = indices[0]

            def pick(cells: list) -> tuple:
                return (cells[index],)
        else:
            pick = operator.itemgetter(*indices) if indices else (lambda cells: ())
        required = []
        for group in self.kind.groups:
            present = tuple(c for c in (self.header.column(code) for code in group) if c)
            if present:  # a group without a column in the file is reported once for the sheet
                required.append((group, present))
        self._plan = _Plan(
            codes,
            len(set(codes)) != len(codes),
            pick,
            max(indices, default=-1) + 1,
            tuple((c, c.spec) for c in columns),
            tuple(required),
            tuple(code for code in specs.ADDRESS_TYPES if code in codes),
        )
        return self._plan

    def record(self, row: Row) -> Record:
        assert self.header is not None
        plan = self._plan or self._make_plan()
        cells = row.cells
        if len(cells) < plan.width:
            cells = [*cells, *[None] * (plan.width - len(cells))]
        raws = plan.pick(cells)
        found = dict.fromkeys(plan.codes)
        record = Record(self.sheet_name, row.number, found, dict(zip(plan.codes, raws, strict=True)))
        attempt = self._cells.attempt
        for (column, spec), raw in zip(plan.columns, raws, strict=True):
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                if plan.repeated:
                    found[spec.code] = None
                continue
            ok, result = attempt(spec, raw)
            if ok:
                found[spec.code] = result
            else:
                record.errors.append(self._error(row, column, result))  # type: ignore[arg-type]
        if plan.required:
            self._check_required(record, row, plan)
        if found.get("id_number") is not None:
            self._check_id(record, row)
        if plan.address:
            self._resolve_address(record, row)
        return record

    def _error(self, row: Row, column: Column | None, message: str) -> CellError:
        return CellError(self.sheet_name, row.number, column.header if column else None, message)

    def _check_required(self, record: Record, row: Row, plan: _Plan) -> None:
        found, raw = record.values, record.raw
        for group, present in plan.required:
            if any(found.get(code) is not None or raw.get(code) for code in group):
                continue
            if len(group) == 1:
                message = _("This column is required.")
            else:
                message = _("One of these columns must be filled: {columns}.").format(
                    columns=", ".join(c.header for c in present)
                )
            record.errors.append(self._error(row, present[0], message))

    def _check_id(self, record: Record, row: Row) -> None:
        number = record.values.get("id_number")
        if not isinstance(number, values.IdNumber) or number.kind != values.PERSONAL_ID:
            return
        birth = record.values.get("birth_date")
        # ``parse_id_number`` checked the structure: what is left is the person's sex and year.
        problems = identity.holder_errors(
            number.number,
            sex=record.values.get("sex"),  # type: ignore[arg-type]
            birth_year=birth.year if isinstance(birth, values.PartialDate) else None,
        )
        for problem in problems:
            record.errors.append(self._error(row, self.header.column("id_number"), problem))

    def _resolve_address(self, record: Record, row: Row) -> None:
        assert self.header is not None
        found = record.values
        parts = [found.get(code) for code in specs.ADDRESS_TYPES]
        if not any(parts):
            return
        if self._addresses is None:
            custom = self.resolver if self.resolver is not resolve_address else None
            self._addresses = AddressCache(self.province_hint, custom)
        head = str(parts[0]) if parts[0] else ""
        record.address = self._addresses.resolve(head, ", ".join(str(p) for p in parts[1:] if p))
        if record.address.error:
            column = next(
                (self.header.column(code) for code in specs.ADDRESS_TYPES if record.values.get(code)), None
            )
            record.errors.append(self._error(row, column, record.address.error))


def _pick_sheet(
    sheets: list[Sheet], kind: KindSpec, wanted: str | None
) -> tuple[Sheet | None, Header | None]:
    """The sheet named ``wanted`` (or the kind code), else the first sheet whose header fits."""
    names = [wanted] if wanted else [kind.code]
    by_name = [s for s in sheets if fold(s.name) in {fold(n) for n in names}]
    candidates = by_name or ([] if wanted else sheets)
    for sheet in candidates:
        head = []
        for row in sheet.rows():
            head.append(row)
            if len(head) >= SCAN_ROWS + 1:
                break
        header = find_header(head, kind, sheet.merges)
        if header is not None or by_name:
            return sheet, header
    return None, None


def open_table(
    path: str | Path,
    kind: str | KindSpec,
    *,
    name: str | None = None,
    sheet: str | None = None,
    province_hint: int | None = None,
    mapping: dict[str, str] | None = None,
    sheets: list[Sheet] | None = None,
) -> Table:
    """Read the file at ``path`` as ``kind``; ``name`` is the uploaded file name (for its type).

    ``mapping`` (``{header_key(header as written): column code or ""}``) overrides the guessed
    columns; ``sheets`` reuses a workbook already opened with ``open_workbook``.
    """
    spec = specs.get_kind(kind) if isinstance(kind, str) else kind
    if spec is None:
        raise ValueError(f"unknown import kind {kind!r}")
    if sheets is None:
        sheets = open_workbook(path, name=name)
    chosen, header = _pick_sheet(sheets, spec, sheet)
    if header is not None and mapping:
        header = remap(header, spec, mapping)
    errors: list[CellError] = []
    if chosen is None:
        errors.append(
            CellError(
                sheet or spec.code,
                None,
                None,
                _("No sheet has the headers of “{kind}”; the template names its sheet “{kind}”.").format(
                    kind=spec.code
                ),
            )
        )
        return Table(spec, None, None, errors, province_hint)
    if header is None:
        errors.append(
            CellError(
                chosen.name,
                None,
                None,
                _(
                    "No header row was found in the first {count} rows; expected columns such as {columns}."
                ).format(count=SCAN_ROWS, columns=", ".join(c.header for c in spec.columns[:4])),
            )
        )
        return Table(spec, chosen, None, errors, province_hint)
    row = header.rows[-1]
    for group in spec.groups:
        if not any(header.column(code) for code in group):
            headers = [spec.column(code).header for code in group]
            message = (
                _("The required column “{column}” is missing.").format(column=headers[0])
                if len(headers) == 1
                else _("One of the columns {columns} is required.").format(
                    columns=", ".join(f"“{h}”" for h in headers)
                )
            )
            errors.append(CellError(chosen.name, row, None, message))
    for column in header.duplicates:
        first = header.column(column.spec.code)
        errors.append(
            CellError(
                chosen.name,
                row,
                column.header,
                _("This column holds the same data as “{other}”; only the first one is read.").format(
                    other=first.header if first else column.spec.header
                ),
            )
        )
    return Table(spec, chosen, header, errors, province_hint)
