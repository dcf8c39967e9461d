"""The whole-scope export from the browser and the API: a background job run as the user, on one of
their own areas, with a purpose; the file is downloaded by whoever may follow the job, and audited."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from hoanhap.access.models import RoleAssignment
from hoanhap.access.roles import Role
from hoanhap.audit.models import AuditEvent
from hoanhap.core.testing import AN_GIANG, CHAU_DOC, THOAI_SON, make_organisation, make_user, sign_in
from hoanhap.imports.exporting import services as exporting
from hoanhap.intake.testing import make_person
from hoanhap.jobs import services as job_services
from hoanhap.jobs.models import Job

pytestmark = pytest.mark.django_db

PURPOSE = "Chuyển dữ liệu sang máy chủ mới"


@pytest.fixture(autouse=True)
def _jobs_run_on_commit(django_capture_on_commit_callbacks):
    """Jobs are queued on commit; here every request's callbacks run at once (as the worker would)."""
    from django.test import Client

    original = Client.request

    def request(self, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return original(self, **kwargs)

    Client.request = request
    yield
    Client.request = original


@pytest.fixture
def officer(client):
    user = make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON)
    sign_in(client, user)
    return user


@pytest.fixture
def people():
    """One person in the officer's commune, one in another commune of the province."""
    return (
        make_person((AN_GIANG, THOAI_SON), full_name="Nguyễn Văn Xuất"),
        make_person((AN_GIANG, CHAU_DOC), full_name="Trần Văn Khác"),
    )


def _post(client, scope, purpose=PURPOSE, **extra):
    return client.post(reverse("imports:export"), {"scope": scope, "purpose": purpose, **extra})


def _options(html: str) -> set[str]:
    return set(re.findall(r'<option value="((?:province|commune):\d+)"', html))


def test_the_page_offers_only_the_users_own_areas(client, officer):
    """A commune officer chooses their commune; a province officer the province and its communes."""
    page = client.get(reverse("imports:export"))
    assert page.status_code == 200
    assert _options(page.content.decode()) == {f"commune:{THOAI_SON}"}
    sign_in(client, make_user(Role.PROVINCE_OFFICER, province=AN_GIANG))
    options = _options(client.get(reverse("imports:export")).content.decode())
    assert {f"province:{AN_GIANG}", f"commune:{THOAI_SON}", f"commune:{CHAU_DOC}"} <= options
    assert all(o == f"province:{AN_GIANG}" or o.startswith("commune:") for o in options)


def test_the_export_runs_as_a_job_of_the_user_and_its_download_is_audited(client, officer, people):
    """Submit → job (run at once here) → progress page with the link → the workbook of the commune only."""
    mine, other = people
    response = _post(client, f"commune:{THOAI_SON}")
    job = Job.objects.get(kind=exporting.EXPORT)
    assert response.status_code == 302
    assert response.url == reverse("imports:export-job", args=[job.pk])
    assert (job.status, job.user, job.params["with_details"]) == ("done", officer, False), job.message
    export = AuditEvent.objects.get(action="export.created")
    assert (export.actor, export.purpose, export.commune_code) == (officer, PURPOSE, THOAI_SON)
    assert export.source == "task"
    assert export.data["context"] == f"job {job.pk}"
    assert export.data["filters"]["scope"] == f"commune:{THOAI_SON}"

    poll = client.get(reverse("imports:export-job", args=[job.pk]), headers={"HX-Request": "true"})
    html = poll.content.decode()
    assert 'data-status="done"' in html
    assert "<html" not in html  # the partial alone
    assert reverse("imports:export-download", args=[job.pk]) in html
    assert job.title in client.get(reverse("imports:export")).content.decode()  # my latest exports

    download = client.get(reverse("imports:export-download", args=[job.pk]))
    assert download.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)
    assert "readonly_people" not in book.sheetnames  # the box was left unticked
    codes = [row[0] for row in book["persons"].iter_rows(min_row=2, values_only=True)]
    assert codes == [mine.record_code]
    read = AuditEvent.objects.get(action="jobs.job.viewed")
    assert (read.actor, read.purpose, read.commune_code, read.province_code) == (
        officer,
        PURPOSE,
        THOAI_SON,
        AN_GIANG,
    )
    assert read.data["file"] == job.result_name

    # The jobs app's own download link ("My background jobs") audits the file the same way.
    again = client.get(reverse("jobs:job-download", args=[job.pk]))
    assert again.status_code == 200
    assert AuditEvent.objects.filter(action="jobs.job.viewed", target_id=str(job.pk)).count() == 2


def test_the_detail_sheets_come_when_asked(client, officer, people):
    _post(client, f"commune:{THOAI_SON}", with_details="on")
    job = Job.objects.get(kind=exporting.EXPORT)
    assert job.params["with_details"] is True
    assert "readonly_people" in openpyxl.load_workbook(job.result_file.path, read_only=True).sheetnames


@pytest.mark.parametrize("scope", [f"province:{AN_GIANG}", f"commune:{CHAU_DOC}"])
def test_an_area_that_is_not_the_users_is_refused(client, officer, scope):
    """The province and another commune: 403, nothing queued, nothing recorded."""
    assert _post(client, scope).status_code == 403
    response = client.post(
        "/api/v1/imports/exports/", {"scope": scope, "purpose": PURPOSE}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not Job.objects.exists()
    assert not AuditEvent.objects.filter(action="export.created").exists()


@pytest.mark.parametrize("data", [{"purpose": "  "}, {"purpose": ""}, {"scope": "commune:99999999"}])
def test_a_purpose_and_a_real_unit_are_required(client, officer, data):
    response = client.post(
        reverse("imports:export"), {"scope": f"commune:{THOAI_SON}", "purpose": PURPOSE, **data}
    )
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode()
    assert not Job.objects.exists()


def test_only_who_may_follow_the_job_sees_and_downloads_it(client, officer, people):
    """Another officer of the same commune: not found; a helper (no judgments): refused."""
    _post(client, f"commune:{THOAI_SON}")
    job = Job.objects.get(kind=exporting.EXPORT)
    sign_in(client, make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON))
    assert client.get(reverse("imports:export-job", args=[job.pk])).status_code == 404
    assert client.get(reverse("imports:export-download", args=[job.pk])).status_code == 404
    helper = make_user(Role.HELPER, organisation=make_organisation(province=AN_GIANG, commune=THOAI_SON))
    sign_in(client, helper)
    assert client.get(reverse("imports:export")).status_code == 403
    assert client.get(reverse("imports:export-download", args=[job.pk])).status_code == 403
    assert not AuditEvent.objects.filter(action="jobs.job.viewed").exists()


def test_the_job_checks_the_scope_again_when_it_runs(django_capture_on_commit_callbacks, people):
    """A grant withdrawn between the request and the worker: the job fails and nothing is written."""
    officer = make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = exporting.export_start(officer, scope=f"commune:{THOAI_SON}", purpose=PURPOSE)
    RoleAssignment.objects.filter(user=officer).delete()
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert not job.result_file
    assert not AuditEvent.objects.filter(action="export.created").exists()


def test_the_api_queues_the_export_and_names_the_job(client, officer, people):
    response = client.post(
        "/api/v1/imports/exports/",
        {"scope": f"commune:{THOAI_SON}", "purpose": PURPOSE, "with_details": False},
        content_type="application/json",
    )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status_url"] == f"/api/v1/jobs/{body['id']}/"
    assert body["page_url"] == reverse("imports:export-job", args=[body["id"]])
    status = client.get(body["status_url"]).json()
    assert (status["kind"], status["status"]) == (exporting.EXPORT, "done")
    missing = client.post(
        "/api/v1/imports/exports/", {"scope": f"commune:{THOAI_SON}"}, content_type="application/json"
    )
    assert missing.status_code == 400


@pytest.mark.parametrize("count", [2, 8])
def test_the_export_pages_run_a_bounded_number_of_queries(
    client, officer, django_assert_max_num_queries, count
):
    for i in range(count):
        job_services.start(
            exporting.EXPORT, user=officer, title=f"Xuất {i}", params={"scope": f"commune:{THOAI_SON}"}
        )
    job = Job.objects.filter(kind=exporting.EXPORT).first()
    client.get(reverse("imports:export"))  # warm the session and the caches
    with django_assert_max_num_queries(12):
        assert client.get(reverse("imports:export")).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("imports:export-job", args=[job.pk])).status_code == 200
