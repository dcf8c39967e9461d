"""``bulk_behind``: inserts run on a second thread in the order given, in the caller's transaction,
with ids taken ahead; a failure is raised to the caller, and nothing runs after the block."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from hoanhap.audit.models import AuditEvent
from hoanhap.core import bulk_behind, bulk_sql

from .test_bulk_sql import FIELDS, entry

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the inserts run behind on SQLite only"),
]

WITH_ID = ["id", *FIELDS]


def rows(numbers, ids=None) -> list[tuple]:
    values = [tuple(entry(n)[f] for f in FIELDS) for n in numbers]
    return values if ids is None else [(pk, *row) for pk, row in zip(ids, values, strict=True)]


def stored(ids) -> dict[int, str]:
    return dict(AuditEvent.objects.filter(pk__in=list(ids)).values_list("pk", "target_id"))


def test_rows_inserted_behind_are_there_when_the_block_ends_with_the_ids_taken_ahead():
    count = bulk_sql.rows_per_statement(len(WITH_ID)) * 2 + 5
    with bulk_behind.behind() as worker:
        first = worker.reserve(AuditEvent, count)
        bulk_sql.insert(AuditEvent, WITH_ID, rows(range(count), first))
        second = worker.reserve(AuditEvent, 3)
        bulk_sql.insert(AuditEvent, WITH_ID, rows(range(100, 103), second))
    assert first.stop == second.start
    assert stored(first) == {pk: str(n) for pk, n in zip(first, range(count), strict=True)}
    assert stored(second) == {pk: str(n) for pk, n in zip(second, range(100, 103), strict=True)}
    # The ids come after every id the table gave; the ORM's next one after them.
    assert AuditEvent.objects.create(**entry(7)).pk == second.stop


def test_statements_run_in_the_order_given_and_a_returning_insert_waits_for_them():
    with bulk_behind.behind() as worker:
        ids = worker.reserve(AuditEvent, 2)
        bulk_sql.insert(AuditEvent, WITH_ID, rows([1, 2], ids))
        # A trigger forbids updates of the audit: a statement that needs the rows queued before it.
        bulk_sql.execute(
            "CREATE TEMP TABLE seen AS SELECT target_id FROM audit_auditevent WHERE id IN (%s, %s)", ids
        )
        returned = bulk_sql.insert(AuditEvent, FIELDS, rows([3]), returning=True)
        assert stored(ids) == {ids[0]: "1", ids[1]: "2"}  # drained before the returning insert
    with connection.cursor() as cursor:
        cursor.execute("SELECT target_id FROM seen ORDER BY target_id")
        assert [r[0] for r in cursor.fetchall()] == ["1", "2"]
    assert returned[0] >= ids.stop


def test_a_failing_statement_is_raised_and_nothing_after_it_runs():
    taken, ran = [], []

    def import_failing():
        with transaction.atomic(), bulk_behind.behind() as worker:
            ids = worker.reserve(AuditEvent, 2)
            taken.extend(ids)
            bulk_sql.insert(AuditEvent, WITH_ID, rows([1], ids[:1]))
            bulk_sql.insert(AuditEvent, WITH_ID, rows([2], ids[:1]))  # the same id again
            worker.put(lambda cursor: ran.append("after the failure"))

    with pytest.raises(IntegrityError):
        import_failing()
    assert ran == []
    assert stored(taken) == {}  # rolled back with the transaction


def test_a_failure_of_the_block_drops_what_is_still_queued():
    ran = []

    def failing_block():
        with transaction.atomic(), bulk_behind.behind() as worker:
            worker.put(lambda cursor: ran.append("first"))
            raise ValueError("the caller fails")

    with pytest.raises(ValueError):
        failing_block()
    assert ran in ([], ["first"])  # whatever had started; never anything after the block
    with bulk_behind.behind() as worker:
        worker.put(lambda cursor: ran.append("next block"))
    assert ran[-1] == "next block"


def test_the_block_needs_a_transaction(monkeypatch):
    from django.db import connections

    monkeypatch.setattr(connections["default"], "in_atomic_block", False)
    with pytest.raises(RuntimeError), bulk_behind.behind():
        pass


def test_without_a_block_statements_run_at_once():
    assert bulk_behind.current() is None
    bulk_sql.execute("CREATE TEMP TABLE at_once (n integer)")
    bulk_sql.execute("INSERT INTO at_once VALUES (%s)", [4])
    with connection.cursor() as cursor:
        cursor.execute("SELECT n FROM at_once")
        assert cursor.fetchall() == [(4,)]
