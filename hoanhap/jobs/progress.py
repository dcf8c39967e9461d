"""A running job's progress kept beside the database, for SQLite.

An import's preview tries its rows in one transaction rolled back at the end, and its apply writes
in one: on SQLite that transaction holds the database's only write lock, so the progress the job
writes to its row stays inside it and the page would see nothing move (PostgreSQL gets a
connection of its own instead: ``services._ProgressWriter``). So the job also writes its progress
to a small file; a running job read from the database takes the newer figures from there
(``Job.from_db``). SQLite serves one machine, so the web process reads what the worker wrote.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings


def _path(pk: int) -> Path:
    return Path(settings.HOANHAP_PROGRESS_DIR) / f"job-{pk}"


def write(pk: int, done: int, total: int) -> None:
    """Replace the job's figures at once (a reader never sees half a file)."""
    path = _path(pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(f"{done} {total}", encoding="ascii")
    os.replace(partial, path)


def read(pk: int) -> tuple[int, int] | None:
    """The job's figures written aside, or None (none written, or unreadable)."""
    try:
        done, total = _path(pk).read_text(encoding="ascii").split()
        return int(done), int(total)
    except (OSError, ValueError):
        return None


def clear(pk: int) -> None:
    _path(pk).unlink(missing_ok=True)
