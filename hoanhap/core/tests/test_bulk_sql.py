"""``bulk_sql.insert`` stores what the ORM stores, over as many statements as the rows need, and
hands back the new ids in the rows' order."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from hoanhap.audit import services as audit
from hoanhap.audit.models import AuditEvent
from hoanhap.core import bulk_sql
from hoanhap.core.testing import stored_rows

pytestmark = pytest.mark.django_db

FIELDS = [c for c in audit.ENTRY_COLUMNS if c != "actor"]  # entries of no account
WHEN = dt.datetime(2026, 3, 1, 8, 30, 15, 123456, tzinfo=dt.UTC)


def entry(n: int, **values) -> dict:
    return {
        "occurred_at": WHEN,
        "actor_label": "system",
        "source": "system",
        "action": "test.row.created",
        "target_type": "test.row",
        "target_id": str(n),
        "target_repr": f"Hàng số {n}",
        "changes": {"n": [None, n], "tên": [None, "Nguyễn Văn Ân"]},
        "data": {},
        "purpose": "",
        "ip": None,
        "request_id": "abc",
        "province_code": 91,
        "commune_code": None,
        "search_text": f"hang so {n}",
        **values,
    }


def raw(ids: list[int]) -> list[tuple]:
    """The rows as the database holds them (JSON as its values), in id order; the time apart (the
    ORM sets it itself)."""
    return stored_rows(AuditEvent, FIELDS[1:], ids)


def test_rows_are_stored_as_the_orm_stores_them():
    """Times, JSON (text beyond ASCII), addresses (IPv6 normalised), empty and null values."""
    values = [
        entry(1),
        entry(2, ip="2001:DB8::1", data={"context": "import 3"}, commune_code=30682),
        entry(3, ip="10.0.0.7", changes={}, target_repr=""),
    ]
    ids = bulk_sql.insert(AuditEvent, FIELDS, [tuple(v[f] for f in FIELDS) for v in values], returning=True)
    made = [AuditEvent.objects.create(**v).pk for v in values]
    assert raw(ids) == raw(made)
    assert {e.occurred_at for e in AuditEvent.objects.filter(pk__in=ids)} == {WHEN}


def test_many_statements_keep_the_rows_order():
    """More rows than one statement holds: every row stored, the ids in the rows' order."""
    count = bulk_sql.rows_per_statement(len(FIELDS)) * 3 + 7
    rows = [tuple(entry(n)[f] for f in FIELDS) for n in range(count)]
    ids = bulk_sql.insert(AuditEvent, FIELDS, rows, returning=True)
    assert len(ids) == count
    assert ids == sorted(ids)
    stored = dict(AuditEvent.objects.filter(pk__in=ids).values_list("pk", "target_id"))
    assert [stored[pk] for pk in ids] == [str(n) for n in range(count)]


def test_without_returning_every_row_is_stored():
    before = AuditEvent.objects.count()
    count = bulk_sql.rows_per_statement(len(FIELDS)) * 2 + 3
    assert (
        bulk_sql.insert(AuditEvent, FIELDS, [tuple(entry(n)[f] for f in FIELDS) for n in range(count)]) == []
    )
    assert AuditEvent.objects.count() == before + count
    assert bulk_sql.insert(AuditEvent, FIELDS, []) == []


def test_a_statement_stays_within_the_parameters_a_database_takes():
    limit = connection.features.max_query_params or bulk_sql.PG_MAX_PARAMS
    for columns in (1, 6, 16, 40):
        assert 1 <= bulk_sql.rows_per_statement(columns) * columns <= max(limit, columns)


SHARED = {"context": "import 1"}
JSON_VALUES = st.sampled_from(
    [{}, [], {}, [], SHARED, SHARED, {"a": 1}, {"a": True}, {"a": 1.5}, [1, "x"], {"b": {"c": []}}, "text", 0]
)
TIMES = st.sampled_from(
    [
        WHEN,
        WHEN,
        WHEN.astimezone(dt.timezone(dt.timedelta(hours=7))),  # the same instant elsewhere
        dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
    ]
)


@given(values=st.lists(st.tuples(JSON_VALUES, TIMES), min_size=1, max_size=12))
@settings(max_examples=60, deadline=None)
def test_values_converted_once_read_back_as_given(values):
    """Conversions are shared between rows (the same object, empty containers, one instant):
    each row still reads back its own value — ``{}`` and ``[]``, ``1`` and ``true`` stay apart."""
    rows = [
        tuple(entry(n, data=data, occurred_at=when)[f] for f in FIELDS)
        for n, (data, when) in enumerate(values)
    ]
    ids = bulk_sql.insert(AuditEvent, FIELDS, rows, returning=True)
    stored = {
        pk: (data, when)
        for pk, data, when in AuditEvent.objects.filter(pk__in=ids).values_list("pk", "data", "occurred_at")
    }
    for pk, (data, when) in zip(ids, values, strict=True):
        assert json.dumps(stored[pk][0]) == json.dumps(data)
        assert stored[pk][1] == when


@pytest.mark.django_db
def test_a_batch_has_a_larger_page_cache_and_leaves_the_connection_as_it_was():
    def cache_size():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            return cursor.fetchone()[0]

    if connection.vendor != "sqlite":
        with bulk_sql.batch_cache():
            pass
        return
    before = cache_size()
    with bulk_sql.batch_cache():
        assert cache_size() == -bulk_sql.BATCH_CACHE_KIB
    assert cache_size() == before
