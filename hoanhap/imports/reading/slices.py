"""A big .xlsx sheet read in slices of rows, so that memory holds one slice of calamine's cells.

python-calamine parses a whole sheet before it hands out the first row: about 160 MB for 100,000
rows of 33 columns. In an .xlsx file a sheet is one XML part of a zip archive, its rows
``<row r="N">`` elements inside ``<sheetData>``. ``Parts.slices`` streams that part and cuts it at
row boundaries into small workbooks (the file's other parts as they are, the sheet holding only
these rows, the other sheets empty), each parsed by calamine on its own: the cells read exactly as
from the whole sheet (same shared strings, styles and dates) and keep their row and column
numbers. The merged ranges, written after the rows, are found by streaming the part once.

Only a sheet whose XML is bigger than ``SLICE_BYTES`` and is written as Excel and the usual
libraries write it (elements without a namespace prefix, numbered rows) is sliced; any other sheet
is loaded whole.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

SLICE_BYTES = 16 * 2**20  # a sheet whose XML is bigger is read in slices …
PIECE_BYTES = 8 * 2**20  # … of about this much XML (some 10,000 rows of 30 columns)
READ_BYTES = 2**20
HEAD_BYTES = 2**20  # ``<sheetData>`` and the first row are looked for in the part's first bytes

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_SHEET_DATA = re.compile(rb"<sheetData\b[^>]*>")
_FIRST_ROW = re.compile(rb"<row\b[^>]*>")
_DIMENSION = re.compile(rb"<dimension\b[^>]*>")
_MERGE = re.compile(rb'<mergeCell\b[^>]*\bref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_END = b"</sheetData>"
EMPTY_SHEET = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'
)


class Parts:
    """The sheet parts of an .xlsx file by sheet name (``open``), read in slices (``slices``)."""

    def __init__(self, path: Path, members: dict[str, str], sizes: dict[str, int]) -> None:
        self.path = path
        self.members = members
        self.sizes = sizes

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
        members = {}
        for sheet in workbook.iter(f"{_MAIN}sheet"):
            target = targets.get(sheet.get(_ID))
            if target:
                member = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
                members[sheet.get("name")] = posixpath.normpath(member)
        return cls(Path(path), members, sizes)

    def sliced(self, name: str) -> str | None:
        """The part of sheet ``name`` when it is to be read in slices (big, and laid out as usual)."""
        member = self.members.get(name)
        if member is None or self.sizes.get(member, 0) <= SLICE_BYTES:
            return None
        with zipfile.ZipFile(self.path) as archive, archive.open(member) as stream:
            head = stream.read(HEAD_BYTES)
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

    def slices(self, member: str) -> Iterator:
        """calamine's sheets (``CalamineSheet``) of the part's rows, slice by slice, in order."""
        name = next(n for n, m in self.members.items() if m == member)
        sheets = set(self.members.values())
        with zipfile.ZipFile(self.path) as archive:
            others = {
                info.filename: EMPTY_SHEET if info.filename in sheets else archive.read(info)
                for info in archive.infolist()
                if info.filename != member and not info.is_dir()
            }
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
                        yield _parse(others, member, name, prefix, bytes(buffer[:end]))
                        return
                    if len(buffer) >= PIECE_BYTES:
                        cut = buffer.rfind(b"</row>")
                        if cut >= 0:
                            cut += len(b"</row>")
                            with memoryview(buffer) as view:
                                sheet = _parse(others, member, name, prefix, view[:cut])
                            del buffer[:cut]
                            yield sheet
                            sheet = None
                    chunk = stream.read(READ_BYTES)
                    if not chunk:  # no end of the rows: the slice is refused as the whole sheet would be
                        yield _parse(others, member, name, prefix, buffer)
                        return
                    buffer += chunk


def _parse(others: dict[str, bytes], member: str, name: str, prefix: bytes, rows: bytes | bytearray):
    """One slice's rows parsed by calamine, in a workbook of the file's other parts."""
    from python_calamine import CalamineWorkbook

    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_STORED) as archive:
        for part, data in others.items():
            archive.writestr(part, data)
        with archive.open(member, "w") as sheet:
            for piece in (prefix, rows, _END, b"</worksheet>"):
                sheet.write(piece)
    packed.seek(0)
    workbook = CalamineWorkbook.from_filelike(packed)
    del packed
    sheet = workbook.get_sheet_by_name(name)
    workbook.close()
    return sheet


def _column(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1
