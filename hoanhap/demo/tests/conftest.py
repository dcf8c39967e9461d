"""The demo is loaded once per test module, inside a transaction rolled back at the module's end.

Each test still runs in its own savepoint (pytest-django's ``django_db``), so a test may change the
demo data without affecting the next one, and nothing leaks into other apps' tests.
"""

import pytest
from django.db import transaction

from hoanhap.demo.loader import load_demo


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The summary of a first ``load_demo()`` on the test database (geography already loaded)."""
    with django_db_blocker.unblock(), transaction.atomic():
        summary = load_demo()
        yield summary
        transaction.set_rollback(True)
