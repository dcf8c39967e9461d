"""Today's date (Asia/Ho_Chi_Minh), held still for one piece of work when asked.

The rules read today's date to refuse dates in the future. An import runs them thousands of times
(working the date out costs a time zone conversion each), and all its rows should be judged
against the same day even when it runs past midnight: ``one_day()`` fixes the date for the work
inside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_fixed: ContextVar[dt.date | None] = ContextVar("fixed_today", default=None)


def today() -> dt.date:
    """The local date: the one ``one_day`` fixed, else the current one."""
    return _fixed.get() or timezone.localdate()


@contextmanager
def one_day() -> Iterator[dt.date]:
    """Hold ``today()`` at the current date until the block ends (nested blocks keep the outer day)."""
    token = _fixed.set(today())
    try:
        yield _fixed.get()
    finally:
        _fixed.reset(token)
