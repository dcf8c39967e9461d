"""The demo's case work: idempotent, believable shares, what the demo accounts see, nothing leaks to helpers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext

from hoanhap.access import policy
from hoanhap.access.models import User
from hoanhap.access.roles import Cap
from hoanhap.audit import context
from hoanhap.audit.models import AuditEvent
from hoanhap.casework import selectors, services
from hoanhap.casework.models import Contact, HelperAssignment, Need, PlanAction, PoliceNote, Review
from hoanhap.demo import casework
from hoanhap.demo import province as demo
from hoanhap.intake import worklist
from hoanhap.intake.models import Classification
from hoanhap.people.models import Person, TimelineEntry

pytestmark = pytest.mark.django_db

CASEWORK_SECTIONS = ("casework_visits", "casework_plan", "casework_no_helper", "casework_reviews")


@pytest.fixture(scope="module")
def case_work(demo_population, django_db_blocker):
    """What the case-work step created on the demo population (run here while the loader lacks it)."""
    with django_db_blocker.unblock():
        if "casework" in demo_population["steps"]:
            return {"created": demo_population["steps"]["casework"], "classifications_before": None}
        before = Classification.objects.count()
        with context.acting(source=context.SOURCE_CLI, note="load-demo"):
            created = casework.load()
        if connection.vendor == "postgresql":
            connection.check_constraints()  # once here, not at the end of every test (see conftest)
        return {"created": created, "classifications_before": before}


def today() -> dt.date:
    return timezone.localdate()


def user(username: str) -> User:
    return User.objects.get(username=username)


def under_management():
    return Person.objects.filter(province_id=demo.PROVINCE, status=Person.Status.IN_MANAGEMENT)


def test_the_first_load_writes_every_kind_of_case_work(case_work):
    """Every record of case work is there in believable numbers for some 5,000 people under management."""
    created = case_work["created"]
    people = under_management().count()
    assert set(created) == set(casework.COUNT_KEYS)
    assert people * 0.9 <= created["helper_assignments"] <= people * 1.5
    assert created["needs"] == 7 * Review.objects.filter(kind=Review.Kind.ENTRY).count()
    assert created["contacts"] >= people * 2
    assert 0 < created["police_notes"] < created["contacts"] * 0.1
    assert created["plan_actions"] > 0
    assert created["reviews"] > 0


def test_a_second_load_creates_nothing(case_work):
    """People who have case work are left alone: loading again writes no row."""
    counts = {model: model.objects.count() for model in casework.TABLES}
    assert casework.load() == dict.fromkeys(casework.COUNT_KEYS, 0)
    assert {model: model.objects.count() for model in casework.TABLES} == counts


def test_most_people_under_management_have_a_helper_today(case_work):
    """About 85–90 % have a helper today, so "people without a helper" is a short list; some had one before."""
    people = under_management()
    helped = people.filter(selectors.has_current_helper(today())).count()
    assert 0.84 <= helped / people.count() <= 0.93
    ended = HelperAssignment.objects.filter(end_date__lt=today())
    assert ended.count() > 100
    assert ended.exclude(note="").count() == ended.count()  # each says why it ended
    assert HelperAssignment.objects.filter(organisation__isnull=False).count() > 100
    assert HelperAssignment.objects.filter(organisation__isnull=True).exclude(helper_name="").count() > 1000
    assert not HelperAssignment.objects.filter(
        organisation__kind__in=["commune_police", "commune_committee"]
    ).exists()


def test_the_womens_union_of_thoai_son_sees_a_dozen_people_and_no_police_note(case_work):
    """hoiphunu.thoaison sees 10–20 people, all of Thoại Sơn and helped by her organisation today."""
    helper = user("hoiphunu.thoaison")
    people = policy.restrict(Person.objects.all(), helper, Cap.VIEW_PEOPLE)
    assert 10 <= people.count() <= 20
    assert set(people.values_list("commune_id", flat=True)) == {demo.THOAI_SON}
    assert len(selectors.my_people(actor=helper)) == people.count()
    assert not policy.restrict(PoliceNote.objects.all(), helper, Cap.VIEW_PEOPLE).exists()
    assert not policy.restrict(PoliceNote.objects.all(), helper, Cap.VIEW_JUDGMENTS).exists()
    assert not policy.restrict(Review.objects.all(), helper, Cap.VIEW_PEOPLE).exists()
    contacts = policy.restrict(Contact.objects.all(), helper, Cap.VIEW_PEOPLE)
    assert contacts.exists()
    assert set(contacts.values_list("person_id", flat=True)) <= set(people.values_list("pk", flat=True))
    assert Contact.objects.filter(recorded_by=helper).exists()  # she records visits herself


def test_the_commune_officer_has_a_short_list_in_each_case_work_section(case_work):
    """canbo.thoaison sees some items, not hundreds, in every case-work section of "Việc hôm nay"."""
    sections = {s.code: s for s in worklist.worklist(actor=user("canbo.thoaison"), expungement=False)}
    for code in CASEWORK_SECTIONS:
        assert 1 <= len(sections[code].items) <= 25, code
    assert any(item.overdue for item in sections["casework_plan"].items)


def test_timeline_entries_helpers_read_carry_no_police_note(case_work):
    """Helpers read "casework." entries: no police-note text there, nor in contacts; notes leave their own kind."""
    texts = set(PoliceNote.objects.values_list("text", flat=True))
    assert texts
    visible = TimelineEntry.objects.filter(kind__startswith="casework.")
    assert visible.count() > 50_000
    for text in texts:
        assert not visible.filter(summary__contains=text[:40]).exists()
        assert not Contact.objects.filter(
            Q(note__contains=text[:40]) | Q(observations__contains=text[:40])
        ).exists()
    notes = TimelineEntry.objects.filter(kind="casework_police.note.added")
    assert notes.count() == PoliceNote.objects.count()
    assert notes.values("summary").distinct().count() == 1  # "Police note recorded.", and nothing more


def test_every_row_has_its_timeline_entry(case_work):
    """Assignments, contacts, reviews and plan actions appear on the timeline, as the services write them."""
    for model, kind in [
        (HelperAssignment, "casework.helper.assigned"),
        (Contact, "casework.contact.recorded"),
        (Review, "casework.review.recorded"),
        (PlanAction, "casework.plan.added"),
    ]:
        assert TimelineEntry.objects.filter(kind=kind).count() == model.objects.count(), kind
    results = PlanAction.objects.exclude(status=PlanAction.Status.OPEN).count()
    assert TimelineEntry.objects.filter(kind="casework.plan.result").count() == results
    ended = HelperAssignment.objects.exclude(end_date=None).count()
    assert TimelineEntry.objects.filter(kind="casework.helper.ended").count() == ended


def test_timeline_entries_are_worded_as_the_services_word_them(case_work):
    """A bulk entry reads, links and points like the one the case-work services write for the same event."""
    person = (
        under_management().filter(commune_id=demo.THOAI_SON, contacts__kind=Contact.Kind.HOME_VISIT).first()
    )
    visit = person.contacts.filter(kind=Contact.Kind.HOME_VISIT).first()
    bulk = TimelineEntry.objects.get(kind="casework.contact.recorded", target_id=str(visit.pk))
    data = {"occurred_on": today(), "kind": Contact.Kind.HOME_VISIT, "participants": "Huỳnh Văn Tâm"}
    made = services.contact_record(actor=policy.SYSTEM, person=person, data=data)
    entry = TimelineEntry.objects.get(kind="casework.contact.recorded", target_id=str(made.pk))
    assert (bulk.summary, bulk.url, bulk.target_type) == (entry.summary, entry.url, entry.target_type)
    assignments = HelperAssignment.objects.select_related("organisation", "user").order_by("pk")[::50]
    for assignment in assignments:
        entry = TimelineEntry.objects.get(kind="casework.helper.assigned", target_id=str(assignment.pk))
        assert entry.summary == gettext("Helper assigned: {name}.").format(name=assignment.display_name)
        assert entry.occurred_on == assignment.start_date


def test_reviews_are_those_of_the_existing_classifications(case_work):
    """A review points to a classification of the same person, on its date and with its next review:
    the step makes no classification of its own."""
    reviews = Review.objects.all()
    assert not reviews.exclude(classification__person_id=F("person_id")).exists()
    assert not reviews.exclude(reviewed_on=F("classification__decided_on")).exists()
    assert not reviews.exclude(next_review_on=F("classification__next_review_on")).exists()
    assert not reviews.values("classification").annotate(n=Count("pk")).filter(n__gt=1).exists()
    if case_work["classifications_before"] is not None:
        assert Classification.objects.count() == case_work["classifications_before"]
    entry = reviews.filter(kind=Review.Kind.ENTRY).first()
    assert len(entry.needs_snapshot) == 7
    assert {n["status"] for n in entry.needs_snapshot} <= {"no_need", "identified"}


def test_needs_and_plans_are_consistent(case_work):
    """Seven domains per person reviewed; many met, some in progress, a few declined with a reason;
    actions answer the person's own need; open ones fall due around today."""
    statuses = dict(Need.objects.values_list("status").annotate(n=Count("pk")))
    assert statuses["met"] > statuses["in_progress"] > statuses["declined"] > 0
    assert not Need.objects.filter(status=Need.Status.DECLINED, declined_reason="").exists()
    assert not PlanAction.objects.exclude(need__person_id=F("person_id")).exists()
    assert not PlanAction.objects.filter(status=PlanAction.Status.OPEN, need__status=Need.Status.MET).exists()
    opened = PlanAction.objects.filter(status=PlanAction.Status.OPEN)
    assert opened.filter(due_on__lt=today()).exists()
    assert opened.filter(due_on__gte=today(), due_on__lte=today() + dt.timedelta(days=7)).exists()
    assert not PlanAction.objects.filter(result_on__gt=today()).exists()
    assert not Contact.objects.filter(occurred_on__gt=today()).exists()
    kinds = set(Contact.objects.values_list("kind", flat=True))
    assert kinds == set(Contact.Kind.values)


def test_each_batch_has_its_audit_entry(case_work):
    """Bulk rows bypass the automatic audit; each batch writes one entry that counts them."""
    entries = AuditEvent.objects.filter(action="demo.casework.batch")
    assert entries.exists()
    rows = sum(e.data["rows"].get("casework.contact", 0) for e in entries)
    assert rows == Contact.objects.count()
    assert all(e.data["bulk"] for e in entries)


def test_a_story_is_the_same_every_time(case_work):
    """A person's case work depends only on their facts and the day: the same seed gives the same rows."""
    facts = casework.Facts(
        id=1, record_code="89-000001", seed="089099000001", name="Nguyễn Văn Hòa", sex="male", birth_year=1990,
        ethnicity=1, religion="hoa_hao", address="Tổ 3, ấp Long Hòa", commune=demo.THOAI_SON,
        status=Person.Status.IN_MANAGEMENT, group="B", entered_on=dt.date(2024, 3, 1),
        here_since=dt.date(2024, 3, 1), came_from=None, missing_on=None,
        classifications=[(1, "B", dt.date(2024, 3, 10), dt.date(2024, 9, 10)),
                         (2, "C", dt.date(2024, 9, 12), dt.date(2025, 3, 12))],
        flags={"card": False, "residence": True, "job": True, "loan": False}, drugs=True,
    )  # fmt: skip

    def rows() -> dict:
        writer = casework.Writer(dt.date(2026, 11, 1))
        casework.Story(writer, facts, womens_union=False).tell()
        return {m.__name__: [{k: v for k, v in r.items() if k != "id"} for r in writer.rows[m].pending]
                for m in casework.TABLES}  # fmt: skip

    first = rows()
    assert first == rows()
    assert first["Review"]
    assert first["Need"]
    assert first["Contact"]
