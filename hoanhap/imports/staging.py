"""Staging: try every staged row against the services, chunk by chunk, writing nothing.

``loading.read_rows`` reads the file's rows (they wait on disk: ``pending``); each chunk is then
applied for trial inside a transaction that is rolled back, one savepoint per row, and goes to the
staging table with its results (after decisions, the stored rows are tried again the same way,
``Stored``): the preview shows exactly what the services refuse and what would be created, updated or skipped. A chunk's transaction is
short, so other users keep working meanwhile. The persons rows that register a new person, or
change nothing, are settled in bulk without a savepoint each (``bulk.Planner``: the same rules, a
few queries per chunk).

Progress is reported as (rows done, twice the rows): reading, then trying.
"""

from __future__ import annotations

import contextlib
import pickle
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from hoanhap.access import policy
from hoanhap.audit import selectors as audit_selectors
from hoanhap.core import bulk_sql, clock, heap, jsontext
from hoanhap.imports import bulk, capture, codec
from hoanhap.imports.kinds import ADAPTERS, adapter
from hoanhap.imports.kinds.base import ApplyContext, NeedsDecision, RowError, RowInput
from hoanhap.imports.models import ImportBatch, StagedRow
from hoanhap.imports.reading import specs

CHUNK = 500
Progress = Callable[[int, int], None]


def _no_progress(done: int, total: int) -> None:
    return None


def province_of(batch: ImportBatch) -> int | None:
    if batch.province_id:
        return batch.province_id
    return batch.commune.province_id if batch.commune_id else None


def _error(sheet: str, row: int | None, column: str | None, message: str) -> dict[str, Any]:
    return {"sheet": sheet, "row": row, "column": column, "message": str(message)}


def public(problem: dict[str, Any]) -> dict[str, Any]:
    """An error or warning in the command's shape (staging marks the trial's own with ``trial``).

    ``row`` is always a number: a problem of a whole sheet or file (no header found, no sheet named
    by a kind) is placed on the first row, with no column.
    """
    found = {k: problem.get(k) for k in ("sheet", "row", "column", "message")}
    if found["row"] is None:
        found["row"] = 1
    return found


# Marks a warning about an earlier row of the file for the same person (its row number); and, in
# ``batch.headers[kind]``, a kind whose rows depend on each other (tried in one transaction).
REPEAT = "repeat"
# In ``batch.headers[kind]``: the rows the bulk path leaves to the adapter (``linked_rows``).
LINKED = "linked"


def row_input(row: Staged) -> RowInput:
    return RowInput(
        values=codec.decode_values(specs.get_kind(row.kind), row.values),
        address=row.address,
        decision=row.decision,
        decision_person=row.decision_person,
        commune_choice=row.commune_choice,
    )


def column_names(batch: ImportBatch, kind: str) -> dict[str, str]:
    """Column code → header as written in the file, for messages (worked out once per batch and kind)."""
    headers, cache = batch.__dict__.get("_column_names", (None, {}))
    if headers is not batch.headers:  # read again since (another mapping)
        headers, cache = batch.headers, {}
        batch.__dict__["_column_names"] = (headers, cache)
    if kind not in cache:
        columns = (headers or {}).get(kind, {}).get("columns", [])
        cache[kind] = {c["code"]: c["header"] for c in columns if c.get("code")}
    return cache[kind]


def problems_as_errors(row: Staged, names: dict[str, str], problems) -> list[dict[str, Any]]:
    return [
        _error(row.sheet, row.row, names.get(code) if code else None, message) for code, message in problems
    ]


def needs_decision(row: Staged, duplicates: list[dict[str, Any]]) -> None:
    """Mark ``row`` as a probable duplicate of ``duplicates`` (``{id, name, code, birth, unit}``)."""
    row.duplicates = duplicates
    names_list = ", ".join(f"{d['name']} ({d['code']})" for d in duplicates)
    row.errors = row.errors + [
        _error(
            row.sheet,
            row.row,
            None,
            _(
                "Probably the same person as {people}: decide on the preview whether it is a new person."
            ).format(people=names_list),
        )
    ]


def try_row(row: Staged, ctx: ApplyContext, names: dict[str, str]):
    """Apply ``row`` in a savepoint; returns the outcome, or None with the row's errors filled in."""
    kind = adapter(row.kind)
    try:
        with transaction.atomic():
            return kind.apply(row_input(row), ctx)
    except NeedsDecision as exc:
        needs_decision(
            row,
            [
                {
                    "id": p.pk,
                    "name": p.full_name,
                    "code": p.record_code,
                    "birth": p.birth_date_display,
                    "unit": p.unit_display,
                }
                for p in exc.duplicates
            ],
        )
    except RowError as exc:
        row.errors = row.errors + problems_as_errors(row, names, exc.problems)
    except (ValidationError, PermissionDenied) as exc:
        row.errors = row.errors + problems_as_errors(row, names, kind.problems(exc))
    return None


def settle(row: Staged, plan: bulk.Plan, names: dict[str, str], units: bulk.Units) -> bool:
    """Put a bulk plan's errors or duplicates on ``row``; True when the row goes on (no error)."""
    if plan.duplicates:
        needs_decision(row, [known.as_duplicate(units) for known in plan.duplicates])
    row.errors = row.errors + problems_as_errors(row, names, plan.errors)
    return plan.action != StagedRow.Action.ERROR


def _order(batch: ImportBatch) -> list[int]:
    """The staged rows' ids in apply order: kinds as ``ADAPTERS`` lists them, then file order."""
    order = {code: i for i, code in enumerate(ADAPTERS)}
    rows = batch.staged_rows.order_by("pk").values_list("pk", "kind")
    return [pk for pk, _kind in sorted(rows, key=lambda r: (order.get(r[1], 99), r[0]))]


def trial(
    batch: ImportBatch,
    *,
    actor: Any,
    progress: Progress = _no_progress,
    done: int = 0,
    rows: Rows | None = None,
    together: bool | None = None,
    linked_rows: set[int] | None = None,
) -> None:
    """Try every readable row against the services, chunk by chunk, writing nothing.

    ``rows``: where the rows come from and where their results go — the rows just read
    (``pending.Pending``: inserted with their results), else the staging table (``Stored``).

    One kind: each chunk is tried in its own rolled-back transaction (short, so others keep
    working). Several kinds (a workbook as the export writes it): the judgments and notices of a
    person registered by the persons sheet must find that person, so every chunk is tried inside
    one transaction rolled back at the end. So are the rows of a kind that depend on each other
    (two notices for one person: the second finds the person and the notice the first files).

    ``together`` and ``linked_rows`` (the persons rows the bulk path leaves to the adapter) are what
    the reading noted on the batch, unless given (``pipeline``: decided before the reading has ended).

    The batch then keeps the audit log's last id from before the trial, and its officer
    (``tried_mark``, ``tried_by``): what the apply needs to know whether the trial's word still holds.
    """
    rows = Stored(batch) if rows is None else rows
    mark = audit_selectors.last_event_id()  # what the trial meets: a write during it comes after
    total = batch.rows * 2
    ctx = ApplyContext(actor=actor, batch=batch, province_hint=province_of(batch))
    if together is None:
        together = len(batch.kinds) > 1 or any(
            isinstance(info, dict) and info.get(REPEAT) for info in (batch.headers or {}).values()
        )
    planner = (
        bulk.Planner(
            ctx, adapter("persons"), linked(batch) if linked_rows is None else linked_rows, trial=True
        )
        if "persons" in batch.kinds
        else None
    )
    # Other kinds of the workbook must find the people the persons rows register: written then.
    writer = (
        bulk.Writer(planner, capture.Captured()) if planner is not None and len(batch.kinds) > 1 else None
    )
    count = 0
    with (
        rows.held() if together else contextlib.nullcontext(),  # stores what it holds after the rollback
        heap.settled(),
        clock.one_day(),
        bulk_sql.batch_cache(),
        transaction.atomic() if together else contextlib.nullcontext(),
    ):
        for chunk in rows.chunks():
            if not together:
                ctx.reset()
            with transaction.atomic():
                if planner is not None:
                    planner.prepare([r for r in chunk if r.kind == "persons"])
                for row in chunk:
                    _try_staged(batch, row, ctx, planner, writer)
                if writer is not None:
                    writer.flush()
                    writer.captured.take()  # a trial: no undo list to keep
                if not together:
                    transaction.set_rollback(True)
            if together:
                rows.hold(chunk)
            else:
                rows.store(chunk)
            count += len(chunk)
            progress(done + count, total)
        if together:
            transaction.set_rollback(True)
    batch.tried_mark, batch.tried_by = mark, policy.account_of(actor)
    ImportBatch.objects.filter(pk=batch.pk).update(tried_mark=mark, tried_by=batch.tried_by)


class Rows(Protocol):
    """Where a trial's rows come from (``chunks``, in apply order) and where they go once judged:
    ``store`` after each chunk; or, when the whole trial is one transaction, ``hold`` after each
    chunk and stored when ``held`` ends, after the rollback."""

    def chunks(self) -> Iterator[list[Staged]]: ...

    def store(self, rows: list[Staged]) -> None: ...

    def hold(self, rows: list[Staged]) -> None: ...

    def held(self) -> contextlib.AbstractContextManager: ...


class OnDisk:
    """Chunks of values kept in a temporary file (pickled) until they can be used: read back in the
    order they were added, as often as needed (a chunk added while reading comes after), until
    ``close``. Memory stays flat whatever the number of rows: the rows a reading waits with
    (``pending``), the results a trial in one transaction holds until its rollback."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close(), else when collected)

    def add(self, chunk: list) -> None:
        self.file.seek(0, 2)
        pickle.dump(chunk, self.file, protocol=pickle.HIGHEST_PROTOCOL)

    def add_pickled(self, data: bytes) -> None:
        """Add a chunk pickled already (``pickle.dumps``: one pickle, as ``add`` writes)."""
        self.file.seek(0, 2)
        self.file.write(data)

    def read(self) -> Iterator[list]:
        self.file.seek(0)
        while True:
            try:
                chunk = pickle.load(self.file)
            except EOFError:
                return
            position = self.file.tell()
            yield chunk
            self.file.seek(position)

    def close(self) -> None:
        self.file.close()


class Stored:
    """The rows of the staging table (tried again after decisions): their results written back."""

    def __init__(self, batch: ImportBatch) -> None:
        self.ids = _order(batch)
        self.judged: OnDisk | None = None

    def chunks(self) -> Iterator[list[Staged]]:
        for start in range(0, len(self.ids), CHUNK):
            yield chunk_rows(self.ids[start : start + CHUNK])

    def store(self, rows: list[Staged]) -> None:
        update_rows(row_params(rows, TRIED_FIELDS), TRIED_FIELDS)

    def hold(self, rows: list[Staged]) -> None:
        self.judged.add(row_values(rows, TRIED_FIELDS))

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        self.judged = OnDisk()
        try:
            yield
            for values in self.judged.read():
                update_rows(db_params(values, TRIED_FIELDS), TRIED_FIELDS)
        finally:
            self.judged.close()


TRIED_FIELDS = ["errors", "warnings", "duplicates", "action", "target_repr"]


def row_values(rows: list[Staged], fields: list[str]) -> list[list]:
    """The values of ``fields`` of each row, then its id."""
    return [[getattr(row, name) for name in fields] + [row.pk] for row in rows]


def db_params(values: list[list], fields: list[str]) -> list[list]:
    """``row_values`` as the database takes them (JSON through the backend's own adapter; the
    other columns are text and numbers already)."""
    json_value = jsontext.adapter(connection)
    columns = [StagedRow._meta.get_field(name) for name in fields]
    encoders = [f.encoder if f.get_internal_type() == "JSONField" else False for f in columns]
    return [
        [
            value if encoder is False else json_value(value, encoder)
            for value, encoder in zip(row[:-1], encoders, strict=True)
        ]
        + [row[-1]]
        for row in values
    ]


def row_params(rows: list[Staged], fields: list[str]) -> list[list]:
    """The values of ``fields`` of each row as the database takes them, then its id."""
    return db_params(row_values(rows, fields), fields)


def update_rows(params: list[list], fields: list[str]) -> None:
    """Write ``row_params`` with one prepared UPDATE (``bulk_update`` builds a CASE per row and
    field: minutes for 100,000 rows), in one transaction (outside one, SQLite commits each row)."""
    if not params:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(f"{quote(StagedRow._meta.get_field(name).column)} = %s" for name in fields)
    sql = f"UPDATE {quote(StagedRow._meta.db_table)} SET {columns} WHERE {quote('id')} = %s"
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(params), 2000):
            cursor.executemany(sql, params[start : start + 2000])


def linked(batch: ImportBatch) -> set[int]:
    """The persons rows the bulk path leaves to the adapter (rows of the sheet, as numbered)."""
    return set(((batch.headers or {}).get("persons") or {}).get(LINKED) or [])


@dataclass(slots=True)
class Staged:
    """A staged row as the trial and the apply work on it: its columns, without a model instance
    each (thousands a minute); written back with ``row_params`` / ``update_rows``."""

    pk: int
    kind: str
    sheet: str
    row: int
    values: dict
    address: dict
    errors: list
    warnings: list
    action: str
    target_repr: str
    target_url: str
    duplicates: list
    decision: str
    decision_person: int | None
    commune_choice: int | None
    outcome: str
    outcome_message: str
    raw: Any = None  # the cells as read: for the rows just read only (``pending``), stored with them


STAGED_COLUMNS = [f.name for f in fields(Staged) if f.name != "raw"]  # what ``chunk_rows`` reads


def _json(text: str | None) -> Any:
    """A JSON column as both backends hand it over (text), the empty lists of most rows without
    the decoder."""
    if text == "[]":
        return []
    if text == "{}":
        return {}
    return None if text is None else jsontext.loads(text)


def chunk_rows(ids: list[int]) -> list[Staged]:
    """The staged rows ``ids`` in that order (the cells as read, for the report only, stay behind).

    One plain statement: thousands of rows a second go through here, in the preview and the apply.
    """
    quote = connection.ops.quote_name
    meta = StagedRow._meta
    columns = [meta.pk if name == "pk" else meta.get_field(name) for name in STAGED_COLUMNS]
    is_json = [f.get_internal_type() == "JSONField" for f in columns]
    sql = (
        f"SELECT {', '.join(quote(f.column) for f in columns)} FROM {quote(StagedRow._meta.db_table)} "
        f"WHERE {quote('id')} IN ({', '.join(['%s'] * len(ids))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(ids))
        found = [
            Staged(*(_json(v) if j else v for v, j in zip(record, is_json, strict=True)))
            for record in cursor.fetchall()
        ]
    position = {pk: i for i, pk in enumerate(ids)}
    return sorted(found, key=lambda r: position[r.pk])


def _try_staged(batch: ImportBatch, row: Staged, ctx: ApplyContext, planner=None, writer=None) -> None:
    reading = [e for e in row.errors if not e.get("trial")]
    row.errors, row.duplicates = reading, []
    row.warnings = [w for w in row.warnings if not w.get("trial")]
    if reading:
        row.action = StagedRow.Action.ERROR
        return
    names = column_names(batch, row.kind)
    plan = planner.plan(row, row_input(row).values) if planner is not None and row.kind == "persons" else None
    if plan is not None:
        ok = settle(row, plan, names, planner.units)
        for problem in row.errors:
            problem["trial"] = True
        if not ok:
            row.action = StagedRow.Action.ERROR
            return
        planner.settled(row, plan)
        if writer is not None and plan.action == StagedRow.Action.CREATE:
            writer.add(row, plan)
        row.action = plan.action
        row.target_repr = plan.target_repr
        row.warnings = row.warnings + [
            {**w, "trial": True} for w in problems_as_errors(row, names, plan.warnings)
        ]
        return
    if writer is not None:
        writer.flush()  # the row meets what the rows above it register
    outcome = try_row(row, ctx, names)
    if planner is not None and outcome is not None:
        planner.tried(outcome)
    for problem in row.errors:
        problem["trial"] = True
    if outcome is None:
        row.action = StagedRow.Action.ERROR
        return
    row.action = outcome.action
    row.target_repr = str(outcome.target)[:255] if outcome.target is not None else ""
    row.warnings = row.warnings + [
        {**w, "trial": True} for w in problems_as_errors(row, names, outcome.warnings)
    ]
