"""Prepared multi-row INSERTs, for the many rows a bulk writer inserts and never reads back as models.

``bulk_create`` builds a model instance and the SQL of each row, which is most of its time when a
batch writes 100,000s of rows. ``insert`` takes the rows as tuples of the columns' Python values,
converts each column for the backend once per column type, and inserts them with one prepared
``INSERT … VALUES (…), (…) …`` per batch, through ``django.db.connection`` (the caller's
transaction). With ``returning=True`` it hands back the new primary keys in the rows' order, as
``bulk_create`` does on SQLite ≥ 3.35 and PostgreSQL.

Values are taken as the model's fields hold them: text as ``str`` (not lazy text), numbers,
``bool``, ``date``/``datetime``, the id of a related row. Model defaults are not applied: give every
column the table needs.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX
from django.db.models import Model

from hoanhap.core import bulk_behind, jsontext

# Columns the drivers take as Python gives them (sqlite3 and psycopg alike).
PASSED_AS_THEY_ARE = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "BigIntegerField",
        "IntegerField",
        "SmallIntegerField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "BooleanField",
        "CharField",
        "TextField",
        "SlugField",
        "EmailField",
        "FloatField",
    }
)
MAX_ROWS = 500  # rows in one statement, at most (one statement holds every row's parameters)
PG_MAX_PARAMS = 65535  # psycopg's limit of parameters in one statement


def converters(model: type[Model], fields: Sequence[str]) -> list[Callable[[Any], Any] | None]:
    """For each field: the function that turns a Python value into what the driver takes (None: as it is)."""
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself: ``connection`` looks it up on every use
    ops = db.ops
    found: list[Callable[[Any], Any] | None] = []
    for name in fields:
        field = model._meta.get_field(name)
        target = field
        while target.is_relation:  # a related row's id: converted as that row's primary key
            target = target.target_field
        kind = target.get_internal_type()
        if kind in PASSED_AS_THEY_ARE:
            found.append(None)
        elif kind in ADAPTED:
            found.append(_remembered(getattr(ops, ADAPTED[kind])))
        elif kind == "JSONField":
            found.append(_same_as_before(_json(field, db)))
        else:  # JSON, decimals, addresses, files, …: as the field prepares a value it saves

            def prepare(value, field=field):
                return field.get_db_prep_save(value, db)

            found.append(_same_as_before(prepare))
    return found


# Date and time columns: the backend's adapter (what the field's ``get_db_prep_save`` ends with).
ADAPTED = {
    "DateField": "adapt_datefield_value",
    "DateTimeField": "adapt_datetimefield_value",
    "TimeField": "adapt_timefield_value",
}


def _json(field, db) -> Callable[[Any], Any]:
    """A JSON field's ``get_db_prep_save``, shortened for plain containers to what it ends with."""
    adapt, encoder = jsontext.adapter(db), field.encoder

    def convert(value):
        if type(value) in (dict, list, tuple):
            return adapt(value, encoder)
        return field.get_db_prep_save(value, db)

    return convert


def _remembered(function: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``function`` converting each distinct value once (dates and times repeat: today, now)."""
    seen: dict[tuple[type, Any], Any] = {}
    last: list[Any] = [object(), None]

    def convert(value):
        if value is last[0]:
            return last[1]
        key = (type(value), value)
        found = seen.get(key, seen)
        if found is seen:
            found = seen[key] = function(value)
        last[0], last[1] = value, found
        return found

    return convert


def _same_as_before(function: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``function`` converting a value once while the rows give the same object (an entry's
    details) or an empty one of the same type (the ``{}`` of many rows)."""
    last: list[Any] = [object(), None]

    def convert(value):
        before = last[0]
        if value is not before and (value or before or type(value) is not type(before)):
            last[0], last[1] = value, function(value)
        return last[1]

    return convert


def rows_per_statement(columns: int) -> int:
    """How many rows of ``columns`` values one statement may carry on this database."""
    limit = connections[DEFAULT_DB_ALIAS].features.max_query_params
    if limit is None:
        limit = PG_MAX_PARAMS
    return max(1, min(MAX_ROWS, limit // max(columns, 1)))


def insert(
    model: type[Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    returning: bool = False,
    prepared: bool = False,
) -> list[Any]:
    """Insert ``rows`` (values of ``fields``, in that order) into ``model``'s table.

    Returns the new primary keys in the order of ``rows`` when ``returning`` (else ``[]``). Both
    databases hand out increasing ids in the order the rows of a statement are inserted; the ids
    read back are sorted so that the order never depends on the order ``RETURNING`` lists them in.
    Without ``returning`` the full statements go to the driver together (``executemany``: one
    statement prepared, and on SQLite its placeholders rewritten once rather than per statement).

    ``rows`` may be a generator: it is read one statement at a time, so rows made on the way (audit
    entries) are gone before the next ones are made. ``prepared``: the values are already as the
    driver takes them (JSON adapted): nothing is converted.

    On SQLite the statements are written with the driver's own placeholders and handed to it
    directly: Django's cursor rewrites every ``%s`` of every statement (tens of thousands per
    statement here) on each call. They are then not in Django's list of queries run (debug).
    """
    db = connections[DEFAULT_DB_ALIAS]
    worker = bulk_behind.current()
    if worker is not None and returning:
        worker.drain()  # the ids are read back: what is queued goes first
        worker = None
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    convert = [] if prepared else [(i, c) for i, c in enumerate(converters(model, fields)) if c is not None]
    quote = db.ops.quote_name
    head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in columns)}) VALUES "
    native = db.vendor == "sqlite"
    mark = f"({', '.join(['?' if native else '%s'] * len(columns))})"
    tail = ""
    one_by_one = returning and not db.features.can_return_rows_from_bulk_insert
    if returning and not one_by_one:
        tail, _params = db.ops.return_insert_columns([meta.pk])
        tail = f" {tail}" if tail else ""
    size = 1 if one_by_one else rows_per_statement(len(columns))

    def statement(count: int) -> str:
        return head + ", ".join([mark] * count) + tail

    def params(batch: Sequence[Sequence[Any]]) -> list:
        """The parameters of the statement of ``batch``, converted for the driver."""
        if not convert:
            return list(itertools.chain.from_iterable(batch))
        by_column = list(zip(*batch, strict=True))
        for i, function in convert:
            by_column[i] = [function(value) for value in by_column[i]]
        return list(itertools.chain.from_iterable(zip(*by_column, strict=True)))

    remaining = iter(rows)
    batches = iter(lambda: list(itertools.islice(remaining, size)), [])
    first = next(batches, None)
    if first is None:
        return []
    batches = itertools.chain([first], batches)
    last: list = []  # the one batch shorter than the others, inserted on its own

    def full():
        for batch in batches:
            if len(batch) < size:
                last.append(batch)
                return
            yield params(batch)

    if worker is not None and not returning:  # converted here, run on the worker's thread
        many = list(full())
        whole, each = statement(size), [(statement(len(b)), params(b)) for b in last]

        def run(cursor) -> None:
            if many:
                cursor.executemany(whole, many)
            for sql, values in each:
                cursor.execute(sql, values)

        worker.put(run, meta.db_table)
        return []
    ids: list[Any] = []
    with db.cursor() as cursor, db.wrap_database_errors:
        execute, executemany = (
            (
                partial(sqlite3.Cursor.execute, cursor.cursor),
                partial(sqlite3.Cursor.executemany, cursor.cursor),
            )
            if native
            else (cursor.execute, cursor.executemany)
        )
        if not returning:
            if len(first) == size:
                executemany(statement(size), full())
            else:
                last.append(first)
            for batch in last:
                execute(statement(len(batch)), params(batch))
            return ids
        for batch in batches:
            execute(statement(len(batch)), params(batch))
            if one_by_one:
                ids.append(db.ops.last_insert_id(cursor, meta.db_table, meta.pk.column))
                continue
            returned = sorted(row[0] for row in db.ops.fetch_returned_insert_rows(cursor))
            if len(returned) != len(batch):
                raise RuntimeError(f"{meta.label}: {len(batch)} rows inserted, {len(returned)} ids returned")
            ids += returned
    return ids


def execute(sql: str, params: Sequence[Any] = ()) -> None:
    """One statement (``%s`` placeholders): at once, or behind the inserts of an open
    ``bulk_behind.behind()`` block, in order with them."""
    db = connections[DEFAULT_DB_ALIAS]
    worker = bulk_behind.current()
    if worker is None:
        with db.cursor() as cursor:
            cursor.execute(sql, params)
        return
    native = FORMAT_QMARK_REGEX.sub("?", sql).replace("%%", "%")
    values = list(params)
    worker.put(lambda cursor: cursor.execute(native, values))


# SQLite's page cache while a batch writes: the indexes of tables of 100,000s of rows (people, their
# search tables, the audit) no longer fit the default 2 MB, and every insert then reads its index
# pages back from the operating system.
BATCH_CACHE_KIB = 32 * 1024


@contextmanager
def batch_cache(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """A larger SQLite page cache for the block, the connection's own size restored after it
    (other databases size their caches for the whole server: nothing to do)."""
    db = connections[using]
    if db.vendor != "sqlite":
        yield
        return
    with db.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{int(BATCH_CACHE_KIB)}")
    try:
        yield
    finally:
        with db.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")
