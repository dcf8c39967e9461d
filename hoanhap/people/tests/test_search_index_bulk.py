"""People inserted in bulk are indexed for the search as the per-row triggers index them (SQLite)."""

import pytest
from django.db import connection, connections, transaction

from hoanhap.people import db as people_db

from .conftest import make_person

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="the FTS5 tables and triggers exist on SQLite only"
    ),
]

NAMES = {"full_name": "Lê Ngọc Thanh Phong", "other_names": "Tư Phong"}


def entries(pk: int) -> dict[str, list]:
    """What each search table holds for person ``pk`` (MATCH queries the triggers' tables answer)."""
    queries = {
        "words": ("SELECT rowid FROM people_person_words WHERE people_person_words MATCH %s", '"phong"'),
        "prefix": ("SELECT rowid FROM people_person_words WHERE people_person_words MATCH %s", '"thanh"*'),
        "trigrams": ("SELECT rowid FROM people_person_fts WHERE people_person_fts MATCH %s", '" ngoc t"'),
        "given": ("SELECT rowid FROM people_person_tokens WHERE people_person_tokens MATCH %s", '"g_phong"'),
        "pair": (
            "SELECT rowid FROM people_person_tokens WHERE people_person_tokens MATCH %s",
            '"rg_ngoc_phong"',
        ),
        "other": ("SELECT rowid FROM people_person_tokens WHERE people_person_tokens MATCH %s", '"r_tu"'),
    }
    found = {}
    with connection.cursor() as cursor:
        for name, (sql, query) in queries.items():
            cursor.execute(sql, [query])
            found[name] = [row[0] for row in cursor.fetchall() if row[0] == pk]
    return found


def word_list() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM people_name_word")
        return {row[0] for row in cursor.fetchall()}


def triggers() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'people_person'")
        return {row[0] for row in cursor.fetchall()}


def test_people_handed_over_are_indexed_as_the_triggers_index_one_person():
    one = make_person(**NAMES)
    by_trigger = entries(one.pk)
    assert all(by_trigger.values()), by_trigger

    with transaction.atomic(), people_db.indexed_in_bulk() as index:
        bulk = [make_person(**NAMES, birth_year=year) for year in (1970, 1971)]
        assert not any(entries(bulk[0].pk).values())  # the triggers stood aside
        index([p.pk for p in bulk])
    for person in bulk:
        assert entries(person.pk) == {name: [person.pk] for name in by_trigger}
    assert {"le", "ngoc", "thanh", "phong", "tu"} <= word_list()
    assert set(people_db.INSERT_TRIGGERS) <= triggers()


def test_the_triggers_are_back_after_the_block_even_when_it_fails():
    with transaction.atomic():
        with pytest.raises(ValueError), people_db.indexed_in_bulk():
            raise ValueError("a failure in the middle")
        assert set(people_db.INSERT_TRIGGERS) <= triggers()
        after = make_person(**NAMES)
        assert all(entries(after.pk).values())


def test_a_person_not_handed_over_stays_out_of_the_search():
    """The contract: only the ids given are indexed (the block is for a bulk writer's own inserts)."""
    with transaction.atomic(), people_db.indexed_in_bulk():
        forgotten = make_person(**NAMES)
    assert not any(entries(forgotten.pk).values())


def test_the_block_needs_a_transaction(monkeypatch):
    """Outside one, the pause row would be committed and seen by every other connection."""
    monkeypatch.setattr(connections["default"], "in_atomic_block", False)  # the test's own transaction hidden
    with pytest.raises(RuntimeError), people_db.indexed_in_bulk():
        pass
    monkeypatch.undo()
    assert set(people_db.INSERT_TRIGGERS) <= triggers()


def test_a_rollback_keeps_the_triggers():
    before, inside = triggers(), set()

    def import_failing():
        with transaction.atomic(), people_db.indexed_in_bulk():
            inside.update(triggers())
            raise ValueError("the import fails")

    with pytest.raises(ValueError):
        import_failing()
    assert not set(people_db.INSERT_TRIGGERS) & inside
    assert triggers() == before
    assert people_db.ensure_search_index() is False  # nothing to repair


def test_a_trigger_already_missing_is_not_made_up():
    """The block puts back what it found; the repair after ``migrate`` is what restores the rest."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER people_person_tokens_ai")
    with transaction.atomic(), people_db.indexed_in_bulk():
        pass
    assert "people_person_tokens_ai" not in triggers()
    assert people_db.ensure_search_index() is True
    assert "people_person_tokens_ai" in triggers()
