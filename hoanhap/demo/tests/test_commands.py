"""hoanhap load-demo and hoanhap demo-accounts."""

from io import StringIO

import pytest
from django.core.management import call_command

from hoanhap.access.models import User
from hoanhap.access.roles import Role
from hoanhap.demo.accounts import USERNAMES
from hoanhap.demo.province import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_demo_accounts_lists_every_role_with_the_password(demo):
    """The table names each demo account, the translated label of each role, and the password."""
    output = run("demo_accounts", "--url", "http://127.0.0.1:8765/")
    for username in USERNAMES:
        assert username in output
    for role in Role:
        assert str(role.label) in output
    assert output.count(DEMO_PASSWORD) == len(USERNAMES) + 1  # every row, and the hint
    assert "Xã Thoại Sơn (Công an xã Thoại Sơn)" in output
    assert "http://127.0.0.1:8765/" in output


def test_demo_accounts_does_not_show_a_changed_password_as_the_demo_one(demo):
    account = User.objects.get(username="admin")
    account.set_password("Changed-by-admin-1")
    account.save()
    rows = [line for line in run("demo_accounts").splitlines() if line.startswith("admin ")]
    assert len(rows) == 1
    assert DEMO_PASSWORD not in rows[0]


def test_load_demo_prints_one_line(demo):
    """On a loaded database the command says so in one line."""
    output = run("load_demo")
    assert output.count("\n") == 1
    assert "Tỉnh An Giang" in output
