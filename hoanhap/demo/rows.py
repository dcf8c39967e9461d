"""Fast inserts for the demo population: plain rows, primary keys given up front, one statement.

Building ~400,000 model instances and letting ``bulk_create`` prepare every value takes minutes;
rows kept as dicts and inserted with one prepared statement per table (``executemany`` on SQLite,
``COPY`` on PostgreSQL) take seconds. Every column
of the model is written: the values given, else the field's default (``auto_now`` fields get the
time of loading), so a column added to a model later is filled like ``Model()`` would fill it.

Primary keys are taken after the table's current maximum (the loader runs alone, at start-up, in
one transaction); ``reset_sequences`` then moves PostgreSQL's sequences past them (SQLite's
AUTOINCREMENT follows by itself).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

REQUIRED = object()


def _default(field: models.Field, now: Any) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    value = field.get_default()  # as Model() would fill it: the default, "" for text, else None
    return REQUIRED if value is None and not field.null else value


def _converter(field: models.Field) -> Callable[[Any], Any] | None:
    """How a Python value of ``field`` goes to the database, when the driver alone would not do."""
    ops = connection.ops
    if isinstance(field, models.JSONField):
        if field.encoder is None:
            return json.dumps  # the JSON text JSONField stores, without the per-value machinery
        return lambda value: field.get_db_prep_save(value, connection)
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField) and connection.vendor == "sqlite":
        return lambda value: value.isoformat() if isinstance(value, dt.date) else value
    return None


class Rows:
    """The rows of one table waiting to be inserted; ``add`` gives each its primary key at once."""

    def __init__(self, model: type[models.Model], *, now: dt.datetime) -> None:
        self.model = model
        fields = list(model._meta.concrete_fields)
        self.pk = model._meta.pk.attname
        self.names = [f.attname for f in fields]
        converters = [_converter(f) for f in fields]
        self.defaults = [
            d if d is REQUIRED or convert is None else convert(d)
            for d, convert in zip((_default(f, now) for f in fields), converters, strict=True)
        ]
        # Given values are converted; defaults were converted once above.
        self.converters = [
            (i, f.attname, c) for i, (f, c) in enumerate(zip(fields, converters, strict=True)) if c
        ]
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        self.copy_sql = f"COPY {table} ({columns}) FROM STDIN"
        self.next_id = (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1
        self.pending: list[dict[str, Any]] = []
        self.inserted = 0

    def add(self, **values: Any) -> dict[str, Any]:
        """Queue a row (values by attribute name, ``person_id``); returns it, with its ``id``, to refer to."""
        values[self.pk] = self.next_id
        self.next_id += 1
        self.pending.append(values)
        return values

    def _tuple(self, values: dict[str, Any]) -> list[Any]:
        row = [values.get(name, default) for name, default in zip(self.names, self.defaults, strict=True)]
        for index, name, convert in self.converters:
            if name in values:
                row[index] = convert(row[index])
        if REQUIRED in row:
            missing = [n for n, v in zip(self.names, row, strict=True) if v is REQUIRED]
            raise ValueError(f"{self.model.__name__}: no value for {', '.join(missing)}")
        return row

    def flush(self) -> int:
        if not self.pending:
            return 0
        rows = [self._tuple(values) for values in self.pending]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # COPY: ten times faster than INSERTs
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(self.sql, rows)
        count = len(rows)
        self.inserted += count
        self.pending = []
        return count


def reset_sequences(model_list: list[type[models.Model]]) -> None:
    """Move the id sequences past the keys given explicitly (PostgreSQL; nothing to do on SQLite)."""
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
