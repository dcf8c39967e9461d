"""hoanhap demo-accounts on a database without the demo (this module never loads it)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from hoanhap.demo.province import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_without_demo_data_demo_accounts_says_how_to_get_it():
    """On a database without the demo, there is no table, only a pointer to load-demo."""
    out = StringIO()
    with translation.override("en"):
        call_command("demo_accounts", stdout=out)
    output = out.getvalue()
    assert "load-demo" in output
    assert DEMO_PASSWORD not in output
