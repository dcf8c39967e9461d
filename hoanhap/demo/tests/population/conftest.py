"""Every demo step loaded once for this package, inside a transaction rolled back at its end.

The population (~12,000 people), their case work and the help given take about a minute to load on
SQLite; the modules here share one load. Each test still runs in its own savepoint.
"""

import pytest
from django.db import connection, transaction

from hoanhap.demo.loader import load_demo


@pytest.fixture(scope="package")
def demo_population(django_db_setup, django_db_blocker):
    """The summary of a first ``load_demo()`` of every step, the demo population included."""
    with django_db_blocker.unblock(), transaction.atomic():
        summary = load_demo()
        if connection.vendor == "postgresql":
            # Check the deferred foreign keys of the ~400,000 new rows once, here: left pending, they
            # would be checked again at the end of every test (each rollback puts them back).
            connection.check_constraints()
        yield summary
        transaction.set_rollback(True)
