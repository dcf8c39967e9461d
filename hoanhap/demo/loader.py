"""``load_demo()``: fill the embedded database with the demo province An Giang.

The demo is a list of ``STEPS``, run in order in one transaction by the system actor, each audited
like any other write. A step runs once per database: ``LoadedStep`` remembers it, so a restart
(``make run`` calls ``hoanhap load-demo`` every time) costs one query and leaves alone whatever
people changed while trying the demo. ``force=True`` runs every step again; steps only create
what is missing (matched on natural keys) and never overwrite, so that is safe too.

To extend the demo (people, judgments, support, loans), write a module with a ``load()`` that
returns ``{what: number created}``, append a ``Step`` to ``STEPS`` after the steps it relies on,
and give its counters a label in ``COUNT_LABELS``. On existing demo databases the new step runs
once on the next start.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hoanhap.audit import context, services
from hoanhap.demo import accounts, casework, organisations, population, support
from hoanhap.demo import province as demo
from hoanhap.demo.models import LoadedStep
from hoanhap.geo.models import CommuneSuccession, Province


@dataclass(frozen=True)
class Step:
    name: str
    load: Callable[[], dict[str, int]]  # creates what is missing, returns {what: number created}


STEPS: list[Step] = [
    Step("organisations", organisations.load),
    Step("accounts", accounts.load),
    Step("population", population.load),  # people, judgments, releases, intake and management
    Step("casework", casework.load),  # helpers, needs, plans, contacts and reviews of people under management
    # help given 2019–today, children of prisoners, Thoại Sơn's Form 01 and referrals:
    Step("support", support.load),
    # Later: Step("loans", …) with the revolving funds
]

COUNT_LABELS: dict[str, Callable[[int], str]] = {
    "organisations": lambda n: ngettext("{n} organisation", "{n} organisations", n).format(n=n),
    "accounts": lambda n: ngettext("{n} account", "{n} accounts", n).format(n=n),
    "grants": lambda n: ngettext("{n} role grant", "{n} role grants", n).format(n=n),
    "people": lambda n: ngettext("{n} person", "{n} people", n).format(n=n),
    "judgments": lambda n: ngettext("{n} judgment", "{n} judgments", n).format(n=n),
    "releases": lambda n: ngettext("{n} release", "{n} releases", n).format(n=n),
    "notices": lambda n: ngettext("{n} release notice", "{n} release notices", n).format(n=n),
    "management_events": lambda n: ngettext("{n} management event", "{n} management events", n).format(n=n),
    "helper_assignments": lambda n: ngettext("{n} helper assignment", "{n} helper assignments", n).format(
        n=n
    ),
    "needs": lambda n: ngettext("{n} need", "{n} needs", n).format(n=n),
    "plan_actions": lambda n: ngettext("{n} plan action", "{n} plan actions", n).format(n=n),
    "contacts": lambda n: ngettext("{n} contact", "{n} contacts", n).format(n=n),
    "police_notes": lambda n: ngettext("{n} police note", "{n} police notes", n).format(n=n),
    "support_actions": lambda n: ngettext("{n} support action", "{n} support actions", n).format(n=n),
    "children": lambda n: ngettext("{n} child", "{n} children", n).format(n=n),
    "form01_lists": lambda n: ngettext("{n} Form 01 list", "{n} Form 01 lists", n).format(n=n),
    "referrals": lambda n: ngettext("{n} policy-bank referral", "{n} policy-bank referrals", n).format(n=n),
    "reviews": lambda n: ngettext("{n} needs and plan review", "{n} needs and plan reviews", n).format(n=n),
}


def ensure_geography() -> None:
    """Load the administrative units first when they are missing (a cheap check, then load_geo)."""
    if Province.objects.filter(code=demo.PROVINCE).exists() and CommuneSuccession.objects.exists():
        return
    from hoanhap.geo.loader import load_geo

    load_geo()


def pending_steps(*, force: bool = False) -> list[Step]:
    if force:
        return list(STEPS)
    done = set(LoadedStep.objects.values_list("name", flat=True))
    return [step for step in STEPS if step.name not in done]


def load_demo(*, force: bool = False) -> dict:
    """Run the demo steps not yet run (all with ``force``); returns what was created.

    The summary is ``{"province": 91, "skipped": bool, "steps": {step: {what: n}},
    "created": {what: n}}``; ``skipped`` is true when there was nothing to run.
    """
    steps = pending_steps(force=force)
    summary: dict = {"province": demo.PROVINCE, "skipped": not steps, "steps": {}, "created": {}}
    if not steps:
        return summary
    # The demo is always written by the system actor (whatever --user says), marked "load-demo".
    with context.acting(source=context.SOURCE_CLI, note="load-demo"), transaction.atomic():
        ensure_geography()
        for step in steps:
            created = step.load()
            _mark_loaded(step, created)
            summary["steps"][step.name] = created
            for what, n in created.items():
                summary["created"][what] = summary["created"].get(what, 0) + n
    return summary


def _mark_loaded(step: Step, created: dict[str, int]) -> None:
    _marker, new = LoadedStep.objects.get_or_create(name=step.name, defaults={"created": created})
    if new or any(created.values()):
        services.record(
            "demo.step.loaded",
            target_type="demo.step",
            target_id=step.name,
            target_repr=step.name,
            data={"created": created},
            province=demo.PROVINCE,
        )


def describe(summary: dict) -> str:
    """The one-line summary printed by ``hoanhap load-demo``."""
    province = Province.objects.filter(code=summary["province"]).values_list("name", flat=True).first() or ""
    if summary["skipped"]:
        return _(
            "Demo data for {province} is already loaded; nothing to do (--force restores missing records)."
        ).format(province=province)
    parts = [
        COUNT_LABELS[what](n) if what in COUNT_LABELS else f"{what}: {n}"
        for what, n in summary["created"].items()
        if n
    ]
    if not parts:
        return _("Demo data for {province} is complete; nothing was missing.").format(province=province)
    return _("Demo data for {province} loaded: created {counts}.").format(
        province=province, counts=", ".join(parts)
    )
