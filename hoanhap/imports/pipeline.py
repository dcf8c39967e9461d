"""The preview of a big file on both cores: a forked process reads the file while this one tries
the rows read so far (unless the setting ``HOANHAP_IMPORT_READER_PROCESS`` is off).

A preview reads every row (``loading``), then tries every row (``staging.trial``): about two
fifths and three fifths of its time, one after the other, on one core. For a file of one kind
bigger than ``PIPELINE_BYTES``, a child process (``fork``: it starts with this process's memory,
the column mapping and the geography loaded) reads the rows and hands them over a pipe, a chunk at a
time, while this process tries them. The child queries nothing: its connection to the database is
this process's, and a query from it is refused (``_no_query``).

The trial needs two facts about the whole file that only its end tells:

* whether rows depend on each other (``staging.REPEAT``: then every chunk is tried in one
  transaction, rolled back at the end). The piped trial is always one transaction: nothing it
  tries is lost between chunks, as in the apply, which is one transaction too;
* which persons rows the bulk path leaves to the adapter (``staging.LINKED``): rows of one person
  by name, year of birth and commune, one of them without a personal number. The reader hands on
  the rows found linked as it reads, before their chunk; a row found linked after its chunk was
  tried (its namesake without a number comes later in the file) makes the trial stop: the rest of
  the file is read, and every row is then tried again the usual way from the copy kept on disk
  (``pending.Pending``).

Either way the staged rows are those the reading and then the trial give (tested).

The cost is memory. Each process soon holds its own copy of the objects it touches (a reference
count written copies its page), and the reader's notes on the rows (``loading._Stager.seen``)
live beside the trial's planned people instead of before them: at 100,000 rows the two together
peak about 60 MB above one process doing both, within the import's 300 MB
(``benchmarks/README.md``).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import pickle
import struct
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from hoanhap.geo import tables as geo_tables
from hoanhap.imports import loading, staging
from hoanhap.imports.loading import NEWLY_LINKED, Opened, Reading
from hoanhap.imports.models import ImportBatch
from hoanhap.imports.pending import Pending, records
from hoanhap.imports.staging import Progress, Staged

PIPELINE_BYTES = 2**20  # about 10,000 rows of a people list: below it, a second process is not worth starting

# A frame on the pipe: its tag, then what it carries.
ROWS = b"R"  # a chunk's row count (4 bytes), then its records as ``Pending`` spools them (pickled)
LINKED = b"L"  # rows found linked (pickled list of row numbers), sent before their chunk
DONE = b"D"  # the reading has ended: the ``loading.Reading`` (pickled)
FAILED = b"E"  # the reading failed: the exception (pickled)
COUNT = struct.Struct("<I")


class Mispredicted(Exception):
    """A row tried as settled in bulk turned out linked to a later one: the rows are tried again."""


def fits(batch: ImportBatch, opened: list[Opened]) -> bool:
    """Whether the batch is read by a child process: the setting on (the default), one kind, a big
    file, a system that forks."""
    return (
        settings.HOANHAP_IMPORT_READER_PROCESS
        and len(opened) == 1
        and "fork" in multiprocessing.get_all_start_methods()
        and batch.file.size >= PIPELINE_BYTES
    )


def stage(batch: ImportBatch, opened: list[Opened], *, actor: Any, progress: Progress) -> None:
    """Read ``opened`` in a child process while trying its rows here (see the module docstring)."""
    geo_tables.get_tables()  # the reader finds the geography loaded: it may not query
    batch.headers = {one.kind: one.header for one in opened}
    batch.rows = 0  # known when the reading ends; progress is measured against the sheet's size
    steps = 2 * loading.expected_rows(opened)  # each row is read, then tried
    pending = Pending(batch.pk)
    try:
        with Reader(opened) as reader:
            rows = Piped(reader, pending)
            try:
                staging.trial(
                    batch,
                    actor=actor,
                    progress=lambda done, _total: progress(pending.count + done, steps),
                    rows=rows,
                    together=True,
                    linked_rows=rows.linked,
                )
                mispredicted = False
            except Mispredicted:
                rows.drain()
                mispredicted = True
        loading.finish(batch, rows.reading)
        if mispredicted:
            staging.trial(batch, actor=actor, progress=progress, done=batch.rows, rows=pending)
    finally:
        pending.close()


class Piped:
    """The rows coming from the reader, as a trial takes them (``staging.Rows``): each chunk is also
    kept on disk (``pending``), where the trial's results wait until its rollback; ``linked`` grows
    as the reader finds linked rows."""

    def __init__(self, reader: Reader, pending: Pending) -> None:
        self.reader = reader
        self.pending = pending
        self.kind = reader.opened[0].kind
        self.linked: set[int] = set()
        self.tried_up_to = 0  # the last row of the chunks handed to the trial
        self.reading: Reading | None = None

    def chunks(self) -> Iterator[list[Staged]]:
        for tag, payload in self.reader.frames():
            if tag == LINKED:
                found = set(pickle.loads(payload)) - self.linked
                if any(row <= self.tried_up_to for row in found):
                    raise Mispredicted
                self.linked |= found
            chunk = self._take(tag, payload)
            if chunk:
                self.tried_up_to = chunk[-1].row
                yield chunk

    def drain(self) -> None:
        """Keep the rest of the rows on disk, without trying them."""
        for tag, payload in self.reader.frames():
            self._take(tag, payload, load=False)

    def _take(self, tag: bytes, payload: memoryview, load: bool = True) -> list[Staged] | None:
        if tag == ROWS:
            (count,) = COUNT.unpack_from(payload)
            data = payload[COUNT.size :]
            self.pending.add_pickled(self.kind, data, count)
            return [Staged(*record) for record in pickle.loads(data)] if load else None
        if tag == DONE:
            self.reading = pickle.loads(payload)
        return None

    def store(self, rows: list[Staged]) -> None:
        raise RuntimeError("A piped trial is one transaction: its results are held.")

    def hold(self, rows: list[Staged]) -> None:
        self.pending.hold(rows)

    def held(self) -> contextlib.AbstractContextManager:
        return self.pending.held()


class Reader:
    """The child process reading ``opened``, and the pipe its frames come through."""

    def __init__(self, opened: list[Opened]) -> None:
        self.opened = opened
        context = multiprocessing.get_context("fork")
        self.receiver, sender = context.Pipe(duplex=False)
        self.process = context.Process(target=_read, args=(opened, sender), name="hoanhap-import-reader")
        self.process.start()
        sender.close()  # the child's end: the pipe ends (EOFError) when the child goes
        self.done = False

    def frames(self) -> Iterator[tuple[bytes, memoryview]]:
        """The child's frames up to ``DONE``; its failure raised here."""
        while not self.done:
            try:
                data = self.receiver.recv_bytes()
            except EOFError:
                self.process.join()
                raise RuntimeError(
                    _("The process reading the file stopped (exit code {code}).").format(
                        code=self.process.exitcode
                    )
                ) from None
            tag, payload = data[:1], memoryview(data)[1:]
            if tag == FAILED:
                raise pickle.loads(payload)
            self.done = tag == DONE
            yield tag, payload

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.receiver.close()
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()


def _no_query(execute, sql, params, many, context):
    raise RuntimeError("The process reading an import file may not query the database.")


def _read(opened: list[Opened], sender) -> None:
    """The child: read every row and send it, then what the reading found (or why it failed)."""
    geo_tables.pin()
    try:
        with connection.execute_wrapper(_no_query):

            def emit(kind: str, chunk: list[Staged], seen: dict) -> None:
                linked = seen.pop(NEWLY_LINKED, None)
                if linked:
                    sender.send_bytes(LINKED + pickle.dumps(sorted(linked), pickle.HIGHEST_PROTOCOL))
                if chunk:
                    sender.send_bytes(
                        ROWS + COUNT.pack(len(chunk)) + pickle.dumps(records(chunk), pickle.HIGHEST_PROTOCOL)
                    )

            reading = loading.read_kinds(opened, emit)
        sender.send_bytes(DONE + pickle.dumps(reading, pickle.HIGHEST_PROTOCOL))
    except BaseException as exc:  # noqa: BLE001 — handed to the parent, which raises it
        sender.send_bytes(FAILED + _pickled(exc))
    finally:
        sender.close()


def _pickled(exc: BaseException) -> bytes:
    """The exception as the parent raises it (its type kept when it pickles, else its text)."""
    try:
        data = pickle.dumps(exc, pickle.HIGHEST_PROTOCOL)
        pickle.loads(data)
    except Exception:  # noqa: BLE001 — any exception may fail to pickle
        data = pickle.dumps(RuntimeError(f"{type(exc).__name__}: {exc}"))
    return data
