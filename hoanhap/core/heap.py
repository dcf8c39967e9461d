"""Long batches and the garbage collector.

Each full pass of Python's cyclic garbage collector walks every object alive in the process:
Django, the geography tables and the caches a worker holds, hundreds of thousands of them. A batch
of 100,000 rows makes dozens of full passes, each walking that heap again for nothing (it only
grows). ``settled()`` sets the objects alive when the batch starts aside from those passes while
it runs (``gc.freeze``); they are handed back when the outermost batch ends. A process that froze
its heap itself (a server after forking) is left as it is.

A batch also allocates millions of short-lived containers (a row's values, its problems, its
tuples), nearly all freed by reference counting, and the collector's default thresholds start a
young collection every 700 allocations. While a batch runs the thresholds are raised
(``BATCH_THRESHOLDS``): cycles are still collected, less often. When the outermost batch ends, the
memory it freed is handed back to the system.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_ours = False  # whether the freeze is this module's (a server may have frozen its heap itself)
_thresholds: tuple[int, ...] = ()  # the collector's thresholds before the outermost batch
# Allocations between young collections, and young (then middle) collections between older ones.
# Measured against the defaults (700, 10, 10) on this shared 2-core machine, the difference stayed
# within the noise (± 20 %) of a 20,000-row preview: the collector is not where its time goes.
BATCH_THRESHOLDS = (50_000, 20, 100)


@contextmanager
def settled() -> Iterator[None]:
    """Run the block with the objects alive now left out of full garbage collections."""
    global _depth, _ours, _thresholds
    with _lock:
        if _depth == 0:
            _ours = gc.get_freeze_count() == 0
            if _ours:
                gc.freeze()
            _thresholds = gc.get_threshold()
            if _thresholds[0]:  # 0: automatic collection is off, and stays so
                gc.set_threshold(*(max(a, b) for a, b in zip(BATCH_THRESHOLDS, _thresholds, strict=False)))
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                gc.set_threshold(*_thresholds)
                if _ours:
                    gc.unfreeze()
                gc.collect()
                _give_back()


def _give_back() -> None:
    """Hand the memory the batch freed back to the system (glibc keeps freed heap pages for the
    process otherwise: a worker would carry a preview's peak into every later job)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim():
    """glibc's ``malloc_trim``, or None on a C library without it."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None
