"""The whole-scope export: template sheets and headers, values the reader reads back as stored,
order and determinism, bounded queries.

``build_world`` (also used by test_export_command.py) registers people with judgments, releases
and notices in two communes of An Giang, and one person in Hà Nội (outside every An Giang scope).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from hoanhap.access.models import Organisation
from hoanhap.access.policy import SYSTEM, AreaScope
from hoanhap.core.testing import AN_GIANG, BA_DINH, CHAU_DOC, HA_NOI, THOAI_SON, make_organisation
from hoanhap.imports.exporting import writer
from hoanhap.imports.reading import specs
from hoanhap.imports.reading.table import open_table
from hoanhap.imports.reading.template import write_template
from hoanhap.imports.reading.values import PartialDate, Term
from hoanhap.intake.models import ReleaseNotice
from hoanhap.justice import services as justice
from hoanhap.justice.models import Judgment, Offence, Release
from hoanhap.people.models import Person

pytestmark = pytest.mark.django_db

KIND_SHEETS = ("persons", "judgments", "notices")
PROVINCE = AreaScope(provinces=frozenset({AN_GIANG}))


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _person(**fields) -> Person:
    values = {"sex": Person.Sex.MALE, "province_id": AN_GIANG, "status": Person.Status.IN_MANAGEMENT}
    values.update(fields)
    return Person.objects.create(**values)


def _judgment(person: Person, *, articles=((173, "1"),), **fields) -> Judgment:
    lines = [
        {"offence": Offence.objects.get(article=article, clause=""), "clause": clause}
        for article, clause in articles
    ]
    data = {
        "court_name": "Tòa án nhân dân huyện Thoại Sơn",
        "main_penalty_type": Judgment.PenaltyType.IMPRISONMENT,
    }
    data.update(fields)
    return justice.judgment_create(actor=SYSTEM, person=person, data=data, offences=lines)


def _release(judgment: Judgment, **fields) -> Release:
    data = {"judgment": judgment, "kind": Release.Kind.COMPLETED_TERM}
    data.update(fields)
    return justice.release_record(actor=SYSTEM, person=judgment.person, data=data)


@dataclass
class World:
    an: Person
    binh: Person
    chi: Person
    dung: Person
    em: Person
    elsewhere: Person


def build_world() -> World:
    province_camp = make_organisation(
        Organisation.Kind.DETENTION_FACILITY, province=AN_GIANG, commune=None, name="Trại giam Định Thành"
    )
    commune_camp = make_organisation(
        Organisation.Kind.DETENTION_FACILITY,
        province=AN_GIANG,
        commune=CHAU_DOC,
        name="Trại tạm giam Châu Đốc",
    )

    an = _person(
        full_name="Nguyễn Văn An",
        other_names="Tèo",
        birth_year=1985,
        birth_month=3,
        birth_day=15,
        personal_id="089085001234",
        ethnicity=1,
        religion=Person.Religion.BUDDHISM,
        phone="0912345678",
        commune_id=THOAI_SON,
        address="Tổ 5, ấp Đông Sơn",
    )
    first = _judgment(
        an,
        judgment_number="12/2010/HS-ST",
        judgment_date=d("2010-06-01"),
        offence_committed_on=d("2010-01-10"),
        main_penalty_years=2,
        main_penalty_started_on=d("2010-02-01"),
    )
    _release(first, release_date=d("2012-02-01"), facility=province_camp)
    latest = _judgment(
        an,
        articles=((173, "2"), (171, "")),
        court_name="Tòa án nhân dân tỉnh An Giang",
        judgment_number="25/2020/HS-ST",
        judgment_date=d("2020-05-20"),
        offence_committed_on=d("2020-01-10"),
        main_penalty_years=3,
        main_penalty_months=6,
        main_penalty_started_on=d("2020-01-15"),
    )
    _release(
        latest,
        release_date=d("2023-03-15"),
        kind=Release.Kind.AMNESTY,
        amnesty_decision_number="1430/QĐ-CTN",
        amnesty_decision_date=d("2023-03-01"),
        facility=province_camp,
        certificate_number="77/GCN",
        certificate_date=d("2023-03-16"),
    )

    binh = _person(
        full_name="Trần Thị Bình",
        sex=Person.Sex.FEMALE,
        birth_year=1990,
        old_id_number="012345678",
        religion=Person.Religion.CATHOLIC,
        commune_id=CHAU_DOC,
        address="Tổ 3, khóm 2",
    )
    _judgment(
        binh,
        articles=((321, ""),),
        court_name="Tòa án nhân dân thành phố Châu Đốc",
        judgment_number="3/2015/HS-ST",
        judgment_date=d("2015-04-02"),
        offence_committed_on=d("2015-01-02"),
        main_penalty_type=Judgment.PenaltyType.FINE,
        fine_amount=20_000_000,
    )
    _judgment(
        binh,
        articles=((321, ""),),
        court_name="Tòa án nhân dân thành phố Châu Đốc",
        judgment_number="12/2021/HS-ST",
        judgment_date=d("2021-06-15"),
        offence_committed_on=d("2021-02-02"),
        main_penalty_type=Judgment.PenaltyType.SUSPENDED,
        main_penalty_years=1,
        probation_years=2,
    )

    chi = _person(
        full_name="Lê Văn Chí",
        birth_year=1978,
        birth_month=11,
        commune_id=CHAU_DOC,
        address="Tổ 9, khóm 4",
    )
    term = _judgment(
        chi,
        court_name="Tòa án nhân dân thành phố Châu Đốc",
        judgment_number="40/2019/HS-ST",
        judgment_date=d("2019-09-09"),
        offence_committed_on=d("2019-03-03"),
        main_penalty_years=5,
        main_penalty_started_on=d("2019-03-05"),
    )
    _release(
        term,
        release_date=d("2022-09-01"),
        kind=Release.Kind.CONDITIONAL_RELEASE,
        probation_ends_on=d("2024-03-05"),
        facility=commune_camp,
    )

    dung = _person(
        full_name="Phạm Văn Dũng",
        birth_year=1995,
        commune_id=THOAI_SON,
        address="Ấp Phú Hữu",
        status=Person.Status.NOTIFIED,
    )
    em = _person(
        full_name="Võ Thị Em",
        sex=Person.Sex.FEMALE,
        birth_year=1999,
        commune_id=THOAI_SON,
        address="Ấp Tây Bình",
        status=Person.Status.NOTIFIED,
    )
    for person, facility, reference, received in (
        (dung, commune_camp, "125/TB-TGĐT", d("2026-01-10")),
        (an, province_camp, "9/TB", d("2019-12-01")),  # a notice of long ago
        (em, None, "7/TB-XL", d("2025-12-01")),  # from a sender without an account
    ):
        ReleaseNotice.objects.create(
            person=person,
            facility=facility,
            sender_name="" if facility else "Trại giam Xuân Lộc",
            reference=reference,
            expected_release_date=received + dt.timedelta(days=60),
            release_kind=Release.Kind.COMPLETED_TERM,
            sentence_summary="Chấp hành tốt nội quy",
            province_id=AN_GIANG,
            commune_id=THOAI_SON,
            address="Tổ 1, ấp Phú Hữu",
            received_on=received,
            verify_by=received + dt.timedelta(days=3),
        )

    elsewhere = _person(full_name="Đỗ Văn Xa", birth_year=1970, province_id=HA_NOI, commune_id=BA_DINH)
    return World(an, binh, chi, dung, em, elsewhere)


def sheets_of(path: Path) -> dict[str, list[tuple]]:
    """Every sheet of the workbook as lists of row values (dates as dates)."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in book}
    finally:
        book.close()


def export(path: Path, scope: AreaScope = PROVINCE, *, actor=SYSTEM, with_details: bool = True) -> Path:
    return writer.write_export(path, actor=actor, scope=scope, with_details=with_details).path


def records(path: Path, kind: str) -> list:
    """The rows of ``kind`` read back through the import reader; every error fails the test."""
    table = open_table(path, kind, province_hint=AN_GIANG)
    assert table.errors == []
    found = list(table.records())
    assert [e.as_dict() for r in found for e in r.errors] == []
    return found


@pytest.fixture
def world() -> World:
    return build_world()


def test_the_sheets_and_headers_are_the_templates(tmp_path, world):
    """One sheet per kind, named by its code and headed exactly like the template; then readonly_ sheets."""
    sheets = sheets_of(export(tmp_path / "out.xlsx"))
    names = list(sheets)
    assert names[:3] == list(KIND_SHEETS)
    assert names[3:]
    assert all(name.startswith("readonly_") for name in names[3:])
    for kind in KIND_SHEETS:
        template = sheets_of(write_template(specs.KINDS[kind], tmp_path / f"{kind}.xlsx"))[kind]
        assert sheets[kind][0] == template[0]


def test_the_persons_sheet_reads_back_as_stored(tmp_path, world):
    """Each person row carries the latest release and the judgment it ended, in the reader's types."""
    rows = {r.values["record_code"]: r for r in records(export(tmp_path / "out.xlsx"), "persons")}
    assert set(rows) == {p.record_code for p in (world.an, world.binh, world.chi, world.dung, world.em)}
    an = rows[world.an.record_code].values
    assert an["full_name"] == "Nguyễn Văn An"
    assert an["other_names"] == "Tèo"
    assert an["birth_date"] == PartialDate(1985, 3, 15)
    assert an["sex"] == "male"
    assert an["id_number"].number == "089085001234"
    assert not an["id_number"].restored
    assert (an["ethnicity"], an["religion"], an["phone"]) == ("1", "buddhism", "0912345678")
    assert rows[world.an.record_code].address.commune_code == THOAI_SON
    assert (an["judgment_number"], an["judgment_date"]) == ("25/2020/HS-ST", d("2020-05-20"))
    assert an["offence_committed_on"] == d("2020-01-10")
    assert [(ref.article, ref.clause) for ref in an["offences"][1]] == [(173, "2"), (171, "")]
    assert an["main_penalty_type"] == "imprisonment"
    assert an["term"] == Term(3, 6, 0)
    assert (an["release_date"], an["release_kind"]) == (d("2023-03-15"), "amnesty")
    assert (an["facility"], an["facility_unit"]) == ("Trại giam Định Thành", AN_GIANG)
    assert (an["amnesty_decision_number"], an["amnesty_decision_date"]) == ("1430/QĐ-CTN", d("2023-03-01"))
    assert (an["certificate_number"], an["certificate_date"]) == ("77/GCN", d("2023-03-16"))

    binh = rows[world.binh.record_code]
    assert binh.values["id_number"].number == "012345678"
    assert binh.values["birth_date"] == PartialDate(1990)
    # Never released, and the latest judgment is suspended: its probation needs the judgments sheet.
    assert binh.values["judgment_number"] is None
    assert binh.values["main_penalty_type"] is None
    assert binh.values["release_date"] is None
    assert binh.address.commune_code == CHAU_DOC
    chi = rows[world.chi.record_code].values
    assert chi["birth_date"] == PartialDate(1978, 11)
    assert (chi["release_kind"], chi["probation_ends_on"]) == ("conditional_release", d("2024-03-05"))
    assert chi["facility_unit"] == CHAU_DOC
    assert rows[world.dung.record_code].values["judgment_number"] is None


def test_the_judgments_sheet_holds_what_the_person_rows_cannot(tmp_path, world):
    """Further judgments, and a row's own judgment again when it has a fine, probation or serving dates."""
    found = records(export(tmp_path / "out.xlsx"), "judgments")
    an, binh, chi = world.an.record_code, world.binh.record_code, world.chi.record_code
    assert an < binh < chi
    assert [(r.values["record_code"], r.values["judgment_number"]) for r in found] == [  # code, then date
        (an, "12/2010/HS-ST"),
        (an, "25/2020/HS-ST"),  # on An's row too, which has no column for the day serving started
        (binh, "3/2015/HS-ST"),
        (binh, "12/2021/HS-ST"),
        (chi, "40/2019/HS-ST"),
    ]
    by_number = {r.values["judgment_number"]: r.values for r in found}
    fine = by_number["3/2015/HS-ST"]
    assert fine["main_penalty_type"] == "fine"
    assert fine["fine_amount"] == 20_000_000
    assert fine["offence_committed_on"] == d("2015-01-02")
    assert fine["full_name"] == "Trần Thị Bình"
    suspended = by_number["12/2021/HS-ST"]
    assert suspended["main_penalty_type"] == "suspended_imprisonment"
    assert (suspended["term"], suspended["probation"]) == (Term(1, 0, 0), Term(2, 0, 0))
    first = by_number["12/2010/HS-ST"]
    assert first["term"] == Term(2, 0, 0)
    assert first["main_penalty_started_on"] == d("2010-02-01")
    assert first["id_number"].number == "089085001234"
    assert by_number["25/2020/HS-ST"]["main_penalty_started_on"] == d("2020-01-15")


def test_the_notices_sheet_names_the_sender_and_the_expected_commune(tmp_path, world):
    found = records(export(tmp_path / "out.xlsx"), "notices")
    assert world.an.record_code < world.dung.record_code < world.em.record_code
    assert [r.values["reference"] for r in found] == ["9/TB", "125/TB-TGĐT", "7/TB-XL"]  # by record code
    by_reference = {r.values["reference"]: r for r in found}
    from_camp = by_reference["125/TB-TGĐT"]
    assert from_camp.values["record_code"] == world.dung.record_code
    assert (from_camp.values["facility"], from_camp.values["facility_unit"]) == (
        "Trại tạm giam Châu Đốc",
        CHAU_DOC,
    )
    assert from_camp.values["expected_release_date"] == d("2026-03-11")
    assert from_camp.values["release_kind"] == "completed_term"
    assert from_camp.address.commune_code == THOAI_SON
    assert by_reference["9/TB"].values["facility_unit"] == AN_GIANG
    assert by_reference["7/TB-XL"].values["facility"] == "Trại giam Xuân Lộc"
    assert by_reference["7/TB-XL"].values["facility_unit"] is None


def test_identification_numbers_and_partial_dates_are_text_cells(tmp_path, world):
    """Leading zeros survive because the cells are text, whatever the spreadsheet program does."""
    book = openpyxl.load_workbook(export(tmp_path / "out.xlsx"))
    sheet = book["persons"]
    headers = [c.value for c in sheet[1]]
    id_column = headers.index("Số định danh cá nhân") + 1
    birth_column = headers.index("Ngày sinh") + 1
    judged_column = headers.index("Ngày tuyên án") + 1
    values = [sheet.cell(row=r, column=id_column) for r in range(2, sheet.max_row + 1)]
    assert {c.value for c in values} >= {"089085001234", "012345678"}
    assert all(isinstance(c.value, str) and c.number_format == "@" for c in values if c.value)
    assert all(
        isinstance(sheet.cell(row=r, column=birth_column).value, str) for r in range(2, sheet.max_row + 1)
    )
    judged = [sheet.cell(row=r, column=judged_column) for r in range(2, sheet.max_row + 1)]
    assert all(c.number_format == "dd/mm/yyyy" for c in judged if c.value is not None)


def test_rows_come_by_record_code_and_hold_no_ids_or_timestamps(tmp_path, world):
    sheets = sheets_of(export(tmp_path / "out.xlsx", with_details=False))
    codes = [row[0] for row in sheets["persons"][1:]]
    assert codes == sorted(codes)
    assert list(sheets) == list(KIND_SHEETS)  # no detail sheets asked for
    ids = {str(p.pk) for p in (world.an, world.binh, world.chi, world.dung, world.em)}
    for rows in sheets.values():
        for row in rows[1:]:
            assert not any(isinstance(value, dt.datetime) and value.time() != dt.time() for value in row)
            assert not any(str(value) in ids for value in row if isinstance(value, int))


def test_exporting_twice_gives_the_same_cells(tmp_path, world):
    """No timestamp, id or unstable order: two exports of the same data are cell for cell the same."""
    first = sheets_of(export(tmp_path / "one.xlsx"))
    second = sheets_of(export(tmp_path / "two.xlsx"))
    assert first == second
    assert len(first["readonly_people"]) == 6
    assert len(first["readonly_judgment_details"]) == 6


def test_the_detail_sheets_carry_the_computed_record_and_the_timeline(tmp_path, world):
    sheets = sheets_of(export(tmp_path / "out.xlsx"))
    people = {row[0]: row for row in sheets["readonly_people"][1:]}
    assert people[world.binh.record_code][4] == "VN"
    timeline_codes = {row[0] for row in sheets["readonly_timeline"][1:]}
    assert world.an.record_code in timeline_codes  # judgments and releases write timeline entries
    judgments = sheets["readonly_judgment_details"]
    on_rows = {(row[0], row[1]): row[3] for row in judgments[1:]}
    assert on_rows[(world.an.record_code, "25/2020/HS-ST")] == "persons, judgments"
    assert on_rows[(world.an.record_code, "12/2010/HS-ST")] == "judgments"


def test_a_commune_scope_exports_only_that_commune(tmp_path, world):
    path = export(tmp_path / "out.xlsx", AreaScope(communes=frozenset({CHAU_DOC})))
    persons = records(path, "persons")
    assert {r.values["record_code"] for r in persons} == {world.binh.record_code, world.chi.record_code}
    judgments = {r.values["record_code"] for r in records(path, "judgments")}
    assert judgments == {world.binh.record_code, world.chi.record_code}
    assert sheets_of(path)["notices"][1:] == []  # every notice names Thoại Sơn


def test_the_export_runs_a_bounded_number_of_queries(tmp_path, world, django_assert_max_num_queries):
    """The queries do not grow with the number of people (they are read in chunks with their records)."""
    with django_assert_max_num_queries(20) as small:
        export(tmp_path / "small.xlsx")
    for number in range(12):
        person = _person(full_name=f"Người Thứ {number}", birth_year=1980 + number, commune_id=THOAI_SON)
        _judgment(
            person,
            judgment_number=f"{number}/2018/HS-ST",
            judgment_date=d("2018-05-05"),
            offence_committed_on=d("2018-01-01"),
            main_penalty_years=1,
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        export(tmp_path / "large.xlsx")
