"""``hoanhap export``: scoping through the acting user, the audit entry with its purpose, and the
round trip — an export imported into an empty system exports again to the same rows."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hoanhap.access.models import Organisation
from hoanhap.access.roles import Role
from hoanhap.audit import context
from hoanhap.audit.models import AuditEvent
from hoanhap.core.testing import AN_GIANG, CHAU_DOC, THOAI_SON, make_user
from hoanhap.intake.models import ReleaseNotice
from hoanhap.justice.models import Judgment, Release
from hoanhap.people.models import Person, RecordSequence

from .test_export import KIND_SHEETS, build_world, sheets_of

pytestmark = pytest.mark.django_db


def run_export(path, scope: str = "province:91", purpose: str = "Báo cáo tỉnh", *extra) -> str:
    out = io.StringIO()
    call_command("export", "--scope", scope, "--output", str(path), "--purpose", purpose, *extra, stdout=out)
    return out.getvalue()


@pytest.fixture
def world():
    return build_world()


def test_the_command_writes_the_file_and_records_the_export(tmp_path, world):
    """The audit entry names the scope, counts the rows of the kind sheets and keeps the purpose."""
    path = tmp_path / "an_giang.xlsx"
    output = run_export(path)
    assert path.exists()
    assert "persons: 5" in output
    event = AuditEvent.objects.get(action="export.created")
    assert event.purpose == "Báo cáo tỉnh"
    assert event.province_code == AN_GIANG
    assert event.data["rows"] == 5 + 2 + 3  # persons, judgments, notices
    assert event.data["filters"]["scope"] == "province:91"
    assert event.data["filters"]["sheets"]["persons"] == 5


def test_the_command_as_the_issue_gives_it_records_a_default_purpose(tmp_path, world):
    """``hoanhap export --scope province:91 --output FILE.xlsx``: no --purpose needed; the audit
    entry still says why (an export from the command line)."""
    path = tmp_path / "x.xlsx"
    call_command("export", "--scope", "province:91", "--output", str(path), stdout=io.StringIO())
    assert sheets_of(path)["persons"][1:]
    event = AuditEvent.objects.get(action="export.created")
    assert event.purpose == "An export of the scope from the command line."
    run_export(tmp_path / "y.xlsx", "province:91", "  ")  # a blank purpose: the same default
    assert AuditEvent.objects.filter(action="export.created", purpose=event.purpose).count() == 2


def test_a_commune_officer_exports_their_commune_and_not_the_province(tmp_path, world):
    officer = make_user(Role.COMMUNE_OFFICER, province=AN_GIANG, commune=CHAU_DOC)
    with context.acting(source=context.SOURCE_CLI, user=officer):
        with pytest.raises(CommandError, match="outside the areas"):
            run_export(tmp_path / "province.xlsx", "province:91")
        with pytest.raises(CommandError, match="outside the areas"):
            run_export(tmp_path / "other.xlsx", f"commune:{THOAI_SON}")
        run_export(tmp_path / "own.xlsx", f"commune:{CHAU_DOC}")
    persons = sheets_of(tmp_path / "own.xlsx")["persons"][1:]
    assert sorted(row[0] for row in persons) == sorted([world.binh.record_code, world.chi.record_code])
    event = AuditEvent.objects.get(action="export.created")
    assert event.actor == officer
    assert event.commune_code == CHAU_DOC
    assert event.province_code == AN_GIANG


def test_a_helper_cannot_export_judgments(tmp_path, world):
    """Helpers never read judgments, so they hold no area for an export."""
    helper = make_user(Role.HELPER, organisation=make_helper_organisation())
    with context.acting(source=context.SOURCE_CLI, user=helper), pytest.raises(CommandError):
        run_export(tmp_path / "x.xlsx", f"commune:{THOAI_SON}")


def make_helper_organisation() -> Organisation:
    return Organisation.objects.create(
        name="Hội Phụ nữ xã Thoại Sơn",
        kind=Organisation.Kind.WOMENS_UNION,
        province_id=AN_GIANG,
        commune_id=THOAI_SON,
    )


def empty_the_registry() -> None:
    """What a new installation holds: the geography and the offence catalogue, nothing else."""
    ReleaseNotice.objects.all().delete()
    Release.objects.all().delete()
    Judgment.objects.all().delete()
    Person.objects.all().delete()
    RecordSequence.objects.all().delete()
    Organisation.objects.filter(kind=Organisation.Kind.DETENTION_FACILITY).delete()


def round_trip(tmp_path) -> tuple[dict, dict, dict]:
    """Export, empty the registry, import the file (--commit all), export again."""
    first = tmp_path / "first.xlsx"
    run_export(first)
    empty_the_registry()
    out = io.StringIO()
    call_command("import", str(first), "--commit", "all", "--json", stdout=out)
    result = json.loads(out.getvalue())
    second = tmp_path / "second.xlsx"
    run_export(second)
    return result, sheets_of(first), sheets_of(second)


def test_an_export_imports_into_an_empty_system_and_exports_again_the_same(tmp_path, world):
    """The round trip: export → import (--commit all) into an empty registry → export: same rows.

    A person's row holds their judgment whole (fine, probation, dates of serving); a judgment's
    note goes on the judgments sheet, with the judgment of a person's row repeated there for it.
    """
    # The notice from a sender without an account has its own test below.
    ReleaseNotice.objects.filter(reference="7/TB-XL").delete()
    Judgment.objects.filter(judgment_number="12/2010/HS-ST").update(note="Đã bồi thường cho bị hại")
    Judgment.objects.filter(judgment_number="40/2019/HS-ST").update(note="Giảm án 6 tháng")
    result, before, after = round_trip(tmp_path)
    assert result["errors"] == [], json.dumps(result["errors"], ensure_ascii=False, indent=1)
    # persons; judgments: An's first, Bình's fine, Chí's row judgment again for its note; notices
    assert result["rows"] == 5 + 3 + 2
    assert result["created"] > 0
    for kind in KIND_SHEETS:
        assert after[kind] == before[kind], kind
    an = Person.objects.get(record_code=world.an.record_code)
    assert an.personal_id == "089085001234"
    assert an.judgments.count() == 2
    assert an.judgments.get(judgment_number="25/2020/HS-ST").main_penalty_started_on is not None
    assert an.judgments.get(judgment_number="12/2010/HS-ST").note == "Đã bồi thường cho bị hại"
    assert Judgment.objects.get(judgment_number="40/2019/HS-ST").note == "Giảm án 6 tháng"
    assert Judgment.objects.get(judgment_number="12/2021/HS-ST").probation_years == 2


def test_a_sender_without_an_account_survives_the_round_trip(tmp_path, world):
    result, before, after = round_trip(tmp_path)
    assert result["errors"] == []
    assert after["notices"] == before["notices"]
