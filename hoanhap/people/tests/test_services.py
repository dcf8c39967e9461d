"""Services: scoped creation and edits, impossible dates, the identification-number rules,
probable duplicates, optimistic concurrency, residence history, relatives, timeline and merge."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hoanhap.access.policy import SYSTEM
from hoanhap.audit.models import AuditEvent
from hoanhap.core.testing import AN_GIANG, BA_DINH, CHAU_DOC, HA_NOI, THOAI_SON
from hoanhap.people import selectors, services
from hoanhap.people.models import Person, Relative, ResidenceHistory, TimelineEntry

from .conftest import make_person, person_data, valid_id

pytestmark = pytest.mark.django_db


def errors_of(exc_info) -> dict:
    return exc_info.value.message_dict


def test_an_officer_registers_a_person_in_their_commune(thoai_son_officer):
    """Creation gives a record code, a first residence, a timeline entry and an audit entry."""
    result = services.person_create(actor=thoai_son_officer, data=person_data(personal_id=valid_id()))
    person = result.person
    assert person.record_code.startswith("91-")
    assert person.version == 1
    residence = person.residences.get()
    assert (residence.commune_id, residence.to_date) == (THOAI_SON, None)
    entry = person.timeline.get()
    assert entry.kind == "people.person.registered"
    assert person.record_code in entry.summary
    assert entry.url == person.get_absolute_url()
    event = AuditEvent.objects.get(action="people.person.created")
    assert (event.commune_code, event.province_code) == (THOAI_SON, AN_GIANG)


def test_nobody_registers_a_person_outside_their_area(chau_doc_officer, hanoi_officer):
    for actor in (chau_doc_officer, hanoi_officer):
        with pytest.raises(PermissionDenied):
            services.person_create(actor=actor, data=person_data())
    assert not Person.objects.exists()


def test_a_commune_officer_cannot_register_someone_without_a_commune(thoai_son_officer, province_officer):
    """A person in prison (no commune yet) belongs to the province: its officers register them."""
    with pytest.raises(PermissionDenied):
        services.person_create(actor=thoai_son_officer, data=person_data(commune=None))
    person = services.person_create(actor=province_officer, data=person_data(commune=None)).person
    assert person.commune_id is None
    assert person.status == Person.Status.IN_PRISON


@pytest.mark.parametrize(
    ("dates", "field", "fragment"),
    [
        ({"birth_year": 1990, "birth_month": 2, "birth_day": 30}, "birth_day", "has no day 30"),
        ({"birth_year": 1991, "birth_month": 2, "birth_day": 29}, "birth_day", "has no day 29"),
        ({"birth_year": 1990, "birth_month": 13}, "birth_month", "between 1 and 12"),
        ({"birth_year": 1850}, "birth_year", "between 1900"),
        ({"birth_year": None, "birth_month": 5}, "birth_year", "needs a year"),
        ({"birth_year": 1990, "birth_day": 5}, "birth_month", "needs a month"),
        ({"birth_year": 2999}, "birth_year", "between 1900"),
    ],
)
def test_impossible_dates_of_birth_are_refused_naming_the_field(thoai_son_officer, dates, field, fragment):
    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=thoai_son_officer, data=person_data(**dates))
    assert fragment in " ".join(errors_of(exc)[field])


def test_a_date_of_birth_in_the_future_is_refused(thoai_son_officer):
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    if tomorrow.year != today.year:
        pytest.skip("last day of the year")
    data = person_data(birth_year=tomorrow.year, birth_month=tomorrow.month, birth_day=tomorrow.day)
    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=thoai_son_officer, data=data)
    # On a month's last day tomorrow's month is already in the future: the month is refused.
    field = "birth_day" if tomorrow.month == today.month else "birth_month"
    assert "future" in " ".join(errors_of(exc)[field])


def test_a_leap_day_is_a_valid_birthday(thoai_son_officer):
    data = person_data(birth_year=1992, birth_month=2, birth_day=29)
    assert (
        services.person_create(actor=thoai_son_officer, data=data).person.birth_date_display == "29/02/1992"
    )


def test_the_identification_number_must_agree_with_sex_and_year(thoai_son_officer):
    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=thoai_son_officer, data=person_data(personal_id="091185123456"))
    assert "fourth digit" in errors_of(exc)["personal_id"][0]


def test_the_same_number_in_the_same_area_names_the_holder(thoai_son_officer):
    number = valid_id()
    holder = make_person(full_name="Lê Văn Tám", personal_id=number)
    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=thoai_son_officer, data=person_data(personal_id=number))
    assert holder.record_code in errors_of(exc)["personal_id"][0]


def test_a_number_registered_in_another_area_reveals_nothing_else(chau_doc_officer):
    """The Châu Đốc officer learns only that the number exists elsewhere: no name, code or place."""
    number = valid_id()
    make_person(full_name="Lê Văn Tám", personal_id=number)  # in Thoại Sơn
    with pytest.raises(ValidationError) as exc:
        services.person_create(
            actor=chau_doc_officer,
            data=person_data(commune=CHAU_DOC, personal_id=" ".join([number[:6], number[6:]])),
        )
    message = errors_of(exc)["personal_id"]
    assert message == [
        "This identification number is already registered in another area. You can request a transfer."
    ]
    assert errors_of(exc).keys() == {"personal_id"}


def test_a_probable_duplicate_waits_for_confirmation(thoai_son_officer):
    """Same folded name (or one letter apart), same birth year, same commune: returned, not written."""
    existing = make_person(full_name="Trần Văn Bình", birth_year=1985)
    for name in ["TRAN VAN BINH", "Trần Văn Bính"]:
        result = services.person_create(actor=thoai_son_officer, data=person_data(full_name=name))
        assert result.person is None
        assert result.duplicates == [existing]
    assert Person.objects.count() == 1
    confirmed = services.person_create(actor=thoai_son_officer, data=person_data(), confirm_duplicates=True)
    assert confirmed.person is not None
    assert confirmed.duplicates == [existing]


def test_different_year_or_commune_is_not_a_probable_duplicate(thoai_son_officer):
    make_person(full_name="Trần Văn Bình", birth_year=1984)
    make_person(full_name="Trần Văn Bình", birth_year=1985, commune_id=CHAU_DOC)
    make_person(full_name="Trần Thị Hoa", birth_year=1985)
    assert services.person_create(actor=thoai_son_officer, data=person_data()).person is not None


def test_an_edit_with_a_stale_version_is_refused(thoai_son_officer):
    person = make_person()
    services.person_update(actor=thoai_son_officer, person=person, data={"phone": "0912"}, expected_version=1)
    with pytest.raises(ValidationError) as exc:
        services.person_update(
            actor=thoai_son_officer, person=person, data={"phone": "0913"}, expected_version=1
        )
    assert "Someone else changed this record" in exc.value.messages[0]
    person.refresh_from_db()
    assert (person.phone, person.version) == ("0912", 2)


def test_an_edit_is_audited_with_the_changed_fields(thoai_son_officer):
    person = make_person()
    services.person_update(
        actor=thoai_son_officer, person=person, data={"full_name": "Nguyễn Văn Hoà Bình"}, expected_version=1
    )
    event = AuditEvent.objects.filter(action="people.person.updated").latest("pk")
    assert event.changes["full_name"] == ["Nguyễn Văn Hòa", "Nguyễn Văn Hoà Bình"]
    assert "sort_key" not in event.changes


def test_outsiders_cannot_edit(chau_doc_officer):
    person = make_person()
    with pytest.raises(PermissionDenied):
        services.person_update(actor=chau_doc_officer, person=person, data={"phone": "1"}, expected_version=1)


def test_moving_a_person_out_of_the_officers_area_is_refused(thoai_son_officer):
    person = make_person()
    with pytest.raises(PermissionDenied):
        services.person_update(
            actor=thoai_son_officer, person=person, data={"commune": CHAU_DOC}, expected_version=1
        )
    person.refresh_from_db()
    assert person.commune_id == THOAI_SON


def test_a_change_of_residence_is_kept_in_the_history(province_officer):
    person = services.person_create(actor=province_officer, data=person_data()).person
    day = timezone.localdate()
    services.person_change_residence(
        actor=province_officer,
        person=person,
        province=AN_GIANG,
        commune=CHAU_DOC,
        address="Số 5",
        from_date=day,
    )
    rows = list(ResidenceHistory.objects.filter(person=person).order_by("pk"))
    assert [(r.commune_id, r.to_date) for r in rows] == [(THOAI_SON, day), (CHAU_DOC, None)]
    person.refresh_from_db()
    assert (person.commune_id, person.address, person.version) == (CHAU_DOC, "Số 5", 2)
    assert person.timeline.filter(kind="people.residence.changed").exists()
    assert AuditEvent.objects.filter(action="people.person.residence_changed").exists()


def test_an_edit_of_the_address_goes_into_the_history(province_officer):
    person = services.person_create(actor=province_officer, data=person_data()).person
    services.person_update(
        actor=province_officer, person=person, data={"address": "Ấp Mới"}, expected_version=1
    )
    assert list(person.residences.order_by("pk").values_list("address", flat=True)) == [
        "Ấp Trung Bình Tiến",
        "Ấp Mới",
    ]


def test_the_commune_must_lie_in_the_province(system_admin):
    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=system_admin, data=person_data(province=HA_NOI, commune=THOAI_SON))
    assert "commune" in errors_of(exc)
    with pytest.raises(ValidationError):
        services.person_create(actor=system_admin, data=person_data(province=AN_GIANG, commune=BA_DINH))


def test_relatives_are_added_changed_and_removed_in_scope_only(thoai_son_officer, chau_doc_officer):
    person = make_person()
    relative = services.relative_add(
        actor=thoai_son_officer,
        person=person,
        data={"relation": "mother", "full_name": " Lê Thị  Ba ", "birth_year": 1960},
    )
    assert relative.full_name == "Lê Thị Ba"
    services.relative_update(actor=thoai_son_officer, relative=relative, data={"phone": "0909"})
    relative.refresh_from_db()
    assert relative.phone == "0909"
    with pytest.raises(PermissionDenied):
        services.relative_delete(actor=chau_doc_officer, relative=relative)
    with pytest.raises(ValidationError):
        services.relative_add(
            actor=thoai_son_officer, person=person, data={"relation": "cousin", "full_name": "X"}
        )
    services.relative_delete(actor=thoai_son_officer, relative=relative)
    assert not Relative.objects.exists()
    assert AuditEvent.objects.filter(action="people.relative.deleted").exists()


def test_timeline_add_links_to_the_record(thoai_son_officer):
    person = make_person()
    entry = services.timeline_add(
        person=person,
        occurred_on=dt.date(2026, 1, 2),
        kind="justice.judgment.recorded",
        summary="Bản án số 12/2020/HS-ST",
        target_type="justice.judgment",
        target_id="12",
        url="/justice/judgments/12/",
        actor=thoai_son_officer,
    )
    assert (entry.created_by, entry.url, entry.target_id) == (
        thoai_son_officer,
        "/justice/judgments/12/",
        "12",
    )
    assert list(selectors.timeline_of(person)) == [entry]


def test_merge_moves_every_linked_record_and_is_audited(system_admin):
    keep = make_person(full_name="Nguyễn Văn Hòa", personal_id=None)
    remove = make_person(full_name="Nguyen Van Hoa", personal_id=valid_id(), phone="0988")
    services.relative_add(
        actor=system_admin, person=remove, data={"relation": "father", "full_name": "Nguyễn Văn Ba"}
    )
    ResidenceHistory.objects.create(person=remove, province_id=AN_GIANG, commune_id=THOAI_SON)
    services.timeline_add(person=remove, occurred_on=dt.date(2025, 5, 1), kind="x.y.z", summary="Ra trại")
    number, removed_code = remove.personal_id, remove.record_code

    merged = services.person_merge(keep=keep, remove=remove, actor=system_admin)

    assert not Person.objects.filter(pk=remove.pk).exists()
    assert merged.relatives.get().full_name == "Nguyễn Văn Ba"
    assert merged.residences.count() == 1
    assert merged.timeline.filter(kind="x.y.z").exists()
    assert (merged.personal_id, merged.phone) == (number, "0988")
    event = AuditEvent.objects.get(action="people.person.merged")
    assert (event.data["kept"], event.data["removed"]) == (keep.record_code, removed_code)
    assert event.data["moved"]["people.relative"] == 1
    assert not TimelineEntry.objects.filter(person_id=remove.pk).exists()


def test_only_a_system_administrator_merges(province_officer):
    keep, remove = make_person(), make_person(full_name="Khác")
    with pytest.raises(PermissionDenied):
        services.person_merge(keep=keep, remove=remove, actor=province_officer)
    with pytest.raises(ValidationError):
        services.person_merge(keep=keep, remove=keep, actor=SYSTEM)


def test_a_record_code_made_elsewhere_is_kept_and_later_codes_pass_it(thoai_son_officer):
    """An import of another installation's export keeps its codes; codes opened later never reach them."""
    from hoanhap.people.models import RecordSequence

    kept = services.person_create(actor=thoai_son_officer, data=person_data(), record_code="91-000700").person
    assert kept.record_code == "91-000700"
    assert RecordSequence.objects.get(province_id=91).last_number == 700
    later = services.person_create(actor=thoai_son_officer, data=person_data(full_name="Lê Thị Sau")).person
    assert later.record_code == "91-000701"


@pytest.mark.parametrize(("code", "message"), [("91-000700", "already used"), ("ABC", "not a record code")])
def test_a_record_code_taken_or_malformed_is_refused(thoai_son_officer, code, message):
    services.person_create(actor=thoai_son_officer, data=person_data(), record_code="91-000700")
    with pytest.raises(ValidationError, match=message):
        services.person_create(
            actor=thoai_son_officer, data=person_data(full_name="Lê Thị Khác"), record_code=code
        )
