"""Loading: read each kind's sheet of the file into staged rows, ``staging.CHUNK`` at a time; they
wait on disk (``pending.Pending``) until the trial has judged them and stores them.

Each kind's sheet is read (``reading.table``) with the batch's column mapping, else the mapping
remembered for this source, else the guess. Reading also notes what the rows of one file say about
each other (``kinds.base.same_person_keys``): on a persons sheet a second row with the same record
code or number is an error, one with the same name, year of birth and commune completes the first's
person (warned); on a notices sheet both notices are filed in file order, and the later row is
warned, naming the earlier one (a repeated notice is left alone). Such rows depend on each other:
``staging.trial`` then tries their kind in one rolled-back transaction.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from hoanhap.core.text import fold
from hoanhap.imports import codec, staging
from hoanhap.imports.kinds import ADAPTERS
from hoanhap.imports.kinds.base import same_person_keys
from hoanhap.imports.models import ColumnMapping, ImportBatch, StagedRow
from hoanhap.imports.pending import Pending, json_is_text
from hoanhap.imports.reading import specs
from hoanhap.imports.reading.addresses import RESOLVED
from hoanhap.imports.reading.files import open_workbook
from hoanhap.imports.reading.headers import header_columns
from hoanhap.imports.reading.specs import header_key
from hoanhap.imports.reading.table import Table, open_table
from hoanhap.imports.reading.values import PERSONAL_ID, IdNumber, RestoredPhone
from hoanhap.imports.staging import LINKED, REPEAT, Progress, Staged, _error, _no_progress, province_of


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


@dataclass
class Opened:
    """A kind's sheet opened for reading: its table, as mapped, and what the batch keeps of its header."""

    kind: str
    table: Table
    header: dict[str, Any]  # ``batch.headers[kind]`` before the reading: sheet, source key, columns
    expected: int | None = None  # about how many data rows the sheet holds (``expected_rows``)


@dataclass
class Reading:
    """What reading the rows found besides the rows: the batch's headers (with ``REPEAT`` and
    ``LINKED`` noted), the sheets' errors and warnings, and the number of rows."""

    headers: dict[str, Any] = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    total: int = 0


def open_kinds(batch: ImportBatch) -> list[Opened]:
    """Open each kind's sheet of the batch's file (the kinds from the sheets' names when the batch
    names none); the batch's staged rows from an earlier reading go."""
    sheets = open_workbook(batch.file.path, name=batch.file_name)
    batch.kinds = batch.kinds or kinds_by_sheet_names(sheets)
    batch.staged_rows.all().delete()
    opened = []
    for kind in batch.kinds:
        table, key = open_kind(batch, kind, sheets)
        header = {"sheet": table.sheet_name, "key": key, "columns": _describe_header(table)}
        # Now, while the header search has the sheet parsed: calamine keeps one sheet at a time.
        opened.append(Opened(kind, table, header, _expected(table)))
    return opened


def _expected(table: Table) -> int | None:
    """The sheet's last row less its header (blank and signature lines count too), or None when
    there is no header or the sheet does not say."""
    last = table.sheet.last_row() if table.sheet is not None and table.header is not None else None
    return None if last is None else max(0, last - table.header.last_row)


# Where read rows go: ``emit(kind, chunk, seen)`` (``seen``: what the kind's rows so far say about each other).
Emit = Callable[[str, list[Staged], dict], None]


def read_kinds(opened: list[Opened], emit: Emit) -> Reading:
    """Read every row of the ``opened`` kinds as staged rows, ``staging.CHUNK`` at a time, numbered
    in reading order. Queries nothing: a forked process may read (``pipeline``)."""
    reading = Reading()
    number = itertools.count(1).__next__
    for one in opened:
        kind, table = one.kind, one.table
        reading.headers[kind] = header = dict(one.header)
        reading.errors += [e.as_dict() for e in table.errors]
        if table.header is not None:
            row_number = table.header.rows[-1]
            for _index, written in table.header.unknown:
                reading.warnings.append(
                    _error(table.sheet_name, row_number, written, _("This column is not imported."))
                )
        names = {c.spec.code: c.header for c in table.header.columns} if table.header else {}
        stager = _Stager(kind, names, number)
        chunk: list[Staged] = []
        for record in table.records():
            chunk.append(stager.row(record))
            if len(chunk) >= staging.CHUNK:
                reading.total += len(chunk)
                emit(kind, chunk, stager.seen)
                chunk = []
        reading.total += len(chunk)
        emit(kind, chunk, stager.seen)
        if stager.seen.get(REPEAT):
            header[REPEAT] = True
        linked = linked_rows(stager.seen)
        if linked:
            header[LINKED] = linked
    return reading


def finish(batch: ImportBatch, reading: Reading) -> None:
    """Keep what the reading found on the batch."""
    batch.headers, batch.rows = reading.headers, reading.total
    batch.sheet_errors, batch.sheet_warnings = reading.errors, reading.warnings
    batch.save(update_fields=["kinds", "headers", "sheet_errors", "sheet_warnings", "rows", "updated_at"])


def expected_rows(opened: list[Opened]) -> int:
    """About how many data rows the kinds hold, to measure a reading's progress against before it
    ends (a CSV file's estimated from its size); 0 when a sheet does not say."""
    if any(one.expected is None for one in opened):
        return 0
    return sum(one.expected for one in opened)


def read_rows(
    batch: ImportBatch, progress: Progress = _no_progress, opened: list[Opened] | None = None
) -> Pending:
    """Read every kind of the batch; the rows wait in the ``Pending`` returned until the trial has
    judged them (``staging.trial``), then go to the staging table. ``batch.rows`` counts them."""
    pending = Pending(batch.pk)
    opened = open_kinds(batch) if opened is None else opened
    steps = 2 * expected_rows(opened)  # each row is read, then tried

    def emit(kind: str, chunk: list[Staged], seen: dict) -> None:
        pending.add(kind, chunk)
        progress(pending.count, steps)

    reading = read_kinds(opened, emit)
    pending.complete_judgments()
    finish(batch, reading)
    return pending


def _note_dependency(record, seen: dict, keys: list[tuple] | None = None) -> None:
    """Whether the row may find what an earlier row creates: the same record code, number, or name,
    year of birth and commune (``exact_match``) — whatever the warnings say about it.

    ``seen`` keeps what later rows need and no more: the record codes and numbers met (``DEPENDS``,
    by kind of key), and for each name key (``name_key``) the rows with it (``NAMED``, which is also
    where a name key is found met)
    as ``row * 2 + 1`` when the row has no personal number (one int for one row, a list for several);
    and the rows found linked since ``NEWLY_LINKED`` was last taken (the pipeline's reader hands them on
    as it reads).
    """
    keys = _person_keys(record) if keys is None else keys
    keys = keys + _person_keys(record, _without_numbers(record.values))
    depends = seen.get(DEPENDS)
    if depends is None:
        depends = seen[DEPENDS] = {}
    row = record.row
    named = None
    for key in dict.fromkeys(keys):
        if key[0] != "name":
            met = depends.get(key[0])
            if met is None:
                met = depends[key[0]] = set()
            if key[1] in met:
                seen[REPEAT] = True
            else:
                met.add(key[1])
            continue
        key = name_key(key)
        if named is None:
            number = record.values.get("id_number")
            personal = isinstance(number, IdNumber) and number.kind == PERSONAL_ID
            named = row * 2 + (0 if personal else 1)
            names = seen.get(NAMED)
            if names is None:
                names = seen[NAMED] = {}
        earlier = names.get(key)
        if earlier is None:
            names[key] = named
            continue
        seen[REPEAT] = True
        if isinstance(earlier, list):
            earlier.append(named)
            rows = earlier
        else:
            rows = names[key] = [earlier, named]
        if any(r & 1 for r in rows):  # linked (``linked_rows``) from this row on
            seen.setdefault(NEWLY_LINKED, set()).update(r >> 1 for r in rows)


def _without_numbers(values: dict[str, Any]) -> dict[str, Any]:
    found = values.copy()
    found.pop("record_code", None)
    found.pop("id_number", None)
    return found


def linked_rows(seen: dict) -> list[int]:
    """Rows of one person by name, year of birth and commune, one of them without a personal number:
    a later one completes the person an earlier one registers, so the adapter applies them all (the
    bulk path settles such rows only when their numbers differ: then the later one is refused)."""
    linked: set[int] = set()
    for rows in seen.get(NAMED, {}).values():
        if isinstance(rows, list) and any(r & 1 for r in rows):
            linked.update(r >> 1 for r in rows)
    return sorted(linked)


# Keys of ``seen`` (as the column codes whose first rows by value ``_same_person_as`` keeps; the
# other keys are name keys (bytes) or tuples).
DEPENDS, NAMED, NEWLY_LINKED = "depends", "named", "newly linked"


def name_key(key: tuple) -> bytes:
    """A ``("name", name, year, commune or place)`` key as one UTF-8 string, as ``seen`` keeps it (a
    reading keeps one per row: one object instead of a tuple, its name and its year, and a third of
    their size). The year and the commune or place come first, written so that they never hold the
    separator (``repr`` of a text escapes it): two keys are equal exactly when their tuples are."""
    _name, name, year, place = key
    return f"{year}\x1f{place!r}\x1f{name}".encode()


def _person_keys(record, values: dict | None = None) -> list[tuple]:
    address = record.address
    commune = address.commune_code if address is not None and address.status == RESOLVED else None
    return same_person_keys(
        record.values if values is None else values, commune, address.text if address is not None else ""
    )


def _same_person_as(
    record, names: dict[str, str], seen: dict, keys: list[tuple] | None = None
) -> tuple[list[dict], list[dict]]:
    """Persons: a second row with a record code or number of an earlier one is an error (one row per
    person). Without either, a second row with the name, year of birth and commune of an earlier one
    finds the person that row registered (``exact_match``): it is warned, naming the row."""
    errors: list[dict] = []
    keys = _person_keys(record) if keys is None else keys
    if keys and keys[0][0] == "name":
        if keys[0][2] is None or record.errors:
            return (
                [],
                [],
            )  # without a year of birth no row finds another (and a row with errors is not applied)
        first = seen.setdefault(name_key(keys[0]), record.row)
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
        firsts = seen.get(code)
        if firsts is None:
            firsts = seen[code] = {}
        first = firsts.setdefault(value, record.row)  # the value as key: its string is kept once
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


def _notice_repeats(record, seen: dict, keys: list[tuple] | None = None) -> list[dict[str, Any]]:
    """Notices: a later notice for a person named on an earlier row is filed after it (a warning);
    the same notice again (expected release date and date of receipt) is left alone."""
    keys = _person_keys(record) if keys is None else keys
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


class _Stager:
    """One kind's records as staged rows (``staging.Staged``, numbered in reading order), and what the
    rows of the file say about each other (``seen``)."""

    def __init__(self, kind: str, names: dict[str, str], number: Callable[[], int]) -> None:
        self.kind = kind
        self.spec = specs.get_kind(kind)
        self.names = names
        self.seen: dict = {}
        self.persons = kind in ("persons", "notices")
        self.phones = [c.code for c in self.spec.columns if c.type == specs.PHONE and c.code in names]
        self.number = number  # the next row's number (its ``pk`` until stored: unique within the batch)
        self._addresses: dict[int, tuple[Any, dict]] = {}
        self._cells = codec.CellsJson(names) if json_is_text() else None

    def row(self, record) -> Staged:
        """The record's staged row, not yet judged (its cells as JSON text already on SQLite)."""
        errors, warnings = self.notes(record)
        raw = self._cells(record.raw) if self._cells else codec.encode_raw(record.raw, self.names)
        return Staged(
            self.number(),
            self.kind,
            record.sheet,
            record.row,
            codec.encode_values(self.spec, record.values),
            self._encoded_address(record.address),
            errors,
            warnings,
            StagedRow.Action.ERROR.value if errors else StagedRow.Action.SKIP.value,
            "",
            "",
            [],
            "",
            None,
            None,
            "",
            "",
            raw,
        )

    def notes(self, record) -> tuple[list[dict], list[dict]]:
        """The record's errors and warnings, with what the earlier rows of the file say (``seen``)."""
        kind, names, seen = self.kind, self.names, self.seen
        errors = [e.as_dict() for e in record.errors] if record.errors else []
        warnings = []
        number = record.values.get("id_number")
        if number is not None and isinstance(number, IdNumber) and number.restored:
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
        for code in self.phones:
            phone = record.values.get(code)
            if phone.__class__ is RestoredPhone:
                warnings.append(
                    _error(
                        record.sheet,
                        record.row,
                        names.get(code),
                        _("The leading zero lost by the spreadsheet was put back: {number}.").format(
                            number=phone
                        ),
                    )
                )
        if self.persons:
            keys = _person_keys(record)
            _note_dependency(record, seen, keys)
            if kind == "persons":
                repeated, later = _same_person_as(record, names, seen, keys)
                errors, warnings = errors + repeated, warnings + later
            else:
                warnings += _notice_repeats(record, seen, keys)
        return errors, warnings

    def _encoded_address(self, address) -> dict[str, Any]:
        """The address as stored, worked out once per place and shared by its rows (``AddressCache``
        hands rows of one place the same result; the pair keeps it alive, so its id is not reused)."""
        found = self._addresses.get(id(address))
        if found is None or found[0] is not address:
            if len(self._addresses) >= ADDRESS_CACHE_LIMIT:
                self._addresses.clear()
            found = self._addresses[id(address)] = (address, codec.encode_address(address))
        return found[1]


ADDRESS_CACHE_LIMIT = 4_096
