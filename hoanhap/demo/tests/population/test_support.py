"""The demo step "support": the 2023 figures of An Giang's report, idempotence, believable values."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from hoanhap.access.models import User
from hoanhap.casework.models import HelperAssignment
from hoanhap.demo import organisations, support
from hoanhap.demo import province as demo
from hoanhap.intake.models import Reception
from hoanhap.justice.models import Judgment, Release
from hoanhap.people.models import TimelineEntry
from hoanhap.support import conf, selectors
from hoanhap.support.models import Child, Form01List, PolicyBankReferral, SupportAction, SupportKind

pytestmark = pytest.mark.django_db

YEAR_2023 = Q(given_on__gte=dt.date(2023, 1, 1), given_on__lte=dt.date(2023, 12, 31))


@pytest.fixture(scope="module")
def demo_support(demo_population, django_db_blocker):
    """What the support step created, in the module's demo database (run here until the loader runs it)."""
    if "support" in demo_population["steps"]:
        return demo_population["steps"]["support"]
    with django_db_blocker.unblock():
        return support.load()


def summary_2023() -> dict:
    out = StringIO()
    call_command(
        "support", "summary", "--from", "2023-01-01", "--to", "2023-12-31", "--scope", "province:91", "--json",
        stdout=out,
    )  # fmt: skip
    return json.loads(out.getvalue())


def test_the_2023_figures_are_those_of_the_report(demo_support):
    """2023 in province 91: 100–140 returnees helped with loans, training and jobs, and exactly 48
    children given insurance, bicycles and notebooks — read off the support summary."""
    figures = summary_2023()
    kinds = {k["code"]: k for k in figures["kinds"]}
    helped = (
        SupportAction.objects.filter(YEAR_2023, kind__code__in=support.LOAN_AND_JOB_KINDS, child=None)
        .values("person")
        .distinct()
        .count()
    )
    assert 100 <= helped <= 140
    assert figures["totals"]["beneficiaries"]["children"] == 48
    assert {k for k, row in kinds.items() if row["beneficiaries"]["children"]} <= set(
        support.CHILD_2023_KINDS
    )
    assert kinds["gift_in_kind"]["beneficiaries"]["children"] > 0
    items = set(SupportAction.objects.filter(YEAR_2023, child__isnull=False).values_list("item", flat=True))
    assert items - {""} == {"Xe đạp", "Vở học sinh"}


def test_the_children_of_2023_had_a_parent_in_prison_that_day(demo_support):
    """Each gift of 2023 went to a child whose parent was serving a prison term on the day."""
    gifts = SupportAction.objects.filter(YEAR_2023, child__isnull=False).select_related("child")
    assert gifts.exists()
    for gift in gifts:
        day = gift.given_on
        serving = Judgment.objects.filter(
            person_id=gift.child.parent_id, main_penalty_started_on__lte=day
        ).exclude(Exists(Release.objects.filter(judgment=OuterRef("pk"), release_date__lte=day)))
        assert serving.exists(), (gift.child.full_name, day)
        assert gift.child.province_id == demo.PROVINCE


def test_returnees_are_helped_only_after_reporting_and_get_a_timeline_entry(demo_support):
    """Support to a returnee comes after their reception at the commune, and each action is on the
    person's timeline as the service records it; support to a child never is."""
    to_people = SupportAction.objects.filter(child=None)
    early = to_people.exclude(
        Exists(Reception.objects.filter(person=OuterRef("person"), reported_on__lte=OuterRef("given_on")))
    )
    assert not early.exists()
    noted = TimelineEntry.objects.filter(kind="support.action.recorded", target_type="support.supportaction")
    assert noted.count() == to_people.count()
    child_ids = {
        str(pk) for pk in SupportAction.objects.filter(child__isnull=False).values_list("pk", flat=True)
    }
    assert not noted.filter(target_id__in=child_ids).exists()


def test_every_kind_and_believable_values(demo_support):
    """Every kind of the catalogue is used; values are whole đồng within the usual ranges and caps."""
    assert set(SupportAction.objects.values_list("kind__code", flat=True)) == set(
        SupportKind.objects.values_list("code", flat=True)
    )
    values = SupportAction.objects.exclude(value=None)
    assert all(isinstance(v, int) and v > 0 for v in values.values_list("value", flat=True))

    def span(**where) -> tuple[int, int]:
        rows = list(values.filter(**where).values_list("value", flat=True))
        assert rows, where
        return min(rows), max(rows)

    assert span(kind__code="policy_bank_loan")[1] <= conf.business_cap()
    assert span(kind__code="policy_bank_loan", referral=None)[0] >= 20_000_000  # training loans: referrals
    low, high = span(kind__code="vocational_training")
    assert low >= 3_000_000
    assert high <= 6_000_000
    low, high = span(item="Xe đạp")
    assert low >= 1_500_000
    assert high <= 2_500_000
    low, high = span(item="Vở học sinh")
    assert low >= 200_000
    assert high <= 500_000
    low, high = span(item="Quà Tết")
    assert low >= 300_000
    assert high <= 500_000
    assert (
        SupportAction.objects.filter(funding_source__isnull=False).count()
        > SupportAction.objects.count() // 2
    )
    assert not SupportAction.objects.filter(provider=None, referral=None).exists()  # the bank's own: none


def test_jobs_are_followed_up_only_once_due(demo_support):
    """A job's 3/6/12-month follow-ups are recorded only after their date; some are still open today."""
    from hoanhap.justice.rules.dates import add_months

    today = timezone.localdate()
    jobs = SupportAction.objects.filter(kind__tracks_employment=True)
    assert jobs.filter(employed_12m=True).exists()
    assert jobs.filter(employed_6m=False).exists()
    for job in jobs:
        assert job.employer
        assert job.job_start_on
        for months in (3, 6, 12):
            if getattr(job, f"employed_{months}m") is not None:
                assert add_months(job.job_start_on, months) <= today
    officer = User.objects.get(username="canbo.tinh")
    assert selectors.job_followups_due(actor=officer, on=today)


def test_children_have_school_and_guardian(demo_support):
    """Children carry their school, grade and guardian, and live in province 91."""
    children = Child.objects.filter(parent__province_id=demo.PROVINCE)
    assert children.count() >= 48
    assert not Child.objects.exclude(province_id=demo.PROVINCE).exists()
    assert not children.filter(guardian_name="").exists()
    assert children.exclude(grade="").count() > children.count() // 2


def test_the_policy_bank_round_of_thoai_son(demo_support):
    """A certified Form 01 list of Xã Thoại Sơn and referrals from it: approved (with the loan as
    support), rejected and awaiting the bank's decision."""
    listing = Form01List.objects.get(
        commune_id=demo.THOAI_SON, certificate_reference=support.FORM01_REFERENCE
    )
    assert listing.is_certified
    assert listing.entries.filter(included=False).count() == 2
    referrals = PolicyBankReferral.objects.filter(person__form01_entries__list=listing)
    statuses = sorted(referrals.values_list("status", flat=True))
    assert statuses == ["approved", "approved", "referred", "rejected"]
    for referral in referrals.filter(status="approved"):
        assert referral.support_action.kind.code == "policy_bank_loan"
        assert referral.support_action.value == referral.approved_amount


def test_loading_again_creates_nothing(demo_support):
    """The step is idempotent: a second run finds every action, child, list and referral."""
    before = SupportAction.objects.count(), Child.objects.count(), PolicyBankReferral.objects.count()
    again = support.load()
    assert set(again.values()) == {0}
    assert (
        SupportAction.objects.count(),
        Child.objects.count(),
        PolicyBankReferral.objects.count(),
    ) == before


def test_the_helper_sees_the_support_of_its_assigned_people_only(demo_support):
    """hoiphunu.thoaison reads the support of the people assigned to its organisation, nobody else's
    (and, by the support app's rule, the support of children its organisation helped).

    Uses the casework demo's assignments when there are any; otherwise assigns two helped people.
    """
    helper = User.objects.get(username="hoiphunu.thoaison")
    union = organisations.organisation(f"womens_union:{demo.THOAI_SON}")
    today = timezone.localdate()
    running = HelperAssignment.objects.filter(
        Q(organisation=union) | Q(user=helper), start_date__lte=today
    ).filter(Q(end_date=None) | Q(end_date__gte=today))
    assigned = set(running.values_list("person_id", flat=True))
    if not assigned:
        helped = (
            SupportAction.objects.filter(child=None, person__commune_id=demo.THOAI_SON)
            .values_list("person_id", flat=True)
            .distinct()
            .order_by("person_id")[:2]
        )
        for person_id in helped:
            HelperAssignment.objects.create(
                person_id=person_id, organisation=union, start_date=dt.date(2026, 1, 1)
            )
        assigned = set(helped)
    seen = selectors.action_list(actor=helper)
    to_people = seen.filter(child=None)
    assert to_people.exists()
    assert set(to_people.values_list("person_id", flat=True)) <= assigned
    assert to_people.count() == SupportAction.objects.filter(person_id__in=assigned).count()
    helped_children = SupportAction.objects.filter(provider=union, child__isnull=False).values("child_id")
    assert not seen.filter(child__isnull=False).exclude(child_id__in=helped_children).exists()
