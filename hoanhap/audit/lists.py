"""Any list page as .xlsx or .csv: exactly the rows the page shows, with the same filters.

Every export of personal data leaves an audit entry with its purpose, so the machinery lives here and
each app only describes its tables. Each table is a ``Table``: a name, translated column titles, and a function from a row to its cells.
``export`` records the export (``audit.record_export``, with the purpose, the row count and the
filters) and renders the file. CSV is UTF-8 with a byte-order mark (spreadsheets then read Vietnamese
correctly); text cells that a spreadsheet would run as a formula get a leading apostrophe in both
formats.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render as render_page
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from hoanhap.access import policy
from hoanhap.access.views_base import ScopedViewMixin
from hoanhap.audit import services as audit
from hoanhap.audit.exports import safe_cell
from hoanhap.audit.forms import ExportForm as PurposeForm

XLSX = "xlsx"
CSV = "csv"
FORMATS = (XLSX, CSV)
CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    CSV: "text/csv; charset=utf-8",
}


@dataclass(frozen=True)
class Table:
    name: Any  # translatable title, also the file name's stem
    slug: str
    columns: tuple[Any, ...]
    cells: Callable[[Any], list[Any]]


@dataclass(frozen=True)
class Rendered:
    content: bytes
    content_type: str
    filename: str


def _d(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _yes(value: bool | None) -> str:
    if value is None:
        return ""
    return str(_("yes") if value else _("no"))


def _cell(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return _yes(value)
    if isinstance(value, int):
        return value
    if isinstance(value, dt.date):
        return _d(value)
    return safe_cell(value)


def render(table: Table, rows: Iterable[Any], fmt: str) -> Rendered:
    header = [str(c) for c in table.columns]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"{table.slug}-{stamp}.{fmt}"
    if fmt == CSV:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        for row in rows:
            writer.writerow([_cell(v) for v in table.cells(row)])
        return Rendered(("\ufeff" + buffer.getvalue()).encode("utf-8"), CONTENT_TYPES[CSV], filename)
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = str(table.name)[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(v) for v in table.cells(row)])
    out = io.BytesIO()
    book.save(out)
    return Rendered(out.getvalue(), CONTENT_TYPES[XLSX], filename)


@transaction.atomic
def export(
    table: Table,
    rows: Any,
    *,
    fmt: str,
    purpose: str,
    filters: dict[str, Any],
    province: int | None = None,
    commune: int | None = None,
) -> Rendered:
    """Record the export with its purpose, then render it (the rows are read once, as counted)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    rows = list(rows)
    audit.record_export(
        str(table.name), purpose=purpose, rows=len(rows), filters=filters, province=province, commune=commune
    )
    return render(table, rows, fmt)


# -- the pages -------------------------------------------------------------------------------------


class ExportForm(PurposeForm):
    """Why the list leaves the system, and in which format."""

    format = forms.ChoiceField(
        label=_("Format"),
        choices=[(XLSX, _("Excel (.xlsx)")), (CSV, _("CSV"))],
        widget=forms.Select(attrs={"class": "form-select"}),
    )


def querystring(request, *, drop: tuple[str, ...] = ("page",)) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k not in drop and v])


def export_unit(actor: Any, cap: str, filters: dict[str, Any]) -> tuple[int | None, int | None]:
    """The unit an export's audit entry is filed under: the one filtered on, else the actor's only
    area, else (a helper holds no area) the unit of the actor's organisation."""
    province = int(filters["province"]) if str(filters.get("province") or "").isdigit() else None
    commune = int(filters["commune"]) if str(filters.get("commune") or "").isdigit() else None
    if province is None and commune is None:
        scope = policy.scope_for(actor, cap)
        if not scope.everything and len(scope.provinces) == 1 and not scope.communes:
            province = next(iter(scope.provinces))
        elif not scope.everything and len(scope.communes) == 1 and not scope.provinces:
            commune = next(iter(scope.communes))
    if province is None and commune is None and hasattr(actor, "audit_area"):
        province, commune = actor.audit_area()
    return province, commune


class ExportView(ScopedViewMixin, View):
    """GET: the purpose form; POST: the file of exactly the rows the list shows with these filters.

    A subclass names its ``table``, the ``list_url_name`` to go back to, and ``rows(request)`` giving
    the rows (through the same selector and filters as the list) and the filters applied.
    """

    table: Table
    list_url_name = ""

    def rows(self, request) -> tuple[Any, dict[str, Any]]:
        raise NotImplementedError

    def page(self, request, form, status=200) -> HttpResponse:
        context = {
            "form": form,
            "table": self.table,
            "querystring": querystring(request),
            "list_url_name": self.list_url_name,
        }
        return render_page(request, "audit/list_export.html", context, status=status)

    def get(self, request):
        return self.page(request, ExportForm())

    def post(self, request):
        form = ExportForm(request.POST)
        if not form.is_valid():
            return self.page(request, form, status=400)
        rows, filters = self.rows(request)
        province, commune = export_unit(request.user, self.access_capability, filters)
        rendered = export(
            self.table,
            rows,
            fmt=form.cleaned_data["format"],
            purpose=form.cleaned_data["purpose"],
            filters=filters,
            province=province,
            commune=commune,
        )
        response = HttpResponse(rendered.content, content_type=rendered.content_type)
        response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
        return response
