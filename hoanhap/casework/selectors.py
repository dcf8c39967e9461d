"""Reads of case work, always scoped through ``hoanhap.access.policy``.

What a reader sees of a person's case file follows the models' ``area_fields``: helpers assigned
to the person read assignments, needs, plan and contacts; police notes and reviews are read with
``view_judgments`` (the police side, and the commune People's Committee that manages the person),
which helpers never hold.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from hoanhap.access import policy
from hoanhap.access.roles import Cap, Scoping
from hoanhap.casework import policy_settings
from hoanhap.casework.models import Contact, HelperAssignment, Need, PlanAction, PoliceNote, Review
from hoanhap.intake.models import Classification, ManagementEvent
from hoanhap.people import selectors as people_selectors
from hoanhap.people.models import Person

CONTACTS_ON_CASE_FILE = 50


def today() -> dt.date:
    return timezone.localdate()


def active_on(day: dt.date, prefix: str = "") -> Q:
    """Assignments running on ``day`` (both ends inclusive)."""
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )


def assigned_person_ids(actor: Any) -> QuerySet:
    """Ids of the people assigned today to ``actor`` or to an organisation it helps through.

    Registered with the access policy: this is what a helper may see. A lazy queryset, so that it
    becomes a subquery of the caller's query rather than a query of its own.
    """
    if policy.is_system(actor) or not getattr(actor, "is_authenticated", False):
        return HelperAssignment.objects.none().values("person_id")
    organisations = policy.organisation_ids(actor, Scoping.ASSIGNMENT)
    who = Q(user_id=actor.pk)
    if organisations:
        who |= Q(organisation_id__in=sorted(organisations))
    return HelperAssignment.objects.filter(who & active_on(timezone.localdate())).values("person_id")


# -- building blocks shared by the lists, the worklist and the panel --------------------------------


def has_current_helper(day: dt.date) -> Exists:
    return Exists(HelperAssignment.objects.filter(active_on(day), person=OuterRef("pk")))


def with_visit_dates(people: QuerySet[Person]) -> QuerySet[Person]:
    """People annotated with ``last_contact_on`` and ``entered_on`` (entry into management)."""
    last_contact = (
        Contact.objects.filter(person=OuterRef("pk")).order_by("-occurred_on").values("occurred_on")[:1]
    )
    entered = (
        ManagementEvent.objects.filter(person=OuterRef("pk"), kind=ManagementEvent.Kind.ENTERED_MANAGEMENT)
        .order_by("-occurred_on", "-pk")
        .values("occurred_on")[:1]
    )
    return people.annotate(last_contact_on=Subquery(last_contact), entered_on=Subquery(entered))


def next_visit_on(person: Person) -> dt.date | None:
    """When the next contact is due: the group's interval after the last contact (or entry), None for D.

    ``person`` carries the annotations of ``with_visit_dates``.
    """
    days = policy_settings.visit_days_for(person.classification)
    if days is None:
        return None
    start = getattr(person, "last_contact_on", None) or getattr(person, "entered_on", None)
    if start is None:
        start = timezone.localtime(person.created_at).date() if person.created_at else today()
    return start + dt.timedelta(days=days)


# -- the case file ---------------------------------------------------------------------------------


@dataclass
class NeedRow:
    domain: str
    label: str
    need: Need | None


@dataclass
class CaseFile:
    person: Person
    assignments: list[HelperAssignment]
    needs: list[NeedRow]
    actions: list[PlanAction]
    contacts: list[Contact]
    police_notes: list[PoliceNote] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    sees_police_side: bool = False
    day: dt.date | None = None

    @property
    def current_helpers(self) -> list[HelperAssignment]:
        return [a for a in self.assignments if a.is_active_on(self.day)]

    @property
    def without_helper(self) -> bool:
        return not self.current_helpers

    @property
    def needs_recorded(self) -> list[Need]:
        return [row.need for row in self.needs if row.need is not None]


def case_file(*, actor: Any, person: Person) -> CaseFile:
    """Everything case work holds on one person that ``actor`` may read (the person is in scope).

    A bounded number of queries: one per section, whatever the length of the file.
    """
    day = today()
    assignments = list(
        policy.restrict(HelperAssignment.objects.filter(person=person), actor, Cap.VIEW_PEOPLE)
        .select_related("organisation", "user")
        .order_by("-start_date", "-pk")
    )
    needs = {n.domain: n for n in policy.restrict(Need.objects.filter(person=person), actor, Cap.VIEW_PEOPLE)}
    actions = list(
        policy.restrict(PlanAction.objects.filter(person=person), actor, Cap.VIEW_PEOPLE)
        .select_related("need")
        .order_by("status", "due_on", "pk")
    )
    contacts = list(
        policy.restrict(Contact.objects.filter(person=person), actor, Cap.VIEW_PEOPLE)
        .select_related("recorded_by")
        .order_by("-occurred_on", "-pk")[:CONTACTS_ON_CASE_FILE]
    )
    sees = people_selectors.sees_judgments(actor, person)
    notes: list[PoliceNote] = []
    reviews: list[Review] = []
    if sees:
        notes = list(
            police_note_list(actor=actor).filter(person=person).select_related("written_by", "contact")
        )
        reviews = list(
            review_list(actor=actor).filter(person=person).select_related("classification", "reviewed_by")
        )
    return CaseFile(
        person=person,
        assignments=assignments,
        needs=[NeedRow(d.value, d.label, needs.get(d.value)) for d in Need.Domain],
        actions=actions,
        contacts=contacts,
        police_notes=notes,
        reviews=reviews,
        sees_police_side=sees,
        day=day,
    )


# -- scoped lists (pages and API) ------------------------------------------------------------------


def assignment_list(*, actor: Any, cap: str = Cap.VIEW_PEOPLE) -> QuerySet[HelperAssignment]:
    return policy.restrict(
        HelperAssignment.objects.select_related("person", "organisation", "user"), actor, cap
    ).order_by("person_id", "-start_date", "-pk")


def need_list(*, actor: Any, cap: str = Cap.VIEW_PEOPLE) -> QuerySet[Need]:
    return policy.restrict(Need.objects.select_related("person"), actor, cap).order_by("person_id", "domain")


def plan_action_list(*, actor: Any, cap: str = Cap.VIEW_PEOPLE) -> QuerySet[PlanAction]:
    return policy.restrict(PlanAction.objects.select_related("person", "need"), actor, cap).order_by(
        "person_id", "due_on", "pk"
    )


def contact_list(*, actor: Any, cap: str = Cap.VIEW_PEOPLE) -> QuerySet[Contact]:
    return policy.restrict(Contact.objects.select_related("person", "recorded_by"), actor, cap).order_by(
        "-occurred_on", "-pk"
    )


def police_note_list(*, actor: Any) -> QuerySet[PoliceNote]:
    """Police notes the actor may read: ``view_judgments`` in the person's area (never a helper)."""
    return policy.restrict(PoliceNote.objects.select_related("person"), actor, Cap.VIEW_JUDGMENTS).order_by(
        "-written_on", "-pk"
    )


def review_list(*, actor: Any) -> QuerySet[Review]:
    """Reviews the actor may read: ``view_judgments`` in the person's area (they carry the group)."""
    return policy.restrict(Review.objects.select_related("person"), actor, Cap.VIEW_JUDGMENTS).order_by(
        "-reviewed_on", "-pk"
    )


def people_without_helper(*, actor: Any, day: dt.date | None = None) -> QuerySet[Person]:
    """People under management in the actor's casework areas with no helper assigned on ``day``."""
    day = day or today()
    people = policy.restrict(Person.objects.select_related("province", "commune"), actor, Cap.EDIT_CASEWORK)
    return (
        with_visit_dates(people.filter(status=Person.Status.IN_MANAGEMENT))
        .filter(~has_current_helper(day))
        .order_by("sort_key", "pk")
    )


@dataclass
class MyPerson:
    person: Person
    next_visit_on: dt.date | None
    open_actions: int

    @property
    def visit_overdue(self) -> bool:
        return self.next_visit_on is not None and self.next_visit_on < today()


def my_people(*, actor: Any) -> list[MyPerson]:
    """The people assigned to a helper today, with the next contact due and their open plan actions.

    One query, whatever the number of people.
    """
    people = policy.restrict(Person.objects.select_related("commune"), actor, Cap.VIEW_ASSIGNED)
    rows = with_visit_dates(people).annotate(
        open_actions=Count(
            "plan_actions", filter=Q(plan_actions__status=PlanAction.Status.OPEN), distinct=True
        )
    )
    return [MyPerson(p, next_visit_on(p), p.open_actions) for p in rows.order_by("sort_key", "pk")]


# -- figures for the reports -----------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    under_management: int
    with_helper: int
    contacts: int
    people_contacted: int
    needs_open: int
    needs_met: int


def figures(*, actor: Any, start: dt.date, end: dt.date) -> Figures:
    """Case-work figures of the actor's areas: people with a helper on ``end``, contacts in the period,
    needs open and needs met in the period (by the date their status was last set). Three queries."""
    people = policy.restrict(Person.objects.all(), actor, Cap.VIEW_REPORTS).filter(
        status=Person.Status.IN_MANAGEMENT
    )
    counts = people.aggregate(total=Count("pk"), helped=Count("pk", filter=Q(has_current_helper(end))))
    contacts = policy.restrict(Contact.objects.all(), actor, Cap.VIEW_REPORTS).filter(
        occurred_on__gte=start, occurred_on__lte=end
    )
    contact_counts = contacts.aggregate(total=Count("pk"), people=Count("person", distinct=True))
    needs = policy.restrict(Need.objects.all(), actor, Cap.VIEW_REPORTS).aggregate(
        open=Count("pk", filter=Q(status__in=Need.OPEN_STATUSES)),
        met=Count("pk", filter=Q(status=Need.Status.MET, status_since__gte=start, status_since__lte=end)),
    )
    return Figures(
        under_management=counts["total"],
        with_helper=counts["helped"],
        contacts=contact_counts["total"],
        people_contacted=contact_counts["people"],
        needs_open=needs["open"],
        needs_met=needs["met"],
    )


# -- reviews due -----------------------------------------------------------------------------------


def with_review_dates(people: QuerySet[Person]) -> QuerySet[Person]:
    """People annotated with ``review_due_on`` (latest review's next date), ``classification_due_on``
    (intake's latest classification's next date) and ``entered_on``; no review yet: ``review_due_on`` is None."""
    latest_review = Review.objects.filter(person=OuterRef("pk")).order_by("-reviewed_on", "-pk")
    latest_class = Classification.objects.filter(person=OuterRef("pk")).order_by("-decided_on", "-pk")
    return with_visit_dates(people).annotate(
        review_due_on=Subquery(latest_review.values("next_review_on")[:1]),
        classification_due_on=Subquery(latest_class.values("next_review_on")[:1]),
    )
