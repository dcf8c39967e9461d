"""Template tags other apps' pages use to show intake panels without knowing intake's internals.

``{% intake_person_actions person %}`` — the lifecycle status and the step buttons the signed-in
user may take on ``person`` (people detail page); ``{% intake_today %}`` — the worklist summary
(home page). Both read the user from the request and go through ``hoanhap.access.policy``.
"""

from django import template

from hoanhap.access import policy
from hoanhap.access.roles import Cap
from hoanhap.intake import selectors, workflow, worklist

register = template.Library()

STEP_URLS = {
    "release_confirm": ("intake:person-release", "release"),
    "reception_record": ("intake:person-reception", "reception"),
    "management_enter": ("intake:person-enter", "enter"),
    "classify": ("intake:person-classify", "classify"),
    "transfer_send": ("intake:person-transfer", "transfer"),
    "whereabouts_unknown": ("intake:person-missing", "missing"),
    "found": ("intake:person-found", "found"),
    "management_end": ("intake:person-end", "end"),
}


def person_steps(user, person) -> list[dict]:
    """The step buttons offered to ``user`` on ``person``: allowed in the status, and in the user's area."""
    if not selectors.can_act(user, person):
        return []
    steps = []
    for code in workflow.allowed_steps(person.status):
        if code not in STEP_URLS:
            continue
        if code == "transfer_send" and selectors.open_transfer(person) is not None:
            continue
        url_name, anchor = STEP_URLS[code]
        steps.append(
            {"code": code, "label": workflow.TRANSITIONS[code].label, "url_name": url_name, "anchor": anchor}
        )
    return steps


@register.inclusion_tag("intake/partials/_person_actions_body.html", takes_context=True)
def intake_person_actions(context, person):
    request = context.get("request")
    user = getattr(request, "user", None)
    visible = user is not None and policy.has_cap(user, Cap.VIEW_JUDGMENTS)
    return {
        "person": person,
        "visible": visible,
        "steps": person_steps(user, person) if visible else [],
        "open_transfer": selectors.open_transfer(person) if visible else None,
        "request": request,
    }


@register.inclusion_tag("intake/partials/_today_panel.html", takes_context=True)
def intake_today(context, limit=5):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not policy.has_cap(user, Cap.EDIT_CASEWORK):
        return {"sections": [], "visible": False}
    sections = worklist.worklist(actor=user, expungement=False)
    return {"sections": sections, "visible": True, "limit": limit, "request": request}
