"""The import template of a kind: an .xlsx the reader reads back without a single error.

One sheet named with the kind code holds the Vietnamese headers, two example rows and drop-down
lists for coded columns (the lists live on a hidden sheet, since Excel limits an inline list to 255
characters); a "Hướng dẫn" sheet explains each column in Vietnamese. The template is a Vietnamese
document by design (the file format), so its texts are written in Vietnamese, not translated.

The header rule (``header_text``) and the columns kept as text cells (``is_text_column``) are
shared with the export (``exporting/writer.py``), which writes its sheets in this format. The
drop-down of a catalogue column (support kinds, funding sources) lists the catalogue's active rows.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from hoanhap.imports.reading import specs
from hoanhap.imports.reading.specs import ColumnSpec, KindSpec
from hoanhap.imports.reading.specs_care import CATALOGUE, CatalogueColumn

INSTRUCTIONS_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"

TYPE_HELP = {
    specs.TEXT: "Chữ",
    specs.NAME: "Họ tên",
    specs.DATE: "Ngày (dd/mm/yyyy)",
    specs.PARTIAL_DATE: "Ngày, tháng/năm hoặc năm",
    specs.ID_NUMBER: "Số định danh 12 số hoặc CMND 9 số",
    specs.INTEGER: "Số nguyên",
    specs.MONEY: "Số tiền (đồng)",
    specs.CHOICE: "Chọn trong danh sách",
    specs.SEX: "Nam hoặc Nữ",
    specs.TERM: "Thời hạn (năm, tháng, ngày)",
    specs.OFFENCES: "Tội danh, điều luật",
    specs.ADDRESS: "Địa chỉ",
    specs.COMMUNE: "Xã, phường",
    specs.DISTRICT: "Huyện cũ",
    specs.PROVINCE: "Tỉnh, thành phố",
    CATALOGUE: "Chọn trong danh mục",
}

# The second example row of each kind (the first uses each column's ``example``).
SECOND_EXAMPLES: dict[str, dict[str, object]] = {
    "persons": {
        "full_name": "Trần Thị Bình",
        "birth_date": "1990",
        "sex": "Nữ",
        "ethnicity": "Kinh",
        "address": "Xã Thoại Sơn, tỉnh An Giang",
        "release_date": "02/09/2024",
        "release_kind": "Đặc xá",
    },
    "judgments": {
        "full_name": "Trần Thị Bình",
        "birth_date": "1990",
        "court_name": "TAND huyện Thoại Sơn",
        "judgment_number": "12/2021/HS-ST",
        "judgment_date": "15/06/2021",
        "offence_committed_on": "02/02/2021",
        "offences": "Đánh bạc (Điều 321)",
        "main_penalty_type": "Tù cho hưởng án treo",
        "term": "1 năm",
        "probation": "2 năm",
    },
    "notices": {
        "full_name": "Trần Thị Bình",
        "birth_date": "1990",
        "sex": "Nữ",
        "expected_release_date": "02/04/2026",
        "release_kind": "Tha tù trước thời hạn có điều kiện",
        "address": "Xã Thoại Sơn, tỉnh An Giang",
        "received_on": "05/02/2026",
    },
    "helpers": {
        "full_name": "Trần Thị Bình",
        "birth_date": "1990",
        "organisation": "Hội Cựu chiến binh xã Vọng Thê",
        "organisation_kind": "Hội Cựu chiến binh",
        "start_date": "01/10/2024",
        "end_date": "30/09/2025",
    },
    "children": {
        "full_name": "Trần Thị Bình",
        "birth_date": "1990",
        "parent_relation": "Mẹ",
        "child_name": "Lê Văn Tí",
        "child_birth_date": "2018",
        "child_sex": "Nam",
        "guardian_name": "Trần Văn Ông",
        "guardian_relation": "Ông ngoại",
    },
    "support": {
        "full_name": "Trần Thị Bình",
        "birth_date": "1990",
        "child_name": "Lê Văn Tí",
        "child_birth_date": "2018",
        "kind": "Tặng quà, hiện vật",
        "given_on": "20/01/2025",
        "value": "500.000",
        "value_basis": "Hiện vật (quy ra tiền)",
        "item": "Tập vở, cặp sách",
        "funding_source": "Nhà hảo tâm, doanh nghiệp",
        "provider": "Đoàn Thanh niên xã Thoại Sơn",
        "provider_kind": "Đoàn Thanh niên",
    },
}


def header_text(column: ColumnSpec) -> str:
    """A column's header as the template (and the export) writes it: "(*)" marks a required one."""
    return column.header + (" (*)" if column.required else "")


def is_text_column(column: ColumnSpec) -> bool:
    """Columns kept as text cells, so that leading zeros survive: identification and phone numbers."""
    return column.type in (specs.ID_NUMBER, specs.PHONE)


def template_columns(kind: KindSpec) -> list[specs.ColumnSpec]:
    return [c for c in kind.columns if c.in_template]


def list_labels(column: ColumnSpec) -> list[str]:
    """The drop-down list of a column: its choices' labels, or the active rows of its catalogue."""
    if isinstance(column, CatalogueColumn) and column.catalogue:
        from django.apps import apps

        model = apps.get_model(column.catalogue)
        return list(
            model.objects.filter(is_active=True).order_by("order", "code").values_list("name_vi", flat=True)
        )
    return [choice.label for choice in column.choices]


def _cell_value(column: specs.ColumnSpec, value: object) -> object:
    """Dates as real date cells (full dates only); everything else as written."""
    if column.type == specs.DATE and isinstance(value, str):
        day, month, year = (int(x) for x in value.split("/"))
        return dt.date(year, month, day)
    return value


def write_template(kind: KindSpec, output: str | Path) -> Path:
    """Write the template of ``kind`` to ``output`` and return the path."""
    columns = template_columns(kind)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = kind.code
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    help_sheet = workbook.create_sheet(INSTRUCTIONS_SHEET)

    header_font = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=header_text(column))
        cell.font = header_font
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(14, min(45, len(column.header) + 6))
        if is_text_column(column):
            for row in range(2, 1002):
                sheet.cell(row=row, column=index).number_format = "@"  # keep leading zeros
        if column.type in (specs.DATE, specs.PARTIAL_DATE):
            for row in range(2, 1002):
                sheet.cell(row=row, column=index).number_format = "dd/mm/yyyy"
        labels = list_labels(column)
        if labels:
            _add_list(sheet, lists, index, column, labels)
    sheet.freeze_panes = "A2"

    examples = [{c.code: c.example for c in columns}, SECOND_EXAMPLES.get(kind.code, {})]
    for offset, example in enumerate(examples, start=2):
        for index, column in enumerate(columns, start=1):
            value = example.get(column.code)
            if value is not None:
                sheet.cell(row=offset, column=index, value=_cell_value(column, value))

    _write_help(help_sheet, kind, columns)
    path = Path(output)
    workbook.save(path)
    return path


def _add_list(sheet, lists, index: int, column: specs.ColumnSpec, labels: list[str]) -> None:
    list_col = lists.max_column + 1 if lists.max_row > 1 or lists["A1"].value else 1
    letter = get_column_letter(list_col)
    lists.cell(row=1, column=list_col, value=column.header)
    for row, label in enumerate(labels, start=2):
        lists.cell(row=row, column=list_col, value=label)
    last = len(labels) + 1
    validation = DataValidation(
        type="list",
        formula1=f"={quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${last}",
        allow_blank=True,
        showErrorMessage=False,  # other spellings ("Hết án", "nu") are read too
    )
    validation.add(f"{get_column_letter(index)}2:{get_column_letter(index)}1001")
    sheet.add_data_validation(validation)


def _write_help(sheet, kind: KindSpec, columns: list[specs.ColumnSpec]) -> None:
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["B"].width = 30
    sheet.column_dimensions["C"].width = 12
    sheet.column_dimensions["D"].width = 70
    lines = [
        [kind.title.upper()],
        [f"Nhập dữ liệu vào trang “{kind.code}”, mỗi dòng một bản ghi, bắt đầu từ dòng 2."],
        ["Cột có dấu (*) là bắt buộc. Có thể xóa các dòng ví dụ. Không đổi tên trang và tiêu đề cột."],
        ["Ngày ghi theo thứ tự ngày/tháng/năm (15/03/2023). Chữ có thể gõ Unicode, TCVN3 hoặc VNI."],
        [],
        ["Cột", "Kiểu dữ liệu", "Bắt buộc", "Ghi chú"],
    ]
    for column in columns:
        note = column.hint
        if column.choices and len(column.choices) <= 8:
            note = (
                (note + " " if note else "") + "Giá trị: " + "; ".join(c.label for c in column.choices) + "."
            )
        lines.append([column.header, TYPE_HELP.get(column.type, ""), "Có" if column.required else "", note])
    for row in lines:
        sheet.append(row)
    sheet["A1"].font = Font(bold=True, size=13)
    for cell in sheet[6]:
        cell.font = Font(bold=True)
