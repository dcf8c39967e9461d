"""Every row an import writes, whatever service writes it: the list the undo works from.

While ``capturing()`` is active, the ``pre_save``/``post_save``/``pre_delete`` receivers connected
by the app config note each created row, for each changed row its values before the first change of
the import, and for each deleted row its values when deleted. That covers rows the domain services
write on the side (residence history, timeline, management events), audited or not. Bookkeeping
rows (audit entries, the import's own tables, jobs, record-number sequences) are left out.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import decimal
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.db.models.fields.files import FieldFile

IGNORED_APPS = {
    "audit",
    "imports",
    "jobs",
    "sessions",
    "django_tasks_database",
    "otp_totp",
    "axes",
    "contenttypes",
}
IGNORED_MODELS = {"people.recordsequence"}
SKIPPED_FIELDS = {"created_at", "updated_at", "version"}


@dataclass
class Captured:
    """The rows noted since the last ``take`` (written to the undo list a chunk at a time), and the
    keys of every row noted since the start, compactly, so a row is noted once (memory stays flat)."""

    # key → repr, in creation order; a run of ids created together (``note_created_run``): the key
    # of its first row → the run (a ``range``)
    created: dict[tuple[str, str], str | range] = field(default_factory=dict)
    updated: dict[tuple[str, str], tuple[dict[str, Any], str]] = field(default_factory=dict)
    deleted: dict[tuple[str, str], tuple[dict[str, Any], str]] = field(default_factory=dict)
    seen: dict[str, set] = field(default_factory=dict)  # label → primary keys noted (int when digits)
    runs: dict[str, list[range]] = field(default_factory=dict)  # label → the runs of ids created

    def noted(self, key: tuple[str, str]) -> bool:
        pk = _compact(key[1])
        if pk in self.seen.get(key[0], ()):
            return True
        return pk.__class__ is int and any(pk in run for run in self.runs.get(key[0], ()))

    def note_created(self, key: tuple[str, str], text: str) -> None:
        self.created[key] = text
        self.seen.setdefault(key[0], set()).add(_compact(key[1]))

    def note_created_run(self, label: str, pks: list[int]) -> None:
        """Rows of ``label`` created together (the bulk path), noted a run of consecutive ids at a
        time: one change in the undo list for each run, not one per row."""
        for run in runs_of(pks):
            self.created[(label, str(run.start))] = run
            self.runs.setdefault(label, []).append(run)

    def note_updated(self, key: tuple[str, str], values: dict[str, Any], text: str) -> None:
        self.updated[key] = (values, text)
        self.seen.setdefault(key[0], set()).add(_compact(key[1]))

    def note_deleted(self, key: tuple[str, str], values: dict[str, Any], text: str) -> None:
        """A deleted row is noted every time (a key is deleted once); the undo sorts out a row the
        import also created or changed."""
        self.deleted[key] = (values, text)

    def take(self) -> tuple[dict, dict, dict]:
        """The rows noted since the last call (created, updated, deleted), forgotten here but for
        their keys."""
        created, updated, deleted = self.created, self.updated, self.deleted
        self.created, self.updated, self.deleted = {}, {}, {}
        return created, updated, deleted


def runs_of(pks: list[int]) -> list[range]:
    """``pks`` as runs of consecutive ids, in their order (ids taken ahead are one run; ids the
    database gives usually are)."""
    found: list[range] = []
    start = previous = None
    for pk in pks:
        if previous is not None and pk == previous + 1:
            previous = pk
            continue
        if start is not None:
            found.append(range(start, previous + 1))
        start = previous = pk
    if start is not None:
        found.append(range(start, previous + 1))
    return found


def _compact(pk: str) -> int | str:
    """An integer key as an int (a third of the memory of its text); any other text as it is."""
    return int(pk) if pk.isdigit() and str(int(pk)) == pk else pk


_current: contextvars.ContextVar[Captured | None] = contextvars.ContextVar(
    "hoanhap_import_capture", default=None
)


@contextlib.contextmanager
def capturing() -> Iterator[Captured]:
    captured = Captured()
    token = _current.set(captured)
    try:
        yield captured
    finally:
        _current.reset(token)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def snapshot(instance: Model) -> dict[str, Any]:
    """The stored values of a row by attribute name (primary key and bookkeeping columns left out)."""
    return {
        f.attname: _plain(f.value_from_object(instance))
        for f in instance._meta.concrete_fields
        if not f.primary_key and f.name not in SKIPPED_FIELDS
    }


def whole(instance: Model) -> dict[str, Any]:
    """``snapshot`` with the bookkeeping columns too: a deleted row comes back as it was."""
    return {
        f.attname: _plain(f.value_from_object(instance))
        for f in instance._meta.concrete_fields
        if not f.primary_key
    }


def restore(instance: Model, values: dict[str, Any]) -> None:
    """Put ``values`` (from ``snapshot``) back on ``instance`` (unsaved)."""
    by_attname = {f.attname: f for f in instance._meta.concrete_fields}
    for attname, value in values.items():
        model_field = by_attname.get(attname)
        if model_field is not None:
            setattr(instance, attname, model_field.to_python(value) if value is not None else None)


def key_of(instance: Model) -> tuple[str, str]:
    return instance._meta.label_lower, str(instance.pk)


def _ignored(sender: type[Model]) -> bool:
    meta = sender._meta
    return meta.app_label in IGNORED_APPS or meta.label_lower in IGNORED_MODELS


def before_save(sender, instance, raw=False, **kwargs) -> None:
    captured = _current.get()
    if captured is None or raw or _ignored(sender) or instance.pk is None or instance._state.adding:
        return
    key = key_of(instance)
    if captured.noted(key):
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    if old is not None:
        captured.note_updated(key, snapshot(old), str(old)[:255])


def after_save(sender, instance, created, raw=False, **kwargs) -> None:
    captured = _current.get()
    if captured is None or raw or _ignored(sender) or not created:
        return
    captured.note_created(key_of(instance), str(instance)[:255])


def before_delete(sender, instance, **kwargs) -> None:
    """Connected to each model capture does not ignore (a receiver for every sender would stop
    Django's fast deletes of the import's own tables)."""
    captured = _current.get()
    if captured is None or _ignored(sender) or instance.pk is None:
        return
    captured.note_deleted(key_of(instance), whole(instance), str(instance)[:255])


def watched_models() -> list[type[Model]]:
    """The concrete models whose deletes are noted."""
    from django.apps import apps

    return [m for m in apps.get_models() if not m._meta.abstract and not _ignored(m)]
