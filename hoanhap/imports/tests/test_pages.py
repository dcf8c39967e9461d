"""The pages and the API: upload → check (job) → preview → decisions → commit (job) → result → undo; scoping."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hoanhap.access.roles import Role
from hoanhap.core.testing import AN_GIANG, BA_DINH, CHAU_DOC, HA_NOI, THOAI_SON, make_user, sign_in
from hoanhap.imports import testing
from hoanhap.imports.models import ImportBatch, ResidenceChoice, StagedRow
from hoanhap.intake.testing import make_person
from hoanhap.people.models import Person

from .builders import xlsx

pytestmark = pytest.mark.django_db


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


def _upload(client, tmp_path, rows, kind="persons"):
    path = xlsx(tmp_path / "ds.xlsx", rows)
    upload = SimpleUploadedFile("ds.xlsx", path.read_bytes())
    return client.post(reverse("imports:batch-upload"), {"file": upload, "kind": kind})


ROWS = [
    ["DANH SÁCH"],
    [],
    ["Họ và tên", "Năm sinh", "Giới tính", "Nơi cư trú"],
    ["Nguyễn Văn An", 1985, "Nam", "Xã Thoại Sơn, An Giang"],
    ["Trần Văn Bình", "15/13/1980", "Nam", "Xã Thoại Sơn, An Giang"],
    ["Nguyễn Văn Tư", 1970, "Nam", "Xã Thoại Sơn, An Giang"],
]


def test_upload_check_preview_commit_result_and_undo(client, officer, tmp_path):
    """The whole flow through the pages; jobs run at once in tests."""
    make_person((AN_GIANG, THOAI_SON), full_name="Nguyễn Văn Tu", birth_year=1970)  # a probable duplicate
    response = _upload(client, tmp_path, ROWS)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response.url == batch.get_absolute_url()
    assert (batch.province_id, batch.commune_id, batch.status) == (AN_GIANG, THOAI_SON, "staged")
    page = client.get(batch.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Năm sinh" in html, html[html.find("<main") :][:3000]
    dup = StagedRow.objects.get(batch=batch, row=6)
    assert reverse("imports:row-decide", args=[dup.pk]) in html, (
        dup.errors,
        dup.duplicates,
        html[html.find("batch-rows") :][:2500],
    )
    duplicate = StagedRow.objects.get(batch=batch, row=6)
    assert duplicate.action == StagedRow.Action.ERROR
    assert duplicate.duplicates
    response = client.post(
        reverse("imports:row-decide", args=[duplicate.pk]), {"decision": "new"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    duplicate.refresh_from_db()
    assert duplicate.action == StagedRow.Action.CREATE
    response = client.post(reverse("imports:batch-commit", args=[batch.pk]), {"commit": "valid"})
    batch.refresh_from_db()
    assert batch.status == "applied", batch.message
    assert (batch.created, batch.failed) == (2, 1)
    assert batch.job.result_file  # the report, downloadable from the job too
    report = client.get(reverse("imports:batch-report", args=[batch.pk]))
    assert report.status_code == 200
    assert report["Content-Type"].startswith("application/vnd.openxml")
    assert Person.objects.filter(full_name="Nguyễn Văn Tư").exists()
    client.post(reverse("imports:batch-undo", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "undone"
    assert not Person.objects.filter(full_name__in=["Nguyễn Văn An", "Nguyễn Văn Tư"]).exists()


def test_commit_all_is_refused_while_a_row_has_an_error(client, officer, tmp_path):
    _upload(client, tmp_path, ROWS[:5])
    batch = ImportBatch.objects.get()
    client.post(reverse("imports:batch-commit", args=[batch.pk]), {"commit": "all"})
    batch.refresh_from_db()
    assert batch.status == "staged"
    assert not Person.objects.filter(full_name="Nguyễn Văn An").exists()


def test_mapping_is_editable_and_remembered_for_the_source(client, officer, tmp_path):
    rows = [["Họ và tên", "Nơi cư trú", "Điện thoại nhà"], ["An", "Xã Thoại Sơn, An Giang", "0909"]]
    _upload(client, tmp_path, rows)
    batch = ImportBatch.objects.get()
    assert any(w["column"] == "Điện thoại nhà" for w in batch.sheet_warnings)
    page = client.get(reverse("imports:batch-mapping", args=[batch.pk]))
    assert page.status_code == 200
    client.post(
        reverse("imports:batch-mapping", args=[batch.pk]),
        {"persons:hovaten": "full_name", "persons:noicutru": "address", "persons:dienthoainha": "phone"},
    )
    batch.refresh_from_db()
    assert StagedRow.objects.get(batch=batch).values.get("phone") == "0909"
    _upload(client, tmp_path, rows)  # the same source again: the mapping is reused
    second = ImportBatch.objects.exclude(pk=batch.pk).get()
    assert StagedRow.objects.get(batch=second).values.get("phone") == "0909"


def test_another_communes_officer_cannot_see_the_batch(client):
    batch = testing.make_batch((AN_GIANG, THOAI_SON))
    other = make_user(Role.COMMUNE_OFFICER, commune=CHAU_DOC)
    sign_in(client, other)
    assert client.get(batch.get_absolute_url()).status_code == 404
    assert client.get(reverse("imports:batch-report", args=[batch.pk])).status_code == 404
    assert batch.file_name not in client.get(reverse("imports:batch-list")).content.decode()
    assert client.get(f"/api/v1/imports/batches/{batch.pk}/").status_code == 404


def test_a_helper_role_without_edit_people_is_refused(client):
    viewer = make_user(Role.PROVINCE_LEADER, province=AN_GIANG)
    sign_in(client, viewer)
    assert client.get(reverse("imports:batch-list")).status_code == 403


def test_residence_choice_is_offered_to_candidate_communes_only(client):
    choice = testing.make_residence_choice((AN_GIANG, THOAI_SON))
    officer = make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON)
    sign_in(client, officer)
    assert choice.address_text in client.get(reverse("intake:today")).content.decode()
    response = client.post(choice.get_absolute_url(), {"commune": THOAI_SON})
    assert response.status_code == 302
    choice.refresh_from_db()
    choice.person.refresh_from_db()
    assert choice.chosen_id == THOAI_SON
    assert choice.person.commune_id == THOAI_SON
    other = testing.make_residence_choice((AN_GIANG, THOAI_SON))
    sign_in(client, make_user(Role.COMMUNE_OFFICER, commune=CHAU_DOC))
    assert client.get(other.get_absolute_url()).status_code == 404


def test_api_upload_preview_commit_and_undo(client, officer, tmp_path):
    path = xlsx(tmp_path / "a.xlsx", ROWS[2:4], title="persons")
    with path.open("rb") as handle:
        response = client.post("/api/v1/imports/batches/", {"file": handle})
    assert response.status_code == 201, response.content
    batch_id = response.json()["id"]
    assert response.json()["status"] == "staging"  # the check runs on the worker once the upload is saved
    assert client.get(f"/api/v1/imports/batches/{batch_id}/").json()["status"] == "staged"
    rows = client.get(f"/api/v1/imports/batches/{batch_id}/rows/").json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert [r["action"] for r in rows] == ["create"]
    response = client.post(
        f"/api/v1/imports/batches/{batch_id}/commit/", {"commit": "all"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert client.get(f"/api/v1/imports/batches/{batch_id}/").json()["created"] == 1
    response = client.post(f"/api/v1/imports/batches/{batch_id}/undo/")
    assert (response.status_code, response.json()["status"]) == (200, "undoing")  # on the worker
    assert client.get(f"/api/v1/imports/batches/{batch_id}/").json()["status"] == "undone"
    assert not Person.objects.exists()
    again = client.post(f"/api/v1/imports/batches/{batch_id}/undo/")
    assert again.status_code == 400  # undone already


@pytest.mark.parametrize("count", [2, 12])
def test_preview_page_query_count_is_bounded(client, officer, django_assert_max_num_queries, count):
    batch = testing.make_batch((AN_GIANG, THOAI_SON))
    for i in range(count):
        testing.make_row(
            (AN_GIANG, THOAI_SON),
            batch=batch,
            row=3 + i,
            warnings=[{"sheet": "s", "row": 3 + i, "column": "A", "message": "m"}],
        )
    with django_assert_max_num_queries(14):
        assert client.get(batch.get_absolute_url()).status_code == 200


def test_out_of_scope_place_is_not_listed_in_the_api(client, officer):
    testing.make_batch((HA_NOI, BA_DINH))
    mine = testing.make_batch((AN_GIANG, THOAI_SON))
    data = client.get("/api/v1/imports/batches/").json()
    ids = [b["id"] for b in (data["results"] if isinstance(data, dict) else data)]
    assert ids == [mine.pk]
    assert ResidenceChoice.objects.count() == 0
