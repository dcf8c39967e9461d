"""Suite-wide fixtures: the geography is loaded once into the test database."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API inside pytest-django


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from hoanhap.geo.loader import load_geo

    with django_db_blocker.unblock():
        load_geo()


@pytest.fixture(autouse=True)
def _fresh_audit_context():
    """Each test starts as the system actor, whatever an earlier test set."""
    from hoanhap.audit import context

    with context.acting(source=context.SOURCE_SYSTEM):
        yield


def pytest_collection_modifyitems(config, items):
    """Keep each test module on one xdist worker (its module fixtures are built once), and the
    demo population package together (its package fixture loads the demo province)."""
    for item in items:
        path = item.nodeid.split("::")[0]
        group = "demo-population" if "/demo/tests/population/" in path else path
        item.add_marker(pytest.mark.xdist_group(group))
