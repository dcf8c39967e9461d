"""Import kinds: each one a small adapter (its spec, how a row finds its records, how it is applied).

Add a kind by writing its ``KindSpec`` in ``reading/specs.py`` and an ``Adapter`` here, then listing
it in ``ADAPTERS`` (``support``, ``helpers`` and ``children`` follow when their apps settle). The
order of ``ADAPTERS`` is the order in which a workbook of several kinds is applied: people first.
"""

from __future__ import annotations

from hoanhap.imports.kinds.base import Adapter
from hoanhap.imports.kinds.judgments import JudgmentsAdapter
from hoanhap.imports.kinds.notices import NoticesAdapter
from hoanhap.imports.kinds.persons import PersonsAdapter

ADAPTERS: dict[str, Adapter] = {
    a.spec.code: a for a in (PersonsAdapter(), JudgmentsAdapter(), NoticesAdapter())
}


def adapter(kind: str) -> Adapter:
    return ADAPTERS[kind]
