"""Support services: who may record what, validation, timeline and audit; referrals and Form 01."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hoanhap.access.policy import SYSTEM
from hoanhap.audit.models import AuditEvent
from hoanhap.casework.testing import make_helper_assignment
from hoanhap.geo.models import Commune
from hoanhap.intake.testing import make_person
from hoanhap.justice.models import Release
from hoanhap.justice.tests import records
from hoanhap.people.models import Relative, TimelineEntry
from hoanhap.support import selectors, services
from hoanhap.support.models import Form01List, PolicyBankReferral, SupportAction
from hoanhap.support.testing import kind, make_child, source

from .conftest import ELSEWHERE, PLACE

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 3, 1)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(selectors, "today", lambda: TODAY)


def gift(**fields):
    data = {
        "kind": kind("gift_in_kind"),
        "given_on": dt.date(2025, 1, 20),
        "item": "Xe đạp",
        "value": 1_500_000,
        "value_basis": "estimate",
        "funding_source": source("donors"),
    }
    data.update(fields)
    return data


def test_an_officer_records_support_with_timeline_and_audit(officer, person):
    """The action is stored, written on the person's timeline (open to helpers) and audited."""
    action = services.action_record(actor=officer, data=gift(person=person))
    assert action.person == person
    assert action.value == 1_500_000
    assert action.recorded_by == officer
    entry = TimelineEntry.objects.get(person=person, kind="support.action.recorded")
    assert "Xe đạp" in entry.summary
    assert AuditEvent.objects.filter(
        action="support.supportaction.created", target_id=str(action.pk)
    ).exists()


def test_a_gift_in_kind_needs_its_item_and_a_date_not_in_the_future(officer, person):
    with pytest.raises(ValidationError) as exc:
        services.action_record(actor=officer, data=gift(person=person, item="", given_on=dt.date(2025, 3, 2)))
    assert set(exc.value.message_dict) == {"item", "given_on"}


def test_support_to_a_relative_hangs_on_the_person(officer, person):
    mother = Relative.objects.create(person=person, relation="mother", full_name="Trần Thị Mẹ")
    action = services.action_record(actor=officer, data=gift(relative=mother))
    assert action.person == person
    assert action.beneficiary_type == "relative"
    assert "Trần Thị Mẹ" in TimelineEntry.objects.get(person=person).summary


def test_a_relative_of_someone_else_is_refused(officer, person):
    other = make_person(PLACE, full_name="Người Khác")
    stranger = Relative.objects.create(person=other, relation="mother", full_name="Mẹ Người Khác")
    with pytest.raises(ValidationError):
        services.action_record(actor=officer, data=gift(person=person, relative=stranger))


def test_support_to_a_child_stays_off_the_parents_timeline(officer):
    child = make_child(PLACE)
    action = services.action_record(actor=officer, data=gift(child=child, item="Vở"))
    assert action.person is None
    assert action.child == child
    assert not TimelineEntry.objects.filter(kind__startswith="support.").exists()


def test_an_officer_of_another_commune_cannot_record(other_officer, person):
    with pytest.raises(PermissionDenied):
        services.action_record(actor=other_officer, data=gift(person=person))


def test_a_helper_records_support_of_their_organisation_for_an_assigned_person(helper, union, person):
    """The provider defaults to the helper's organisation; another provider is refused."""
    make_helper_assignment(PLACE, person=person, organisation=union)
    action = services.action_record(actor=helper, data=gift(person=person))
    assert action.provider == union
    other_org = make_helper_assignment(PLACE, person=make_person(PLACE)).organisation
    with pytest.raises(ValidationError):
        services.action_record(actor=helper, data=gift(person=person, provider=other_org))


def test_a_helper_cannot_record_for_a_person_not_assigned(helper, person):
    with pytest.raises(PermissionDenied):
        services.action_record(actor=helper, data=gift(person=person))


def test_a_helper_cannot_record_for_a_child(helper, union):
    with pytest.raises(PermissionDenied):
        services.action_record(actor=helper, data=gift(child=make_child(PLACE), provider=union))


def test_a_helper_corrects_only_their_organisations_support(helper, union, officer, person):
    make_helper_assignment(PLACE, person=person, organisation=union)
    by_police = services.action_record(actor=officer, data=gift(person=person))
    with pytest.raises(PermissionDenied):
        services.action_update(actor=helper, action=by_police, data={"value": 1})
    own = services.action_record(actor=helper, data=gift(person=person))
    services.action_update(actor=helper, action=own, data={"value": 900_000}, expected_version=own.version)
    own.refresh_from_db()
    assert own.value == 900_000
    assert own.version == 2


def test_a_stale_correction_is_refused(officer, person):
    action = services.action_record(actor=officer, data=gift(person=person))
    services.action_update(actor=officer, action=action, data={"value": 2}, expected_version=1)
    with pytest.raises(ValidationError) as exc:
        services.action_update(actor=officer, action=action, data={"value": 3}, expected_version=1)
    assert exc.value.code == "stale"


def test_job_follow_ups_open_at_3_6_and_12_months(officer, person):
    """A follow-up is refused before its date; once recorded it leaves the worklist."""
    job = services.action_record(
        actor=officer,
        data={
            "kind": kind("job_placement"),
            "person": person,
            "given_on": dt.date(2024, 11, 1),
            "employer": "Công ty May An Giang",
            "job_start_on": dt.date(2024, 11, 15),
        },
    )
    due = selectors.job_followups_due(actor=officer, on=TODAY)
    assert [(f.action, f.months, f.due_on) for f in due] == [(job, 3, dt.date(2025, 2, 15))]
    with pytest.raises(ValidationError):
        services.action_follow_up(actor=officer, action=job, months=6, employed=True, on=TODAY)
    services.action_follow_up(actor=officer, action=job, months=3, employed=True, on=TODAY)
    job.refresh_from_db()
    assert job.employed_3m is True
    assert selectors.job_followups_due(actor=officer, on=TODAY) == []
    assert selectors.job_followups_due(actor=officer, on=dt.date(2025, 5, 15))[0].months == 6


def test_a_job_start_date_belongs_to_a_job(officer, person):
    with pytest.raises(ValidationError) as exc:
        services.action_record(actor=officer, data=gift(person=person, job_start_on=dt.date(2025, 1, 1)))
    assert "job_start_on" in exc.value.message_dict


# -- children --------------------------------------------------------------------------------------


def test_a_child_lives_in_the_parents_commune_unless_told(officer, person):
    child = services.child_create(actor=officer, data={"parent": person, "full_name": " Lê Thị Bé "})
    assert child.full_name == "Lê Thị Bé"
    assert child.commune_id == person.commune_id


def test_a_child_cannot_be_placed_outside_the_officers_area(officer, person):
    chau_doc = Commune.objects.get(pk=ELSEWHERE[1])
    with pytest.raises(PermissionDenied):
        services.child_create(
            actor=officer,
            data={"parent": person, "full_name": "Bé", "province": chau_doc.province, "commune": chau_doc},
        )


# -- policy-bank referrals -------------------------------------------------------------------------


def certify(commune: int, on=dt.date(2025, 1, 10)) -> Form01List:
    listing = services.form01_generate(actor=SYSTEM, commune=Commune.objects.get(pk=commune), prepared_on=on)
    return services.form01_certify(actor=SYSTEM, listing=listing, certified_on=on, reference="15/UBND")


def test_eligibility_reads_the_release_and_the_certified_form01(released):
    certify(PLACE[1])
    result = selectors.eligibility(released, purpose="business", amount=60_000_000, apply_on=TODAY)
    assert result.eligible, [str(f) for c in result.failed for f in c.explanation]
    window = next(c for c in result.checks if c.code == "window")
    assert window.facts["completed_on"] == dt.date(2021, 7, 1)


def test_a_conditional_release_counts_from_the_end_of_probation(person):
    judgment = records.make_judgment(person, main_penalty_years=4)
    records.make_release(
        judgment,
        release_date=dt.date(2019, 1, 1),
        kind=Release.Kind.CONDITIONAL_RELEASE,
        probation_ends_on=dt.date(2020, 7, 1),
    )
    assert selectors.release_facts(person).completed_on == dt.date(2020, 7, 1)


def test_a_referral_is_refused_when_not_eligible_and_explains_why(officer, released):
    with pytest.raises(ValidationError) as exc:
        services.referral_create(actor=officer, person=released, purpose="business", amount=60_000_000)
    assert exc.value.code == "not_eligible"
    assert "Form 01" in exc.value.messages[0]
    assert not PolicyBankReferral.objects.exists()


def test_referral_then_approval_records_the_loan_as_support(officer, released):
    certify(PLACE[1])
    referral = services.referral_create(
        actor=officer, person=released, purpose="business", amount=60_000_000, referred_on=TODAY
    )
    assert referral.eligibility["eligible"] is True
    with pytest.raises(ValidationError):  # the same purpose is now pending: a second one is refused
        services.referral_create(actor=officer, person=released, purpose="business", amount=1_000_000)
    services.referral_decide(
        actor=officer,
        referral=referral,
        status="approved",
        decided_on=TODAY,
        approved_amount=50_000_000,
        reference="HĐ 123",
    )
    referral.refresh_from_db()
    loan = referral.support_action
    assert loan.kind.code == "policy_bank_loan"
    assert loan.value == 50_000_000
    assert loan.funding_source.code == "policy_bank"
    assert AuditEvent.objects.filter(action="support.referral.decided").exists()
    with pytest.raises(ValidationError):
        services.referral_decide(actor=officer, referral=referral, status="rejected", decided_on=TODAY)
    services.referral_repaid(actor=officer, referral=referral, repaid_on=TODAY)
    again = services.referral_create(actor=officer, person=released, purpose="business", amount=10_000_000)
    assert again.pk != referral.pk


def test_the_committee_cannot_refer(committee, released):
    certify(PLACE[1])
    with pytest.raises(PermissionDenied):
        services.referral_create(actor=committee, person=released, purpose="business", amount=1_000_000)


# -- Form 01 ---------------------------------------------------------------------------------------


def test_form01_names_the_eligible_people_of_the_commune_only(officer, released):
    """Certificate held, within five years, living and managed in the commune; nobody else."""
    make_person(PLACE, full_name="Chưa Có Giấy")  # no release recorded
    old = make_person(PLACE, full_name="Ra Trại Lâu")
    records.make_release(records.make_judgment(old))  # released 01/07/2019: over 5 years ago
    elsewhere = make_person(ELSEWHERE, full_name="Ở Châu Đốc")
    records.make_release(records.make_judgment(elsewhere))
    listing = services.form01_generate(
        actor=officer, commune=Commune.objects.get(pk=PLACE[1]), prepared_on=TODAY
    )
    assert [e.person for e in listing.entries.all()] == [released]
    entry = listing.entries.get()
    assert entry.certificate_number == "7/GCN"
    assert entry.completed_on == dt.date(2021, 7, 1)


def test_form01_is_certified_by_the_committee_and_then_frozen(officer, committee, released):
    listing = services.form01_generate(
        actor=officer, commune=Commune.objects.get(pk=PLACE[1]), prepared_on=TODAY
    )
    entry = listing.entries.get()
    with pytest.raises(ValidationError):
        services.form01_set_entry(actor=officer, entry=entry, included=False, reason="")
    services.form01_set_entry(actor=officer, entry=entry, included=False, reason="Vi phạm pháp luật")
    with pytest.raises(ValidationError):  # nobody left on it
        services.form01_certify(actor=committee, listing=listing, certified_on=TODAY)
    services.form01_set_entry(actor=officer, entry=entry, included=True)
    with pytest.raises(PermissionDenied):  # the police prepare; the People's Committee certifies
        services.form01_certify(actor=officer, listing=listing, certified_on=TODAY)
    services.form01_certify(
        actor=committee,
        listing=listing,
        certified_on=TODAY,
        reference="15/UBND",
        expected_version=listing.version,
    )
    listing.refresh_from_db()
    assert listing.is_certified
    assert listing.certified_by == committee
    with pytest.raises(ValidationError):
        services.form01_set_entry(actor=officer, entry=entry, included=False, reason="x")


def test_an_officer_cannot_prepare_another_communes_list(other_officer):
    with pytest.raises(PermissionDenied):
        services.form01_generate(actor=other_officer, commune=Commune.objects.get(pk=PLACE[1]))


def test_catalogues_need_the_catalogue_capability(officer):
    from hoanhap.access.roles import Role
    from hoanhap.core.testing import make_user
    from hoanhap.support.models import SupportKind

    with pytest.raises(PermissionDenied):
        services.catalogue_save(
            actor=officer, model=SupportKind, data={"code": "x", "name_vi": "X", "name_en": "X"}
        )
    admin = make_user(Role.SYSTEM_ADMIN)
    row = services.catalogue_save(
        actor=admin,
        model=SupportKind,
        data={"code": "tet_visit", "name_vi": "Thăm hỏi Tết", "name_en": "Tết visit"},
    )
    services.catalogue_save(
        actor=admin, model=SupportKind, row=row, data={"code": "changed", "name_en": "Tết visits"}
    )
    row.refresh_from_db()
    assert row.code == "tet_visit"
    assert row.name_en == "Tết visits"
    assert SupportAction.objects.count() == 0
