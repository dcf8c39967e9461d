"""Staging: read the file into ``StagedRow``s in chunks, then try every row against the services.

1. Each kind's sheet is read (``reading.table``) with the batch's column mapping, else the mapping
   remembered for this source, else the guess; rows go to the staging table ``CHUNK`` at a time.
2. Each chunk is then applied for trial inside a transaction that is rolled back, one savepoint per
   row: the preview shows exactly what the services refuse and what would be created, updated or
   skipped. A chunk's transaction is short, so other users keep working meanwhile. The persons rows
   that register a new person, or change nothing, are settled in bulk without a savepoint each
   (``bulk.Planner``: the same rules, a few queries per chunk).

Progress is reported as (rows done, twice the rows): reading, then trying.

Rows of one file that name the same person (``kinds.base.same_person_keys``): on a persons sheet
a second row with the same record code or number is an error, one with the same name, year of
birth and commune completes the first's person (warned); on a notices sheet both notices are
filed in file order, and the later row is warned, naming the earlier one (a repeated notice is
left alone). Such rows depend on each other, so their kind is tried in one rolled-back
transaction, like a workbook of several kinds: the preview then says what the apply will do.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from hoanhap.core.text import fold
from hoanhap.imports import bulk, capture, codec
from hoanhap.imports.kinds import ADAPTERS, adapter
from hoanhap.imports.kinds.base import ApplyContext, NeedsDecision, RowError, RowInput, same_person_keys
from hoanhap.imports.models import ColumnMapping, ImportBatch, StagedRow
from hoanhap.imports.reading import specs
from hoanhap.imports.reading.addresses import RESOLVED
from hoanhap.imports.reading.files import open_workbook
from hoanhap.imports.reading.headers import header_columns
from hoanhap.imports.reading.specs import header_key
from hoanhap.imports.reading.table import Table, open_table
from hoanhap.imports.reading.values import PERSONAL_ID, IdNumber

CHUNK = 500
Progress = Callable[[int, int], None]


def _no_progress(done: int, total: int) -> None:
    return None


def kinds_by_sheet_names(sheets) -> list[str]:
    """The kinds whose code names a sheet of the workbook (as the export names them), in apply order."""
    names = {fold(s.name) for s in sheets}
    return [code for code in ADAPTERS if fold(code) in names]


def source_key(kind: str, table: Table) -> str:
    """The key of a source: the kind and the folded headers of its file, in order."""
    headers = (
        [header_key(written) for _i, written, _c in header_columns(table.header)] if table.header else []
    )
    return hashlib.sha1("|".join([kind, *headers]).encode()).hexdigest()


def province_of(batch: ImportBatch) -> int | None:
    if batch.province_id:
        return batch.province_id
    return batch.commune.province_id if batch.commune_id else None


def _error(sheet: str, row: int | None, column: str | None, message: str) -> dict[str, Any]:
    return {"sheet": sheet, "row": row, "column": column, "message": str(message)}


def public(problem: dict[str, Any]) -> dict[str, Any]:
    """An error or warning in the command's shape (staging marks the trial's own with ``trial``)."""
    return {k: problem.get(k) for k in ("sheet", "row", "column", "message")}


def open_kind(batch: ImportBatch, kind: str, sheets) -> tuple[Table, str]:
    """The kind's table read with the batch's mapping, else the remembered one; and the source key."""
    hint = province_of(batch)
    path = batch.file.path
    table = open_table(path, kind, name=batch.file_name, province_hint=hint, sheets=sheets)
    key = source_key(kind, table)
    mapping = (batch.mapping or {}).get(kind)
    if mapping is None and table.header is not None:
        remembered = ColumnMapping.objects.filter(key=key, province_id=hint).first()
        mapping = remembered.mapping if remembered else None
    if mapping:
        table = open_table(
            path, kind, name=batch.file_name, province_hint=hint, mapping=mapping, sheets=sheets
        )
    return table, key


def _describe_header(table: Table) -> list[dict[str, Any]]:
    if table.header is None:
        return []
    return [{"index": i, "header": h, "code": c} for i, h, c in header_columns(table.header)]


def read_rows(batch: ImportBatch, progress: Progress = _no_progress) -> int:
    """Read every kind of the batch into staged rows; returns the number of data rows."""
    sheets = open_workbook(batch.file.path, name=batch.file_name)
    kinds = batch.kinds or kinds_by_sheet_names(sheets)
    batch.kinds = kinds
    batch.staged_rows.all().delete()
    errors: list[dict] = []
    warnings: list[dict] = []
    headers: dict[str, Any] = {}
    total = 0
    for kind in kinds:
        table, key = open_kind(batch, kind, sheets)
        headers[kind] = {"sheet": table.sheet_name, "key": key, "columns": _describe_header(table)}
        errors += [e.as_dict() for e in table.errors]
        if table.header is not None:
            row_number = table.header.rows[-1]
            for _index, written in table.header.unknown:
                warnings.append(
                    _error(table.sheet_name, row_number, written, _("This column is not imported."))
                )
        names = {c.spec.code: c.header for c in table.header.columns} if table.header else {}
        seen: dict = {}
        chunk: list[StagedRow] = []
        for record in table.records():
            row = _staged(batch, kind, record, names, seen)
            chunk.append(row)
            if len(chunk) >= CHUNK:
                StagedRow.objects.bulk_create(chunk)
                total += len(chunk)
                chunk = []
                progress(total, 0)
        StagedRow.objects.bulk_create(chunk)
        total += len(chunk)
        if seen.get(REPEAT):
            headers[kind][REPEAT] = True
        linked = linked_rows(seen)
        if linked:
            headers[kind][LINKED] = linked
    if "persons" in kinds and "judgments" in kinds:
        _complete_person_judgments(batch)
    batch.headers, batch.sheet_errors, batch.sheet_warnings, batch.rows = headers, errors, warnings, total
    batch.save(update_fields=["kinds", "headers", "sheet_errors", "sheet_warnings", "rows", "updated_at"])
    return total


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


def _judgment_key(values: dict[str, Any]) -> tuple | None:
    person = values.get("record_code") or (values.get("id_number") or {}).get("number")
    if not person or not values.get("judgment_number") or not values.get("judgment_date"):
        return None
    return person, fold(values["judgment_number"]), values["judgment_date"]


def _complete_person_judgments(batch: ImportBatch) -> None:
    """A persons row's judgment takes the details the judgments sheet gives for the same judgment.

    A workbook as the export writes it carries a person's latest judgment on the persons row and
    repeats it on the judgments sheet with what that row has no column for (a fine, a probation,
    serving dates): the judgment is recorded whole with the person, and its judgments row is then
    unchanged.
    """
    details = {}
    for values in batch.staged_rows.filter(kind="judgments").values_list("values", flat=True):
        key = _judgment_key(values)
        if key is not None:
            details.setdefault(key, values)
    if not details:
        return
    changed = []
    for row in batch.staged_rows.filter(kind="persons"):
        extra = details.get(_judgment_key(row.values))
        if extra is None:
            continue
        added = {
            k: extra[k] for k in JUDGMENT_DETAILS if extra.get(k) is not None and row.values.get(k) is None
        }
        if added:
            row.values = {**row.values, **added}
            changed.append(row)
    StagedRow.objects.bulk_update(changed, ["values"], batch_size=CHUNK)


# Marks a warning about an earlier row of the file for the same person (its row number); and, in
# ``batch.headers[kind]``, a kind whose rows depend on each other (tried in one transaction).
REPEAT = "repeat"
# In ``batch.headers[kind]``: the rows the bulk path leaves to the adapter (``linked_rows``).
LINKED = "linked"


def _note_dependency(record, seen: dict) -> None:
    """Whether the row may find what an earlier row creates: the same record code, number, or name,
    year of birth and commune (``exact_match``) — whatever the warnings say about it."""
    keys = _person_keys(record)
    keys += _person_keys(
        record, {k: v for k, v in record.values.items() if k not in ("record_code", "id_number")}
    )
    for key in keys:
        if seen.setdefault(("depends", key), record.row) != record.row:
            seen[REPEAT] = True
    number = record.values.get("id_number")
    personal = number.number if isinstance(number, IdNumber) and number.kind == PERSONAL_ID else None
    for key in dict.fromkeys(keys):
        if key[0] == "name":
            seen.setdefault(("named", key), []).append((record.row, personal))


def linked_rows(seen: dict) -> list[int]:
    """Rows of one person by name, year of birth and commune, one of them without a personal number:
    a later one completes the person an earlier one registers, so the adapter applies them all (the
    bulk path settles such rows only when their numbers differ: then the later one is refused)."""
    linked: set[int] = set()
    for key, rows in seen.items():
        if (
            isinstance(key, tuple)
            and key[0] == "named"
            and len(rows) > 1
            and any(n is None for _r, n in rows)
        ):
            linked.update(r for r, _n in rows)
    return sorted(linked)


def _person_keys(record, values: dict | None = None) -> list[tuple]:
    address = record.address
    commune = address.commune_code if address is not None and address.status == RESOLVED else None
    return same_person_keys(
        record.values if values is None else values, commune, address.text if address is not None else ""
    )


def _same_person_as(record, names: dict[str, str], seen: dict) -> tuple[list[dict], list[dict]]:
    """Persons: a second row with a record code or number of an earlier one is an error (one row per
    person). Without either, a second row with the name, year of birth and commune of an earlier one
    finds the person that row registered (``exact_match``): it is warned, naming the row."""
    errors: list[dict] = []
    keys = _person_keys(record)
    if keys and keys[0][0] == "name":
        if keys[0][2] is None or record.errors:
            return (
                [],
                [],
            )  # without a year of birth no row finds another (and a row with errors is not applied)
        first = seen.setdefault(keys[0], record.row)
        if first == record.row:
            return [], []
        message = _("Row {row} of this file names the same person: this row completes that record.")
        warning = _error(record.sheet, record.row, names.get("full_name"), message.format(row=first))
        return [], [{**warning, REPEAT: first}]
    for code in ("record_code", "id_number"):
        value = record.values.get(code)
        value = value.number if isinstance(value, IdNumber) else value
        if not value:
            continue
        first = seen.setdefault(f"{code}:{value}", record.row)
        if first != record.row:
            errors.append(
                _error(
                    record.sheet,
                    record.row,
                    names.get(code),
                    _("The same person as on row {row} of this file.").format(row=first),
                )
            )
    return errors, []


def _notice_repeats(record, seen: dict) -> list[dict[str, Any]]:
    """Notices: a later notice for a person named on an earlier row is filed after it (a warning);
    the same notice again (expected release date and date of receipt) is left alone."""
    keys = _person_keys(record)
    if not keys or record.errors:
        return []  # a row that is not imported is no earlier notice
    person = min((seen[k] for k in keys if k in seen), default=record.row)
    for key in keys:
        seen.setdefault(key, person)
    last = seen.get(("last", person))
    seen[("last", person)] = record.row
    notice = ("notice", person, record.values.get("expected_release_date"), record.values.get("received_on"))
    same = seen.setdefault(notice, record.row)
    if last is None:
        return []
    if same != record.row:
        message = _("The same notice as on row {row} of this file: it is left alone.").format(row=same)
        earlier = same
    else:
        message = _(
            "Row {row} of this file has another notice for this person: both are filed, in the order of the file."
        ).format(row=last)
        earlier = last
    return [{**_error(record.sheet, record.row, None, message), REPEAT: earlier}]


def _staged(batch: ImportBatch, kind: str, record, names: dict[str, str], seen: dict) -> StagedRow:
    spec = specs.get_kind(kind)
    errors = [e.as_dict() for e in record.errors]
    warnings = []
    number = record.values.get("id_number")
    if isinstance(number, IdNumber) and number.restored:
        warnings.append(
            _error(
                record.sheet,
                record.row,
                names.get("id_number"),
                _("The leading zeros lost by the spreadsheet were put back: {number}.").format(
                    number=number.number
                ),
            )
        )
    if kind in ("persons", "notices"):
        _note_dependency(record, seen)
    if kind == "persons":
        repeated, later = _same_person_as(record, names, seen)
        errors, warnings = errors + repeated, warnings + later
    elif kind == "notices":
        warnings += _notice_repeats(record, seen)
    return StagedRow(
        batch=batch,
        kind=kind,
        sheet=record.sheet,
        row=record.row,
        raw=codec.encode_raw(record.raw, names),
        values=codec.encode_values(spec, record.values),
        address=codec.encode_address(record.address),
        errors=errors,
        warnings=warnings,
        action=StagedRow.Action.ERROR if errors else StagedRow.Action.SKIP,
    )


def row_input(row: StagedRow) -> RowInput:
    return RowInput(
        values=codec.decode_values(specs.get_kind(row.kind), row.values),
        address=row.address,
        decision=row.decision,
        decision_person=row.decision_person,
        commune_choice=row.commune_choice,
    )


def column_names(batch: ImportBatch, kind: str) -> dict[str, str]:
    """Column code → header as written in the file, for messages."""
    columns = (batch.headers or {}).get(kind, {}).get("columns", [])
    return {c["code"]: c["header"] for c in columns if c.get("code")}


def problems_as_errors(row: StagedRow, names: dict[str, str], problems) -> list[dict[str, Any]]:
    return [
        _error(row.sheet, row.row, names.get(code) if code else None, message) for code, message in problems
    ]


def needs_decision(row: StagedRow, duplicates: list[dict[str, Any]]) -> None:
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


def try_row(row: StagedRow, ctx: ApplyContext, names: dict[str, str]):
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


def settle(row: StagedRow, plan: bulk.Plan, names: dict[str, str], units: bulk.Units) -> bool:
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


def trial(batch: ImportBatch, *, actor: Any, progress: Progress = _no_progress, done: int = 0) -> None:
    """Try every readable row against the services, chunk by chunk, writing nothing.

    One kind: each chunk is tried in its own rolled-back transaction (short, so others keep
    working). Several kinds (a workbook as the export writes it): the judgments and notices of a
    person registered by the persons sheet must find that person, so every chunk is tried inside
    one transaction rolled back at the end. So are the rows of a kind that depend on each other
    (two notices for one person: the second finds the person and the notice the first files).
    """
    total = batch.rows * 2
    ids = _order(batch)
    tried: list[list] = []  # the rows' new values, written once the trial is rolled back
    ctx = ApplyContext(actor=actor, batch=batch, province_hint=province_of(batch))
    together = len(batch.kinds) > 1 or any(
        isinstance(info, dict) and info.get(REPEAT) for info in (batch.headers or {}).values()
    )
    planner = (
        bulk.Planner(ctx, adapter("persons"), linked(batch), trial=True) if "persons" in batch.kinds else None
    )
    # Other kinds of the workbook must find the people the persons rows register: written then.
    writer = (
        bulk.Writer(planner, capture.Captured()) if planner is not None and len(batch.kinds) > 1 else None
    )
    with transaction.atomic() if together else contextlib.nullcontext():
        for start in range(0, len(ids), CHUNK):
            chunk = chunk_rows(ids[start : start + CHUNK])
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
                tried.extend(row_params(chunk, TRIED_FIELDS))
            else:
                update_rows(row_params(chunk, TRIED_FIELDS), TRIED_FIELDS)
            progress(done + start + len(chunk), total)
        if together:
            transaction.set_rollback(True)
    if together:
        update_rows(tried, TRIED_FIELDS)


TRIED_FIELDS = ["errors", "warnings", "duplicates", "action", "target_repr"]


def row_params(rows: list[StagedRow], fields: list[str]) -> list[list]:
    """The values of ``fields`` of each row as the database takes them, then its id."""
    columns = [StagedRow._meta.get_field(name) for name in fields]
    return [
        [f.get_db_prep_save(getattr(row, f.attname), connection) for f in columns] + [row.pk] for row in rows
    ]


def update_rows(params: list[list], fields: list[str]) -> None:
    """Write ``row_params`` with one prepared UPDATE (``bulk_update`` builds a CASE per row and
    field: minutes for 100,000 rows)."""
    if not params:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(f"{quote(StagedRow._meta.get_field(name).column)} = %s" for name in fields)
    sql = f"UPDATE {quote(StagedRow._meta.db_table)} SET {columns} WHERE {quote('id')} = %s"
    with connection.cursor() as cursor:
        for start in range(0, len(params), 2000):
            cursor.executemany(sql, params[start : start + 2000])


def linked(batch: ImportBatch) -> set[int]:
    """The persons rows the bulk path leaves to the adapter (rows of the sheet, as numbered)."""
    return set(((batch.headers or {}).get("persons") or {}).get(LINKED) or [])


def chunk_rows(ids: list[int]) -> list[StagedRow]:
    """The staged rows ``ids`` in that order."""
    position = {pk: i for i, pk in enumerate(ids)}
    return sorted(StagedRow.objects.filter(pk__in=ids), key=lambda r: position[r.pk])


def _try_staged(batch: ImportBatch, row: StagedRow, ctx: ApplyContext, planner=None, writer=None) -> None:
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
