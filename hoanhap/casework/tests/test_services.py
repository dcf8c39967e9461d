"""Case-work services: rules, scope, version checks, timeline and audit, in one transaction."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hoanhap.access import policy
from hoanhap.access.roles import Cap
from hoanhap.audit.models import AuditEvent
from hoanhap.casework import services
from hoanhap.casework.models import Contact, HelperAssignment, Need, PlanAction, PoliceNote, Review
from hoanhap.casework.testing import make_contact, make_helper_assignment, make_need, make_plan_action
from hoanhap.intake.models import Classification
from hoanhap.intake.testing import make_person
from hoanhap.people.models import Person

from .conftest import OTHER_PLACE, PLACE

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def kinds(person):
    return list(person.timeline.order_by("pk").values_list("kind", flat=True))


def error_fields(exc_info) -> set[str]:
    return set(exc_info.value.message_dict)


# -- helper assignments ----------------------------------------------------------------------------


def test_assigning_a_helper_opens_the_person_to_them_and_is_recorded(officer, helper, union, person):
    """The assignment is an access grant; it leaves a timeline entry and named and row audit entries."""
    assert not policy.allows(helper, Cap.VIEW_PEOPLE, person)
    assignment = services.helper_assign(
        actor=officer,
        person=person,
        data={"organisation": union, "helper_name": "Nguyễn Thị Lan", "start_date": TODAY},
    )
    assert policy.allows(helper, Cap.VIEW_PEOPLE, person)
    assert kinds(person) == ["casework.helper.assigned"]
    assert "Nguyễn Thị Lan" in person.timeline.get().summary
    actions = set(AuditEvent.objects.filter(target_id=str(assignment.pk)).values_list("action", flat=True))
    assert {"casework.helperassignment.created", "casework.helperassignment.assigned"} <= actions


def test_a_person_whose_case_work_ended_gets_a_helper_only_as_a_past_record(officer, union):
    """Assigning is for running case work; an imported list of earlier years records it as past."""
    ended = make_person(PLACE, full_name="Lê Văn Tư", status=Person.Status.ENDED)
    data = {"organisation": union, "start_date": TODAY - dt.timedelta(days=900)}
    with pytest.raises(ValidationError) as exc:
        services.helper_assign(actor=officer, person=ended, data=data)
    assert error_fields(exc) == {"person"}
    assignment = services.helper_assign(actor=officer, person=ended, data=data, past=True)
    assert assignment.person == ended
    assert kinds(ended) == ["casework.helper.assigned"]


def test_assignment_must_name_someone_and_keep_its_dates_in_order(officer, person):
    with pytest.raises(ValidationError) as exc:
        services.helper_assign(actor=officer, person=person, data={"start_date": TODAY})
    assert error_fields(exc) == {"helper_name"}
    with pytest.raises(ValidationError) as exc:
        services.helper_assign(
            actor=officer,
            person=person,
            data={
                "helper_name": "Ông Tổ trưởng",
                "start_date": TODAY,
                "end_date": TODAY - dt.timedelta(days=1),
            },
        )
    assert error_fields(exc) == {"end_date"}
    assert not HelperAssignment.objects.exists()


def test_officer_of_another_commune_cannot_assign(chau_doc_officer, person):
    with pytest.raises(PermissionDenied):
        services.helper_assign(
            actor=chau_doc_officer, person=person, data={"helper_name": "X", "start_date": TODAY}
        )


def test_no_case_work_once_management_ended(officer):
    ended = make_person(PLACE, status=Person.Status.ENDED)
    with pytest.raises(ValidationError) as exc:
        services.helper_assign(actor=officer, person=ended, data={"helper_name": "X", "start_date": TODAY})
    assert error_fields(exc) == {"person"}


def test_ending_an_assignment_ends_the_helpers_access(officer, helper, union, person):
    """An end date in the past closes the person to the helper; the end is on the timeline."""
    assignment = make_helper_assignment(
        PLACE, person=person, organisation=union, start_date=TODAY - dt.timedelta(days=30)
    )
    assert policy.allows(helper, Cap.VIEW_PEOPLE, person)
    services.helper_update(
        actor=officer,
        assignment=assignment,
        data={"end_date": TODAY - dt.timedelta(days=1)},
        expected_version=assignment.version,
    )
    helper.__dict__.pop("_scope_cache", None)
    assert not policy.allows(helper, Cap.VIEW_PEOPLE, person)
    assert "casework.helper.ended" in kinds(person)
    assert AuditEvent.objects.filter(action="casework.helperassignment.ended").exists()


def test_a_stale_assignment_edit_is_refused(officer, person):
    assignment = make_helper_assignment(PLACE, person=person)
    services.helper_update(actor=officer, assignment=assignment, data={"phone": "0912"}, expected_version=1)
    with pytest.raises(ValidationError) as exc:
        services.helper_update(
            actor=officer, assignment=assignment, data={"phone": "0913"}, expected_version=1
        )
    assert exc.value.code == "stale"
    assignment.refresh_from_db()
    assert (assignment.phone, assignment.version) == ("0912", 2)


# -- needs -----------------------------------------------------------------------------------------


def test_need_status_changes_are_dated_and_on_the_timeline(officer, person):
    need = services.need_save(actor=officer, person=person, domain="papers", status="identified")
    assert need.status_since == TODAY
    need = services.need_save(
        actor=officer, person=person, domain="papers", status="met", expected_version=need.version
    )
    assert Need.objects.get().status == "met"
    assert kinds(person) == ["casework.need.updated", "casework.need.updated"]
    assert AuditEvent.objects.filter(action="casework.need.status_changed").count() == 2


def test_declining_needs_a_reason_and_domain_must_exist(officer, person):
    with pytest.raises(ValidationError) as exc:
        services.need_save(actor=officer, person=person, domain="work", status="declined")
    assert error_fields(exc) == {"declined_reason"}
    with pytest.raises(ValidationError) as exc:
        services.need_save(actor=officer, person=person, domain="holidays", status="identified")
    assert error_fields(exc) == {"domain"}
    need = services.need_save(
        actor=officer, person=person, domain="work", status="declined", declined_reason="Đã có việc ở TP.HCM"
    )
    assert need.declined_reason == "Đã có việc ở TP.HCM"


def test_helpers_do_not_write_needs(helper, union, person):
    make_helper_assignment(PLACE, person=person, organisation=union)
    with pytest.raises(PermissionDenied):
        services.need_save(actor=helper, person=person, domain="work", status="identified")


# -- plan ------------------------------------------------------------------------------------------


def test_plan_action_answers_a_need_of_the_same_person(officer, person):
    other_need = make_need(PLACE)
    with pytest.raises(ValidationError) as exc:
        services.plan_action_add(
            actor=officer,
            person=person,
            data={"need": other_need, "description": "Học nghề", "owner": "Đoàn xã", "due_on": TODAY},
        )
    assert error_fields(exc) == {"need"}
    need = make_need(PLACE, person=person)
    action = services.plan_action_add(
        actor=officer,
        person=person,
        data={"need": need.pk, "description": "Học nghề", "owner": "Đoàn xã", "due_on": TODAY},
    )
    assert action.need == need
    assert action.status == PlanAction.Status.OPEN
    assert kinds(person) == ["casework.plan.added"]


def test_assigned_helper_records_a_result_but_not_another_helper(helper, union, person):
    action = make_plan_action(PLACE, person=person)
    with pytest.raises(PermissionDenied):
        services.plan_action_result(actor=helper, action=action, status="done", result="Đã đi học")
    make_helper_assignment(PLACE, person=person, organisation=union)
    with pytest.raises(ValidationError) as exc:
        services.plan_action_result(actor=helper, action=action, status="done", result="  ")
    assert error_fields(exc) == {"result"}
    action = services.plan_action_result(
        actor=helper, action=action, status="done", result="Đã đi học", expected_version=action.version
    )
    assert (action.status, action.result_on) == ("done", TODAY)
    assert "casework.plan.result" in kinds(person)


# -- contacts and police notes ---------------------------------------------------------------------


def test_helper_records_a_contact_but_no_police_note(helper, union, person):
    make_helper_assignment(PLACE, person=person, organisation=union)
    data = {"occurred_on": TODAY, "kind": "home_visit", "participants": "Chị Lan", "observations": "Ổn"}
    with pytest.raises(ValidationError) as exc:
        services.contact_record(actor=helper, person=person, data=data, police_note="bí mật")
    assert error_fields(exc) == {"police_note"}
    contact = services.contact_record(actor=helper, person=person, data=data)
    assert contact.recorded_by == helper
    assert kinds(person) == ["casework.contact.recorded"]
    assert not PoliceNote.objects.exists()


def test_officer_contact_with_police_note_keeps_the_note_apart(officer, person):
    """The police note is its own row; the helper-readable timeline kind never mentions it."""
    contact = services.contact_record(
        actor=officer,
        person=person,
        data={"occurred_on": TODAY, "kind": "office", "participants": "Cán bộ Minh"},
        police_note="NGHI VẤN liên lạc với đối tượng cũ",
    )
    note = PoliceNote.objects.get()
    assert note.contact == contact
    assert note.written_by == officer
    assert kinds(person) == ["casework.contact.recorded", "casework_police.note.added"]
    assert not person.timeline.filter(summary__contains="NGHI VẤN").exists()
    logged = AuditEvent.objects.get(action="casework.policenote.created")
    assert logged.changes["text"][1] == "***"


def test_contact_dates_and_kinds_are_checked(officer, person):
    with pytest.raises(ValidationError) as exc:
        services.contact_record(
            actor=officer,
            person=person,
            data={"occurred_on": TODAY + dt.timedelta(days=1), "kind": "phone", "participants": "A"},
        )
    assert error_fields(exc) == {"occurred_on"}
    with pytest.raises(ValidationError) as exc:
        services.contact_record(
            actor=officer, person=person, data={"occurred_on": TODAY, "kind": "letter", "participants": "A"}
        )
    assert error_fields(exc) == {"kind"}


def test_helper_corrects_only_their_own_contacts(helper, union, officer, person):
    make_helper_assignment(PLACE, person=person, organisation=union)
    theirs = make_contact(PLACE, person=person, recorded_by=helper)
    officers = make_contact(PLACE, person=person, recorded_by=officer)
    services.contact_update(actor=helper, contact=theirs, data={"note": "Bổ sung"}, expected_version=1)
    with pytest.raises(PermissionDenied):
        services.contact_update(actor=helper, contact=officers, data={"note": "Sửa"})
    services.contact_update(actor=officer, contact=theirs, data={"participants": "Chị Lan, cán bộ Minh"})
    assert Contact.objects.get(pk=theirs.pk).version == 3


def test_police_notes_are_written_by_the_police_of_the_area_only(officer, chau_doc_officer, helper, person):
    with pytest.raises(PermissionDenied):
        services.police_note_add(actor=chau_doc_officer, person=person, text="x")
    with pytest.raises(PermissionDenied):
        services.police_note_add(actor=helper, person=person, text="x")
    with pytest.raises(ValidationError) as exc:
        services.police_note_add(actor=officer, person=person, text=" ")
    assert error_fields(exc) == {"text"}
    note = services.police_note_add(actor=officer, person=person, text="Theo dõi")
    note = services.police_note_update(actor=officer, note=note, text="Theo dõi thêm", expected_version=1)
    assert note.version == 2


# -- reviews ---------------------------------------------------------------------------------------


def test_review_classifies_through_intake_and_snapshots_needs_and_plan(officer, person):
    """One review: needs changed, intake's classification made (history kept), a snapshot kept."""
    need = make_need(PLACE, person=person, domain="work")
    make_plan_action(PLACE, person=person, need=need)
    review = services.review_record(
        actor=officer,
        person=person,
        group="B",
        summary="Chấp hành tốt, chưa có việc làm",
        needs={"work": {"status": "in_progress"}, "papers": {"status": "met"}},
        expected_version=person.version,
    )
    person.refresh_from_db()
    assert person.classification == "B"
    classification = Classification.objects.get(person=person)
    assert review.classification == classification
    assert review.next_review_on == classification.next_review_on > TODAY
    assert review.kind == Review.Kind.ENTRY
    assert {n["domain"]: n["status"] for n in review.needs_snapshot} == {
        "work": "in_progress",
        "papers": "met",
    }
    assert Need.objects.get(person=person, domain="work").description == need.description  # kept
    assert len(review.plan_snapshot) == 1
    entries = dict(person.timeline.values_list("kind", "summary"))
    assert "casework.review.recorded" in entries
    assert "intake.classified" in entries
    summary = entries["casework.review.recorded"]  # helpers read it: no group in it
    assert summary.startswith("Needs and plan reviewed: 1 open, 1 met;")
    assert "group" not in summary.lower()
    second = services.review_record(actor=officer, person=person, group="A", summary="Đã ổn định")
    assert second.kind == Review.Kind.PERIODIC
    assert Classification.objects.filter(person=person).count() == 2


def test_a_failed_review_writes_nothing(officer, person):
    """An invalid group is refused after the needs were changed: the transaction is rolled back."""
    with pytest.raises(ValidationError) as exc:
        services.review_record(
            actor=officer, person=person, group="E", summary="x", needs={"work": {"status": "met"}}
        )
    assert error_fields(exc) == {"group"}
    assert not Need.objects.exists()
    assert not Review.objects.exists()
    with pytest.raises(ValidationError) as exc:
        services.review_record(
            actor=officer, person=person, group="A", summary="x", needs={"work": {"status": "declined"}}
        )
    assert error_fields(exc) == {"need_work"}


def test_review_needs_a_person_under_management_and_a_fresh_version(officer, person):
    received = make_person(PLACE, status=Person.Status.RECEIVED)
    with pytest.raises(ValidationError):
        services.review_record(actor=officer, person=received, group="A", summary="x")
    with pytest.raises(ValidationError) as exc:
        services.review_record(actor=officer, person=person, group="A", summary="x", expected_version=99)
    assert exc.value.code == "stale"
    with pytest.raises(PermissionDenied):
        services.review_record(actor=officer, person=make_person(OTHER_PLACE), group="A", summary="x")
