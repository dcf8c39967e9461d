"""The demo is loaded once per test module, inside a transaction rolled back at the module's end.

Each test still runs in its own savepoint (pytest-django's ``django_db``), so a test may change the
demo data without affecting the next one, and nothing leaks into other apps' tests.

``demo`` loads the base steps (organisations and accounts): ``loader.STEPS`` is narrowed to them for
the module, so the loader's own tests run in a second. The tests that need every step, the ~12,000
people included, live in the ``population`` package, which loads them once for all its modules.
"""

import pytest
from django.db import transaction

from hoanhap.demo import loader
from hoanhap.demo.loader import load_demo

BASE_STEPS = ("organisations", "accounts")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The summary of a first ``load_demo()`` of the base steps (geography already loaded)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(loader, "STEPS", [s for s in loader.STEPS if s.name in BASE_STEPS])
        with django_db_blocker.unblock(), transaction.atomic():
            summary = load_demo()
            yield summary
            transaction.set_rollback(True)
