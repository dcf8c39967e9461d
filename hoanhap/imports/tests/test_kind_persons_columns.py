"""The judgment values a persons row carries (fine, probation, dates of serving), the judgment's
note on the judgments sheet and the person's note on the persons sheet: stored, compared on a
re-import, and named in errors."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import openpyxl
import pytest

from hoanhap.access.policy import SYSTEM
from hoanhap.audit import context
from hoanhap.audit.models import AuditEvent
from hoanhap.imports import undoing
from hoanhap.imports.exporting import rows
from hoanhap.imports.kinds.base import person_values
from hoanhap.imports.kinds.persons import PersonsAdapter, with_note
from hoanhap.imports.models import ImportBatch
from hoanhap.imports.reading.files import Row
from hoanhap.imports.reading.headers import find_header
from hoanhap.imports.reading.specs import JUDGMENTS, PERSONS
from hoanhap.justice.models import Judgment, Release
from hoanhap.people.models import Person

from .builders import run, xlsx

pytestmark = pytest.mark.django_db

PERSON_HEADER = [
    "Họ và tên",
    "Năm sinh",
    "Giới tính",
    "Nơi cư trú",
    "Tòa án xét xử",
    "Số bản án",
    "Ngày tuyên án",
    "Ngày phạm tội",
    "Tội danh",
    "Hình phạt chính",
    "Mức án",
    "Số tiền phạt",
    "Thời gian thử thách",
    "Ngày bắt đầu chấp hành án",
    "Ngày chấp hành xong hình phạt chính",
    "Ngày ra trại",
    "Ghi chú",
]
PLACE = "Xã Thoại Sơn, An Giang"
COURT = "TAND huyện Thoại Sơn"
THEFT = "Trộm cắp tài sản (Điều 173)"
SUSPENDED = ["Trần Văn Treo", 1990, "Nam", PLACE, COURT, "5/2021/HS-ST", "02/03/2021", "01/01/2021", THEFT]
SUSPENDED += ["Án treo", "1 năm", None, "2 năm", None, None, None, None]
FINED = ["Lê Thị Phạt", 1992, "Nữ", PLACE, COURT, "6/2021/HS-ST", "03/03/2021", "02/01/2021", THEFT]
FINED += ["Phạt tiền", None, "20 triệu", None, None, None, None, None]
SERVED = ["Võ Văn Tù", 1980, "Nam", PLACE, COURT, "7/2019/HS-ST", "03/03/2019", "02/01/2019", THEFT]
SERVED += ["Tù có thời hạn", "2 năm", None, None, "05/01/2019", "05/01/2021", "05/01/2021", None]

JUDGMENT_HEADER = ["Họ và tên", "Năm sinh", *PERSON_HEADER[4:11], "Ghi chú"]
EARLIER = ["Trần Văn Treo", 1990, COURT, "1/2015/HS-ST", "02/03/2015", "01/01/2015", THEFT]
EARLIER += ["Tù có thời hạn", "6 tháng", "Đã bồi thường cho bị hại"]


def workbook(path, persons: list[list], judgments: list[list] = ()) -> str:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "persons"
    for row in [PERSON_HEADER, *persons]:
        sheet.append(row)
    if judgments:
        other = book.create_sheet("judgments")
        for row in [JUDGMENT_HEADER, *judgments]:
            other.append(row)
    book.save(path)
    return path


def commit(path) -> dict:
    return run(path, "--scope", "province:91", "--commit", "all")


def judgment(number: str) -> Judgment:
    return Judgment.objects.get(judgment_number=number)


def test_a_persons_row_records_fine_probation_and_dates_of_serving(tmp_path):
    """The judgment of the row is recorded whole; a re-import of the same list changes nothing."""
    path = workbook(tmp_path / "ds.xlsx", [SUSPENDED, FINED, SERVED])
    result = commit(path)
    assert result["errors"] == []
    assert result["created"] == 3
    suspended = judgment("5/2021/HS-ST")
    assert (suspended.main_penalty_type, suspended.probation_years) == ("suspended_imprisonment", 2)
    assert judgment("6/2021/HS-ST").fine_amount == 20_000_000
    served = judgment("7/2019/HS-ST")
    assert served.main_penalty_started_on == dt.date(2019, 1, 5)
    assert served.main_penalty_completed_on == dt.date(2021, 1, 5)
    assert Release.objects.get(judgment=served).release_date == dt.date(2021, 1, 5)
    again = commit(path)
    assert (again["created"], again["updated"], again["skipped"], again["errors"]) == (0, 0, 3, [])


def test_a_suspended_sentence_without_probation_is_refused_on_the_probation_column(tmp_path):
    """The service's refusal names the persons column that carries the probation."""
    row = [*SUSPENDED]
    row[PERSON_HEADER.index("Thời gian thử thách")] = None
    result = run(workbook(tmp_path / "ds.xlsx", [row]), "--scope", "province:91")
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(2, "Thời gian thử thách")]


def test_the_judgment_note_is_stored_and_compared_on_a_reimport(tmp_path):
    """A note on the judgments sheet is the judgment's; the same note again (line breaks aside)
    leaves the judgment alone, another note corrects it; the persons "Ghi chú" is the person's."""
    person = [*SUSPENDED[:-1], "Đi làm ăn xa"]
    path = workbook(tmp_path / "ds.xlsx", [person], [EARLIER])
    result = commit(path)
    assert result["errors"] == []
    assert judgment("1/2015/HS-ST").note == "Đã bồi thường cho bị hại"
    assert judgment("5/2021/HS-ST").note == ""
    assert Person.objects.get(full_name="Trần Văn Treo").note == "Đi làm ăn xa"
    assert [w for w in result["warnings"] if w["column"] == "Ghi chú"] == []
    Judgment.objects.filter(judgment_number="1/2015/HS-ST").update(note="Đã bồi thường\ncho bị hại")
    again = commit(path)
    assert (again["created"], again["updated"], again["skipped"]) == (0, 0, 2)
    assert judgment("1/2015/HS-ST").note == "Đã bồi thường\ncho bị hại"  # not flattened
    changed = [*EARLIER]
    changed[-1] = "Chưa bồi thường"
    third = commit(workbook(tmp_path / "ds2.xlsx", [person], [changed]))
    assert (third["updated"], third["skipped"]) == (1, 1)
    assert judgment("1/2015/HS-ST").note == "Chưa bồi thường"


def test_on_a_persons_list_ngay_chap_hanh_xong_an_is_the_release():
    """On a list of people released it is the day they came out; on a judgments list the day the
    main penalty was served."""
    header = [Row(1, ["Họ và tên", "Ngày chấp hành xong án"])]
    persons, judgments = find_header(header, PERSONS), find_header(header, JUDGMENTS)
    assert persons.columns[1].spec.code == "release_date"
    assert judgments.columns[1].spec.code == "main_penalty_completed_on"


def test_only_a_judgment_note_keeps_a_judgment_off_the_persons_row():
    """The exporter writes a person's row judgment on the judgments sheet too only when it has a note."""
    person = Person(full_name="X", birth_year=1990)
    whole = Judgment(person=person, fine_amount=1, probation_years=2, main_penalty_started_on=dt.date.today())
    noted = Judgment(person=person, note="  Đã bồi thường ")
    assert rows.fits_person_row(whole)
    assert not rows.on_judgments_sheet(whole, whole)
    assert not rows.fits_person_row(noted)
    assert rows.on_judgments_sheet(noted, noted)
    assert rows.row_judgment([noted], []) == (None, None)


CONDITIONAL = [*PERSON_HEADER[:11], "Thời gian thử thách", "Ngày ra trại", "Hình thức ra trại"]


def conditional(tmp_path, probation: str, ends: str | None = None) -> dict:
    header = [*CONDITIONAL, *(["Ngày hết thời gian thử thách"] if ends else [])]
    row = [*SERVED[:11], probation, "05/01/2021", "Tha tù trước thời hạn", *([ends] if ends else [])]
    return commit(xlsx(tmp_path / "tha.xlsx", [header, row], title="persons"))


def test_a_conditional_releases_probation_is_not_put_on_the_judgment(tmp_path):
    """On a list of conditional releases "Thời gian thử thách" is the release's: the judgment is
    recorded without it, and the release keeps the day its probation ends (given, and matching)."""
    result = conditional(tmp_path, "1 năm", "05/01/2022")
    assert result["errors"] == []
    assert [w for w in result["warnings"] if "probation" in w["message"]] == []
    served = judgment("7/2019/HS-ST")
    assert (served.probation_years, served.probation_months) == (0, 0)
    release = Release.objects.get(judgment=served)
    assert (release.kind, release.probation_ends_on) == ("conditional_release", dt.date(2022, 1, 5))


def test_the_end_of_a_conditional_releases_probation_is_worked_out_from_it(tmp_path):
    """Without the day it ends, the probation runs from the release date (the rest of the term)."""
    result = conditional(tmp_path, "1 năm 2 tháng 10 ngày")
    assert result["errors"] == []
    [warning] = [w for w in result["warnings"] if w["column"] == "Thời gian thử thách"]
    assert "15/03/2022" in warning["message"]
    release = Release.objects.get(judgment=judgment("7/2019/HS-ST"))
    assert release.probation_ends_on == dt.date(2022, 3, 15)
    assert judgment("7/2019/HS-ST").probation_years == 0


def test_a_probation_end_that_does_not_match_the_probation_is_kept_and_warned(tmp_path):
    result = conditional(tmp_path, "1 năm", "05/02/2022")
    [warning] = [w for w in result["warnings"] if w["column"] == "Ngày hết thời gian thử thách"]
    assert "05/01/2022" in warning["message"]
    assert "05/02/2022" in warning["message"]
    release = Release.objects.get(judgment=judgment("7/2019/HS-ST"))
    assert release.probation_ends_on == dt.date(2022, 2, 5)


def noted(note: str | None) -> list:
    return [*SUSPENDED[:-1], note]


def treo() -> Person:
    return Person.objects.get(full_name="Trần Văn Treo")


def test_the_persons_note_is_the_persons_and_a_reimport_changes_nothing(tmp_path):
    """The row's "Ghi chú" is set on the person registered; the same list again changes nothing."""
    path = workbook(tmp_path / "ds.xlsx", [noted("Đang học nghề sửa xe máy tại xã")])
    with mock.patch.object(PersonsAdapter, "apply", side_effect=AssertionError("row by row")):
        result = commit(path)  # registered in bulk: the note is among the planned values
        assert (result["created"], result["errors"], result["warnings"]) == (1, [], [])
        assert treo().note == "Đang học nghề sửa xe máy tại xã"
        created = AuditEvent.objects.get(action="people.person.created", target_id=str(treo().pk))
        assert created.changes["note"][-1] == "Đang học nghề sửa xe máy tại xã"
        again = commit(path)  # settled in bulk too: unchanged
    assert (again["created"], again["updated"], again["skipped"]) == (0, 0, 1)
    assert AuditEvent.objects.filter(action="people.person.updated").count() == 0


def test_another_note_updates_the_person_and_an_empty_cell_keeps_it(tmp_path):
    """A different note is a change like any other (audited, undone with the import); the same
    note on one line leaves a stored note with line breaks alone; an empty cell erases nothing."""
    commit(workbook(tmp_path / "ds.xlsx", [noted("Đi làm ăn xa")]))
    Person.objects.filter(pk=treo().pk).update(note="Gia đình khó khăn,\ncần hỗ trợ vốn")
    same = commit(workbook(tmp_path / "same.xlsx", [noted("Gia đình khó khăn, cần hỗ trợ vốn")]))
    assert (same["updated"], same["skipped"]) == (0, 1)
    assert treo().note == "Gia đình khó khăn,\ncần hỗ trợ vốn"  # not flattened
    empty = commit(workbook(tmp_path / "empty.xlsx", [noted(None)]))
    assert (empty["updated"], empty["skipped"]) == (0, 1)
    assert treo().note == "Gia đình khó khăn,\ncần hỗ trợ vốn"
    other = commit(workbook(tmp_path / "other.xlsx", [noted("Đã có việc làm ổn định")]))
    assert (other["updated"], other["skipped"], other["errors"], other["warnings"]) == (1, 0, [], [])
    assert treo().note == "Đã có việc làm ổn định"
    updated = AuditEvent.objects.get(action="people.person.updated", target_id=str(treo().pk))
    assert updated.changes["note"] == ["Gia đình khó khăn,\ncần hỗ trợ vốn", "Đã có việc làm ổn định"]
    batch = ImportBatch.objects.order_by("-pk").first()
    with context.acting(user=None, source=context.SOURCE_CLI):
        undoing.undo_batch(batch, actor=SYSTEM)
    assert treo().note == "Gia đình khó khăn,\ncần hỗ trợ vốn"


def test_a_persons_note_is_not_the_judgments_nor_a_notices():
    """Only the persons kind reads its note as the person's; the shared person values leave it out."""
    assert "note" not in person_values({"full_name": "An", "note": "Ghi chú của bản án"})
    assert with_note({}, {"note": "Ghi chú"}) == {"note": "Ghi chú"}
    assert with_note({}, {"note": None}) == {}
