"""The result report of an import as an Excel workbook: each row's cells, what happened, and why.

One sheet per kind: the row number in the file, the cells as read, then "Kết quả" (created,
updated, unchanged, error) and "Lỗi / cảnh báo" (the errors and warnings, column named). A first
sheet sums it up. Headers are written in the interface language.
"""

from __future__ import annotations

import io

from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from hoanhap.imports.models import ImportBatch, StagedRow

ERROR_FILL = PatternFill("solid", fgColor="F8D7DA")
WARNING_FILL = PatternFill("solid", fgColor="FFF3CD")


def filename(batch: ImportBatch) -> str:
    return f"ket-qua-nhap-{batch.pk}-{slugify(batch.file_name.rsplit('.', 1)[0])[:40] or 'file'}.xlsx"


def _problems(row: StagedRow) -> str:
    lines = []
    for label, problems in ((_("Error"), row.errors), (_("Warning"), row.warnings)):
        for problem in problems:
            column = f"[{problem['column']}] " if problem.get("column") else ""
            lines.append(f"{label}: {column}{problem['message']}")
    return "\n".join(lines)


def workbook_bytes(batch: ImportBatch) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = _("Summary")[:31]
    summary.append([_("File"), batch.file_name])
    summary.append([_("Status"), batch.get_status_display()])
    for label, value in (
        (_("Data rows"), batch.rows),
        (_("Created"), batch.created),
        (_("Updated"), batch.updated),
        (_("Unchanged"), batch.skipped),
        (_("Rows with errors"), batch.failed),
    ):
        summary.append([label, value])
    for problem in batch.sheet_errors + batch.sheet_warnings:
        summary.append([problem.get("sheet"), problem.get("message")])
    actions = dict(StagedRow.Action.choices)
    for kind in batch.kinds:
        sheet = book.create_sheet(kind[:31])
        columns = [
            c["header"] for c in (batch.headers or {}).get(kind, {}).get("columns", []) if c.get("code")
        ]
        sheet.append([_("Row"), *columns, _("Result"), _("Record"), _("Errors and warnings")])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in batch.staged_rows.filter(kind=kind).order_by("pk").iterator():
            result = row.outcome or row.action
            sheet.append(
                [
                    row.row,
                    *[row.raw.get(c, "") for c in columns],
                    str(actions.get(result, result)),
                    row.target_repr,
                    _problems(row),
                ]
            )
            fill = ERROR_FILL if result == StagedRow.Action.ERROR else WARNING_FILL if row.warnings else None
            if fill is not None:
                sheet.cell(sheet.max_row, len(columns) + 4).fill = fill
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
