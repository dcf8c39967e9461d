"""A big .xlsx sheet read in slices of rows, so that memory holds two slices of calamine's cells.

python-calamine parses a whole sheet before it hands out the first row: about 160 MB for 100,000
rows of 33 columns. In an .xlsx file a sheet is one XML part of a zip archive, its rows
``<row r="N">`` elements inside ``<sheetData>``. ``Parts.slices`` streams that part and cuts it at
row boundaries into pieces, written once as the sheets of one temporary workbook (uncompressed,
with the file's other parts as they are: shared strings, styles, date system), which calamine
opens once (the shared strings are parsed once) and parses sheet by sheet, the next slice on a
second thread while this one is read: the cells read exactly as from the whole sheet and keep their
row and column numbers. The merged ranges, written after
the rows, are found by streaming the part once.

Only a sheet whose XML is bigger than ``SLICE_BYTES`` and is written as Excel and the usual
libraries write it (elements without a namespace prefix, numbered rows) is sliced; any other sheet
is loaded whole.
"""

from __future__ import annotations

import contextlib
import posixpath
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from xml.etree import ElementTree

SLICE_BYTES = 16 * 2**20  # a sheet whose XML is bigger is read in slices …
PIECE_BYTES = 2**20  # … of about this much XML (some 1,200 rows of 30 columns; two in memory)
READ_BYTES = 2**20
HEAD_BYTES = 2**20  # ``<sheetData>`` and the first row are looked for in the part's first bytes

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_SHEET_DATA = re.compile(rb"<sheetData\b[^>]*>")
_FIRST_ROW = re.compile(rb"<row\b[^>]*>")
_DIMENSION = re.compile(rb"<dimension\b[^>]*>")
_LAST_ROW = re.compile(rb'<dimension\b[^>]*\bref="[A-Z]+\d+:[A-Z]+(\d+)"')
_MERGE = re.compile(rb'<mergeCell\b[^>]*\bref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_END = b"</sheetData>"


class Parts:
    """The sheet parts of an .xlsx file by sheet name (``open``), read in slices (``slices``)."""

    def __init__(
        self, path: Path, members: dict[str, str], sizes: dict[str, int], rids: dict[str, str] | None = None
    ) -> None:
        self.path = path
        self.members = members
        self.sizes = sizes
        self.rids = rids or {}  # sheet part → its relationship's id in the workbook

    @classmethod
    def open(cls, path: str | Path) -> Parts | None:
        """The file's sheet parts; None when it is not an .xlsx archive laid out as usual."""
        try:
            with zipfile.ZipFile(path) as archive:
                sizes = {info.filename: info.file_size for info in archive.infolist()}
                workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
                rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
            return None
        targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(_RELATIONSHIP)}
        members, rids = {}, {}
        for sheet in workbook.iter(f"{_MAIN}sheet"):
            target = targets.get(sheet.get(_ID))
            if target:
                member = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
                members[sheet.get("name")] = posixpath.normpath(member)
                rids[members[sheet.get("name")]] = sheet.get(_ID)
        return cls(Path(path), members, sizes, rids)

    def sliced(self, name: str) -> str | None:
        """The part of sheet ``name`` when it is to be read in slices (big, and laid out as usual)."""
        member = self.members.get(name)
        if member is None or self.sizes.get(member, 0) <= SLICE_BYTES:
            return None
        with zipfile.ZipFile(self.path) as archive:
            with archive.open(member) as stream:
                head = stream.read(HEAD_BYTES)
            book = _book(archive.read("xl/workbook.xml"), self.rids.get(member, ""))
            if book is None or _RELS_END not in archive.read("xl/_rels/workbook.xml.rels"):
                return None
        opening = _SHEET_DATA.search(head)
        if opening is None or b"<worksheet" not in head[: opening.start()]:
            return None
        first = _FIRST_ROW.search(head, opening.end())
        if first is None or b' r="' not in first.group():
            return None
        return member

    def merges(self, member: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """The merged ranges of the sheet as calamine gives them (0-based, inclusive)."""
        tail = bytearray()
        found = False
        with zipfile.ZipFile(self.path) as archive, archive.open(member) as stream:
            while chunk := stream.read(READ_BYTES):
                if found:
                    tail += chunk
                    continue
                tail = tail[-len(_END) :] + chunk
                at = tail.find(_END)
                if at >= 0:
                    found = True
                    tail = tail[at:]
        ranges = []
        for first_col, first_row, last_col, last_row in _MERGE.findall(bytes(tail)):
            start = (int(first_row) - 1, _column(first_col))
            end = (int(last_row) - 1, _column(last_col)) if last_col else start
            ranges.append((start, end))
        return ranges

    def last_row(self, member: str) -> int | None:
        """The sheet's last row as its ``<dimension>`` gives it (Excel and openpyxl write it), or None."""
        with zipfile.ZipFile(self.path) as archive, archive.open(member) as stream:
            head = stream.read(HEAD_BYTES)
        found = _LAST_ROW.search(head)
        return int(found.group(1)) if found else None

    def slices(self, member: str) -> Iterator:
        """calamine's sheets (``CalamineSheet``) of the part's rows, slice by slice, in order.

        The next slice is parsed on a second thread while the caller reads this one: calamine lets
        go of the interpreter while it parses (a second of a 100,000-row sheet's reading, hidden)."""
        from python_calamine import CalamineWorkbook

        with tempfile.NamedTemporaryFile(suffix=".xlsx") as temporary:
            count = self._write_pieces(member, temporary)
            if count is None:
                return
            temporary.flush()
            workbook = CalamineWorkbook.from_path(temporary.name)
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="hn-slice") as parser:
                try:
                    ahead = parser.submit(workbook.get_sheet_by_name, _piece_name(0)) if count else None
                    for index in range(count):
                        sheet = ahead.result()
                        ahead = (
                            parser.submit(workbook.get_sheet_by_name, _piece_name(index + 1))
                            if index + 1 < count
                            else None
                        )
                        yield sheet
                        sheet = None  # a slice's cells are freed before the one after next is parsed
                finally:
                    if ahead is not None:
                        ahead.cancel()
                        with contextlib.suppress(Exception):
                            ahead.result()
                    workbook.close()

    def _write_pieces(self, member: str, target) -> int | None:
        """Write the workbook of the part's slices (``slices``) to ``target``; how many there are
        (None: the workbook is not laid out as ``sliced`` expects)."""
        with zipfile.ZipFile(self.path) as archive:
            book = _book(archive.read("xl/workbook.xml"), self.rids.get(member, ""))
            rels = archive.read("xl/_rels/workbook.xml.rels")
            if book is None or _RELS_END not in rels:
                return None
            head, sheet, tail = book
            sheets = set(self.members.values())
            count = 0
            with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as out:
                for info in archive.infolist():
                    if info.filename not in sheets and not info.is_dir() and info.filename not in _BOOK_PARTS:
                        with archive.open(info) as source, out.open(info.filename, "w") as copy:
                            shutil.copyfileobj(source, copy, READ_BYTES)

                def write(prefix: bytes, rows: bytes | memoryview) -> None:
                    nonlocal count
                    with out.open(f"xl/worksheets/{_piece_name(count)}.xml", "w") as piece:
                        for part in (prefix, rows, _END, b"</worksheet>"):
                            piece.write(part)
                    count += 1

                _pieces(archive, member, write)
                out.writestr(
                    "xl/workbook.xml",
                    head + b"".join(_piece_sheet(sheet, i) for i in range(count)) + tail,
                )
                added = b"".join(
                    b'<Relationship Id="%s" Type="%s" Target="/xl/worksheets/%s.xml"/>'
                    % (_piece_rid(i), _WORKSHEET_TYPE, _piece_name(i).encode())
                    for i in range(count)
                )
                out.writestr("xl/_rels/workbook.xml.rels", rels.replace(_RELS_END, added + _RELS_END, 1))
        return count


def _pieces(archive: zipfile.ZipFile, member: str, write) -> None:
    """``write(prefix, rows)`` for the part's rows cut at row boundaries into pieces of about
    ``PIECE_BYTES`` of XML, ``prefix`` the part's start (less its ``<dimension>``)."""
    with archive.open(member) as stream:
        buffer = bytearray()
        while (opening := _SHEET_DATA.search(buffer)) is None:
            chunk = stream.read(READ_BYTES)
            if not chunk:
                return
            buffer += chunk
        prefix = _DIMENSION.sub(b"", bytes(buffer[: opening.end()]))
        del buffer[: opening.end()]
        while True:
            end = buffer.find(_END)
            if end >= 0:
                with memoryview(buffer) as view:
                    write(prefix, view[:end])
                return
            if len(buffer) >= PIECE_BYTES:
                cut = buffer.rfind(b"</row>")
                if cut >= 0:
                    cut += len(b"</row>")
                    with memoryview(buffer) as view:
                        write(prefix, view[:cut])
                    del buffer[:cut]
            chunk = stream.read(READ_BYTES)
            if not chunk:  # no end of the rows: the slice is refused as the whole sheet would be
                write(prefix, buffer)
                return
            buffer += chunk


_BOOK_PARTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")
_SHEETS = re.compile(rb"<sheets\b[^>]*>.*?</sheets>|<sheets\s*/>", re.DOTALL)
_SHEET = re.compile(rb"<sheet\b[^>]*/>")
_RELS_END = b"</Relationships>"
_WORKSHEET_TYPE = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"


def _book(xml: bytes, rid: str) -> tuple[bytes, bytes, bytes] | None:
    """``xl/workbook.xml`` around its sheets, and the sheet element whose relationship is ``rid``."""
    sheets = _SHEETS.search(xml)
    if sheets is None or not rid:
        return None
    wanted = re.compile(rb'\s[A-Za-z_][\w.-]*:id="' + re.escape(rid.encode()) + b'"')
    found = [s for s in _SHEET.findall(sheets.group()) if wanted.search(s)]
    if len(found) != 1:
        return None
    return xml[: sheets.start()] + b"<sheets>", found[0], b"</sheets>" + xml[sheets.end() :]


def _piece_name(index: int) -> str:
    return f"hn-slice-{index + 1}"


def _piece_rid(index: int) -> bytes:
    return b"hnSlice%d" % (index + 1)


def _piece_sheet(sheet: bytes, index: int) -> bytes:
    """The sliced sheet's element naming slice ``index``: its own name, number and relationship."""
    sheet = re.sub(rb'\bname="[^"]*"', b'name="%s"' % _piece_name(index).encode(), sheet, count=1)
    sheet = re.sub(rb'\bsheetId="[^"]*"', b'sheetId="%d"' % (index + 1), sheet, count=1)
    return re.sub(rb'(\s[A-Za-z_][\w.-]*:id=)"[^"]*"', rb'\1"' + _piece_rid(index) + b'"', sheet, count=1)


def _column(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1
