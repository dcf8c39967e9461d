"""Fixtures of the justice tests: rule texts are checked in English (the msgids)."""

import pytest
from django.utils import translation


@pytest.fixture
def english():
    with translation.override("en"):
        yield
