"""Background jobs run as their user, report progress, keep their result for that user only."""

import pytest
from django.urls import reverse

from hoanhap.access.roles import Role
from hoanhap.audit.models import AuditEvent
from hoanhap.core.testing import THOAI_SON, make_organisation, make_user, sign_in
from hoanhap.jobs import progress as job_progress
from hoanhap.jobs import services
from hoanhap.jobs.models import Job

pytestmark = pytest.mark.django_db


@services.register("test_echo")
def _echo(job, progress):
    total = job.params["n"]
    for i in range(total):
        progress(i + 1, total)
    make_organisation(name="Created by a job", commune=THOAI_SON)
    return "echo.txt", ("x" * total).encode()


@services.register("test_fail")
def _fail(job, progress):
    raise ValueError("the file could not be read")


def test_job_runs_on_commit_as_its_user(django_capture_on_commit_callbacks):
    """The work runs after commit, with the starter as the audited actor and source 'task'."""
    user = make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start("test_echo", user=user, title="Echo", params={"n": 5})
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.percent == 100
    assert job.progress_done == 5
    assert job.result_file.read() == b"xxxxx"
    entry = AuditEvent.objects.get(action="access.organisation.created", target_repr="Created by a job")
    assert entry.actor == user
    assert entry.source == "task"
    assert entry.data["context"] == f"job {job.pk}"


def test_failed_job_shows_its_error(django_capture_on_commit_callbacks):
    user = make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start("test_fail", user=user, title="Fails")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "could not be read" in job.message


def test_unknown_kind_is_refused():
    with pytest.raises(KeyError):
        services.start("no_such_job", user=None, title="x")


def test_job_pages_belong_to_their_user(client, django_capture_on_commit_callbacks):
    """Another user cannot tell that someone else's job exists; the owner polls and downloads."""
    owner = make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON)
    other = make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start("test_echo", user=owner, title="Echo", params={"n": 3})
    sign_in(client, other)
    assert client.get(reverse("jobs:job-detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:job-download", args=[job.pk])).status_code == 404
    sign_in(client, owner)
    page = client.get(reverse("jobs:job-detail", args=[job.pk]), headers={"HX-Request": "true"})
    assert page.status_code == 200
    assert 'data-status="done"' in page.content.decode()
    download = client.get(reverse("jobs:job-download", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"xxx"
    listing = client.get(reverse("jobs:job-list"))
    assert "Echo" in listing.content.decode()


def test_job_api_lists_only_own_jobs(client, django_capture_on_commit_callbacks):
    owner = make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON)
    other = make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start("test_echo", user=owner, title="Echo", params={"n": 2})
    sign_in(client, other)
    assert client.get(f"/api/v1/jobs/{job.pk}/").status_code == 404
    assert client.get("/api/v1/jobs/").json()["results"] == []
    sign_in(client, owner)
    body = client.get(f"/api/v1/jobs/{job.pk}/").json()
    assert body["status"] == "done"
    assert body["percent"] == 100
    assert body["download_url"] == reverse("jobs:job-download", args=[job.pk])


@pytest.mark.django_db(transaction=True)
def test_progress_inside_the_jobs_own_transaction_is_seen_now_and_outlives_its_rollback():
    """An import's preview tries its rows in one transaction rolled back at the end: its progress
    must still reach the page (PostgreSQL: through a connection of its own)."""
    from django.db import connection, transaction

    job = Job.objects.create(kind="test_echo", title="Echo", params={"n": 1}, status=Job.Status.RUNNING)
    progress = services._ProgressWriter(job)
    with transaction.atomic():
        progress(5, 10)
        seen = Job.objects.filter(pk=job.pk).values_list("progress_done", "progress_total").get()
        progress(10, 10)  # the same connection aside, again
        transaction.set_rollback(True)
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total, job.percent) == (10, 10, 100)
    if connection.vendor == "sqlite":  # the transaction held the figures; the file beside them did not
        assert seen == (5, 10)
        assert Job.objects.filter(pk=job.pk).values_list("progress_done", "progress_total").get() == (0, 0)
    progress.close()
    assert progress.aside is None
    job.refresh_from_db()
    if connection.vendor == "postgresql":
        assert (job.progress_done, job.progress_total) == (10, 10)
    else:  # the job is over: the file goes, and the row's own figures count again
        assert job_progress.read(job.pk) is None
        assert (job.progress_done, job.progress_total) == (0, 0)


def test_progress_written_aside_is_read_only_for_a_running_job():
    """A finished job keeps the figures of its row, whatever a stale file says."""
    job = Job.objects.create(kind="test_echo", title="Echo", status=Job.Status.RUNNING, progress_total=4)
    job_progress.write(job.pk, 3, 4)
    assert Job.objects.get(pk=job.pk).progress_done == 3
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, progress_done=4)
    assert Job.objects.get(pk=job.pk).progress_done == 4
    job_progress.clear(job.pk)
    assert job_progress.read(job.pk) is None
