"""``hoanhap import-template``: a workbook the reader reads back with zero errors."""

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hoanhap.imports.reading.specs import KINDS
from hoanhap.imports.reading.table import open_table
from hoanhap.imports.reading.template import INSTRUCTIONS_SHEET, LISTS_SHEET

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_template_reads_back_without_errors(tmp_path, kind):
    path = tmp_path / f"{kind}.xlsx"
    call_command("import_template", kind, "--output", str(path))
    table = open_table(path, kind)
    assert table.errors == []
    assert table.sheet_name == kind
    records = list(table.records())
    assert len(records) == 2
    assert [e.as_dict() for r in records for e in r.errors] == []
    assert all(r.address is None or r.address.status == "resolved" for r in records)
    assert table.header.unknown == []


def test_template_has_instructions_lists_and_drop_downs(tmp_path):
    path = tmp_path / "persons.xlsx"
    call_command("import_template", "persons", "--output", str(path))
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["persons", LISTS_SHEET, INSTRUCTIONS_SHEET]
    assert workbook[LISTS_SHEET].sheet_state == "hidden"
    sheet = workbook["persons"]
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["Mã hồ sơ", "Họ và tên (*)", "Tên gọi khác"]
    assert "Huyện (cũ)" not in headers
    formulas = {dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert len(formulas) == 5  # sex, ethnicity, religion, penalty, release kind
    lists = workbook[LISTS_SHEET]
    assert "Tù có thời hạn" in [c.value for col in lists.iter_cols() for c in col]
    assert "Họ và tên" in [c.value for c in workbook[INSTRUCTIONS_SHEET]["A"]]


def test_unknown_kinds_name_the_available_ones(tmp_path):
    with pytest.raises(
        CommandError, match="Available kinds: persons, judgments, notices, helpers, children, support"
    ):
        call_command("import_template", "loans", "--output", str(tmp_path / "x.xlsx"))
