"""A commune officer imports a real-looking list of people through the pages, the worker doing the work.

One walk in a real browser (Debian's chromium, Vietnamese pages): upload a small .xlsx with a title
row, a good row, a row whose year of birth is impossible, a name typed in the legacy TCVN3 encoding
and a person already on record; look at the guessed columns; read the preview, where the bad row's
error names its column; commit the valid rows only; watch the progress bar until the worker is done;
read the result (created, unchanged, errors) and download the report; then undo the import, the
worker doing that too.

Jobs go through the real task queue here: the database backend of ``make run`` instead of the
immediate backend of the other tests, and the worker runs in the test's own thread
(``db_worker --batch``) while the page waits. The page's progress polls pass through a route
handler, which Playwright only calls while the test talks to the browser: the live server and the
worker, which share the in-memory database, therefore never run at the same time.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoanhap.access.roles import Role
from hoanhap.core.testing import AN_GIANG, THOAI_SON, make_user
from hoanhap.imports.models import ImportBatch, StagedRow
from hoanhap.imports.reading.legacy import tcvn3_encode
from hoanhap.intake.testing import make_person
from hoanhap.people.models import Person

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-thu-123"
ADDRESS = "Xã Thoại Sơn, tỉnh An Giang"
LEGACY_NAME = "Phạm Văn Đức"
ROWS = [
    ["DANH SÁCH NGƯỜI CHẤP HÀNH XONG ÁN PHẠT TÙ VỀ ĐỊA PHƯƠNG"],
    [],
    ["Họ và tên", "Năm sinh", "Giới tính", "Nơi cư trú"],
    ["Nguyễn Văn An", 1985, "Nam", ADDRESS],  # row 4: good
    ["Trần Văn Bình", "15/13/1980", "Nam", ADDRESS],  # row 5: there is no month 13
    [tcvn3_encode(LEGACY_NAME), 1990, "Nam", ADDRESS],  # row 6: typed with a .VnTime font
    ["Lê Văn Cũ", 1975, "Nam", ADDRESS],  # row 7: already on record, unchanged
]


@pytest.fixture
def tasks_on_the_worker(settings):
    """The task queue of ``make run`` (database backend) instead of running each job at once."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def officer(geography, tasks_on_the_worker):
    user = make_user(
        Role.COMMUNE_OFFICER.value, commune=THOAI_SON, username="cs_thoai_son", password=PASSWORD
    )
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


@pytest.fixture
def known_person(geography):
    return make_person((AN_GIANG, THOAI_SON), full_name="Lê Văn Cũ", birth_year=1975, address=ADDRESS)


@pytest.fixture
def workbook(tmp_path):
    path = tmp_path / "danh-sach-thoai-son.xlsx"
    book = openpyxl.Workbook()
    for row in ROWS:
        book.active.append(row)
    book.save(path)
    return path


class Polls:
    """Routes the batch page's progress polls (the only requests while the worker runs) and keeps
    their answers.

    The answer that finds the work done asks the page to reload (HX-Refresh); a poll the timer fired
    in the meantime is cancelled here, so that it cannot reload the page a second time, and the
    browser's own cancelling of it is not taken for a server failure.
    """

    PATTERN = re.compile(r"[?&]poll=1")

    def __init__(self, page):
        self.bodies: list[str] = []
        self.finished = False
        page.route(self.PATTERN, self.handle)

    def handle(self, route):
        if self.finished:
            route.abort()
            return
        response = route.fetch()
        self.bodies.append(response.text())
        self.finished = response.headers.get("hx-refresh") == "true"
        route.fulfill(response=response)

    @classmethod
    def cancelled(cls, failure: str) -> bool:
        return failure.startswith("failed ") and bool(cls.PATTERN.search(failure))


def run_worker() -> None:
    """What ``hoanhap db_worker --batch`` does: run every queued task, then stop."""
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="browser-test",
        excluded_queue_names=[],
    ).run()


def sign_in_with_code(page, live_server, user) -> None:
    page.goto(live_server.url + reverse("access:login"))
    page.locator("main form input[name=username]").fill(user.username)
    page.locator("main form input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    device = TOTPDevice.objects.get(user=user)
    form = page.locator("main form:has(input[name=token])")
    form.locator("input[name=token]").fill(f"{TOTP(device.bin_key).token():06d}")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url == live_server.url + reverse("core:home"), page.url


def watch_until_done(page, polls: Polls) -> None:
    """The bar is shown while the job waits; the worker runs; the page's poll sees it finish and reloads."""
    bar = page.locator("#batch-progress [role=progressbar]")
    assert bar.count() == 1, page.locator("main").inner_text()
    assert bar.get_attribute("aria-valuenow") == "0"
    seen, polls.finished = len(polls.bodies), False
    run_worker()
    with page.expect_navigation(timeout=15_000):  # HX-Refresh once the batch is no longer busy
        page.wait_for_timeout(100)  # the page's polls are answered while Playwright is called
    page.wait_for_load_state()
    final = polls.bodies[seen:][-1]
    assert 'aria-valuenow="100"' in final, final
    assert page.locator("#batch-progress").count() == 0


def count(page, name: str) -> int:
    return int(page.locator(f"[data-count={name}]").inner_text())


def preview_rows(page) -> dict[int, str]:
    rows = {}
    for text in page.locator("#batch-rows tbody tr").all_inner_texts():
        match = re.match(r"\S+:(\d+)", text.strip())
        if match:
            rows[int(match.group(1))] = " ".join(text.split())
    return rows


def test_officer_imports_a_list_and_downloads_the_result(
    page, live_server, traffic, officer, known_person, workbook
):
    """Upload → columns → preview (error on “Năm sinh”) → only valid rows → progress → result → report
    → undo."""
    polls = Polls(page)
    sign_in_with_code(page, live_server, officer)

    # 1. Upload: the check is queued; the batch page shows the progress bar until the worker is done.
    page.goto(live_server.url + reverse("imports:batch-upload"))
    form = page.locator("main form[enctype='multipart/form-data']")
    form.locator("input[name=file]").set_input_files(str(workbook))
    form.locator("select[name=kind]").select_option("persons")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    batch = ImportBatch.objects.get()
    assert page.url == live_server.url + batch.get_absolute_url()
    watch_until_done(page, polls)

    # 2. The columns as guessed: every column of the file is read as the data it holds.
    page.locator(f"main a[href='{reverse('imports:batch-mapping', args=[batch.pk])}']").click()
    page.wait_for_load_state()
    mapping = {
        page.locator(f"label[for='{select.get_attribute('id')}']").inner_text(): select.input_value()
        for select in page.locator("main form select").all()
    }
    assert mapping == {
        "Họ và tên": "full_name",
        "Năm sinh": "birth_date",
        "Giới tính": "sex",
        "Nơi cư trú": "address",
    }, mapping
    page.go_back()
    page.wait_for_load_state()

    # 3. The preview: the bad row's error names its column; the legacy name reads as Unicode.
    assert count(page, "rows") == 4
    assert count(page, "failed") == 1
    rows = preview_rows(page)
    assert sorted(rows) == [4, 5, 6, 7], rows
    assert "Năm sinh" in rows[5], rows[5]  # the column named with its error
    assert "15/13/1980" in rows[5], rows[5]
    assert page.locator("#batch-rows tr.table-danger").count() == 1
    assert LEGACY_NAME in rows[6], rows[6]
    actions = dict(StagedRow.objects.filter(batch=batch).values_list("row", "action"))
    assert actions == {4: "create", 5: "error", 6: "create", 7: "skip"}, actions
    assert tcvn3_encode(LEGACY_NAME) not in page.locator("main").inner_text()

    # 4. Commit only the valid rows; the import runs on the worker with the progress bar.
    commit = page.locator(f"main form[action='{reverse('imports:batch-commit', args=[batch.pk])}']")
    commit.locator("input[name=commit][value=valid]").check()
    with page.expect_navigation():
        commit.locator("button[type=submit]").click()
    watch_until_done(page, polls)

    # 5. The result: two created, one unchanged, one error; the report downloads with its error column.
    assert (count(page, "created"), count(page, "skipped"), count(page, "failed")) == (2, 1, 1)
    assert Person.objects.filter(full_name=LEGACY_NAME, birth_year=1990, commune_id=THOAI_SON).exists()
    assert not Person.objects.filter(full_name="Trần Văn Bình").exists()
    report_url = reverse("imports:batch-report", args=[batch.pk])
    with page.expect_download() as download:
        page.locator(f"main a[href='{report_url}']").click()
    report = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()), read_only=True)
    lines = list(report["persons"].iter_rows(values_only=True))
    assert [line[0] for line in lines[1:]] == [4, 5, 6, 7]
    bad = next(line for line in lines if line[0] == 5)
    assert "[Năm sinh]" in bad[-1], bad
    batch.refresh_from_db()
    assert (batch.status, batch.created, batch.skipped) == ("applied", 2, 1)
    assert StagedRow.objects.get(batch=batch, row=7).outcome == StagedRow.Action.SKIP

    # 6. Undo the whole import (confirmed): it runs on the worker with the progress bar too.
    page.once("dialog", lambda dialog: dialog.accept())
    undo = page.locator(f"main form[action='{reverse('imports:batch-undo', args=[batch.pk])}']")
    with page.expect_navigation():
        undo.locator("button[type=submit]").click()
    watch_until_done(page, polls)
    batch.refresh_from_db()
    assert batch.status == "undone"
    assert batch.get_status_display() in page.locator("main").inner_text()
    assert not Person.objects.filter(full_name=LEGACY_NAME).exists()
    assert Person.objects.filter(pk=known_person.pk).exists()  # on record before: left alone

    assert traffic.foreign(live_server.url) == []
    # Cancelled by the browser, not failed: the navigation that turned into the download, a progress
    # poll fired while the page reloads.
    aborted = {f"failed {live_server.url}{report_url}"}
    assert [f for f in traffic.failures if f not in aborted and not Polls.cancelled(f)] == []
