"""Find the header row of a sheet, wherever it is, and map the file's columns to a kind's columns.

Officials' lists open with title rows ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "DANH SÁCH NGƯỜI
CHẤP HÀNH XONG ÁN PHẠT TÙ …"), put the header on any line, often on two lines (a group header
such as "Bản án" merged above "Số", "Ngày", "Tòa án"), and may number the columns (1, 2, 3 …) on
the line below. ``find_header`` tries each of the first ``SCAN_ROWS`` rows, alone and together with
the row above it, and keeps the reading that matches the most columns of the kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hoanhap.imports.reading.files import Merge, Row
from hoanhap.imports.reading.specs import IGNORED_HEADERS, ColumnSpec, KindSpec, header_key
from hoanhap.imports.reading.values import shown

SCAN_ROWS = 30
MIN_MATCHES = 2


@dataclass(frozen=True)
class Column:
    """A column of the file that holds a column of the kind."""

    index: int  # 0-based; column A is 0
    spec: ColumnSpec
    header: str  # as written in the file ("Bản án / Số" for a two-line header)


@dataclass
class Header:
    """Where the header is and what each column of the file holds."""

    rows: tuple[int, ...]  # spreadsheet row numbers of the header (one or two)
    columns: list[Column]
    unknown: list[tuple[int, str]] = field(default_factory=list)  # (index, header) not in the kind
    duplicates: list[Column] = field(default_factory=list)  # a second column for the same code
    numbering_row: int | None = None

    @property
    def last_row(self) -> int:
        return self.numbering_row or self.rows[-1]

    def column(self, code: str) -> Column | None:
        return next((c for c in self.columns if c.spec.code == code), None)


def _text(value: object) -> str:
    return "" if value is None else " ".join(shown(value).split())


def _filled(row: Row, merges: list[Merge]) -> list[str]:
    """The row's texts with horizontally merged cells repeated across their range."""
    cells = [_text(v) for v in row.cells]
    for merge in merges:
        if merge.first_row <= row.number <= merge.last_row and merge.last_col > merge.first_col:
            source = cells[merge.first_col - 1] if merge.first_col - 1 < len(cells) else ""
            if merge.first_row != row.number:
                continue  # the top row of a block holds the text; lower rows keep their own
            cells.extend([""] * (merge.last_col - len(cells)))
            for col in range(merge.first_col, merge.last_col):
                cells[col] = cells[col] or source
    return cells


def _vertically_merged(row: Row, col: int, merges: list[Merge]) -> bool:
    return any(
        m.first_row < row.number <= m.last_row and m.first_col <= col + 1 <= m.last_col for m in merges
    )


def _names(upper: Row | None, lower: Row, merges: list[Merge]) -> list[tuple[str, list[str]]]:
    """Per column: the header as written and the spellings to try, most specific first."""
    low = _filled(lower, merges)
    if upper is None:
        return [(t, [t]) for t in low]
    up = _filled(upper, merges)
    width = max(len(low), len(up))
    low += [""] * (width - len(low))
    up += [""] * (width - len(up))
    names = []
    for col, (top, bottom) in enumerate(zip(up, low, strict=True)):
        if bottom and top and not _vertically_merged(lower, col, merges) and top != bottom:
            names.append((f"{top} / {bottom}", [f"{top} {bottom}", bottom]))
        else:
            names.append((bottom or top, [bottom or top]))
    return names


def _match(names: list[tuple[str, list[str]]], kind: KindSpec) -> Header:
    by_key = kind.by_key
    header = Header(rows=(), columns=[])
    taken: set[str] = set()
    for index, (written, spellings) in enumerate(names):
        if not written:
            continue
        spec = next((by_key[k] for k in map(header_key, spellings) if k in by_key), None)
        if spec is None:
            if header_key(written) not in IGNORED_HEADERS:
                header.unknown.append((index, written))
            continue
        column = Column(index, spec, written)
        if spec.code in taken:
            header.duplicates.append(column)
        else:
            taken.add(spec.code)
            header.columns.append(column)
    return header


def _is_numbering(row: Row) -> bool:
    """A row of column numbers under the header: 1, 2, 3 … or (1), (2) … in order."""
    numbers = []
    for value in row.cells:
        if value is None:
            continue
        text = _text(value).strip("()[] .")
        if not text.isdigit():
            return False
        numbers.append(int(text))
    return len(numbers) >= 2 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def find_header(rows: list[Row], kind: KindSpec, merges: list[Merge] = ()) -> Header | None:
    """The best header among ``rows`` (the first rows of a sheet), or None when none fits the kind.

    A two-line reading wins only when it matches more columns than the lower line alone.
    """
    merges = list(merges)
    best: Header | None = None
    best_score = MIN_MATCHES - 1
    scanned = list(rows[:SCAN_ROWS])
    for i, row in enumerate(scanned):
        if row.is_blank:
            continue
        readings = [((row.number,), _match(_names(None, row, merges), kind))]
        above = scanned[i - 1] if i > 0 and not scanned[i - 1].is_blank else None
        if above is not None:
            readings.append(((above.number, row.number), _match(_names(above, row, merges), kind)))
        for numbers, header in readings:
            if len(header.columns) > best_score:
                header.rows = numbers
                best, best_score = header, len(header.columns)
    if best is None:
        return None
    following = [r for r in rows if r.number > best.rows[-1]]
    if following and _is_numbering(following[0]):
        best.numbering_row = following[0].number
    return best


def header_columns(header: Header) -> list[tuple[int, str, str | None]]:
    """Every named column of the header in file order: (index, header as written, code or None)."""
    found = [(c.index, c.header, c.spec.code) for c in header.columns]
    found += [(c.index, c.header, None) for c in header.duplicates]
    found += [(index, written, None) for index, written in header.unknown]
    return sorted(found)


def remap(header: Header, kind: KindSpec, mapping: dict[str, str]) -> Header:
    """The header with the user's mapping applied: ``{header_key(written): code}``, "" to ignore a column.

    Columns the mapping does not name keep their guessed code; two columns mapped to the same code
    keep the first (the other is reported as a duplicate).
    """
    if not mapping:
        return header
    codes = {c.code: c for c in kind.columns}
    chosen: dict[int, tuple[str, ColumnSpec | None]] = {}
    for index, written, code in header_columns(header):
        key = header_key(written)
        if key in mapping:
            code = mapping[key] or None
        chosen[index] = (written, codes.get(code) if code else None)
    result = Header(rows=header.rows, columns=[], numbering_row=header.numbering_row)
    taken: set[str] = set()
    for index in sorted(chosen):
        written, spec = chosen[index]
        if spec is None:
            if header_key(written) not in IGNORED_HEADERS:
                result.unknown.append((index, written))
            continue
        column = Column(index, spec, written)
        if spec.code in taken:
            result.duplicates.append(column)
        else:
            taken.add(spec.code)
            result.columns.append(column)
    return result
