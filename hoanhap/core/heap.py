"""Long batches and the garbage collector.

Each full pass of Python's cyclic garbage collector walks every object alive in the process:
Django, the geography tables and the caches a worker holds, hundreds of thousands of them. A batch
of 100,000 rows makes dozens of full passes, each walking that heap again for nothing (it only
grows). ``settled()`` sets the objects alive when the batch starts aside from those passes while
it runs (``gc.freeze``); they are handed back when the outermost batch ends. A process that froze
its heap itself (a server after forking) is left as it is.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_ours = False  # whether the freeze is this module's (a server may have frozen its heap itself)


@contextmanager
def settled() -> Iterator[None]:
    """Run the block with the objects alive now left out of full garbage collections."""
    global _depth, _ours
    with _lock:
        if _depth == 0:
            _ours = gc.get_freeze_count() == 0
            if _ours:
                gc.freeze()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _ours:
                gc.unfreeze()
