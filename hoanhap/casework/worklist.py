"""Case-work sections of the officer's worklist (“Việc hôm nay”, ``hoanhap.intake.worklist``).

Built from the actor's ``edit_casework`` areas, one query per section:

* contacts due: the interval of the person's group (``policy_settings.visit_days``) after the last
  contact, or after entry into management when there was none;
* plan actions due within a week, or overdue;
* people under management with no current helper;
* needs and plan reviews: at entry into management (no review yet), and when the review cycle comes
  round — the review's own next date, or intake's classification date when that comes first. The
  review form classifies too (through ``intake.services.classify``), so an officer clears intake's
  "Classifications to make or review" item and this one with the same form.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hoanhap.access import policy
from hoanhap.access.roles import Cap
from hoanhap.casework import policy_settings, selectors
from hoanhap.casework.models import PlanAction
from hoanhap.casework.services import ACTIVE_STATUSES
from hoanhap.intake.worklist import Item, Section
from hoanhap.people.models import Person


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _people(actor: Any):
    return policy.restrict(
        Person.objects.select_related("province", "commune"), actor, Cap.EDIT_CASEWORK
    ).filter(status=Person.Status.IN_MANAGEMENT)


def visits_due(actor: Any, today: dt.date) -> Section:
    horizon = today + dt.timedelta(days=policy_settings.VISIT_HORIZON_DAYS)
    items = []
    for person in selectors.with_visit_dates(_people(actor)):
        due = selectors.next_visit_on(person)
        if due is None or due > horizon:
            continue
        last = person.last_contact_on
        items.append(
            Item(
                person=person,
                what=str(_("Last contact on {date}")).format(date=_d(last))
                if last
                else str(_("No contact recorded since entry into management")),
                due_on=due,
                url=reverse("casework:contact-create", args=[person.record_code]),
                action=_("Record a contact"),
                today=today,
            )
        )
    items.sort(key=lambda i: (i.due_on, i.person.sort_key))
    days = policy_settings.visit_days()
    return Section(
        "casework_visits",
        _("Contacts and visits due"),
        _(
            "A contact is due {a} days after the last one in group A, {b} in group B, {c} in group C and "
            "{none} for people not classified yet; none is listed in group D. No statutory frequency was "
            "found: these intervals are a local setting."
        ).format(
            a=days.get("A") or "—",
            b=days.get("B") or "—",
            c=days.get("C") or "—",
            none=days.get(policy_settings.UNCLASSIFIED) or "—",
        ),
        items,
    )


def plan_actions_due(actor: Any, today: dt.date) -> Section:
    horizon = today + dt.timedelta(days=policy_settings.PLAN_HORIZON_DAYS)
    rows = (
        policy.restrict(
            PlanAction.objects.select_related("person__province", "person__commune", "need"),
            actor,
            Cap.EDIT_CASEWORK,
        )
        .filter(status=PlanAction.Status.OPEN, due_on__lte=horizon, person__status__in=ACTIVE_STATUSES)
        .order_by("due_on", "pk")
    )
    items = [
        Item(
            person=a.person,
            what=str(_("{action} — {owner}")).format(action=a.description, owner=a.owner),
            due_on=a.due_on,
            url=reverse("casework:plan-result", args=[a.pk]),
            action=_("Record the result"),
            detail=str(a.need.get_domain_display()),
            today=today,
        )
        for a in rows
    ]
    return Section(
        "casework_plan",
        _("Plan actions due"),
        _("Open actions of the people's plans due within a week, or overdue."),
        items,
    )


def without_helper(actor: Any, today: dt.date) -> Section:
    items = [
        Item(
            person=p,
            what=str(_("No helper assigned")),
            due_on=p.entered_on,
            url=reverse("casework:helper-create", args=[p.record_code]),
            action=_("Assign a helper"),
            today=today,
        )
        for p in selectors.people_without_helper(actor=actor, day=today)
    ]
    return Section(
        "casework_no_helper",
        _("People without a helper"),
        _(
            "Every person under management should have an individual or an organisation assigned to help them."
        ),
        items,
    )


def reviews_due(actor: Any, today: dt.date) -> Section:
    horizon = today + dt.timedelta(days=policy_settings.REVIEW_HORIZON_DAYS)
    items = []
    for p in selectors.with_review_dates(_people(actor)):
        if p.review_due_on is None:
            what, due = _("Needs review at entry into management"), p.entered_on
        else:
            due = min(d for d in (p.review_due_on, p.classification_due_on) if d is not None)
            if due > horizon:
                continue
            what = _("Review of needs, plan and group due")
        items.append(
            Item(
                person=p,
                what=str(what),
                due_on=due,
                url=reverse("casework:review-create", args=[p.record_code]),
                action=_("Review"),
                today=today,
            )
        )
    items.sort(key=lambda i: (i.due_on or today, i.person.sort_key))
    return Section(
        "casework_reviews",
        _("Needs and plan reviews"),
        _(
            "The needs are reviewed when the person enters management, then with each classification review "
            "(every {months} months). The review form records the group too."
        ).format(months=policy_settings.review_months()),
        items,
    )


def sections(actor: Any, today: dt.date) -> list[Section]:
    """Registered with ``intake.worklist.register_sections``."""
    if not policy.has_cap(actor, Cap.EDIT_CASEWORK):
        return []
    return [
        visits_due(actor, today),
        plan_actions_due(actor, today),
        without_helper(actor, today),
        reviews_due(actor, today),
    ]
