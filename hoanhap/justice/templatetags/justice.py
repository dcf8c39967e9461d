"""``{% person_judgments person %}``: the judgments section of a person's page, for other apps' pages.

The people detail page cannot import the justice app (people comes first in the dependency order), so
it includes this tag instead of building the context itself. The section is rendered only for an
actor holding ``view_judgments`` on the person's area (never for helpers); otherwise nothing is
written. It needs ``request`` in the template context (the request context processor).
"""

from __future__ import annotations

from typing import Any

from django import template

from hoanhap.justice import selectors
from hoanhap.people.models import Person

register = template.Library()


@register.inclusion_tag("justice/partials/_person_judgments.html", takes_context=True)
def person_judgments(context: dict[str, Any], person: Person) -> dict[str, Any]:
    request = context.get("request")
    actor = getattr(request, "user", None)
    if not selectors.can_see_judgments(actor, person):
        return {"hidden": True}
    return {
        "person": person,
        "justice": selectors.person_justice(person),
        "can_edit": selectors.can_edit(actor, person),
        "request": request,
    }
