"""Write every importable record of a scope to one .xlsx that imports back as it is.

One sheet per import kind (``persons``, ``judgments``, ``notices``, ``helpers``, ``children``,
``support``: the order of ``kinds.ADAPTERS``), named with the kind code and headed exactly like the
template (same order, same Vietnamese text, "(*)" on required columns); then, unless left out,
``readonly_…`` sheets with details the import does not read (computed legal dates, judgment lines,
the timeline). Rows come in a fixed order — record code, then date — and hold no database id and
no system timestamp, so exporting the same data twice gives the same cells, and an export imported
into an empty installation exports again to the same rows.

``persons`` and ``judgments`` come from one pass over the people (read in chunks with their
judgments, releases and timeline prefetched: a fixed number of queries per chunk). Every other
kind is a ``RowSource`` of ``ROW_SOURCES``: a function giving the sheet's rows for the actor and
the scope, from a query narrowed through ``hoanhap.access.policy.restrict`` with the capability
that reads those records and read in chunks (``exporting/care.py``). The export as a whole needs
``Cap.VIEW_JUDGMENTS`` on the scope (the file carries judgments). Sheets are written through
openpyxl's write-only mode, so memory stays flat at thousands of people per province. The export
is recorded in the audit log with its purpose.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from hoanhap.access import policy
from hoanhap.access.policy import AreaScope
from hoanhap.access.roles import Cap
from hoanhap.audit import services as audit
from hoanhap.imports.exporting import care, details, rows
from hoanhap.imports.reading import specs
from hoanhap.imports.reading.specs import ColumnSpec, KindSpec
from hoanhap.imports.reading.template import header_text, is_text_column
from hoanhap.intake.models import ReleaseNotice
from hoanhap.justice.models import AdditionalPenalty, Judgment, JudgmentOffence, Obligation, Release
from hoanhap.people.models import Person, TimelineEntry

CAP = Cap.VIEW_JUDGMENTS
CHUNK = 500
DATE_FORMAT = "dd/mm/yyyy"
TEXT_FORMAT = "@"
_BOLD = Font(bold=True)
STAMPS = ("created_at", "updated_at")  # never exported: not loaded

Rows = Callable[[Any, AreaScope], Iterable[dict[str, object]]]


@dataclass(frozen=True)
class RowSource:
    """A sheet written from its own query: ``rows(actor, scope)`` gives its rows in order."""

    kind: KindSpec
    rows: Rows


def notice_rows(actor: Any, scope: AreaScope) -> Iterator[dict[str, object]]:
    for notice in notices_in_scope(actor, scope).iterator(chunk_size=2000):
        yield rows.notice_row(notice)


# The sheets after persons and judgments (written from the people pass), in the apply order.
ROW_SOURCES: tuple[RowSource, ...] = (
    RowSource(specs.NOTICES, notice_rows),
    *(RowSource(kind, function) for kind, function in care.SHEETS),
)
KINDS: tuple[KindSpec, ...] = (specs.PERSONS, specs.JUDGMENTS, *(source.kind for source in ROW_SOURCES))


def export_columns(kind: KindSpec) -> list[ColumnSpec]:
    """The template's columns of ``kind``, in the template's order."""
    return [c for c in kind.columns if c.in_template]


@dataclass
class ExportResult:
    path: Path
    counts: dict[str, int] = field(default_factory=dict)  # rows per sheet

    @property
    def rows(self) -> int:
        """Rows of the importable sheets (what the audit entry counts)."""
        return sum(self.counts.get(kind.code, 0) for kind in KINDS)


def scope_text(scope: AreaScope) -> str:
    if scope.everything:
        return "all"
    parts = [f"province:{code}" for code in sorted(scope.provinces)]
    parts += [f"commune:{code}" for code in sorted(scope.communes)]
    return ",".join(parts)


# --- queries ----------------------------------------------------------------------------------------


def people_in_scope(actor: Any, scope: AreaScope) -> QuerySet[Person]:
    """The people of ``scope`` the actor may see with their judgments, ordered by record code.

    Also the people the scope's notices name who live elsewhere now (moved to another province
    after the notice): without their row, importing the file would register them anew where the
    notice sent them, and the file would not export again the same.
    """
    queryset = policy.restrict(Person.objects.all(), actor, CAP)
    if not scope.everything:
        named = notices_in_scope(actor, scope).order_by().values("person_id")
        queryset = queryset.filter(scope.q(Person.area_fields) | Q(pk__in=named))
    return queryset.order_by("record_code")


def _with_records(queryset: QuerySet[Person], *, with_details: bool) -> QuerySet[Person]:
    """Prefetch what the rows read. ``to_attr`` lists (``export_…``) avoid building a queryset per
    person; the judgment lines keep their managers because ``justice.legal_status`` reads them."""
    judgment_lookups: list[Any] = [
        Prefetch("offences", queryset=JudgmentOffence.objects.select_related("offence").order_by("pk"))
    ]
    if with_details:
        judgment_lookups += [
            Prefetch("additional_penalties", queryset=AdditionalPenalty.objects.order_by("pk")),
            Prefetch("obligations", queryset=Obligation.objects.order_by("pk")),
            Prefetch("releases", queryset=Release.objects.defer(*STAMPS).order_by("release_date", "pk")),
        ]
    lookups: list[Any] = [
        Prefetch(
            "judgments",
            queryset=Judgment.objects.defer(*STAMPS)
            .prefetch_related(*judgment_lookups)
            .order_by("judgment_date", "pk"),
            to_attr="export_judgments",
        ),
        Prefetch(
            "releases",
            queryset=Release.objects.defer(*STAMPS).select_related("facility").order_by("release_date", "pk"),
            to_attr="export_releases",
        ),
    ]
    return queryset.defer(*STAMPS).select_related("province", "commune").prefetch_related(*lookups)


def notices_in_scope(actor: Any, scope: AreaScope) -> QuerySet[ReleaseNotice]:
    """The notices naming a commune of ``scope`` that the actor may see, by record code and date."""
    queryset = policy.restrict(
        ReleaseNotice.objects.select_related("person", "facility", "province", "commune"), actor, CAP
    )
    if not scope.everything:
        queryset = queryset.filter(scope.q(ReleaseNotice.area_fields))
    return queryset.order_by("person__record_code", "received_on", "reference", "expected_release_date", "pk")


def _judgment_order(judgment: Judgment) -> tuple:
    """Date first; same-day judgments by number and court (ids differ between installations)."""
    return (judgment.judgment_date, judgment.judgment_number, judgment.court_name, judgment.pk)


# --- sheets -----------------------------------------------------------------------------------------


class _Sheet:
    """A write-only sheet with a bold header; dates and text-typed columns get their number format."""

    def __init__(self, book: Workbook, title: str, headers: list[str], formats: list[str | None]) -> None:
        self.sheet = book.create_sheet(title)
        self.formats = formats
        self.count = 0
        for index, header in enumerate(headers, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = max(12, min(45, len(header) + 4))
        self.sheet.freeze_panes = "A2"
        cells = []
        for header in headers:
            cell = WriteOnlyCell(self.sheet, value=header)
            cell.font = _BOLD
            cells.append(cell)
        self.sheet.append(cells)

    def append(self, values: list[object]) -> None:
        out: list[object] = []
        for value, number_format in zip(values, self.formats, strict=True):
            if value is not None and number_format is not None:
                cell = WriteOnlyCell(self.sheet, value=value)
                cell.number_format = number_format
                out.append(cell)
            else:
                out.append(value)
        self.sheet.append(out)
        self.count += 1


def _format_of(column: ColumnSpec) -> str | None:
    if column.type == specs.DATE:
        return DATE_FORMAT
    if column.type == specs.PARTIAL_DATE or is_text_column(column):
        return TEXT_FORMAT
    return None


class _KindSheet(_Sheet):
    def __init__(self, book: Workbook, kind: KindSpec) -> None:
        self.columns = export_columns(kind)
        super().__init__(
            book, kind.code, [header_text(c) for c in self.columns], [_format_of(c) for c in self.columns]
        )

    def add(self, row: dict[str, object]) -> None:
        self.append([row.get(c.code) for c in self.columns])


class _DetailSheet(_Sheet):
    def __init__(self, book: Workbook, spec: details.DetailSheet) -> None:
        super().__init__(book, spec.title, [c.header for c in spec.columns], [c.format for c in spec.columns])


def _people(queryset: QuerySet[Person], *, with_details: bool) -> Iterator[Person]:
    """The people of ``queryset`` in its order, loaded CHUNK at a time with their records.

    The timeline (the largest table) is read as plain tuples, not model instances, into
    ``person.export_timeline``.
    """
    ids = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        loaded = _with_records(Person.objects.filter(pk__in=chunk), with_details=with_details).in_bulk()
        timeline: dict[int, list[tuple]] = {pk: [] for pk in chunk}
        if with_details:
            entries = (
                TimelineEntry.objects.filter(person_id__in=chunk)
                .order_by("occurred_on", "kind", "summary", "pk")
                .values_list("person_id", "occurred_on", "kind", "summary")
            )
            for person_id, *entry in entries:
                timeline[person_id].append(tuple(entry))
        for pk in chunk:
            person = loaded[pk]
            person.export_timeline = timeline[pk]
            yield person


def write_export(
    output: str | Path, *, actor: Any, scope: AreaScope, with_details: bool = True
) -> ExportResult:
    """Write the export of ``scope`` as seen by ``actor`` to ``output`` (replaced atomically)."""
    path = Path(output)
    book = Workbook(write_only=True)
    sheets = {kind.code: _KindSheet(book, kind) for kind in KINDS}
    extra = {spec.title: _DetailSheet(book, spec) for spec in details.SHEETS} if with_details else {}

    with translation.override("vi"):  # labels of the detail sheets; the kind sheets use specs' labels
        for person in _people(people_in_scope(actor, scope), with_details=with_details):
            judgments = sorted(person.export_judgments, key=_judgment_order)
            releases = person.export_releases
            on_row, release = rows.row_judgment(judgments, releases)
            sheets["persons"].add(rows.person_row(person, on_row, release))
            for judgment in judgments:
                if rows.on_judgments_sheet(judgment, on_row):
                    sheets["judgments"].add(rows.judgment_row(person, judgment))
            if with_details:
                for spec in details.SHEETS:
                    for values in spec.rows(person, judgments, on_row):
                        extra[spec.title].append(values)
        for source in ROW_SOURCES:
            sheet = sheets[source.kind.code]
            for row in source.rows(actor, scope):
                sheet.add(row)

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".export-", suffix=".xlsx", dir=path.parent)
    os.close(handle)
    try:
        book.save(temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    counts = {code: sheet.count for code, sheet in sheets.items()}
    counts.update({title: sheet.count for title, sheet in extra.items()})
    return ExportResult(path, counts)


def export_scope(
    output: str | Path, *, actor: Any, scope: AreaScope, purpose: str, with_details: bool = True
) -> ExportResult:
    """Write the export and record it in the audit log with its purpose (refused without one)."""
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValueError("An export of personal data needs a purpose.")
    result = write_export(output, actor=actor, scope=scope, with_details=with_details)
    province = min(scope.provinces) if len(scope.provinces) == 1 and not scope.communes else None
    commune = min(scope.communes) if len(scope.communes) == 1 and not scope.provinces else None
    try:
        audit.record_export(
            f"{result.path.name} ({scope_text(scope)})",
            purpose=purpose,
            rows=result.rows,
            filters={"scope": scope_text(scope), "sheets": result.counts},
            province=province,
            commune=commune,
        )
    except BaseException:
        result.path.unlink(missing_ok=True)  # no export leaves the system unrecorded
        raise
    return result
