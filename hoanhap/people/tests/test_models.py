"""Person: record codes, derived name keys, date-of-birth precision, constraints."""

import pytest
from django.db import IntegrityError, connection, transaction

from hoanhap.core.testing import AN_GIANG, HA_NOI
from hoanhap.people import ethnicities
from hoanhap.people.models import Person, RecordSequence, format_record_code, next_record_code

from .conftest import make_person

pytestmark = pytest.mark.django_db


def test_record_codes_carry_the_province_and_its_own_sequence():
    """Each province numbers its own records: 91-000001, 91-000002 … and 01-000001 in Hà Nội."""
    first = make_person()
    second = make_person(full_name="Lê Thị Mai", sex="female")
    hanoi = make_person(province_id=HA_NOI, commune_id=None)
    assert first.record_code == "91-000001"
    assert second.record_code == "91-000002"
    assert hanoi.record_code == "01-000001"
    assert RecordSequence.objects.get(province_id=AN_GIANG).last_number == 2


def test_a_record_code_does_not_change_when_the_person_moves():
    person = make_person()
    code = person.record_code
    person.province_id, person.commune_id = HA_NOI, None
    person.save()
    person.refresh_from_db()
    assert person.record_code == code


def test_record_codes_grow_past_six_digits():
    assert format_record_code(91, 123) == "91-000123"
    assert format_record_code(1, 1_234_567) == "01-1234567"


def test_next_record_code_locks_and_increments_inside_a_transaction():
    with transaction.atomic():
        assert next_record_code(HA_NOI) == "01-000001"
        assert next_record_code(HA_NOI) == "01-000002"


def test_name_keys_follow_the_full_name():
    """The folded, canonical and sort keys are derived on every save; the name is stored NFC."""
    import unicodedata

    person = make_person(full_name=unicodedata.normalize("NFD", "  Nguyễn   Văn Hoà "), other_names="Tư Hòa")
    assert person.full_name == "Nguyễn Văn Hoà"
    assert unicodedata.is_normalized("NFC", person.full_name)
    assert person.name_folded == "nguyen van hoa"
    assert person.name_canonical == "nguyễn văn hoà"
    assert person.sort_key.startswith("hoa nguyen van ")
    assert person.sort_key.endswith(" tu hoa")  # other names too, for index-only name tests
    assert person.search_text == " nguyen van hoa tu hoa"
    person.full_name = "Trần Thị Lan"
    person.save(update_fields=["full_name"])
    person.refresh_from_db()
    assert (person.name_folded, person.sort_key.split(" ")[0]) == ("tran thi lan", "lan")


@pytest.mark.parametrize(
    ("year", "month", "day", "shown"),
    [
        (1985, 3, 7, "07/03/1985"),
        (1985, 3, None, "03/1985"),
        (1985, None, None, "1985"),
        (None, None, None, ""),
    ],
)
def test_date_of_birth_is_shown_as_precisely_as_it_is_known(year, month, day, shown):
    person = Person(full_name="A", birth_year=year, birth_month=month, birth_day=day)
    assert person.birth_date_display == shown


@pytest.mark.parametrize(
    "fields",
    [
        {"birth_month": 13},
        {"birth_day": 32, "birth_month": 1},
        {"birth_day": 5, "birth_month": None},
        {"birth_year": None, "birth_month": 5},
    ],
)
def test_the_database_refuses_impossible_date_parts(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_person(**fields)


def test_a_personal_identification_number_is_unique_but_many_may_have_none():
    make_person(personal_id=None)
    make_person(personal_id=None, full_name="Lê Văn Tám")
    make_person(personal_id="091085000001")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_person(personal_id="091085000001", full_name="Khác")


def test_the_54_ethnic_groups_are_coded_in_official_order():
    assert len(ethnicities.ETHNICITIES) == 54
    assert [code for code, _name in ethnicities.ETHNICITIES] == list(range(1, 55))
    assert ethnicities.name_of(1) == "Kinh"
    assert ethnicities.name_of(5) == "Khơ-me"
    assert ethnicities.name_of(6) == "Hoa"
    assert ethnicities.name_of(14) == "Chăm"
    assert len(set(ethnicities.NAMES.values())) == 54


def test_status_codes_are_the_ones_the_workflows_use():
    assert Person.Status.values == [
        "in_prison",
        "notified",
        "released",
        "received",
        "in_management",
        "whereabouts_unknown",
        "ended",
    ]
    assert Person._meta.get_field("status").default == "in_prison"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 tables exist on SQLite only")
def test_the_fts_tables_follow_inserts_updates_and_deletes():
    """Both search indexes (words and trigrams) are kept in step by the triggers of migration 0002."""

    def hits(word):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM people_person_words WHERE people_person_words MATCH %s", [f'"{word}"']
            )
            words = [r[0] for r in cursor.fetchall()]
            cursor.execute(
                "SELECT rowid FROM people_person_fts WHERE people_person_fts MATCH %s", [f'" {word}"']
            )
            grams = [r[0] for r in cursor.fetchall()]
        assert words == grams
        return words

    person = make_person(full_name="Phạm Thị Xuyến")
    assert hits("xuyen") == [person.pk]
    person.full_name = "Phạm Thị Xuân"
    person.save()
    assert hits("xuyen") == []
    assert hits("xuan") == [person.pk]
    person.delete()
    assert hits("xuan") == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 tables exist on SQLite only")
def test_a_migration_that_rebuilds_the_table_cannot_leave_the_search_index_stale():
    """SQLite drops triggers with a rebuilt table; after migrate they are restored and the index rebuilt."""
    from hoanhap.people.db import ensure_search_index

    assert ensure_search_index() is False  # intact
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER people_person_words_ai")
    person = make_person(full_name="Châu Văn Lạc")  # not indexed while the trigger is missing
    assert ensure_search_index() is True
    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid FROM people_person_words WHERE people_person_words MATCH '\"lac\"'")
        assert [r[0] for r in cursor.fetchall()] == [person.pk]
    assert ensure_search_index() is False
