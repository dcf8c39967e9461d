"""`hoanhap import`: the JSON exactly, dry run vs --commit all / valid, idempotency, atomicity, undo, audit."""

from __future__ import annotations

import json
from unittest import mock

import pytest

from hoanhap.access.models import Organisation
from hoanhap.audit.models import AuditEvent
from hoanhap.imports import services
from hoanhap.imports.models import AppliedChange, ImportBatch, ResidenceChoice
from hoanhap.justice.models import Judgment, Release
from hoanhap.people.models import Person, RecordSequence, TimelineEntry

from .builders import run, xls, xlsx

pytestmark = pytest.mark.django_db

THOAI_SON = 30682
PHUOC_HUNG_SUCCESSORS = {30337, 30346, 30352}
HEADER = [
    "STT",
    "Họ và tên",
    "Năm sinh",
    "Giới tính",
    "CCCD/CMND",
    "Nơi cư trú",
    "Tòa án xét xử",
    "Số bản án",
    "Ngày tuyên án",
    "Ngày phạm tội",
    "Tội danh",
    "Hình phạt chính",
    "Mức án",
    "Ngày ra trại",
    "Hình thức ra trại",
    "Trại giam",
]
AN = [
    1,
    "NGUYỄN VĂN AN",
    1985,
    "Nam",
    89085001234,  # stored as a number: the leading zero is lost
    "Xã Thoại Sơn, An Giang",
    "TAND huyện Thoại Sơn",
    "25/2020/HS-ST",
    "20/05/2020",
    "10/01/2020",
    "Trộm cắp tài sản (Điều 173)",
    "Tù có thời hạn",
    "3 năm",
    "20/01/2023",
    "Hết án",
    "Trại giam Định Thành",
]
HOA = [2, "Lª ThÞ Hoa", "1990", "Nữ", None, "Xã Phước Hưng, An Phú, An Giang"]  # TCVN3 name, split commune
BINH = [3, "Trần Văn Bình", "15/13/1980", "Nam", None, "Xã Thoại Sơn, An Giang"]  # impossible date


def messy(tmp_path, *rows, name="ds.xlsx"):
    """A commune's list: a TCVN3 title, a title, a blank line, the header on line 4, a signature line."""
    body = list(rows) or [AN, HOA, BINH]
    return xlsx(
        tmp_path / name,
        [
            ["CéNG HßA X· HéI CHñ NGHÜA VIÖT NAM"],
            ["DANH SÁCH NGƯỜI CHẤP HÀNH XONG ÁN PHẠT TÙ"],
            [],
            HEADER,
            *body,
            [None, "Người lập biểu"],
        ],
    )


def test_dry_run_prints_the_json_and_writes_nothing(tmp_path):
    """Without --commit the counts say what would happen; no person, batch or audit entry is written."""
    before = AuditEvent.objects.count()
    result = run(messy(tmp_path), "--kind", "persons", "--scope", "province:91")
    assert set(result) == {"rows", "created", "updated", "skipped", "errors", "warnings"}
    assert (result["rows"], result["created"], result["updated"], result["skipped"]) == (3, 2, 0, 0)
    assert result["errors"] == [
        {"sheet": "Sheet1", "row": 7, "column": "Năm sinh", "message": result["errors"][0]["message"]}
    ]
    assert "month 13" in result["errors"][0]["message"] or "13" in result["errors"][0]["message"]
    warnings = {(w["row"], w["column"]) for w in result["warnings"]}
    assert (5, "CCCD/CMND") in warnings  # leading zero put back
    assert (6, "Nơi cư trú") in warnings  # split commune left to choose
    assert (5, "Trại giam") in warnings  # facility added
    assert all(set(w) == {"sheet", "row", "column", "message"} for w in result["warnings"])
    assert not Person.objects.filter(full_name__in=["Nguyễn Văn An", "Lê Thị Hoa"]).exists()
    assert not ImportBatch.objects.exists()
    assert AuditEvent.objects.count() == before


def test_commit_all_writes_nothing_when_a_row_has_an_error(tmp_path):
    result = run(messy(tmp_path), "--kind", "persons", "--commit", "all", "--scope", "province:91")
    assert (result["created"], result["updated"]) == (0, 0)
    assert [e["row"] for e in result["errors"]] == [7]
    assert not Person.objects.filter(full_name="Nguyễn Văn An").exists()
    assert not ImportBatch.objects.exists()


def test_commit_valid_writes_the_valid_rows_with_judgment_release_and_choice(tmp_path):
    result = run(messy(tmp_path), "--kind", "persons", "--commit", "valid", "--scope", "province:91")
    assert (result["rows"], result["created"], result["updated"], result["skipped"]) == (3, 2, 0, 0)
    an = Person.objects.get(personal_id="089085001234")
    assert (an.full_name, an.commune_id, an.sex) == ("Nguyễn Văn An", THOAI_SON, "male")
    judgment = Judgment.objects.get(person=an)
    assert judgment.judgment_number == "25/2020/HS-ST"
    release = Release.objects.get(person=an)
    assert release.facility.name == "Trại giam Định Thành"
    assert release.facility.kind == Organisation.Kind.DETENTION_FACILITY
    hoa = Person.objects.get(full_name="Lê Thị Hoa")
    assert hoa.commune_id is None
    assert hoa.province_id == 91
    choice = ResidenceChoice.objects.get(person=hoa)
    assert set(choice.candidates.values_list("commune_id", flat=True)) == PHUOC_HUNG_SUCCESSORS
    assert not Person.objects.filter(full_name="Trần Văn Bình").exists()


def test_reimporting_the_same_file_changes_nothing(tmp_path):
    """Second run: every valid row is skipped, no record and no audit entry is added."""
    path = messy(tmp_path, AN, HOA)
    first = run(path, "--kind", "persons", "--commit", "all", "--scope", "province:91")
    assert first["created"] == 2
    people, judgments, releases = Person.objects.count(), Judgment.objects.count(), Release.objects.count()
    audits = AuditEvent.objects.exclude(action__startswith="imports.").count()
    second = run(path, "--kind", "persons", "--commit", "all", "--scope", "province:91")
    assert (second["created"], second["updated"], second["skipped"], second["errors"]) == (0, 0, 2, [])
    assert (Person.objects.count(), Judgment.objects.count(), Release.objects.count()) == (
        people,
        judgments,
        releases,
    )
    assert AuditEvent.objects.exclude(action__startswith="imports.").count() == audits
    assert ResidenceChoice.objects.count() == 1


def test_a_failure_in_the_middle_of_the_apply_leaves_nothing(tmp_path):
    """The release check fails on the second person: the first one is not kept either."""
    from hoanhap.justice import services as justice

    real = justice.release_checked
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) > 3:  # the trial run uses the first two calls; the apply fails on the second row
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    second = [*AN]
    second[1], second[4], second[7] = "Phạm Văn Cường", None, "26/2020/HS-ST"
    path = messy(tmp_path, AN, second)
    people = Person.objects.count()
    with mock.patch.object(justice, "release_checked", side_effect=failing), pytest.raises(RuntimeError):
        run(path, "--kind", "persons", "--commit", "valid", "--scope", "province:91")
    assert Person.objects.count() == people
    assert not Judgment.objects.exists()
    assert not ImportBatch.objects.exists()


def test_record_code_unknown_here_is_kept_and_the_sequence_moves_past_it(tmp_path):
    path = xlsx(
        tmp_path / "x.xlsx",
        [
            ["Mã hồ sơ", "Họ và tên", "Năm sinh", "Giới tính", "Nơi cư trú"],
            ["91-000500", "Võ Văn Mới", 1970, "Nam", "Xã Thoại Sơn, An Giang"],
        ],
        title="persons",
    )
    result = run(path, "--commit", "all", "--scope", "province:91")  # kind from the sheet name
    assert result["created"] == 1, result
    person = Person.objects.get(record_code="91-000500")
    assert RecordSequence.objects.get(province_id=91).last_number >= 500
    assert TimelineEntry.objects.filter(person=person, summary__contains="91-000500").exists()
    created = AuditEvent.objects.filter(target_type="people.person", target_id=str(person.pk)).earliest("pk")
    assert created.changes["record_code"][1] == "91-000500"  # created with the code kept, never another
    again = run(path, "--commit", "all", "--scope", "province:91")
    assert (again["created"], again["skipped"]) == (0, 1)


def test_every_write_is_audited_with_the_import_and_the_import_can_be_undone(tmp_path):
    run(messy(tmp_path, AN, HOA), "--kind", "persons", "--commit", "all", "--scope", "province:91")
    batch = ImportBatch.objects.get()
    an = Person.objects.get(personal_id="089085001234")
    entries = AuditEvent.objects.filter(target_type="people.person", target_id=str(an.pk))
    assert entries.exists()
    assert all(e.data.get("context") == batch.tag for e in entries)
    assert AuditEvent.objects.filter(target_type="justice.judgment", data__context=batch.tag).exists()
    assert AppliedChange.objects.filter(batch=batch, model="people.person").count() == 2
    facilities = Organisation.objects.filter(kind=Organisation.Kind.DETENTION_FACILITY).count()
    services.batch_undo(batch, actor=_system())
    assert not Person.objects.filter(pk=an.pk).exists()
    assert not Judgment.objects.exists()
    assert not Release.objects.exists()
    assert Organisation.objects.filter(kind=Organisation.Kind.DETENTION_FACILITY).count() == facilities - 1
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UNDONE
    assert AuditEvent.objects.filter(action="imports.batch.undone", target_id=str(batch.pk)).exists()


def test_undo_is_refused_after_someone_edited_an_imported_record(tmp_path):
    from hoanhap.people import services as people_services

    run(messy(tmp_path, AN), "--kind", "persons", "--commit", "all", "--scope", "province:91")
    batch = ImportBatch.objects.get()
    an = Person.objects.get(personal_id="089085001234")
    people_services.person_update(
        actor=_system(), person=an, data={"phone": "0912345678"}, expected_version=None
    )
    with pytest.raises(services.undoing.UndoRefused) as refused:
        services.batch_undo(batch, actor=_system())
    assert "Nguyễn Văn An" in str(refused.value.records)
    assert Person.objects.filter(pk=an.pk).exists()


def test_undo_restores_the_values_an_import_changed(tmp_path):
    from hoanhap.intake.testing import make_person

    existing = make_person(
        (91, THOAI_SON), full_name="Nguyễn Văn An", birth_year=1985, personal_id="089085001234"
    )
    path = xlsx(
        tmp_path / "p.xlsx",
        [
            ["Họ và tên", "Số CCCD", "Số điện thoại", "Nơi cư trú"],
            ["Nguyễn Văn An", "089085001234", "0909000111", "Xã Thoại Sơn, An Giang"],
        ],
        title="persons",
    )
    result = run(path, "--commit", "all", "--scope", "province:91")
    assert (result["created"], result["updated"]) == (0, 1)
    existing.refresh_from_db()
    assert existing.phone == "0909000111"
    services.batch_undo(ImportBatch.objects.get(), actor=_system())
    existing.refresh_from_db()
    assert existing.phone == ""


def test_probable_duplicate_is_an_error_until_decided(tmp_path):
    from hoanhap.intake.testing import make_person

    make_person((91, THOAI_SON), full_name="Nguyễn Văn Ann", birth_year=1985)
    path = xlsx(
        tmp_path / "p.xlsx",
        [
            ["Họ và tên", "Năm sinh", "Giới tính", "Nơi cư trú"],
            ["Nguyễn Văn An", 1985, "Nam", "Xã Thoại Sơn, An Giang"],
        ],
        title="persons",
    )
    result = run(path, "--scope", "province:91")
    assert result["created"] == 0
    assert "Probably the same person" in result["errors"][0]["message"]
    assert result["errors"][0]["column"] is None


def test_a_commune_officer_cannot_import_people_of_another_commune(tmp_path):
    from hoanhap.access.roles import Role
    from hoanhap.core.testing import CHAU_DOC, make_user

    officer = make_user(Role.COMMUNE_OFFICER, commune=CHAU_DOC)
    result = run(messy(tmp_path, AN), "--kind", "persons", "--commit", "valid", user=officer)
    assert result["created"] == 0
    assert result["errors"]
    assert result["errors"][0]["row"] == 5
    assert not Person.objects.filter(personal_id="089085001234").exists()


def _system():
    from hoanhap.access import policy

    return policy.SYSTEM


def _exit_code(argv: list[str]) -> int:
    """The command run as the shell runs it (``run_from_argv``): its exit status. (``run_from_argv``
    closes the database connections when it ends: the test's own is kept open.)"""
    from django.core.management import execute_from_command_line

    try:
        with mock.patch("django.core.management.base.connections.close_all"):
            execute_from_command_line(["hoanhap", *argv])
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    return 0


def test_the_exit_code_is_0_whenever_the_file_could_be_read(tmp_path, capsys):
    """Rows with errors, or no sheet named by a kind, still exit 0 with the JSON; a file that cannot
    be read exits 1 with the reason."""
    code = _exit_code(["import", str(messy(tmp_path)), "--kind", "persons", "--json", "--commit", "all"])
    out = capsys.readouterr().out
    assert code == 0
    assert json.loads(out)["errors"]

    unnamed = xlsx(tmp_path / "unnamed.xlsx", [["Họ và tên", "Năm sinh"], ["Võ Văn Mới", 1970]])
    assert _exit_code(["import", str(unnamed), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["rows"] == 0
    assert [(e["sheet"], e["row"], e["column"]) for e in result["errors"]] == [("", 1, None)]
    assert "No sheet is named by a kind" in result["errors"][0]["message"]

    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    assert _exit_code(["import", str(broken), "--kind", "persons", "--json"]) == 1
    assert _exit_code(["import", str(tmp_path / "missing.xlsx"), "--json"]) == 1


def test_dry_run_wins_over_commit(tmp_path):
    """``--dry-run --commit valid`` counts what the commit would write and writes nothing."""
    dry = run(
        messy(tmp_path), "--kind", "persons", "--commit", "valid", "--dry-run", "--scope", "province:91"
    )
    assert (dry["rows"], dry["created"]) == (3, 2)
    assert not Person.objects.filter(personal_id="089085001234").exists()
    assert not ImportBatch.objects.exists()
    written = run(messy(tmp_path), "--kind", "persons", "--commit", "valid", "--scope", "province:91")
    assert {k: v for k, v in written.items() if k != "warnings"} == {
        k: v for k, v in dry.items() if k != "warnings"
    }
    assert Person.objects.filter(personal_id="089085001234").exists()


def test_a_phone_number_stored_as_a_number_gets_back_its_zero_with_a_warning(tmp_path):
    path = xlsx(
        tmp_path / "phones.xlsx",
        [
            ["Họ và tên", "Năm sinh", "Giới tính", "Số điện thoại", "Nơi cư trú"],
            ["Võ Văn Mới", 1970, "Nam", 912345678, "Xã Thoại Sơn, An Giang"],
            ["Võ Thị Hai", 1972, "Nữ", "0987 654 321", "Xã Thoại Sơn, An Giang"],
        ],
        title="persons",
    )
    result = run(path, "--commit", "valid", "--scope", "province:91")
    assert result["created"] == 2, result
    restored = [w for w in result["warnings"] if w["column"] == "Số điện thoại"]
    assert [(w["row"], w["message"]) for w in restored] == [
        (2, "The leading zero lost by the spreadsheet was put back: 0912345678.")
    ]
    assert Person.objects.get(full_name="Võ Văn Mới").phone == "0912345678"
    assert Person.objects.get(full_name="Võ Thị Hai").phone == "0987 654 321"


def test_a_legacy_xls_list_imports_as_its_xlsx_twin_does(tmp_path):
    """The same messy list saved as Excel 97–2003: the same rows, counts, errors and warnings."""
    rows = [
        ["CéNG HßA X· HéI CHñ NGHÜA VIÖT NAM"],
        ["DANH SÁCH NGƯỜI CHẤP HÀNH XONG ÁN PHẠT TÙ"],
        [],
        HEADER,
        AN,
        HOA,
        BINH,
        [None, "Người lập biểu"],
    ]
    legacy = run(xls(tmp_path / "ds.xls", rows), "--kind", "persons", "--scope", "province:91")
    modern = run(messy(tmp_path), "--kind", "persons", "--scope", "province:91")
    assert legacy == modern
    assert (legacy["rows"], legacy["created"]) == (3, 2)
