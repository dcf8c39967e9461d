"""The demo population: the figures the brief fixes, idempotence, and that it is a consistent history."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Exists, F, OuterRef, Subquery
from django.utils import timezone

from hoanhap.access.policy import SYSTEM, AreaScope
from hoanhap.audit.models import AuditEvent
from hoanhap.demo import lifecycles, population
from hoanhap.demo import province as demo_province
from hoanhap.demo.loader import load_demo
from hoanhap.demo.models import LoadedStep
from hoanhap.intake import workflow
from hoanhap.intake.models import ManagementEvent, ReleaseNotice, Transfer
from hoanhap.intake.summary import intake_summary
from hoanhap.justice.models import Judgment, Release
from hoanhap.people.models import Person, TimelineEntry
from hoanhap.people.rules import identity

pytestmark = pytest.mark.django_db

K = ManagementEvent.Kind
STEP_OF_KIND = {
    K.NOTICE_RECEIVED: "notice_receive",
    K.NOTICE_VERIFIED: "notice_verify",
    K.RELEASED: "release_confirm",
    K.REPORTED: "reception_record",
    K.ENTERED_MANAGEMENT: "management_enter",
    K.CLASSIFIED: "classify",
    K.TRANSFER_SENT: "transfer_send",
    K.TRANSFERRED_OUT: "transfer_confirm",
    K.TRANSFERRED_IN: "transfer_confirm",
    K.TRANSFER_RETURNED: "transfer_return",
    K.WHEREABOUTS_UNKNOWN: "whereabouts_unknown",
    K.FOUND: "found",
    K.ENDED: "management_end",
}


def summary_2023() -> dict:
    out = StringIO()
    call_command(
        "intake",
        "summary",
        "--from",
        "2023-01-01",
        "--to",
        "2023-12-31",
        "--scope",
        "province:91",
        "--json",
        stdout=out,
    )
    return json.loads(out.getvalue())


def test_the_2023_figures_of_the_province(demo_population):
    """The figures the demo promises for 2023 in province 91, and the balance of the flows."""
    figures = summary_2023()
    assert 3900 <= figures["under_management_end"] <= 3999
    assert 1001 <= figures["received"] <= 1099
    assert figures["received_change"] == 220
    ended = sum(figures["managements_ended"].values())
    assert (
        figures["under_management_start"]
        + figures["entered_management"]
        + figures["transfers_in"]
        - figures["transfers_out"]
        - ended
        == figures["under_management_end"]
    )
    assert all(figures["managements_ended"][ground] > 0 for ground in ("expunged", "died", "imprisoned"))
    assert figures["new_offences"] > 0
    assert figures["transfers_out"] > 0


def test_the_summary_of_the_demo_takes_five_queries(demo_population, django_assert_max_num_queries):
    scope = AreaScope(provinces=frozenset({demo_province.PROVINCE}))
    with django_assert_max_num_queries(5):
        intake_summary(
            date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 12, 31), scope=scope, actor=SYSTEM
        )


def test_loading_again_does_nothing_and_force_creates_nothing(demo_population, django_assert_num_queries):
    """The population step runs once per database; --force finds every demo person already there."""
    assert LoadedStep.objects.filter(name="population").exists()
    people = Person.objects.count()
    events = ManagementEvent.objects.count()
    with django_assert_num_queries(1):
        assert load_demo()["skipped"] is True
    forced = load_demo(force=True)
    assert forced["steps"]["population"] == dict.fromkeys(population.COUNT_KEYS, 0)
    assert (Person.objects.count(), ManagementEvent.objects.count()) == (people, events)


def test_a_removed_person_comes_back_with_force(demo_population):
    """--force recreates a demo person who is missing, with their whole story."""
    person = Person.objects.filter(status=Person.Status.IN_PRISON, management_events=None).first()
    number = person.personal_id
    person.timeline.all().delete()
    person.residences.all().delete()
    for judgment in person.judgments.all():
        judgment.delete()
    person.delete()
    assert load_demo(force=True)["steps"]["population"]["people"] == 1
    again = Person.objects.get(personal_id=number)
    assert again.judgments.exists()
    assert again.timeline.exists()


def test_every_foreign_key_points_at_a_row(demo_population):
    """The rows inserted in bulk pass the database's own foreign-key check."""
    connection.check_constraints()


def test_every_lifecycle_state_and_community_is_there(demo_population):
    statuses = Counter(Person.objects.values_list("status", flat=True))
    assert set(statuses) == set(Person.Status.values)
    assert statuses[Person.Status.IN_MANAGEMENT] > 3000
    assert statuses[Person.Status.WHEREABOUTS_UNKNOWN] > 10
    names = set(Person.objects.values_list("full_name", flat=True))
    for example in ("Chau Sóc Kha", "Néang Sa Ry", "Mohamad Ysa", "Sa Ri Da", "Lâm Quốc Cường"):
        assert example in names
    assert {"Nguyễn Văn Hòa", "Nguyễn Văn Hóa", "Nguyễn Thị Hoa"} <= names
    ethnicities = Counter(Person.objects.values_list("ethnicity", flat=True))
    assert all(ethnicities[code] > 50 for code in (1, 5, 6, 14))  # Kinh, Khmer, Hoa, Cham
    kinds = Counter(Release.objects.values_list("kind", flat=True))
    assert set(kinds) == {"completed_term", "amnesty", "conditional_release"}
    assert Release.objects.filter(kind="amnesty", release_date__year=2025).count() > 300
    assert Transfer.objects.filter(status=Transfer.Status.SENT).exists() or timezone.localdate().year > 2027
    articles = set(Judgment.objects.values_list("offences__offence__article", flat=True))
    assert {173, 249, 251, 134, 321, 260} <= articles


def test_identification_numbers_follow_the_rule(demo_population):
    """Every number passes the people app's identity rule; most were registered in old An Giang."""
    rows = list(Person.objects.values_list("personal_id", "sex", "birth_year"))
    assert all(pid for pid, _sex, _year in rows)
    assert not [pid for pid, sex, year in rows if identity.personal_id_errors(pid, sex=sex, birth_year=year)]
    assert sum(pid.startswith("089") for pid, _s, _y in rows) > 0.7 * len(rows)
    assert len({pid for pid, _s, _y in rows}) == len(rows)


def test_the_name_columns_are_those_the_model_computes(demo_population):
    """The derived search columns written in bulk are what ``Person.save`` would write."""
    columns = ("full_name", "name_folded", "name_canonical", "sort_key", "search_text")
    for person in Person.objects.order_by("pk")[::97]:
        written = [getattr(person, c) for c in columns]
        person.save()
        person.refresh_from_db()
        assert [getattr(person, c) for c in columns] == written, person.record_code


def test_timeline_entries_are_worded_as_the_services_word_them(demo_population):
    """The summaries of judgments and releases equal what the justice services write."""
    from hoanhap.justice.services import judgment_summary, release_summary

    for judgment in Judgment.objects.order_by("pk")[::500]:
        entry = TimelineEntry.objects.get(target_type="justice.judgment", target_id=str(judgment.pk))
        assert entry.summary == judgment_summary(judgment)
        assert entry.url == judgment.get_absolute_url()
    for release in Release.objects.select_related("judgment", "facility").order_by("pk")[::500]:
        entry = TimelineEntry.objects.get(target_type="justice.release", target_id=str(release.pk))
        assert entry.summary == release_summary(release)


def test_status_is_the_one_the_events_reach_through_the_workflow(demo_population):
    """Each event is a step the workflow allows from the status before it, and leads to the next one."""
    last: dict[int, tuple[str, str]] = {}
    missing_from: dict[int, str] = {}
    rows = ManagementEvent.objects.order_by("person_id", "occurred_on", "pk").values_list(
        "person_id", "kind", "status_before", "status_after", "data"
    )
    for person, kind, before, after, data in rows:
        previous = last.get(person, ("", workflow.IN_PRISON))[1]
        assert before == previous, (person, kind)
        if kind == K.TRANSFER_ESCALATED:
            assert after == before
        else:
            if kind == K.WHEREABOUTS_UNKNOWN:
                missing_from[person] = data["previous_status"]
            expected = workflow.ensure_allowed(STEP_OF_KIND[kind], before, previous=missing_from.get(person))
            assert after == expected, (person, kind)
        last[person] = (kind, after)
    statuses = dict(Person.objects.values_list("pk", "status"))
    for person, status in statuses.items():
        assert status == last.get(person, ("", workflow.IN_PRISON))[1], person


def test_people_under_management_entered_it_and_live_where_they_are_managed(demo_population):
    """In management: an entry, no end after the last entry, and the current commune is the managing one."""
    managed = Person.objects.filter(status__in=[Person.Status.IN_MANAGEMENT])
    entered = ManagementEvent.objects.filter(person=OuterRef("pk"), kind=K.ENTERED_MANAGEMENT)
    assert not managed.filter(~Exists(entered)).exists()
    last_entry = Subquery(entered.order_by("-occurred_on", "-pk").values("occurred_on")[:1])
    later_end = ManagementEvent.objects.filter(
        person=OuterRef("pk"), kind=K.ENDED, occurred_on__gte=OuterRef("last_entry")
    )
    assert not managed.annotate(last_entry=last_entry).filter(Exists(later_end)).exists()
    anchor = ManagementEvent.objects.filter(
        person=OuterRef("pk"), kind__in=[K.ENTERED_MANAGEMENT, K.TRANSFERRED_IN]
    ).order_by("-occurred_on", "-pk")
    elsewhere = managed.annotate(managing=Subquery(anchor.values("commune")[:1])).exclude(
        commune=F("managing")
    )
    assert not elsewhere.exists()


def test_conditional_releases_enter_management_after_probation(demo_population):
    late = 0
    for release in Release.objects.filter(kind="conditional_release").select_related("person"):
        entry = (
            release.person.management_events.filter(
                kind=K.ENTERED_MANAGEMENT, occurred_on__gte=release.release_date
            )
            .order_by("occurred_on")
            .first()
        )
        if entry is not None:
            assert entry.occurred_on >= release.probation_ends_on
        else:
            late += 1
    assert late > 0  # some are still on probation


def test_records_respect_the_justice_and_intake_rules(demo_population):
    today = timezone.localdate()
    assert not ManagementEvent.objects.filter(occurred_on__gt=today).exists()
    assert not Judgment.objects.filter(offence_committed_on__gt=F("judgment_date")).exists()
    assert not Judgment.objects.filter(judgment_date__gt=today).exists()
    assert not Release.objects.filter(release_date__lt=F("judgment__judgment_date")).exists()
    assert not Release.objects.filter(kind="amnesty", amnesty_decision_date__gt=F("release_date")).exists()
    assert not ReleaseNotice.objects.filter(verified_on__lt=F("received_on")).exists()
    assert not ReleaseNotice.objects.exclude(commune__province=F("province")).exists()
    # A released person's judgment and release belong to them.
    assert not Release.objects.exclude(judgment__person=F("person")).exists()


def test_every_event_has_its_timeline_entry_and_every_batch_its_audit_entry(demo_population):
    events = ManagementEvent.objects.count()
    assert TimelineEntry.objects.filter(kind__startswith="intake.").count() == events
    batches = AuditEvent.objects.filter(action="demo.population.batch")
    assert batches.count() == -(-Person.objects.count() // population.BATCH_PEOPLE)
    rows = Counter()
    for entry in batches:
        assert entry.data["bulk"] is True
        assert "bypasses the automatic audit" in entry.data["note"]
        rows.update(entry.data["rows"])
    assert rows["people.person"] == Person.objects.count()
    assert rows["intake.managementevent"] == events


def test_the_plan_is_the_same_every_time():
    """Seeded: a person's story depends on their key only, not on the machine, the order or the day."""
    home, away = population.places()
    places = tuple((p, p.weight) for p in home)
    moves = places + tuple((p, 3.0) for p in away)
    specs = lifecycles.all_specs([p for p in away if p.province != demo_province.PROVINCE])[::997]

    def story(spec):
        person = lifecycles.Life(spec, places, moves, set()).person()
        return person.identity, person.personal_id, [(s.day, s.what, s.commune) for s in person.steps]

    assert [story(spec) for spec in specs] == [story(spec) for spec in reversed(specs)][::-1]
    plan = population.population_plan()
    counted = lifecycles.first_reports(list(plan), province=demo_province.PROVINCE)
    for year in lifecycles.EXACT_YEARS:
        assert len(counted[year]) == lifecycles.RECEIVED[year]


def test_summary_by_commune_adds_up_to_the_province(demo_population):
    """Every flow and stock of the province is the sum over its communes, except moves between them."""
    province = summary_2023()
    communes = set(
        ManagementEvent.objects.filter(province_id=91).order_by().values_list("commune", flat=True)
    )
    total = Counter()
    for code in sorted(communes):
        figures = intake_summary(
            date_from=dt.date(2023, 1, 1),
            date_to=dt.date(2023, 12, 31),
            scope=AreaScope(communes=frozenset({code})),
            actor=SYSTEM,
        )
        total.update({k: v for k, v in figures.items() if isinstance(v, int)})
    assert len(communes) > 50
    for key in (
        "received",
        "received_previous",
        "under_management_start",
        "under_management_end",
        "entered_management",
    ):
        assert total[key] == province[key], key
    assert (
        total["transfers_in"] - total["transfers_out"] == province["transfers_in"] - province["transfers_out"]
    )
