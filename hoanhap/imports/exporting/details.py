"""The ``readonly_…`` sheets: details an export carries for readers and the import ignores.

* ``readonly_people``: status, classification, other documents and the computed state of the
  criminal record (``justice.legal_status``: never stored, worked out on the day of the export);
* ``readonly_judgment_details``: what a judgment holds beyond its import columns (finality,
  penalty dates, additional penalties, other obligations, releases);
* ``readonly_timeline``: the person's timeline, oldest first.

Headers are Vietnamese like the kind sheets (the file is a Vietnamese document); coded values are
shown with their labels in the active language, which the writer sets to Vietnamese.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from hoanhap.imports.exporting import cells, rows
from hoanhap.justice import legal_status
from hoanhap.justice.models import Judgment
from hoanhap.people.models import Person

YES = "Có"
NO = "Không"
DATE = "dd/mm/yyyy"
TEXT = "@"


@dataclass(frozen=True)
class DetailColumn:
    header: str
    format: str | None = None


Rows = Callable[[Person, list[Judgment], Judgment | None], Iterator[list[object]]]


@dataclass(frozen=True)
class DetailSheet:
    title: str
    columns: tuple[DetailColumn, ...]
    rows: Rows


def _label(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def _people_rows(
    person: Person, judgments: list[Judgment], on_row: Judgment | None
) -> Iterator[list[object]]:
    record = legal_status.person_expungement(judgments=judgments)
    yield [
        person.record_code,
        person.full_name,
        _label(person.get_status_display()),
        person.classification or None,
        person.nationality or None,
        YES if person.stateless else None,
        (person.old_id_number or None) if person.personal_id else None,
        _label(person.get_document_type_display()) if person.document_type else None,
        person.document_number or None,
        _label(record.status_label),
        record.expunged_on or record.eligible_on,
        YES if record.provisional else None,
    ]


def _additional(judgment: Judgment) -> str | None:
    parts = []
    for penalty in judgment.additional_penalties.all():
        text = str(penalty.get_type_display())
        if penalty.term_display:
            text += " " + cells.term(penalty.term_years, penalty.term_months)
        if penalty.amount:
            text += f" {penalty.amount} đồng"
        if penalty.completed_on:
            text += " (xong " + penalty.completed_on.strftime("%d/%m/%Y") + ")"
        parts.append(text)
    return "; ".join(parts) or None


def _obligations(judgment: Judgment) -> str | None:
    parts = []
    for obligation in judgment.obligations.all():
        text = str(obligation)
        text += f": {obligation.amount_paid}/{obligation.amount_due} đồng"
        if obligation.completed_on:
            text += " (xong " + obligation.completed_on.strftime("%d/%m/%Y") + ")"
        parts.append(text)
    return "; ".join(parts) or None


def _releases(judgment: Judgment) -> str | None:
    parts = []
    for release in judgment.releases.all():
        text = release.release_date.strftime("%d/%m/%Y") + " " + str(release.get_kind_display())
        if release.amnesty_decision_number:
            text += " (" + release.amnesty_decision_number + ")"
        if release.probation_ends_on:
            text += ", thử thách đến " + release.probation_ends_on.strftime("%d/%m/%Y")
        parts.append(text)
    return "; ".join(parts) or None


def _sheets_of(judgment: Judgment, on_row: Judgment | None) -> str:
    sheets = ["persons"] if judgment is on_row else []
    if rows.on_judgments_sheet(judgment, on_row):
        sheets.append("judgments")
    return ", ".join(sheets)


def _judgment_rows(
    person: Person, judgments: list[Judgment], on_row: Judgment | None
) -> Iterator[list[object]]:
    for judgment in judgments:
        yield [
            person.record_code,
            judgment.judgment_number,
            judgment.judgment_date,
            _sheets_of(judgment, on_row),
            YES if judgment.is_final else NO,
            judgment.fine_amount,
            cells.term(judgment.probation_years, judgment.probation_months),
            judgment.main_penalty_started_on,
            judgment.main_penalty_completed_on,
            _additional(judgment),
            _obligations(judgment),
            _releases(judgment),
        ]


def _timeline_rows(
    person: Person, judgments: list[Judgment], on_row: Judgment | None
) -> Iterator[list[object]]:
    for occurred_on, kind, summary in person.export_timeline:
        yield [person.record_code, occurred_on, kind, summary]


def _c(header: str, format: str | None = None) -> DetailColumn:
    return DetailColumn(header, format)


SHEETS: tuple[DetailSheet, ...] = (
    DetailSheet(
        "readonly_people",
        (
            _c("Mã hồ sơ"),
            _c("Họ và tên"),
            _c("Tình trạng quản lý"),
            _c("Nhóm phân loại"),
            _c("Quốc tịch"),
            _c("Không quốc tịch"),
            _c("Số CMND cũ", TEXT),
            _c("Loại giấy tờ khác"),
            _c("Số giấy tờ khác", TEXT),
            _c("Án tích"),
            _c("Ngày xóa án tích", DATE),
            _c("Ngày còn tạm tính"),
        ),
        _people_rows,
    ),
    DetailSheet(
        "readonly_judgment_details",
        (
            _c("Mã hồ sơ"),
            _c("Số bản án"),
            _c("Ngày tuyên án", DATE),
            _c("Ở trang"),
            _c("Đã có hiệu lực"),
            _c("Số tiền phạt"),
            _c("Thời gian thử thách"),
            _c("Ngày bắt đầu chấp hành án", DATE),
            _c("Ngày chấp hành xong hình phạt chính", DATE),
            _c("Hình phạt bổ sung"),
            _c("Nghĩa vụ khác"),
            _c("Ra trại"),
        ),
        _judgment_rows,
    ),
    DetailSheet(
        "readonly_timeline",
        (_c("Mã hồ sơ"), _c("Ngày", DATE), _c("Loại"), _c("Nội dung")),
        _timeline_rows,
    ),
)
