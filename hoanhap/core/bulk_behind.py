"""SQLite: a block's bulk inserts run on a second thread, in order, while the caller goes on.

A bulk writer spends about half its time in SQLite and half in Python making the next rows (their
audit entries, their JSON). sqlite3 lets other threads run while SQLite works, so inside
``behind()`` each ``bulk_sql.insert`` (and ``bulk_sql.execute``) is converted in the caller's thread
and handed to one worker thread, which runs the statements in the order given on the connection of
the caller's transaction; the block ends when the worker has run them all. SQLite is built
serialized here (``THREADSAFE=1``): a query the caller makes meanwhile waits for the statement
running, and then runs, in the same transaction.

What the block asks of its caller: a statement that needs what a queued one wrote must be queued
too (or come after ``drain``); new rows take their ids from ``reserve`` (nothing is read back).
PostgreSQL, or no block: statements run at once, as before.
"""

from __future__ import annotations

import contextlib
import contextvars
import queue
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

# How soon the worker gets the interpreter back when SQLite returns, while the caller computes
# (Python's default: 5 ms, a wait on every statement the worker binds).
SWITCH_INTERVAL = 0.0005

_current: contextvars.ContextVar[Behind | None] = contextvars.ContextVar("bulk_behind", default=None)


class Behind:
    """The worker of one block: ``put`` a statement, ``reserve`` ids, ``drain`` to wait for all."""

    def __init__(self, db) -> None:
        self.db = db
        self.raw = db.connection  # the sqlite3 connection of the caller's transaction
        self.todo: queue.SimpleQueue = queue.SimpleQueue()
        self.done = threading.Condition()
        self.queued = self.finished = 0
        self.error: BaseException | None = None
        self.cancelled = False  # the block failed: what is still queued is dropped
        self.next_ids: dict[str, int] = {}
        self.written: set[str] = set()  # tables the queue inserts into
        self.thread = threading.Thread(target=self._work, name="bulk-behind", daemon=True)
        self.thread.start()

    def put(self, run: Callable[[Any], None], table: str | None = None) -> None:
        """Queue ``run(cursor)`` (writing into ``table``, when it inserts); a failure of an earlier one
        is raised here, at the latest at the end."""
        if self.error is not None:
            self.drain()
        if table is not None:
            self.written.add(table)
        self.queued += 1
        self.todo.put(run)

    def drain(self) -> None:
        """Wait until every queued statement has run; raise the first failure."""
        with self.done:
            while not self.done.wait_for(lambda: self.finished >= self.queued, timeout=1.0):
                if not self.thread.is_alive():  # never, unless the interpreter is going down
                    raise RuntimeError("The bulk writer's thread stopped with statements left to run.")
        if self.error is not None:
            error, self.error = self.error, None
            raise error

    def reserve(self, model: type[Model], count: int) -> range:
        """``count`` new ids of ``model``'s table, after every id it ever gave (AUTOINCREMENT)."""
        table = model._meta.db_table
        if table not in self.next_ids:
            if table in self.written:
                self.drain()  # rows queued without ids taken here count
            else:
                self.written.add(table)
            quoted = self.db.ops.quote_name(table)
            with self.db.cursor() as cursor:
                cursor.execute(
                    f"SELECT max(coalesce((SELECT max(id) FROM {quoted}), 0), "
                    "coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
                    [table],
                )
                self.next_ids[table] = cursor.fetchone()[0] + 1
        first = self.next_ids[table]
        self.next_ids[table] = first + count
        return range(first, first + count)

    def stop(self) -> None:
        self.todo.put(None)
        self.thread.join()

    def _work(self) -> None:
        cursor = self.raw.cursor()
        try:
            while True:
                run = self.todo.get()
                if run is None:
                    return
                try:
                    if self.error is None and not self.cancelled:
                        with self.db.wrap_database_errors:
                            run(cursor)
                except BaseException as error:  # noqa: BLE001 — handed to the caller by drain()
                    self.error = error
                with self.done:
                    self.finished += 1
                    self.done.notify_all()
        finally:
            cursor.close()


def current() -> Behind | None:
    return _current.get()


@contextlib.contextmanager
def behind(using: str = DEFAULT_DB_ALIAS) -> Iterator[Behind | None]:
    """Run the block's bulk statements on a second thread (SQLite, inside a transaction); the block
    ends when they have all run, their first failure raised. Nested: the outer block's worker."""
    db = connections[using]
    if db.vendor != "sqlite" or _current.get() is not None:
        yield _current.get()
        return
    if not db.in_atomic_block:
        raise RuntimeError("behind() must run inside a transaction.")
    db.ensure_connection()
    worker = Behind(db)
    token = _current.set(worker)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        yield worker
        worker.drain()
    except BaseException:
        worker.cancelled = True
        raise
    finally:
        _current.reset(token)
        worker.stop()  # after a failure of the block too: nothing runs on the connection after it
        sys.setswitchinterval(interval)
