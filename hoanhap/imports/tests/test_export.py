"""The whole-scope export: template sheets and headers, values the reader reads back as stored,
order and determinism, bounded queries; the round trip of the care sheets (helpers, children,
support).

``build_world`` (also used by test_export_command.py) registers people with judgments, releases
and notices in two communes of An Giang, and one person in Hà Nội (outside every An Giang scope);
``build_care`` adds their helpers, children and support.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command

from hoanhap.access.models import Organisation
from hoanhap.access.policy import SYSTEM, AreaScope
from hoanhap.access.roles import Role
from hoanhap.casework.models import HelperAssignment
from hoanhap.core.testing import AN_GIANG, BA_DINH, CHAU_DOC, HA_NOI, THOAI_SON, make_organisation, make_user
from hoanhap.imports.exporting import writer
from hoanhap.imports.reading import specs
from hoanhap.imports.reading.table import open_table
from hoanhap.imports.reading.template import write_template
from hoanhap.imports.reading.values import PartialDate, Term
from hoanhap.intake.models import ReleaseNotice
from hoanhap.justice import services as justice
from hoanhap.justice.models import Judgment, Offence, Release
from hoanhap.people.models import Person, RecordSequence, Relative
from hoanhap.support.models import Child, FundingSource, SupportAction, SupportKind

pytestmark = pytest.mark.django_db

KIND_SHEETS = ("persons", "judgments", "notices", "helpers", "children", "support")
CARE_SHEETS = KIND_SHEETS[3:]
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
    assert names[: len(KIND_SHEETS)] == list(KIND_SHEETS)
    assert names[len(KIND_SHEETS) :]
    assert all(name.startswith("readonly_") for name in names[len(KIND_SHEETS) :])
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
    # Never released: the latest judgment, suspended, with its probation (the persons sheet has it).
    assert binh.values["judgment_number"] == "12/2021/HS-ST"
    assert binh.values["main_penalty_type"] == "suspended_imprisonment"
    assert (binh.values["term"], binh.values["probation"]) == (Term(1, 0, 0), Term(2, 0, 0))
    assert binh.values["release_date"] is None
    assert an["main_penalty_started_on"] == d("2020-01-15")
    assert binh.address.commune_code == CHAU_DOC
    chi = rows[world.chi.record_code].values
    assert chi["birth_date"] == PartialDate(1978, 11)
    assert (chi["release_kind"], chi["probation_ends_on"]) == ("conditional_release", d("2024-03-05"))
    assert chi["facility_unit"] == CHAU_DOC
    assert rows[world.dung.record_code].values["judgment_number"] is None


def test_the_judgments_sheet_holds_what_the_person_rows_cannot(tmp_path, world):
    """Further judgments, and a row's own judgment again when it has a note (the persons sheet holds
    fines, probation and serving dates; its "Ghi chú" is about the person)."""
    Judgment.objects.filter(judgment_number="40/2019/HS-ST").update(note="Kháng cáo bị bác")
    found = records(export(tmp_path / "out.xlsx"), "judgments")
    an, binh, chi = world.an.record_code, world.binh.record_code, world.chi.record_code
    assert an < binh < chi
    assert [(r.values["record_code"], r.values["judgment_number"]) for r in found] == [  # code, then date
        (an, "12/2010/HS-ST"),
        (binh, "3/2015/HS-ST"),
        (chi, "40/2019/HS-ST"),  # on Chí's row too, which has no column for a judgment's note
    ]
    by_number = {r.values["judgment_number"]: r.values for r in found}
    fine = by_number["3/2015/HS-ST"]
    assert fine["main_penalty_type"] == "fine"
    assert fine["fine_amount"] == 20_000_000
    assert fine["offence_committed_on"] == d("2015-01-02")
    assert fine["full_name"] == "Trần Thị Bình"
    first = by_number["12/2010/HS-ST"]
    assert first["term"] == Term(2, 0, 0)
    assert first["main_penalty_started_on"] == d("2010-02-01")
    assert first["id_number"].number == "089085001234"
    assert by_number["40/2019/HS-ST"]["note"] == "Kháng cáo bị bác"


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
        # Unit codes (a facility's province or commune) are the only whole numbers naming records.
        units = {i for i, header in enumerate(rows[0]) if str(header).startswith("Mã đơn vị")}
        for row in rows[1:]:
            assert not any(isinstance(value, dt.datetime) and value.time() != dt.time() for value in row)
            numbers = [v for i, v in enumerate(row) if isinstance(v, int) and i not in units]
            assert not any(str(value) in ids for value in numbers)


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
    assert on_rows[(world.an.record_code, "25/2020/HS-ST")] == "persons"
    assert on_rows[(world.an.record_code, "12/2010/HS-ST")] == "judgments"


def test_a_commune_scope_exports_only_that_commune(tmp_path, world):
    path = export(tmp_path / "out.xlsx", AreaScope(communes=frozenset({CHAU_DOC})))
    persons = records(path, "persons")
    assert {r.values["record_code"] for r in persons} == {world.binh.record_code, world.chi.record_code}
    judgments = {r.values["record_code"] for r in records(path, "judgments")}
    assert judgments == {world.binh.record_code}  # Chí's only judgment is on his persons row
    assert sheets_of(path)["notices"][1:] == []  # every notice names Thoại Sơn


def test_a_person_named_by_a_notice_of_the_scope_comes_along_after_moving_away(tmp_path, world):
    """Dũng's notice names Thoại Sơn but he lives in Châu Đốc now: the Thoại Sơn file carries his
    row too, so importing it never registers him anew where the notice sent him."""
    Person.objects.filter(pk=world.dung.pk).update(commune_id=CHAU_DOC)
    path = export(tmp_path / "out.xlsx", AreaScope(communes=frozenset({THOAI_SON})))
    persons = {r.values["record_code"] for r in records(path, "persons")}
    notices = {r.values["record_code"] for r in records(path, "notices")}
    assert world.dung.record_code in persons
    assert notices <= persons
    scope_of_chau_doc = export(tmp_path / "cd.xlsx", AreaScope(communes=frozenset({CHAU_DOC})))
    assert world.dung.record_code in {r.values["record_code"] for r in records(scope_of_chau_doc, "persons")}


def test_the_export_runs_a_bounded_number_of_queries(tmp_path, world, django_assert_max_num_queries):
    """The queries do not grow with the number of people (they are read in chunks with their records)."""
    build_care(world)
    with django_assert_max_num_queries(25) as small:
        export(tmp_path / "small.xlsx")
    union = Organisation.objects.get(name="Hội Liên hiệp Phụ nữ xã Thoại Sơn")
    for number in range(12):
        person = _person(full_name=f"Người Thứ {number}", birth_year=1980 + number, commune_id=THOAI_SON)
        _judgment(
            person,
            judgment_number=f"{number}/2018/HS-ST",
            judgment_date=d("2018-05-05"),
            offence_committed_on=d("2018-01-01"),
            main_penalty_years=1,
        )
        HelperAssignment.objects.create(person=person, organisation=union, start_date=d("2024-01-01"))
        child = Child.objects.create(
            parent=person, full_name=f"Con Thứ {number}", province_id=AN_GIANG, commune_id=THOAI_SON
        )
        SupportAction.objects.create(kind=_kind("scholarship"), child=child, given_on=d("2024-09-05"))
        SupportAction.objects.create(kind=_kind("hardship_cash"), person=person, given_on=d("2024-01-05"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        export(tmp_path / "large.xlsx")


# --- the care sheets ----------------------------------------------------------------------------------


def _kind(code: str) -> SupportKind:
    return SupportKind.objects.get(code=code)


@dataclass
class Care:
    union: Organisation
    school: Organisation
    account: object
    be: Child
    ti: Child
    mother: Relative


def build_care(world: World) -> Care:
    """Helpers (by name, by account, with an organisation), children (one living in another commune,
    one without a date of birth), and support to a person, a relative, a child and a job with its
    follow-ups."""
    union = make_organisation(
        Organisation.Kind.WOMENS_UNION,
        province=AN_GIANG,
        commune=THOAI_SON,
        name="Hội Liên hiệp Phụ nữ xã Thoại Sơn",
    )
    school = make_organisation(
        Organisation.Kind.TRAINING_INSTITUTION,
        province=AN_GIANG,
        commune=None,
        name="Trường Trung cấp nghề An Giang",
    )
    account = make_user(Role.HELPER, organisation=union, username="hoa.tran")
    HelperAssignment.objects.create(
        person=world.an,
        organisation=union,
        helper_name="Trần Thị Hoa",
        helper_role="Chi hội trưởng phụ nữ ấp",
        phone="0912345678",
        start_date=d("2023-04-01"),
    )
    HelperAssignment.objects.create(
        person=world.an,
        organisation=union,
        user=account,
        start_date=d("2024-01-01"),
        end_date=d("2024-12-31"),
    )
    HelperAssignment.objects.create(
        person=world.chi,
        helper_name="Lê Văn Tư",
        helper_role="Trưởng khóm",
        start_date=d("2022-10-01"),
        end_date=d("2024-03-05"),
        note="Gặp hằng tháng",
    )
    be = Child.objects.create(
        parent=world.dung,
        parent_relation=Child.ParentRelation.FATHER,
        full_name="Phạm Thị Bé",
        birth_date=d("2015-09-05"),
        sex=Child.Sex.FEMALE,
        school="Trường Tiểu học Thoại Sơn",
        grade="4",
        guardian_name="Trần Thị Mẹ",
        guardian_relation="Mẹ",
        guardian_phone="0987654321",
        province_id=AN_GIANG,
        commune_id=THOAI_SON,
        address="Ấp Phú Hữu",
    )
    ti = Child.objects.create(
        parent=world.an, full_name="Nguyễn Văn Tí", province_id=AN_GIANG, commune_id=CHAU_DOC
    )
    mother = Relative.objects.create(
        person=world.an, relation=Relative.Relation.MOTHER, full_name="Nguyễn Thị Mẹ"
    )
    donors, budget = FundingSource.objects.get(code="donors"), FundingSource.objects.get(code="state_budget")
    SupportAction.objects.create(
        kind=_kind("vocational_training"),
        person=world.an,
        given_on=d("2023-06-01"),
        value=2_000_000,
        funding_source=budget,
        provider=school,
        description="Học nghề sửa xe máy",
    )
    SupportAction.objects.create(
        kind=_kind("gift_in_kind"),
        person=world.an,
        relative=mother,
        given_on=d("2024-01-20"),
        value=1_500_000,
        value_basis=SupportAction.Basis.ESTIMATE,
        item="Xe đạp",
        funding_source=donors,
    )
    SupportAction.objects.create(
        kind=_kind("scholarship"), child=be, given_on=d("2024-09-05"), value=1_000_000
    )
    SupportAction.objects.create(
        kind=_kind("job_placement"),
        person=world.chi,
        given_on=d("2023-01-05"),
        employer="Công ty May Châu Đốc",
        job_start_on=d("2023-01-10"),
        employed_3m=True,
        employed_6m=False,
        community_model_name="Tổ tự quản",
    )
    return Care(union, school, account, be, ti, mother)


def test_the_care_sheets_read_back_as_stored(tmp_path, world):
    """Helpers, children and support: the people by record code, organisations by name and unit,
    catalogues by code; in order of record code, then date."""
    care = build_care(world)
    path = export(tmp_path / "out.xlsx", with_details=False)
    helpers = records(path, "helpers")
    assert [(r.values["record_code"], r.values["start_date"]) for r in helpers] == [
        (world.an.record_code, d("2023-04-01")),
        (world.an.record_code, d("2024-01-01")),
        (world.chi.record_code, d("2022-10-01")),
    ]
    hoa, by_account, tu = (r.values for r in helpers)
    assert (hoa["helper_name"], hoa["helper_phone"], hoa["organisation"], hoa["organisation_unit"]) == (
        "Trần Thị Hoa",
        "0912345678",
        care.union.name,
        THOAI_SON,
    )
    assert hoa["organisation_kind"] == "womens_union"
    assert (by_account["helper_account"], by_account["helper_name"]) == ("hoa.tran", care.account.full_name)
    assert (tu["end_date"], tu["note"], tu["organisation"]) == (d("2024-03-05"), "Gặp hằng tháng", None)

    children = records(path, "children")
    assert [r.values["child_name"] for r in children] == ["Nguyễn Văn Tí", "Phạm Thị Bé"]  # by parent's code
    be = children[1]
    assert (be.values["record_code"], be.values["child_birth_date"]) == (
        world.dung.record_code,
        PartialDate(2015, 9, 5),
    )
    assert (be.values["parent_relation"], be.values["child_sex"], be.values["guardian_phone"]) == (
        "father",
        "female",
        "0987654321",
    )
    assert children[0].address.commune_code == CHAU_DOC
    assert children[0].values["child_birth_date"] is None

    support = records(path, "support")
    assert [(r.values["record_code"], r.values["kind"]) for r in support] == [
        (world.an.record_code, "vocational_training"),
        (world.an.record_code, "gift_in_kind"),
        (world.chi.record_code, "job_placement"),
        (world.dung.record_code, "scholarship"),  # a child's support goes with the parent's code
    ]
    training, gift, job, scholarship = (r.values for r in support)
    assert (training["provider"], training["provider_unit"], training["funding_source"]) == (
        care.school.name,
        AN_GIANG,
        "state_budget",
    )
    assert (gift["relative_name"], gift["relative_relation"], gift["value_basis"], gift["item"]) == (
        "Nguyễn Thị Mẹ",
        "mother",
        "estimate",
        "Xe đạp",
    )
    assert (job["employed_3m"], job["employed_6m"], job["employed_12m"]) == ("yes", "no", None)
    assert (scholarship["child_name"], scholarship["child_birth_date"]) == (
        "Phạm Thị Bé",
        PartialDate(2015, 9, 5),
    )
    assert (
        sheets_of(path)["support"][0]
        == sheets_of(write_template(specs.KINDS["support"], tmp_path / "t.xlsx"))["support"][0]
    )


def test_a_commune_scope_exports_the_care_of_that_commune(tmp_path, world):
    """Châu Đốc: Chí's helper and job, and An's son who lives there — not An's helpers or support."""
    build_care(world)
    path = export(tmp_path / "out.xlsx", AreaScope(communes=frozenset({CHAU_DOC})), with_details=False)
    assert [r.values["record_code"] for r in records(path, "helpers")] == [world.chi.record_code]
    assert [r.values["child_name"] for r in records(path, "children")] == ["Nguyễn Văn Tí"]
    assert [r.values["kind"] for r in records(path, "support")] == ["job_placement"]


def test_an_officer_without_the_children_capability_exports_no_children(tmp_path, world):
    """The commune committee reads judgments but not children: no child, no support to a child."""
    build_care(world)
    committee = make_user(Role.COMMUNE_COMMITTEE, province=AN_GIANG, commune=THOAI_SON)
    path = export(
        tmp_path / "out.xlsx", AreaScope(communes=frozenset({THOAI_SON})), actor=committee, with_details=False
    )
    assert records(path, "children") == []
    assert [r.values["kind"] for r in records(path, "support")] == ["vocational_training", "gift_in_kind"]


def empty_everything() -> None:
    """What a new installation holds: geography, catalogues, accounts (and their organisations)."""
    SupportAction.objects.all().delete()
    Child.objects.all().delete()
    HelperAssignment.objects.all().delete()
    Relative.objects.all().delete()
    ReleaseNotice.objects.all().delete()
    Release.objects.all().delete()
    Judgment.objects.all().delete()
    Person.objects.all().delete()
    RecordSequence.objects.all().delete()
    Organisation.objects.filter(members__isnull=True).delete()


def test_the_care_sheets_survive_the_round_trip(tmp_path, world):
    """Export → import (--commit all) into an empty registry → export: the same rows on every sheet;
    the training school (not kept) is registered again from its name, kind and unit."""
    build_care(world)
    first = export(tmp_path / "first.xlsx", with_details=False)
    empty_everything()
    out = io.StringIO()
    call_command("import", str(first), "--commit", "all", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["errors"] == [], json.dumps(result["errors"], ensure_ascii=False, indent=1)
    before, after = sheets_of(first), sheets_of(export(tmp_path / "second.xlsx", with_details=False))
    assert result["rows"] == sum(len(before[kind]) - 1 for kind in KIND_SHEETS)
    assert [len(before[kind]) - 1 for kind in CARE_SHEETS] == [3, 2, 4]
    for kind in KIND_SHEETS:
        assert after[kind] == before[kind], kind
    school = Organisation.objects.get(name="Trường Trung cấp nghề An Giang")
    assert (school.kind, school.province_id, school.commune_id) == (
        Organisation.Kind.TRAINING_INSTITUTION,
        AN_GIANG,
        None,
    )
    job = SupportAction.objects.get(kind__code="job_placement")
    assert (job.employed_3m, job.employed_6m, job.employed_12m) == (True, False, None)
