"""Two notices for one person in one file: a repeated row is left alone, a corrected notice is filed
after the first; the preview (rows tried in a rolled-back transaction) says what the commit does.
Also two persons rows naming one person by name, year of birth and commune (one row per judgment)."""

from __future__ import annotations

import pytest

from hoanhap.imports import staging
from hoanhap.intake.models import ReleaseNotice
from hoanhap.justice.models import Judgment
from hoanhap.people.models import Person

from .builders import run, xlsx
from .test_cli import AN, messy

pytestmark = pytest.mark.django_db

HEADER = [
    "Mã hồ sơ",
    "Họ và tên",
    "Năm sinh",
    "Giới tính",
    "Số định danh",
    "Trại giam gửi thông báo",
    "Ngày dự kiến ra trại",
    "Hình thức ra trại",
    "Nơi về cư trú",
    "Ngày nhận thông báo",
]
ADDRESS = "Ấp Đông Sơn, xã Thoại Sơn, An Giang"


def notice(name="Nguyễn Văn An", expected="15/03/2025", received="10/01/2025", *, code=None, number=None):
    return [code, name, 1985, "Nam", number, "Trại giam Định Thành", expected, "Hết án", ADDRESS, received]


def notices(tmp_path, *rows):
    return xlsx(tmp_path / "tb.xlsx", [["DANH SÁCH THÔNG BÁO"], HEADER, *rows], title="notices")


def preview_and_commit(path) -> tuple[dict, dict]:
    """The dry run's result, then the commit's: they must agree."""
    preview = run(path, "--scope", "province:91")
    committed = run(path, "--scope", "province:91", "--commit", "all")
    return preview, committed


def counts(result: dict) -> tuple[int, int, int]:
    return result["created"], result["updated"], result["skipped"]


def test_a_repeated_notice_row_is_left_alone_and_names_the_earlier_row(tmp_path):
    """Same person, expected release date and date of receipt: the second row is skipped, warned."""
    path = notices(tmp_path, notice(number="089085001234"), notice(number="089085001234"))
    preview, committed = preview_and_commit(path)
    assert preview["errors"] == committed["errors"] == []
    assert counts(preview) == counts(committed) == (1, 0, 1)
    [warning] = [w for w in committed["warnings"] if w["row"] == 4]
    assert warning["column"] is None
    assert "same notice as on row 3" in warning["message"]
    person = Person.objects.get(personal_id="089085001234")
    assert ReleaseNotice.objects.filter(person=person).count() == 1


def test_a_corrected_notice_is_filed_after_the_first_in_file_order(tmp_path):
    """Another expected release date for the same person: both notices are filed, in the file's order."""
    path = notices(
        tmp_path,
        notice(number="089085001234"),
        notice(expected="20/03/2025", received="15/01/2025", number="089085001234"),
    )
    preview, committed = preview_and_commit(path)
    assert preview["errors"] == committed["errors"] == []
    assert counts(preview) == counts(committed) == (2, 0, 0)
    [warning] = [w for w in committed["warnings"] if w["row"] == 4]
    assert "Row 3 of this file has another notice for this person" in warning["message"]
    person = Person.objects.get(personal_id="089085001234")
    assert person.status == Person.Status.NOTIFIED
    filed = list(ReleaseNotice.objects.filter(person=person).order_by("pk"))
    assert [n.expected_release_date.day for n in filed] == [15, 20]
    again = run(path, "--scope", "province:91", "--commit", "all")
    assert counts(again) == (0, 0, 2)


def test_rows_without_a_number_name_the_person_by_name_birth_and_commune(tmp_path):
    """Without record code or number, the second row finds the person the first registered: no
    probable-duplicate error, one person, two notices."""
    path = notices(tmp_path, notice(), notice(expected="20/03/2025", received="15/01/2025"))
    preview, committed = preview_and_commit(path)
    assert preview["errors"] == committed["errors"] == []
    assert counts(preview) == counts(committed) == (2, 0, 0)
    person = Person.objects.get(full_name="Nguyễn Văn An", birth_year=1985)
    assert ReleaseNotice.objects.filter(person=person).count() == 2


def test_the_preview_agrees_with_the_commit_across_chunks(tmp_path, monkeypatch):
    """Rows of one person in different chunks are tried together: the repeated row is skipped in the
    preview too (a chunk rolled back on its own would lose the person and the notice of the first)."""
    monkeypatch.setattr(staging, "CHUNK", 2)
    path = notices(
        tmp_path,
        notice(),
        notice(name="Trần Văn Bảy", number=None),
        notice(),
        notice(name="Trần Văn Bảy", expected="01/04/2025"),
    )
    preview, committed = preview_and_commit(path)
    assert preview["errors"] == committed["errors"] == []
    assert counts(preview) == counts(committed) == (3, 0, 1)
    assert Person.objects.filter(full_name__in=["Nguyễn Văn An", "Trần Văn Bảy"]).count() == 2


def test_a_record_code_unknown_here_is_kept_for_the_person_a_notice_registers(tmp_path):
    path = notices(tmp_path, notice(code="91-000700"), notice(code="91-000700"))
    committed = run(path, "--scope", "province:91", "--commit", "all")
    assert committed["errors"] == []
    assert counts(committed) == (1, 0, 1)
    person = Person.objects.get(record_code="91-000700")
    assert person.status == Person.Status.NOTIFIED
    assert ReleaseNotice.objects.filter(person=person).count() == 1


def test_persons_rows_of_one_person_without_a_number_complete_one_record(tmp_path, monkeypatch):
    """A list with one row per judgment: the later row finds the person the first registered (same
    name, year of birth and commune), is warned naming that row, and the preview agrees across chunks."""
    monkeypatch.setattr(staging, "CHUNK", 2)
    first = [*AN]
    first[4] = None  # no identification number
    other = [*AN]
    other[1], other[4], other[7] = "Phạm Văn Cường", None, "26/2020/HS-ST"
    second = [*first]
    second[7], second[8], second[13] = "3/2024/HS-ST", "02/02/2024", None
    path = messy(tmp_path, first, other, second)
    preview = run(path, "--kind", "persons", "--scope", "province:91")
    committed = run(path, "--kind", "persons", "--scope", "province:91", "--commit", "all")
    assert preview["errors"] == committed["errors"] == []
    assert counts(preview) == counts(committed) == (2, 1, 0)
    [warning] = [w for w in committed["warnings"] if w["row"] == 7 and w["column"] == "Họ và tên"]
    assert "Row 5 of this file names the same person" in warning["message"]
    person = Person.objects.get(full_name="Nguyễn Văn An")
    assert set(Judgment.objects.filter(person=person).values_list("judgment_number", flat=True)) == {
        "25/2020/HS-ST",
        "3/2024/HS-ST",
    }


def test_a_notice_finds_a_registered_person_by_name_year_and_commune_unless_the_numbers_differ(tmp_path):
    """As for persons: the same name, year of birth and commune is the same person; a person with
    another identification number is only a probable duplicate, for someone to decide."""
    from hoanhap.intake.testing import make_person

    registered = make_person(
        (91, 30682), full_name="Nguyễn Văn An", birth_year=1985, status=Person.Status.IN_PRISON
    )
    committed = run(notices(tmp_path, notice()), "--scope", "province:91", "--commit", "all")
    assert committed["errors"] == []
    assert ReleaseNotice.objects.get().person == registered
    Person.objects.filter(pk=registered.pk).update(personal_id="089085001234")
    other = run(notices(tmp_path, notice(number="089085009999")), "--scope", "province:91")
    assert "Probably the same person" in other["errors"][0]["message"]
