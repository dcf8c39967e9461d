"""Import kinds: each one a small adapter (its spec, how a row finds its records, how it is applied).

Add a kind by writing its ``KindSpec`` in ``reading/specs.py`` (or ``reading/specs_care.py``) and
an ``Adapter`` here, then listing it in ``ADAPTERS``. The order of ``ADAPTERS`` is the order in
which a workbook of several kinds is applied: people first, then their judgments and notices, then
the helpers, the children, and the support (a support row may name a child).
"""

from __future__ import annotations

from hoanhap.imports.kinds.base import Adapter
from hoanhap.imports.kinds.children import ChildrenAdapter
from hoanhap.imports.kinds.helpers import HelpersAdapter
from hoanhap.imports.kinds.judgments import JudgmentsAdapter
from hoanhap.imports.kinds.notices import NoticesAdapter
from hoanhap.imports.kinds.persons import PersonsAdapter
from hoanhap.imports.kinds.support import SupportAdapter

ADAPTERS: dict[str, Adapter] = {
    a.spec.code: a
    for a in (
        PersonsAdapter(),
        JudgmentsAdapter(),
        NoticesAdapter(),
        HelpersAdapter(),
        ChildrenAdapter(),
        SupportAdapter(),
    )
}


def adapter(kind: str) -> Adapter:
    return ADAPTERS[kind]
