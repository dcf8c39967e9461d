"""Writing judgments and releases: impossible facts are refused naming the field; writes are audited,
scoped, versioned and leave a timeline entry."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hoanhap.access.policy import SYSTEM
from hoanhap.access.roles import Role
from hoanhap.audit.models import AuditEvent
from hoanhap.core.testing import BA_DINH, HA_NOI, THOAI_SON, make_user
from hoanhap.justice import services
from hoanhap.justice.models import AdditionalPenalty, Judgment, JudgmentOffence, Obligation, Release
from hoanhap.justice.tests.records import (
    d,
    facility,
    make_judgment,
    make_person,
    make_release,
    offence,
)
from hoanhap.people.models import TimelineEntry

pytestmark = pytest.mark.django_db


def refused(call) -> dict:
    with pytest.raises(ValidationError) as info:
        call()
    return info.value.message_dict


@pytest.fixture
def person():
    return make_person()


@pytest.fixture
def officer():
    return make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON)


def test_create_stores_lines_audits_and_adds_a_timeline_entry(person, officer):
    """The judgment, its offence, additional penalty and obligation are saved; each save is audited in
    the person's unit; the person's timeline links to the judgment."""
    judgment = make_judgment(
        person,
        actor=officer,
        articles=({"offence": offence(134), "clause": "2", "severity": "serious"},),
        additional=({"type": "probation_supervision", "term_years": 2},),
        obligations=(
            {
                "kind": "court_fee",
                "amount_due": 200_000,
                "amount_paid": 200_000,
                "completed_on": d("2017-03-01"),
            },
        ),
    )
    line = judgment.offences.get()
    assert (line.clause, line.effective_severity, line.effective_intent) == ("2", "serious", "intentional")
    assert judgment.additional_penalties.get().type == "probation_supervision"
    assert judgment.obligations.get().amount_due == 200_000
    events = AuditEvent.objects.filter(action__startswith="justice.", action__endswith=".created")
    assert {e.action for e in events} == {
        "justice.judgment.created",
        "justice.judgmentoffence.created",
        "justice.additionalpenalty.created",
        "justice.obligation.created",
    }
    assert {(e.province_code, e.commune_code) for e in events} == {(person.province_id, person.commune_id)}
    entry = TimelineEntry.objects.get(person=person, kind="justice.judgment.recorded")
    assert entry.occurred_on == d("2017-01-15")
    assert entry.url == judgment.get_absolute_url()
    assert entry.created_by == officer


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"judgment_date": d("2099-01-01")}, "judgment_date"),
        ({"offence_committed_on": d("2017-02-01")}, "offence_committed_on"),
        ({"main_penalty_started_on": d("2016-05-01")}, "main_penalty_started_on"),
        ({"main_penalty_completed_on": d("2016-06-30")}, "main_penalty_completed_on"),
        (
            {"main_penalty_started_on": None, "main_penalty_completed_on": d("2016-05-31")},
            "main_penalty_completed_on",
        ),
        ({"main_penalty_completed_on": d("2099-07-01")}, "main_penalty_completed_on"),
        ({"main_penalty_years": 0}, "main_penalty_years"),
        ({"main_penalty_type": "warning"}, "main_penalty_years"),
        ({"main_penalty_type": "suspended_imprisonment"}, "probation_years"),
        ({"probation_years": 2}, "probation_years"),
        ({"main_penalty_type": "fine", "main_penalty_years": 0}, "fine_amount"),
        ({"fine_amount": 1_000_000}, "fine_amount"),
        ({"court_name": " "}, "court_name"),
    ],
)
def test_impossible_judgment_facts_are_refused_naming_the_field(person, fields, field):
    """Each impossible date or inconsistent penalty is refused, and the error names its field."""
    with pytest.raises(ValidationError) as info:
        make_judgment(person, **fields)
    assert field in info.value.message_dict
    assert not Judgment.objects.exists()


def test_line_errors_name_the_row_and_field(person):
    """Row errors read like the rules' paths: additional_penalties[0].completed_on."""
    errors = refused(
        lambda: make_judgment(
            person,
            articles=(),
            additional=(
                {"type": "residence_ban", "starts_on": d("2019-07-01"), "completed_on": d("2019-06-30")},
            ),
            obligations=(
                {"kind": "compensation", "amount_due": 100, "amount_paid": 50},
                {"kind": "compensation", "amount_due": 100, "amount_paid": 150},
            ),
        )
    )
    assert errors["offences"]
    assert errors["additional_penalties[0].completed_on"]
    assert errors["obligations[1].amount_paid"]
    assert "obligations[0].amount_paid" not in errors


def test_additional_penalty_cannot_start_before_the_offence(person):
    errors = refused(
        lambda: make_judgment(person, additional=({"type": "residence_ban", "starts_on": d("2016-01-01")},))
    )
    assert list(errors) == ["additional_penalties[0].starts_on"]


def test_writes_outside_the_area_are_refused(person):
    """An officer of another commune cannot record a judgment for this person."""
    stranger = make_user(Role.COMMUNE_OFFICER, commune=BA_DINH)
    with pytest.raises(PermissionDenied):
        make_judgment(person, actor=stranger)
    committee = make_user(Role.COMMUNE_COMMITTEE, commune=THOAI_SON)  # reads judgments, edits nobody
    with pytest.raises(PermissionDenied):
        make_judgment(person, actor=committee)
    assert not Judgment.objects.exists()


def test_update_replaces_lines_and_keeps_ids(person, officer, english):
    """Lines with an id are updated, new ones created, missing ones deleted; the version moves on."""
    judgment = make_judgment(
        person, articles=(173, 321), obligations=({"kind": "court_fee", "amount_due": 200_000},)
    )
    theft = judgment.offences.get(offence__article=173)
    updated = services.judgment_update(
        actor=officer,
        judgment=judgment,
        data={"main_penalty_years": 4},
        offences=[{"id": theft.pk, "offence": theft.offence, "clause": "2"}, {"offence": offence(318)}],
        obligations=[],
        version=judgment.version,
    )
    assert updated.version == judgment.version + 1
    assert updated.main_penalty_years == 4
    assert sorted(
        JudgmentOffence.objects.filter(judgment=judgment).values_list("offence__article", flat=True)
    ) == [
        173,
        318,
    ]
    assert JudgmentOffence.objects.get(pk=theft.pk).clause == "2"
    assert not Obligation.objects.filter(judgment=judgment).exists()
    assert AuditEvent.objects.filter(action="justice.judgmentoffence.deleted").count() == 1
    entry = TimelineEntry.objects.get(person=person, kind="justice.judgment.updated")
    assert entry.url == judgment.get_absolute_url()
    assert entry.summary.endswith("corrected: years.")


def test_update_with_a_stale_version_is_refused(person, officer):
    judgment = make_judgment(person)
    services.judgment_update(actor=officer, judgment=judgment, data={"note": "a"}, version=judgment.version)
    with pytest.raises(ValidationError) as info:
        services.judgment_update(
            actor=officer, judgment=judgment, data={"note": "b"}, version=judgment.version
        )
    assert info.value.code == "stale"


def test_a_line_of_another_judgment_cannot_be_edited_through_this_one(person, officer):
    first = make_judgment(person)
    second = make_judgment(person, judgment_number="99/2018/HS-ST")
    stolen = first.offences.get()
    errors = refused(
        lambda: services.judgment_update(
            actor=officer, judgment=second, data={}, offences=[{"id": stolen.pk, "offence": stolen.offence}]
        )
    )
    assert "offences[0].id" in errors


def test_judgment_cannot_be_dated_after_its_release(person, officer):
    """A judgment dated after the release recorded under it is impossible."""
    judgment = make_judgment(person)
    make_release(judgment, release_date=d("2019-07-01"))
    errors = refused(
        lambda: services.judgment_update(
            actor=officer,
            judgment=judgment,
            data={"judgment_date": d("2019-08-01"), "offence_committed_on": d("2019-07-15")},
        )
    )
    assert "judgment_date" in errors


def test_release_is_recorded_with_timeline_and_audit(person, officer):
    judgment = make_judgment(person)
    release = make_release(judgment, actor=officer)
    assert release.person == person
    assert AuditEvent.objects.filter(action="justice.release.created", target_id=str(release.pk)).exists()
    entry = TimelineEntry.objects.get(person=person, kind="justice.release.recorded")
    assert (entry.occurred_on, entry.url) == (d("2019-07-01"), release.get_absolute_url())


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"release_date": d("2017-01-14")}, "release_date"),  # before the judgment
        ({"release_date": d("2099-01-01")}, "release_date"),
        ({"certificate_date": d("2019-06-30")}, "certificate_date"),
        ({"kind": "amnesty"}, "amnesty_decision_number"),
        (
            {
                "kind": "amnesty",
                "amnesty_decision_number": "1/QĐ-CTN",
                "amnesty_decision_date": d("2019-08-01"),
            },
            "amnesty_decision_date",
        ),
        ({"kind": "conditional_release"}, "probation_ends_on"),
        ({"kind": "conditional_release", "probation_ends_on": d("2019-07-01")}, "probation_ends_on"),
        ({"probation_ends_on": d("2020-01-01")}, "probation_ends_on"),
        ({"allowance_amount": -1}, "allowance_amount"),
    ],
)
def test_impossible_release_facts_are_refused_naming_the_field(person, fields, field):
    judgment = make_judgment(person)
    with pytest.raises(ValidationError) as info:
        make_release(judgment, **fields)
    assert field in info.value.message_dict
    assert not Release.objects.exists()


def test_release_before_the_main_penalty_started_is_refused(person):
    judgment = make_judgment(person, main_penalty_started_on=d("2017-02-01"))
    errors = refused(lambda: make_release(judgment, release_date=d("2017-01-20")))
    assert "release_date" in errors


def test_release_needs_a_custodial_judgment_of_the_person_and_a_facility(person):
    suspended = make_judgment(person, main_penalty_type="suspended_imprisonment", probation_years=3)
    assert "judgment" in refused(lambda: make_release(suspended))
    other = make_judgment(make_person(full_name="Phạm Thị Hoa", sex="female"))
    with pytest.raises(ValidationError) as info:
        services.release_record(
            actor=SYSTEM,
            person=person,
            data={"judgment": other, "release_date": d("2019-07-01"), "kind": "completed_term"},
        )
    assert "judgment" in info.value.message_dict
    not_a_prison = facility()
    not_a_prison.kind = "commune_police"
    not_a_prison.save()
    judgment = make_judgment(person)
    assert "facility" in refused(lambda: make_release(judgment, facility=not_a_prison))


def test_release_update_checks_the_version_and_the_dates(person, officer):
    release = make_release(make_judgment(person))
    errors = refused(
        lambda: services.release_update(
            actor=officer, release=release, data={"release_date": d("2016-12-01")}, version=release.version
        )
    )
    assert "release_date" in errors
    updated = services.release_update(
        actor=officer, release=release, data={"certificate_number": "77/GCN"}, version=release.version
    )
    assert updated.version == release.version + 1
    with pytest.raises(ValidationError):
        services.release_update(actor=officer, release=release, data={"note": "x"}, version=release.version)


def test_person_outside_writer_province_cannot_get_a_release(person):
    release_writer = make_user(Role.PROVINCE_OFFICER, province=HA_NOI)
    judgment = make_judgment(person)
    with pytest.raises(PermissionDenied):
        make_release(judgment, actor=release_writer)


def test_additional_penalty_completion_before_start_is_a_db_constraint_too(person):
    """The database refuses what the service refuses, should a write bypass it."""
    from django.db import IntegrityError, transaction

    judgment = make_judgment(person)
    with pytest.raises(IntegrityError), transaction.atomic():
        AdditionalPenalty.objects.create(
            judgment=judgment, type="residence_ban", starts_on=d("2020-01-02"), completed_on=d("2020-01-01")
        )
