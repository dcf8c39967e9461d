"""The job list exports what it shows: one's own jobs (every job for a system administrator), audited."""

import pytest
from django.urls import reverse

from hoanhap.access.roles import Role
from hoanhap.audit.models import AuditEvent
from hoanhap.core.testing import THOAI_SON, exported_csv_rows, exported_xlsx_rows, make_user, sign_in
from hoanhap.jobs.models import Job

pytestmark = pytest.mark.django_db

EXPORT = reverse("jobs:job-export")


@pytest.fixture
def owner():
    return make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON, username="chu.viec")


@pytest.fixture
def jobs(owner):
    other = make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON)
    Job.objects.create(kind="test", title="Việc của tôi", user=owner, status=Job.Status.DONE)
    Job.objects.create(kind="test", title="Việc người khác", user=other)


def test_export_lists_only_ones_own_jobs(client, owner, jobs):
    sign_in(client, owner)
    rows = exported_csv_rows(client.post(EXPORT, {"purpose": "Lưu trữ", "format": "csv"}))
    assert [(r[0], r[1]) for r in rows] == [("Việc của tôi", "chu.viec")]
    assert [
        r[0] for r in exported_xlsx_rows(client.post(EXPORT, {"purpose": "Lưu trữ", "format": "xlsx"}))
    ] == ["Việc của tôi"]
    event = AuditEvent.objects.filter(action="export.created").latest("pk")
    assert (event.purpose, event.data["rows"]) == ("Lưu trữ", 1)


def test_a_system_administrator_exports_every_job(client, jobs):
    sign_in(client, make_user(Role.SYSTEM_ADMIN))
    rows = exported_csv_rows(client.post(EXPORT, {"purpose": "Kiểm tra", "format": "csv"}))
    assert {r[0] for r in rows} == {"Việc của tôi", "Việc người khác"}


def test_export_needs_a_signed_in_user(client, jobs):
    response = client.post(EXPORT, {"purpose": "Lưu trữ", "format": "csv"})
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert not AuditEvent.objects.filter(action="export.created").exists()


def test_list_page_links_the_export(client, owner):
    sign_in(client, owner)
    assert client.get(EXPORT).status_code == 200  # the purpose form
    assert EXPORT in client.get(reverse("jobs:job-list")).content.decode()
