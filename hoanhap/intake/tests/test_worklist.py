"""“Việc hôm nay”: each section lists what is due in the actor's area, with its due date and a link."""

import datetime as dt

import pytest
from django.utils import timezone

from hoanhap.core.testing import AN_GIANG, BA_DINH, CHAU_DOC, HA_NOI, THOAI_SON
from hoanhap.intake import worklist
from hoanhap.intake.models import ManagementEvent
from hoanhap.intake.testing import make_classification, make_notice, make_person, make_transfer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def sections(actor, **kwargs):
    return {s.code: s for s in worklist.worklist(actor=actor, today=TODAY, **kwargs)}


def names(section):
    return [i.person.full_name for i in section.items]


def test_notices_to_verify_in_area_with_due_date(officer):
    due = make_notice(
        (AN_GIANG, THOAI_SON),
        person=make_person((AN_GIANG, THOAI_SON), full_name="A Cần", status="notified"),
        received_on=TODAY - dt.timedelta(days=10),
    )
    make_notice(
        (AN_GIANG, THOAI_SON),
        person=make_person((AN_GIANG, THOAI_SON), full_name="B Xong", status="notified"),
        verified_on=TODAY,
        verification_result="confirmed",
    )
    make_notice(
        (AN_GIANG, CHAU_DOC), person=make_person((AN_GIANG, CHAU_DOC), full_name="C Khác", status="notified")
    )
    section = sections(officer)["verify"]
    assert names(section) == ["A Cần"]
    item = section.items[0]
    assert item.due_on == due.verify_by
    assert item.overdue
    assert item.url == f"/intake/notices/{due.pk}/verify/"


def test_people_not_reported_after_the_threshold(officer):
    """Released 20 days ago (threshold 15) is listed; 5 days ago is not; conditional release after 5 days is."""
    late = make_person((AN_GIANG, THOAI_SON), full_name="Đến Muộn", status="released")
    ManagementEvent.objects.create(
        person=late,
        kind="released",
        occurred_on=TODAY - dt.timedelta(days=20),
        province_id=AN_GIANG,
        commune_id=THOAI_SON,
        data={"kind": "completed_term"},
    )
    recent = make_person((AN_GIANG, THOAI_SON), full_name="Mới Ra", status="released")
    ManagementEvent.objects.create(
        person=recent,
        kind="released",
        occurred_on=TODAY - dt.timedelta(days=5),
        province_id=AN_GIANG,
        commune_id=THOAI_SON,
        data={"kind": "completed_term"},
    )
    conditional = make_person((AN_GIANG, THOAI_SON), full_name="Tha Sớm", status="released")
    ManagementEvent.objects.create(
        person=conditional,
        kind="released",
        occurred_on=TODAY - dt.timedelta(days=6),
        province_id=AN_GIANG,
        commune_id=THOAI_SON,
        data={"kind": "conditional_release"},
    )
    expected = make_person((AN_GIANG, THOAI_SON), full_name="Chưa Về", status="notified")
    make_notice((AN_GIANG, THOAI_SON), person=expected, expected_release_date=TODAY - dt.timedelta(days=30))
    section = sections(officer)["not_reported"]
    assert sorted(names(section)) == ["Chưa Về", "Tha Sớm", "Đến Muộn"]
    by_name = {i.person.full_name: i for i in section.items}
    assert by_name["Đến Muộn"].due_on == TODAY - dt.timedelta(days=5)
    assert by_name["Tha Sớm"].due_on == TODAY - dt.timedelta(days=1)
    assert by_name["Chưa Về"].url.endswith("#step-release")


def test_transfers_awaiting_confirmation_and_escalated(officer, chau_doc_officer):
    incoming = make_transfer(
        (AN_GIANG, CHAU_DOC),
        to=(AN_GIANG, THOAI_SON),
        person=make_person((AN_GIANG, CHAU_DOC), full_name="Chuyển Đến"),
        sent_on=TODAY,
    )
    make_transfer(
        (AN_GIANG, THOAI_SON),
        to=(HA_NOI, BA_DINH),
        person=make_person((AN_GIANG, THOAI_SON), full_name="Chuyển Đi Lâu"),
        sent_on=TODAY - dt.timedelta(days=20),
        escalated_on=TODAY - dt.timedelta(days=9),
    )
    make_transfer(
        (AN_GIANG, THOAI_SON),
        to=(HA_NOI, BA_DINH),
        person=make_person((AN_GIANG, THOAI_SON), full_name="Chuyển Đi Mới"),
        sent_on=TODAY,
    )
    section = sections(officer)["transfers"]
    assert names(section) == ["Chuyển Đến", "Chuyển Đi Lâu"]
    assert section.items[0].url == f"/intake/transfers/{incoming.pk}/"
    assert section.items[0].due_on == TODAY + dt.timedelta(days=10)
    assert names(sections(chau_doc_officer)["transfers"]) == []


def test_missing_people_and_reviews(officer):
    missing = make_person((AN_GIANG, THOAI_SON), full_name="Vắng Mặt", status="whereabouts_unknown")
    ManagementEvent.objects.create(
        person=missing,
        kind="whereabouts_unknown",
        occurred_on=TODAY - dt.timedelta(days=3),
        province_id=AN_GIANG,
        commune_id=THOAI_SON,
        data={"previous_status": "in_management"},
    )
    unclassified = make_person((AN_GIANG, THOAI_SON), full_name="Chưa Phân Loại")
    due = make_person((AN_GIANG, THOAI_SON), full_name="Đến Hạn Xét")
    make_classification((AN_GIANG, THOAI_SON), person=due, next_review_on=TODAY - dt.timedelta(days=1))
    fine = make_person((AN_GIANG, THOAI_SON), full_name="Còn Lâu")
    make_classification((AN_GIANG, THOAI_SON), person=fine, next_review_on=TODAY + dt.timedelta(days=100))
    result = sections(officer)
    assert names(result["missing"]) == ["Vắng Mặt"]
    assert result["missing"].items[0].due_on == TODAY - dt.timedelta(days=3)
    # The section itself: in the worklist, case work's combined review replaces it when installed.
    assert sorted(names(worklist.reviews(officer, TODAY))) == sorted([unclassified.full_name, due.full_name])


def test_worklist_is_empty_without_casework(facility_user):
    assert worklist.worklist(actor=facility_user) == []


def test_expungement_section_lists_expunged_records(officer):
    """A person whose only conviction is expunged is listed, with the expungement date as due date."""
    from hoanhap.justice.models import Judgment, JudgmentOffence, Offence

    person = make_person((AN_GIANG, THOAI_SON), full_name="Đã Xóa Án")
    offence = Offence.objects.filter(chapter__in=[16, 17]).first() or Offence.objects.first()
    if offence is None:
        pytest.skip("no offence catalogue loaded")
    judgment = Judgment.objects.create(
        person=person,
        court_name="TAND",
        judgment_number="1/2015/HS-ST",
        judgment_date=dt.date(2015, 1, 10),
        is_final=True,
        offence_committed_on=dt.date(2014, 6, 1),
        main_penalty_type="imprisonment",
        main_penalty_years=1,
        main_penalty_completed_on=dt.date(2016, 1, 10),
    )
    JudgmentOffence.objects.create(judgment=judgment, offence=offence)
    section = sections(officer)["expungement"]
    assert names(section) == ["Đã Xóa Án"]
    assert section.items[0].due_on is not None
    assert section.items[0].due_on <= TODAY
    assert "expungement" not in sections(officer, expungement=False)


def test_worklist_queries_do_not_grow_with_the_rows(officer):
    """One or two queries per section, whatever the number of notices, transfers and people."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as ctx:
            worklist.worklist(actor=officer, today=TODAY)
        return len(ctx.captured_queries)

    def add_rows(n):
        for i in range(n):
            p = make_person((AN_GIANG, THOAI_SON), full_name=f"Người {i}", status="notified")
            make_notice((AN_GIANG, THOAI_SON), person=p, expected_release_date=TODAY - dt.timedelta(days=40))
            make_transfer(
                (AN_GIANG, CHAU_DOC), to=(AN_GIANG, THOAI_SON), person=make_person((AN_GIANG, CHAU_DOC))
            )
            make_person((AN_GIANG, THOAI_SON), full_name=f"Mất {i}", status="whereabouts_unknown")

    add_rows(1)
    count()  # the actor's grants are read once and cached
    few = count()
    add_rows(5)
    assert count() == few
