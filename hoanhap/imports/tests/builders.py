"""Fixture files written by the tests themselves: .xlsx (openpyxl), legacy .xls (xlwt), .ods (a minimal
ODF zip), CSV."""

from __future__ import annotations

import datetime as dt
import unicodedata
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import xlwt

# The columns a persons row of the tests usually fills: a man of Xã Thoại Sơn sentenced to prison
# for theft, released at the end of his term.
PERSON_BASE = {
    "sex": "Nam",
    "ethnicity": "Kinh",
    "commune": "Xã Thoại Sơn",
    "province": "An Giang",
    "court_name": "TAND huyện Thoại Sơn",
    "offences": "Trộm cắp tài sản (Điều 173 khoản 1)",
    "main_penalty_type": "Tù có thời hạn",
    "term": "2 năm",
    "facility": "Trại giam Định Thành",
}


def xlsx(
    path: Path, rows: list[list], *, title: str = "Sheet1", merges: tuple[str, ...] = (), text_cols=()
) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for merge in merges:
        sheet.merge_cells(merge)
    workbook.save(path)
    return path


def xls(path: Path, rows: list[list], *, title: str = "Sheet1") -> Path:
    """A legacy Excel 97–2003 workbook (BIFF8), as old commune lists are kept: dates as date cells."""
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet(title)
    dated = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write(r, c, value, dated)
            elif value is not None:
                sheet.write(r, c, value)
    workbook.save(str(path))
    return path


def ods(path: Path, rows: list[list], *, title: str = "Sheet1") -> Path:
    """The smallest OpenDocument spreadsheet calamine reads: strings and floats only."""

    def cell(value) -> str:
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, int | float):
            return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'

    body = "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{escape(title)}">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: precomposed base letters, tone marks combining."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            out += (base + "".join(c for c in parts if c in TONES)).encode("cp1258")
    return bytes(out)


def csv_bytes(path: Path, text: str, encoding: str) -> Path:
    path.write_bytes(cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    return path


def kind_sheet(path: Path, kind: str, rows: list[dict], *, title: str | None = None) -> Path:
    """A sheet in the template format of ``kind``: its headers, then one row per ``{column code: value}``."""
    from hoanhap.imports.reading.specs import KINDS
    from hoanhap.imports.reading.template import header_text, template_columns

    columns = template_columns(KINDS[kind])
    body = [[row.get(c.code) for c in columns] for row in rows]
    return xlsx(path, [[header_text(c) for c in columns], *body], title=title or kind)


def run(path, *args, user=None) -> dict:
    """``hoanhap import PATH --json ARGS`` as ``user`` (the system actor when None): its JSON."""
    import io
    import json

    from django.core.management import call_command

    from hoanhap.audit import context

    out = io.StringIO()
    with context.acting(user=user, source=context.SOURCE_CLI):
        call_command("import", str(path), "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def undo_rows(changes) -> list[tuple[str, str, str, str]]:
    """(model, id, change, text) of every row an undo list names, in its order; a run's rows newest
    first, without a text (the log has it)."""
    found = []
    for c in changes:
        if c.last_pk is None:
            found.append((c.model, c.object_pk, c.change, c.object_repr))
        else:
            found += [(c.model, str(pk), c.change, "") for pk in range(c.last_pk, int(c.object_pk) - 1, -1)]
    return found


def without_trial(problems: list[dict]) -> list[dict]:
    """A staged row's errors or warnings without the trial's own mark, to compare two stagings."""
    return [{k: v for k, v in p.items() if k != "trial"} for p in problems]


def without_ids(duplicates: list[dict]) -> list[dict]:
    """A staged row's probable duplicates without their database ids, to compare two stagings."""
    return [{k: v for k, v in d.items() if k != "id"} for d in duplicates]
