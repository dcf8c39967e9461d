"""Writes are audited whatever the channel: a page, the API, a command."""

import pytest
from django.db import connections
from rest_framework.authtoken.models import Token

from hoanhap import cli
from hoanhap.access.models import Organisation
from hoanhap.audit.models import AuditEvent
from hoanhap.core.testing import sign_in

pytestmark = pytest.mark.django_db


def created_entry(name: str) -> AuditEvent:
    org = Organisation.objects.get(name=name)
    return AuditEvent.objects.get(action="access.organisation.created", target_id=str(org.pk))


@pytest.mark.urls("hoanhap.audit.tests.urls")
def test_write_through_a_page_records_user_web_ip_and_request(client, province_admin):
    """A page's write is filed under the signed-in user, source 'web', the client's address."""
    sign_in(client, province_admin)
    response = client.post("/test-audit/organisations/", {"name": "Qua trang web"}, REMOTE_ADDR="10.20.30.40")
    assert response.status_code == 201
    event = created_entry("Qua trang web")
    assert (event.actor, event.source, event.ip) == (province_admin, "web", "10.20.30.40")
    assert event.request_id == response["X-Request-ID"]


@pytest.mark.urls("hoanhap.audit.tests.urls")
def test_request_id_from_the_proxy_is_kept(client, province_admin):
    sign_in(client, province_admin)
    client.post(
        "/test-audit/organisations/",
        {"name": "Có mã yêu cầu"},
        HTTP_X_REQUEST_ID="0123456789abcdef0123456789abcdef",
    )
    assert created_entry("Có mã yêu cầu").request_id == "0123456789abcdef0123456789abcdef"


@pytest.mark.urls("hoanhap.audit.tests.urls")
def test_write_through_the_api_with_a_token_records_source_api(client, province_admin):
    """Token authentication happens inside DRF, after the middleware: the actor is still found."""
    token = Token.objects.create(user=province_admin)
    response = client.post(
        "/api/v1/test-audit/organisations/",
        {"name": "Qua API"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 201
    event = created_entry("Qua API")
    assert (event.actor, event.source, event.ip) == (province_admin, "api", "127.0.0.1")


SHELL_WRITE = (
    "from hoanhap.access.models import Organisation; "
    "Organisation.objects.create(name={name!r}, kind='other', province_id=91, commune_id=30682)"
)


@pytest.fixture
def in_process_command(monkeypatch):
    """Run the console script in this process, inside the test's transaction.

    A management command closes every connection when it ends; here that would end the test's
    transaction (PostgreSQL), so closing is turned into a no-op for the duration of the test.
    """
    monkeypatch.setattr(connections, "close_all", lambda: None)

    def run(*args: str) -> int:
        return cli.main(["hoanhap", *args])

    return run


def test_write_by_a_command_is_filed_under_the_system_actor(in_process_command):
    """A command without --user acts as the system, from the command line."""
    in_process_command("shell", "-c", SHELL_WRITE.format(name="Từ dòng lệnh"))
    event = created_entry("Từ dòng lệnh")
    assert (event.actor, event.actor_label, event.source, event.ip) == (None, "system", "cli", None)


def test_write_by_a_command_with_user_is_filed_under_that_user(in_process_command, province_admin):
    """``--user NAME`` makes the command act as that account."""
    in_process_command(
        "shell", "--user", province_admin.username, "-c", SHELL_WRITE.format(name="Có người dùng")
    )
    event = created_entry("Có người dùng")
    assert (event.actor, event.source) == (province_admin, "cli")
