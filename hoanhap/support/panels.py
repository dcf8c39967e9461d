"""The support section of the person page: support received, and the person's children.

Support to the person and their relatives is shown to every reader of the person (helpers
included); the children only to readers who may see them (``selectors.child_scope``). Four queries.
"""

from __future__ import annotations

from typing import Any

from hoanhap.access import policy
from hoanhap.access.roles import Cap
from hoanhap.people.panels import Panel
from hoanhap.support import selectors
from hoanhap.support.models import SupportAction

PANEL_LIMIT = 20


def person_panel(request: Any, person: Any) -> Panel | None:
    actor = request.user
    rows = policy.restrict(SupportAction.objects.filter(person=person), actor, Cap.VIEW_PEOPLE)
    from hoanhap.people.selectors import sees_judgments

    context = {
        "person": person,
        "actions": selectors.person_actions(actor=actor, person=person, limit=PANEL_LIMIT),
        "totals": selectors.totals(rows),
        "children": list(selectors.children_of(actor=actor, person=person)[:PANEL_LIMIT]),
        "can_record": selectors.can_record_for_person(actor, person),
        "can_refer": selectors.edits_casework_over(actor, person) and sees_judgments(actor, person),
        "can_add_child": selectors.edits_casework_over(actor, person),
    }
    return Panel("support/partials/_person_panel.html", context, order=50)
