"""Each intake step writes its rows, a management event, a timeline entry and an audit entry — or refuses."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hoanhap.audit.models import AuditEvent
from hoanhap.core.testing import AN_GIANG, BA_DINH, CHAU_DOC, HA_NOI, THOAI_SON
from hoanhap.intake import services, workflow
from hoanhap.intake.models import CalendarDay, ManagementEnd, ManagementEvent, ReleaseNotice, Transfer
from hoanhap.intake.testing import make_facility, make_person
from hoanhap.people.models import Person, TimelineEntry

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = timezone.localdate()


def notice_data(**fields):
    data = {
        "full_name": "Phạm Văn Lộc",
        "sex": "male",
        "birth_year": 1979,
        "expected_release_date": TODAY + dt.timedelta(days=70),
        "release_kind": "completed_term",
        "commune": THOAI_SON,
        "address": "Ấp Đông Sơn",
        "sentence_summary": "Chấp hành tốt nội quy.",
        "additional_penalties": "Cấm cư trú 2 năm.",
        "received_on": TODAY,
        "sender_name": "Trại giam Định Thành",
    }
    data.update(fields)
    return data


def recorded(person, kind, action):
    """The event, timeline entry and audit entry of one step on ``person``."""
    event = ManagementEvent.objects.filter(person=person, kind=kind).latest("pk")
    entry = TimelineEntry.objects.filter(person=person, kind=f"intake.{kind}").latest("pk")
    audit = AuditEvent.objects.filter(action=action).latest("pk")
    return event, entry, audit


def released_person(officer, *, kind="completed_term", release_date=None, probation_ends_on=None):
    notice = services.notice_receive(actor=officer, data=notice_data(release_kind=kind))
    release_date = release_date or TODAY - dt.timedelta(days=2)
    return services.release_confirm(
        actor=officer,
        person=notice.person,
        release_date=release_date,
        kind=kind,
        certificate="123/GCN",
        probation_ends_on=probation_ends_on,
    )


def managed_person(officer):
    person = released_person(officer)
    services.reception_record(actor=officer, person=person, data={"reported_on": TODAY})
    person.refresh_from_db()
    return person


# -- notices ---------------------------------------------------------------------------------------


def test_notice_receive_registers_the_person_and_records_everything(officer):
    """A paper notice for a new person opens a record (status notified) with event, timeline and audit."""
    notice = services.notice_receive(actor=officer, data=notice_data())
    person = notice.person
    assert person.status == Person.Status.NOTIFIED
    assert (person.province_id, person.commune_id, person.address) == (AN_GIANG, THOAI_SON, "Ấp Đông Sơn")
    event, entry, audit = recorded(person, ManagementEvent.Kind.NOTICE_RECEIVED, "intake.notice.received")
    assert (event.province_id, event.commune_id) == (AN_GIANG, THOAI_SON)
    assert event.status_before == "in_prison"
    assert event.status_after == "notified"
    assert "Trại giam Định Thành" in entry.summary
    assert audit.target_id == str(notice.pk)
    assert audit.commune_code == THOAI_SON
    assert AuditEvent.objects.filter(action="intake.releasenotice.created", target_id=str(notice.pk)).exists()


def test_notice_on_time_and_late(officer):
    """Late = received after the expected release date minus two months (LTHAHS Art. 46(1))."""
    on_time = services.notice_receive(
        actor=officer, data=notice_data(expected_release_date=D(2026, 5, 20), received_on=D(2026, 3, 20))
    )
    late = services.notice_receive(
        actor=officer,
        data=notice_data(
            full_name="Võ Văn Muộn", expected_release_date=D(2026, 5, 20), received_on=D(2026, 3, 21)
        ),
    )
    assert not on_time.is_late
    assert late.is_late
    assert "late" in TimelineEntry.objects.filter(person=late.person).latest("pk").summary


def test_verify_by_is_three_working_days_over_tet(officer):
    """Received Friday 24/1/2025: Tết 27/1–2/2 is skipped; due Wednesday 5/2/2025."""
    notice = services.notice_receive(
        actor=officer, data=notice_data(received_on=D(2025, 1, 24), expected_release_date=D(2025, 3, 24))
    )
    assert notice.verify_by == D(2025, 2, 5)


def test_verify_by_counts_an_administrators_make_up_saturday(officer):
    CalendarDay.objects.create(date=D(2025, 2, 8), kind=CalendarDay.Kind.WORKING_DAY, name="Làm bù")
    notice = services.notice_receive(
        actor=officer, data=notice_data(received_on=D(2025, 2, 5), expected_release_date=D(2025, 4, 5))
    )
    assert notice.verify_by == D(2025, 2, 8)  # Thursday 6, Friday 7, then the Saturday worked


def test_notice_links_a_registered_person_by_identification_number(officer):
    """A notice for someone already registered (e.g. management ended on a new prison term) reuses the record."""
    person = make_person(
        (AN_GIANG, CHAU_DOC), status=Person.Status.ENDED, personal_id="091079000123", birth_year=1979
    )
    notice = services.notice_receive(actor=officer, data=notice_data(personal_id="091079000123"))
    person.refresh_from_db()
    assert notice.person_id == person.pk
    assert person.status == Person.Status.NOTIFIED
    assert person.commune_id == THOAI_SON  # the notice names the new commune of residence
    assert person.residences.filter(commune_id=THOAI_SON, to_date__isnull=True).exists()


def test_notice_refused_for_a_person_under_management(officer):
    person = make_person((AN_GIANG, THOAI_SON), personal_id="091079000124", birth_year=1979)
    with pytest.raises(workflow.TransitionNotAllowed):
        services.notice_receive(actor=officer, data=notice_data(personal_id="091079000124"))
    assert not ReleaseNotice.objects.filter(person=person).exists()


def test_officer_cannot_file_a_notice_outside_the_area(officer):
    with pytest.raises(PermissionDenied):
        services.notice_receive(actor=officer, data=notice_data(commune=BA_DINH))
    assert not Person.objects.filter(full_name="Phạm Văn Lộc").exists()


def test_facility_files_for_any_commune_for_its_own_facility_only(facility_user, facility):
    """A facility account sends a notice to a commune anywhere, always in its own facility's name."""
    notice = services.notice_receive(actor=facility_user, data=notice_data(commune=BA_DINH, sender_name=""))
    assert notice.facility_id == facility.pk
    assert (notice.province_id, notice.commune_id) == (HA_NOI, BA_DINH)
    assert notice.person.commune_id == BA_DINH
    with pytest.raises(PermissionDenied):
        services.notice_receive(
            actor=facility_user,
            data=notice_data(full_name="Khác", facility=make_facility().pk, sender_name=""),
        )


def test_notice_verify_confirmed_and_address_wrong(officer):
    notice = services.notice_receive(actor=officer, data=notice_data())
    verified = services.notice_verify(
        actor=officer, notice=notice, result="confirmed", verified_on=TODAY, expected_version=notice.version
    )
    assert verified.verified_on == TODAY
    assert verified.verification_result == "confirmed"
    event, entry, audit = recorded(
        notice.person, ManagementEvent.Kind.NOTICE_VERIFIED, "intake.notice.verified"
    )
    assert event.data["on_time"] is True
    with pytest.raises(ValidationError):
        services.notice_verify(actor=officer, notice=verified, result="confirmed")

    second = services.notice_receive(actor=officer, data=notice_data(full_name="Đỗ Văn Sai"))
    with pytest.raises(ValidationError) as excinfo:
        services.notice_verify(actor=officer, notice=second, result="address_wrong", note="")
    assert "note" in excinfo.value.message_dict
    wrong = services.notice_verify(
        actor=officer, notice=second, result="address_wrong", note="Gia đình đã chuyển đi."
    )
    assert wrong.verification_result == "address_wrong"
    assert "HCD-03" in TimelineEntry.objects.filter(person=second.person).latest("pk").summary


def test_notice_verify_refuses_a_stale_version(officer):
    notice = services.notice_receive(actor=officer, data=notice_data())
    ReleaseNotice.objects.filter(pk=notice.pk).update(version=notice.version + 1)
    with pytest.raises(ValidationError) as excinfo:
        services.notice_verify(
            actor=officer, notice=notice, result="confirmed", expected_version=notice.version
        )
    assert excinfo.value.code == "stale"


def test_notice_verify_outside_the_area_is_refused(officer, chau_doc_officer):
    notice = services.notice_receive(actor=officer, data=notice_data())
    with pytest.raises(PermissionDenied):
        services.notice_verify(actor=chau_doc_officer, notice=notice, result="confirmed")


# -- release, reporting, management ------------------------------------------------------------------


def test_release_confirm_records_release_facts(officer):
    person = released_person(officer)
    assert person.status == Person.Status.RELEASED
    event, entry, audit = recorded(person, ManagementEvent.Kind.RELEASED, "intake.person.released")
    assert event.data["kind"] == "completed_term"
    assert event.data["certificate"] == "123/GCN"
    assert event.occurred_on == TODAY - dt.timedelta(days=2)
    assert audit.target_id == str(person.pk)


def test_release_in_the_future_is_refused(officer):
    notice = services.notice_receive(actor=officer, data=notice_data())
    with pytest.raises(ValidationError):
        services.release_confirm(
            actor=officer,
            person=notice.person,
            release_date=TODAY + dt.timedelta(days=1),
            kind="completed_term",
        )


def test_reporting_before_release_is_refused(officer):
    """A notified person cannot report: the release comes first; nor can anyone report before the release date."""
    notice = services.notice_receive(actor=officer, data=notice_data())
    with pytest.raises(workflow.TransitionNotAllowed) as excinfo:
        services.reception_record(actor=officer, person=notice.person, data={"reported_on": TODAY})
    assert "released" in excinfo.value.messages[0]
    person = released_person(officer, release_date=TODAY - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as excinfo:
        services.reception_record(
            actor=officer, person=person, data={"reported_on": TODAY - dt.timedelta(days=3)}
        )
    assert "reported_on" in excinfo.value.message_dict


def test_completed_term_enters_management_at_reception(officer):
    person = released_person(officer)
    reception = services.reception_record(
        actor=officer,
        person=person,
        data={
            "reported_on": TODAY,
            "commitment_signed": True,
            "wants_loan_info": True,
            "notes": "Cần vay vốn.",
        },
        expected_version=person.version,
    )
    person.refresh_from_db()
    assert person.status == Person.Status.IN_MANAGEMENT
    assert reception.commitment_signed
    assert reception.wants_loan_info
    assert not reception.identity_card_done
    assert reception.officer == officer
    kinds = list(person.management_events.order_by("pk").values_list("kind", flat=True))
    assert kinds[-2:] == ["reported", "entered_management"]
    recorded(person, ManagementEvent.Kind.REPORTED, "intake.person.reported")
    recorded(person, ManagementEvent.Kind.ENTERED_MANAGEMENT, "intake.person.entered_management")


def test_conditional_release_enters_management_only_after_probation(officer):
    probation_end = TODAY + dt.timedelta(days=30)
    person = released_person(officer, kind="conditional_release", probation_ends_on=probation_end)
    services.reception_record(actor=officer, person=person, data={"reported_on": TODAY})
    person.refresh_from_db()
    assert person.status == Person.Status.RECEIVED  # followed through probation, not yet managed
    with pytest.raises(ValidationError) as excinfo:
        services.management_enter(actor=officer, person=person, entered_on=TODAY)
    assert probation_end.strftime("%d/%m/%Y") in excinfo.value.messages[0]
    assert person.management_events.filter(kind="entered_management").count() == 0


def test_conditional_release_enters_management_when_probation_has_ended(officer):
    person = released_person(
        officer,
        kind="conditional_release",
        release_date=TODAY - dt.timedelta(days=60),
        probation_ends_on=TODAY,
    )
    services.reception_record(
        actor=officer, person=person, data={"reported_on": TODAY - dt.timedelta(days=58)}
    )
    person.refresh_from_db()
    services.management_enter(actor=officer, person=person, entered_on=TODAY, expected_version=person.version)
    person.refresh_from_db()
    assert person.status == Person.Status.IN_MANAGEMENT
    recorded(person, ManagementEvent.Kind.ENTERED_MANAGEMENT, "intake.person.entered_management")


def test_conditional_release_needs_a_probation_end(officer):
    notice = services.notice_receive(actor=officer, data=notice_data(release_kind="conditional_release"))
    with pytest.raises(ValidationError) as excinfo:
        services.release_confirm(
            actor=officer, person=notice.person, release_date=TODAY, kind="conditional_release"
        )
    assert "probation_ends_on" in excinfo.value.message_dict


def test_steps_refuse_a_stale_person_version(officer):
    person = released_person(officer)
    with pytest.raises(ValidationError) as excinfo:
        services.reception_record(
            actor=officer, person=person, data={"reported_on": TODAY}, expected_version=person.version - 1
        )
    assert excinfo.value.code == "stale"
    person.refresh_from_db()
    assert person.status == Person.Status.RELEASED


# -- classification, whereabouts, end ----------------------------------------------------------------


def test_classify_keeps_history_and_sets_the_group(officer):
    person = managed_person(officer)
    first = services.classify(actor=officer, person=person, group="B", reasons="Chưa có việc làm.")
    assert first.decided_on == TODAY
    assert first.decided_by == officer
    person.refresh_from_db()
    second = services.classify(
        actor=officer,
        person=person,
        group="A",
        reasons="Có việc làm ổn định.",
        expected_version=person.version,
    )
    person.refresh_from_db()
    assert person.classification == "A"
    assert list(person.classifications.order_by("pk").values_list("group", flat=True)) == ["B", "A"]
    event, entry, audit = recorded(person, ManagementEvent.Kind.CLASSIFIED, "intake.person.classified")
    assert event.data == {"group": "A", "previous": "B", "next_review_on": second.next_review_on.isoformat()}
    with pytest.raises(ValidationError):
        services.classify(actor=officer, person=person, group="B", reasons="   ")


def test_classification_review_defaults_to_six_months(officer):
    person = managed_person(officer)
    c = services.classify(
        actor=officer, person=person, group="C", reasons="Vi phạm.", decided_on=D(2025, 8, 31)
    )
    assert c.next_review_on == D(2026, 2, 28)


def test_classify_refused_before_management(officer):
    person = released_person(officer)
    with pytest.raises(workflow.TransitionNotAllowed):
        services.classify(actor=officer, person=person, group="A", reasons="x")


def test_whereabouts_unknown_and_found_return_to_the_previous_status(officer):
    person = managed_person(officer)
    services.whereabouts_unknown(actor=officer, person=person, note="Không có mặt tại địa phương.")
    person.refresh_from_db()
    assert person.status == Person.Status.WHEREABOUTS_UNKNOWN
    recorded(person, ManagementEvent.Kind.WHEREABOUTS_UNKNOWN, "intake.person.whereabouts_unknown")
    services.found(actor=officer, person=person, expected_version=person.version)
    person.refresh_from_db()
    assert person.status == Person.Status.IN_MANAGEMENT
    recorded(person, ManagementEvent.Kind.FOUND, "intake.person.found")


def test_management_end_records_the_ground(officer):
    person = managed_person(officer)
    with pytest.raises(ValidationError):
        services.management_end(actor=officer, person=person, ground="other", note="")
    end = services.management_end(
        actor=officer, person=person, ground="expunged", expected_version=person.version
    )
    person.refresh_from_db()
    assert person.status == Person.Status.ENDED
    assert end.ground == ManagementEnd.Ground.EXPUNGED
    assert (end.province_id, end.commune_id) == (
        AN_GIANG,
        THOAI_SON,
    )
    recorded(person, ManagementEvent.Kind.ENDED, "intake.person.management_ended")
    with pytest.raises(workflow.TransitionNotAllowed):
        services.management_end(actor=officer, person=person, ground="died")


# -- transfers -------------------------------------------------------------------------------------


def test_transfer_send_confirm_moves_the_person_and_records_both_communes(officer, chau_doc_officer):
    person = managed_person(officer)
    transfer = services.transfer_send(actor=officer, person=person, to_commune=CHAU_DOC, to_address="Khóm 3")
    person.refresh_from_db()
    assert person.commune_id == THOAI_SON  # still here until the receiving commune confirms
    recorded(person, ManagementEvent.Kind.TRANSFER_SENT, "intake.transfer.sent")
    with pytest.raises(ValidationError):
        services.transfer_send(actor=officer, person=person, to_commune=CHAU_DOC)
    with pytest.raises(PermissionDenied):
        services.transfer_confirm(actor=officer, transfer=transfer)  # only the receiving commune answers
    confirmed = services.transfer_confirm(
        actor=chau_doc_officer, transfer=transfer, expected_version=transfer.version
    )
    person.refresh_from_db()
    assert confirmed.status == Transfer.Status.CONFIRMED
    assert (person.commune_id, person.address) == (CHAU_DOC, "Khóm 3")
    assert person.status == Person.Status.IN_MANAGEMENT
    out = person.management_events.get(kind="transferred_out")
    into = person.management_events.get(kind="transferred_in")
    assert (out.commune_id, into.commune_id) == (THOAI_SON, CHAU_DOC)
    assert AuditEvent.objects.filter(action="intake.transfer.confirmed", target_id=str(transfer.pk)).exists()
    assert TimelineEntry.objects.filter(person=person, kind="intake.transferred_in").exists()


def test_transfer_return_keeps_the_person(officer, chau_doc_officer):
    person = managed_person(officer)
    transfer = services.transfer_send(actor=officer, person=person, to_commune=CHAU_DOC)
    with pytest.raises(ValidationError):
        services.transfer_return(actor=chau_doc_officer, transfer=transfer, reason="")
    returned = services.transfer_return(
        actor=chau_doc_officer, transfer=transfer, reason="Không cư trú tại đây."
    )
    person.refresh_from_db()
    assert returned.status == Transfer.Status.RETURNED
    assert person.commune_id == THOAI_SON
    recorded(person, ManagementEvent.Kind.TRANSFER_RETURNED, "intake.transfer.returned")
    with pytest.raises(ValidationError):
        services.transfer_confirm(actor=chau_doc_officer, transfer=returned)


def test_transfers_not_confirmed_in_time_are_escalated_once(officer):
    person = managed_person(officer)
    transfer = services.transfer_send(
        actor=officer, person=person, to_commune=CHAU_DOC, sent_on=TODAY - dt.timedelta(days=11)
    )
    fresh = services.transfer_send(
        actor=officer, person=managed_person_named(officer, "Ngô Văn Mới"), to_commune=CHAU_DOC, sent_on=TODAY
    )
    escalated = services.transfers_escalate(today=TODAY)
    assert [t.pk for t in escalated] == [transfer.pk]
    transfer.refresh_from_db()
    fresh.refresh_from_db()
    assert transfer.escalated_on == TODAY
    assert fresh.escalated_on is None
    recorded(person, ManagementEvent.Kind.TRANSFER_ESCALATED, "intake.transfer.escalated")
    assert services.transfers_escalate(today=TODAY) == []


def managed_person_named(officer, name):
    notice = services.notice_receive(actor=officer, data=notice_data(full_name=name))
    person = services.release_confirm(
        actor=officer, person=notice.person, release_date=TODAY - dt.timedelta(days=1), kind="completed_term"
    )
    services.reception_record(actor=officer, person=person, data={"reported_on": TODAY})
    person.refresh_from_db()
    return person


# -- many notices ----------------------------------------------------------------------------------


def test_bulk_notices_all_or_nothing(facility_user):
    rows = [
        (1, notice_data(full_name="Người Một", sender_name="")),
        (2, notice_data(full_name="Người Hai", sender_name="", commune=BA_DINH)),
    ]
    created = services.notice_receive_bulk(actor=facility_user, rows=rows)
    assert [n.person.full_name for n in created] == ["Người Một", "Người Hai"]
    bad = [
        (1, notice_data(full_name="Người Ba", sender_name="")),
        (2, notice_data(full_name="", sender_name="")),
    ]
    with pytest.raises(services.BulkErrors) as excinfo:
        services.notice_receive_bulk(actor=facility_user, rows=bad)
    assert list(excinfo.value.by_line) == [2]
    assert not Person.objects.filter(full_name="Người Ba").exists()


def test_calendar_days_are_edited_by_administrators_only(admin, officer):
    day = services.calendar_day_save(
        actor=admin, data={"date": D(2027, 5, 3), "kind": "day_off", "name": "Nghỉ bù"}
    )
    assert day.pk
    with pytest.raises(ValidationError):
        services.calendar_day_save(
            actor=admin, data={"date": D(2027, 5, 3), "kind": "holiday", "name": "Trùng"}
        )
    with pytest.raises(ValidationError):
        services.calendar_day_save(
            actor=admin, data={"date": D(2027, 5, 4), "kind": "working_day", "name": "Thứ ba"}
        )
    with pytest.raises(PermissionDenied):
        services.calendar_day_save(
            actor=officer, data={"date": D(2027, 5, 5), "kind": "holiday", "name": "X"}
        )
    services.calendar_day_delete(actor=admin, day=day)
    assert not CalendarDay.objects.exists()


def test_escalation_command_flags_overdue_transfers(officer):
    from io import StringIO

    from django.core.management import call_command

    person = managed_person(officer)
    transfer = services.transfer_send(
        actor=officer, person=person, to_commune=CHAU_DOC, sent_on=TODAY - dt.timedelta(days=30)
    )
    out = StringIO()
    call_command("intake_escalate", stdout=out)
    transfer.refresh_from_db()
    assert transfer.escalated_on == TODAY
    assert "1 transfer escalated." in out.getvalue()


def test_escalation_by_a_user_stays_in_their_area(officer, ba_dinh_officer):
    person = managed_person(officer)
    services.transfer_send(
        actor=officer, person=person, to_commune=CHAU_DOC, sent_on=TODAY - dt.timedelta(days=30)
    )
    assert services.transfers_escalate(actor=ba_dinh_officer, today=TODAY) == []
    assert len(services.transfers_escalate(actor=officer, today=TODAY)) == 1


def test_release_confirm_uses_the_justice_release(officer):
    """When the judgment record holds the release, its date, kind, certificate and probation win."""
    from hoanhap.justice.models import Release
    from hoanhap.justice.tests import records

    notice = services.notice_receive(actor=officer, data=notice_data(release_kind="completed_term"))
    person = notice.person
    judgment = records.make_judgment(person)
    release_date = TODAY - dt.timedelta(days=3)
    Release.objects.create(
        person=person,
        judgment=judgment,
        release_date=release_date,
        kind="conditional_release",
        probation_ends_on=TODAY + dt.timedelta(days=200),
        certificate_number="77/GCN",
        certificate_date=release_date,
    )
    person.refresh_from_db()
    services.release_confirm(actor=officer, person=person, release_date=TODAY, kind="completed_term")
    event = person.management_events.get(kind="released")
    assert event.occurred_on == release_date
    assert event.data["kind"] == "conditional_release"
    assert event.data["source"] == "justice"
    assert event.data["certificate"].startswith("77/GCN")
    person.refresh_from_db()
    services.reception_record(actor=officer, person=person, data={"reported_on": TODAY})
    person.refresh_from_db()
    assert person.status == Person.Status.RECEIVED  # on probation: enters management later
