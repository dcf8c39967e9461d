"""Fixtures of the cross-cutting tests: data built once per module, then rolled back.

``module_atomic`` opens one transaction per module (like ``TestCase.setUpTestData``): rows created
inside it are seen by every test of the module, each test runs in its own savepoint on top
(pytest-django's ``django_db``), and everything is rolled back when the module ends, so nothing
leaks into other tests — the audit rows included, which could not be deleted afterwards.
"""

from __future__ import annotations

import contextlib

import pytest
from django.db import connections, transaction


@pytest.fixture(scope="module")
def module_atomic(django_db_setup, django_db_blocker):
    """Yield inside one transaction per database; roll it back after the module's last test."""
    with django_db_blocker.unblock(), contextlib.ExitStack() as stack:
        for alias in connections:
            stack.enter_context(_rolled_back(alias))
        with django_db_blocker.block():
            yield


@contextlib.contextmanager
def _rolled_back(alias: str):
    with transaction.atomic(using=alias):
        yield
        transaction.set_rollback(True, using=alias)
