"""The case-work panel of the person page: helpers, open needs and actions, next contact, one link."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from hoanhap.access import policy
from hoanhap.access.roles import Cap
from hoanhap.casework import selectors, services
from hoanhap.casework.models import HelperAssignment, Need, PlanAction
from hoanhap.people.models import Person
from hoanhap.people.panels import Panel


def case_work_panel(request: Any, person: Person) -> Panel | None:
    """Four queries whatever the size of the file; nothing for readers who may not see the person."""
    actor = request.user
    if not policy.allows(actor, Cap.VIEW_PEOPLE, person):
        return None
    day = selectors.today()
    helpers = list(
        HelperAssignment.objects.filter(selectors.active_on(day), person=person).select_related(
            "organisation", "user"
        )
    )
    needs = Need.objects.filter(person=person).aggregate(
        open=Count("pk", filter=Q(status__in=Need.OPEN_STATUSES)), recorded=Count("pk")
    )
    actions = PlanAction.objects.filter(person=person).aggregate(
        open=Count("pk", filter=Q(status=PlanAction.Status.OPEN)),
        overdue=Count("pk", filter=Q(status=PlanAction.Status.OPEN, due_on__lt=day)),
    )
    dated = selectors.with_visit_dates(Person.objects.filter(pk=person.pk)).values(
        "last_contact_on", "entered_on"
    )[0]
    annotated = Person(pk=person.pk, classification=person.classification, created_at=person.created_at)
    annotated.last_contact_on = dated["last_contact_on"]
    annotated.entered_on = dated["entered_on"]
    return Panel(
        "casework/partials/_panel.html",
        {
            "person": person,
            "helpers": helpers,
            "needs_open": needs["open"],
            "needs_recorded": needs["recorded"],
            "actions_open": actions["open"],
            "actions_overdue": actions["overdue"],
            "last_contact_on": dated["last_contact_on"],
            "next_visit_on": selectors.next_visit_on(annotated)
            if person.status == Person.Status.IN_MANAGEMENT
            else None,
            "today": day,
            "can_record": services.can_record_contacts(actor, person),
        },
        order=40,
    )
