"""Rows read but not yet stored: kept on disk from the reading until the trial has judged them.

The staging of a file reads every row (``loading.read_rows``), then tries every row
(``staging.trial``). The rows do not go to the staging table in between: ``Pending`` keeps each
kind's rows, as ``staging.Staged`` records numbered in reading order, in a temporary file (memory
stays flat whatever the size of the file); the trial takes them in apply order and hands each chunk
back, judged, to ``Pending.store``, which inserts it into the staging table once, with its results.
Writing them first and reading them back to try them cost a third of a preview.

A workbook with persons and judgments sheets (as the export writes it) completes each persons row's
judgment with the details its judgments row gives (``complete_judgments``), before the trial.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from dataclasses import fields
from typing import Any

from django.db import connection, transaction

from hoanhap.core import bulk_sql, jsontext
from hoanhap.core.text import fold
from hoanhap.imports.kinds import ADAPTERS
from hoanhap.imports.models import StagedRow
from hoanhap.imports.staging import TRIED_FIELDS, OnDisk, Staged, row_values

RECORD = [f.name for f in fields(Staged)]  # a ``Staged`` as the tuple kept on disk

# The columns of a staged row as ``Pending.store`` inserts them (``bulk.insert_rows``: no model defaults).
STAGED_FIELDS = [
    "batch",
    "kind",
    "sheet",
    "row",
    "raw",
    "values",
    "address",
    "errors",
    "warnings",
    "action",
    "target_repr",
    "target_url",
    "duplicates",
    "decision",
    "decision_person",
    "commune_choice",
    "outcome",
    "outcome_message",
]


def records(rows: list[Staged]) -> list[tuple]:
    """Rows as the tuples kept on disk (cheaper to pickle than the dataclass)."""
    return [tuple(getattr(row, name) for name in RECORD) for row in rows]


def json_value(value: Any) -> Any:
    """A JSON column's value as the database takes it (text, or psycopg's wrapper: ``jsontext``)."""
    return jsontext.adapter(connection)(value, None)


def json_is_text() -> bool:
    """Whether the database takes a JSON column as text (SQLite): then the reading writes a row's
    cells as JSON text directly (``codec.CellsJson``)."""
    return isinstance(json_value({"a": ["Hòa", 1, None, {"b": True}]}), str)


def insert(rows: list[tuple]) -> None:
    """Insert staged rows (values of ``STAGED_FIELDS``, the JSON columns adapted as ``json_value``
    does) in one transaction (outside one, SQLite commits each statement)."""
    with transaction.atomic():
        bulk_sql.insert(StagedRow, STAGED_FIELDS, rows, prepared=True)


class Pending:
    """One batch's rows between the reading and the trial (see the module docstring)."""

    def __init__(self, batch_id: int) -> None:
        self.batch_id = batch_id
        self.spools: dict[str, OnDisk] = {}
        self.count = 0  # rows added
        self.details: dict[tuple, dict[str, Any]] = {}
        self.adapt = functools.partial(jsontext.adapter(connection), encoder=None)  # found once: a hot path
        self.empty = self.adapt([])
        self.judged: OnDisk | None = None

    def add(self, kind: str, rows: list[Staged]) -> None:
        if rows:
            self.spool(kind).add(records(rows))
            self.count += len(rows)

    def add_pickled(self, kind: str, data: bytes, count: int) -> None:
        """Add ``count`` rows pickled already (``pickle.dumps(records(rows))``)."""
        self.spool(kind).add_pickled(data)
        self.count += count

    def spool(self, kind: str) -> OnDisk:
        if kind not in self.spools:
            self.spools[kind] = OnDisk()
        return self.spools[kind]

    def chunks(self) -> Iterator[list[Staged]]:
        """Every row in apply order (kinds as ``ADAPTERS`` lists them, then file order), a persons
        row's judgment completed."""
        order = {code: i for i, code in enumerate(ADAPTERS)}
        for kind in sorted(self.spools, key=lambda k: order.get(k, 99)):
            for records in self.spools[kind].read():
                chunk = [Staged(*record) for record in records]
                if kind == "persons" and self.details:
                    for row in chunk:
                        row.values = completed(row.values, self.details)
                yield chunk

    def store(self, rows: list[Staged]) -> None:
        """Insert judged rows into the staging table, in the order given."""
        empty, adapt = self.empty, self.adapt
        addresses: dict[int, tuple[Any, Any]] = {}  # rows of one place share the address
        found = []
        for row in rows:
            address = addresses.get(id(row.address))
            if address is None or address[0] is not row.address:
                address = addresses[id(row.address)] = (row.address, adapt(row.address))
            found.append(
                (
                    self.batch_id,
                    row.kind,
                    row.sheet,
                    row.row,
                    row.raw if row.raw.__class__ is str else adapt(row.raw),  # str: JSON text already
                    adapt(row.values),
                    address[1],
                    adapt(row.errors) if row.errors else empty,
                    adapt(row.warnings) if row.warnings else empty,
                    row.action,
                    row.target_repr,
                    row.target_url,
                    adapt(row.duplicates) if row.duplicates else empty,
                    row.decision,
                    row.decision_person,
                    row.commune_choice,
                    row.outcome,
                    row.outcome_message,
                )
            )
        insert(found)

    def hold(self, rows: list[Staged]) -> None:
        self.judged.add(row_values(rows, TRIED_FIELDS))

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """A trial in one transaction: the results wait on disk; once it is rolled back, the rows
        are read again and stored with them."""
        self.judged = OnDisk()
        try:
            yield
            results = self.judged.read()
            for chunk in self.chunks():
                for row, values in zip(chunk, next(results), strict=True):
                    if values[-1] != row.pk:
                        raise RuntimeError("The judged rows are not in the order they were read.")
                    for name, value in zip(TRIED_FIELDS, values, strict=False):
                        setattr(row, name, value)
                self.store(chunk)
        finally:
            self.judged.close()

    def complete_judgments(self) -> None:
        """A persons row's judgment takes the details the judgments sheet gives for the same judgment.

        A workbook as the export writes it carries a person's latest judgment on the persons row and
        repeats it on the judgments sheet with what that row has no column for (a fine, a probation,
        serving dates): the judgment is recorded whole with the person, and its judgments row is
        then unchanged.
        """
        if "persons" not in self.spools or "judgments" not in self.spools:
            return
        values_at = RECORD.index("values")
        for records in self.spools["judgments"].read():
            for record in records:
                key = judgment_key(record[values_at])
                if key is not None:
                    self.details.setdefault(key, record[values_at])

    def close(self) -> None:
        for spool in self.spools.values():
            spool.close()


# What a judgments row may add to the same judgment on a persons row (a fine, a probation, dates).
JUDGMENT_DETAILS = (
    "court_name",
    "offence_committed_on",
    "offences",
    "main_penalty_type",
    "term",
    "fine_amount",
    "probation",
    "main_penalty_started_on",
    "main_penalty_completed_on",
)


def judgment_key(values: dict[str, Any]) -> tuple | None:
    person = values.get("record_code") or (values.get("id_number") or {}).get("number")
    if not person or not values.get("judgment_number") or not values.get("judgment_date"):
        return None
    return person, fold(values["judgment_number"]), values["judgment_date"]


def completed(values: dict[str, Any], details: dict[tuple, dict[str, Any]]) -> dict[str, Any]:
    """``values`` with what the judgments row of the same judgment adds (``JUDGMENT_DETAILS``)."""
    extra = details.get(judgment_key(values))
    if extra is None:
        return values
    added = {k: extra[k] for k in JUDGMENT_DETAILS if extra.get(k) is not None and values.get(k) is None}
    return {**values, **added} if added else values
