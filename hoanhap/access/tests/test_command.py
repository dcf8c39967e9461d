"""The ``hoanhap account`` command: same services, audited with source "cli", limited by --user."""

import pytest
from django.db import connections

from hoanhap.access.models import User
from hoanhap.access.roles import Role
from hoanhap.audit.models import AuditEvent
from hoanhap.cli import main
from hoanhap.core.testing import AN_GIANG, BA_DINH, THOAI_SON, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Tam-thoi-2026!"


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    """A command closes every connection when it ends; in-process that would end the test's
    transaction on PostgreSQL, so closing is a no-op here."""
    monkeypatch.setattr(connections, "close_all", lambda: None)


def hoanhap(*args: str) -> None:
    main(["hoanhap", *args])


def test_create_and_grant_as_the_system_are_audited_with_source_cli(thoai_son_union):
    hoanhap(
        "account",
        "create",
        "cli.user",
        "--full-name",
        "Trần Văn Lệnh",
        "--password",
        PASSWORD,
        "--organisation-id",
        str(thoai_son_union.pk),
    )
    hoanhap("account", "grant", "cli.user", "commune_officer", "--commune", str(THOAI_SON))
    user = User.objects.get(username="cli.user")
    assert user.must_change_password
    assert user.organisation == thoai_son_union
    assert user.role_assignments.get().commune_id == THOAI_SON
    for action in ["access.user.registered", "access.user.created", "access.role.granted"]:
        event = AuditEvent.objects.get(action=action)
        assert (event.source, event.actor_label) == ("cli", "system"), action


def test_reset_password_acting_as_a_province_admin(province_admin, thoai_son_union):
    member = make_user(organisation=thoai_son_union, username="member")
    hoanhap("account", "reset-password", "member", "--password", PASSWORD, "--user", "ag-admin")
    member.refresh_from_db()
    assert member.check_password(PASSWORD)
    assert member.must_change_password
    event = AuditEvent.objects.get(action="access.password.reset")
    assert event.source == "cli"
    assert event.actor == province_admin


def test_user_option_narrows_what_the_command_may_do(province_admin, thoai_son_union, ha_noi_org, capsys):
    """Acting as a province administrator, the command refuses the system role and other provinces."""
    make_user(organisation=thoai_son_union, username="member")
    make_user(organisation=ha_noi_org, username="stranger")
    with pytest.raises(SystemExit):
        hoanhap("account", "grant", "member", "system_admin", "--user", "ag-admin")
    with pytest.raises(SystemExit):
        hoanhap(
            "account", "grant", "member", "commune_officer", "--commune", str(BA_DINH), "--user", "ag-admin"
        )
    with pytest.raises(SystemExit):
        hoanhap("account", "reset-password", "stranger", "--password", PASSWORD, "--user", "ag-admin")
    assert "stranger" in capsys.readouterr().err
    assert not AuditEvent.objects.filter(action__in=["access.role.granted", "access.password.reset"]).exists()


def test_list_with_scope(province_admin, hanoi_admin, thoai_son_union, capsys):
    make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON, username="officer")
    hoanhap("account", "list", "--scope", f"province:{AN_GIANG}")
    out = capsys.readouterr().out
    assert "officer" in out
    assert "ag-admin" in out
    assert "hn-admin" not in out
    hoanhap("account", "list", "--scope", f"commune:{THOAI_SON}")
    out = capsys.readouterr().out
    assert "officer" in out
    assert "ag-admin" not in out


def test_list_scope_cannot_widen_the_actor(province_admin):
    with pytest.raises(SystemExit):
        hoanhap("account", "list", "--scope", "province:1", "--user", "ag-admin")
