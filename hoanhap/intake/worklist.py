"""“Việc hôm nay” — what a commune officer must do, each item with its due date and one link to act.

Built from the actor's ``edit_casework`` areas only. Each section costs one or two queries whatever the
size of the area, except the probation check, which reads the release of each person still on
probation (a short list). Sections:

* notices whose residence check is due (Circular 10/2024 Art. 8, three working days);
* released (or expected) people who have not reported after the alert threshold;
* conditionally released people whose probation ended (to enter management);
* transfers awaiting this commune's confirmation, and this commune's transfers escalated elsewhere;
* people whose whereabouts are unknown;
* classifications to review, and people under management not yet classified;
* people reaching their expungement date (Circular 10/2024 Art. 13), computed from the recorded
  judgments by the justice app (``expungement_section``; left out if that app cannot compute it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hoanhap.access import policy
from hoanhap.access.roles import Cap
from hoanhap.intake import deadlines, policy_settings, releases, selectors
from hoanhap.intake.models import Classification, ManagementEvent, ReleaseNotice, Transfer
from hoanhap.people.models import Person

REVIEW_HORIZON_DAYS = 14  # reviews due within two weeks are listed already


@dataclass
class Item:
    person: Person
    what: str
    due_on: dt.date | None
    url: str
    action: Promise | str
    detail: str = ""
    today: dt.date | None = None

    @property
    def overdue(self) -> bool:
        return self.due_on is not None and self.due_on < (self.today or selectors.today())

    @property
    def due_today(self) -> bool:
        return self.due_on == (self.today or selectors.today())


@dataclass
class Section:
    code: str
    title: Promise
    help: Promise
    items: list[Item]

    @property
    def overdue_count(self) -> int:
        return sum(1 for i in self.items if i.overdue)


def _person_url(person: Person, step: str = "") -> str:
    url = reverse("intake:person", args=[person.record_code])
    return f"{url}#step-{step}" if step else url


def _people(actor: Any) -> Any:
    return policy.restrict(Person.objects.select_related("province", "commune"), actor, Cap.EDIT_CASEWORK)


def notices_to_verify(actor: Any, today: dt.date) -> Section:
    rows = (
        policy.restrict(
            ReleaseNotice.objects.select_related("person__commune", "facility", "commune"),
            actor,
            Cap.EDIT_CASEWORK,
        )
        .filter(verified_on__isnull=True, person__status__in=["notified", "released"])
        .order_by("verify_by", "pk")
    )
    items = [
        Item(
            person=n.person,
            what=str(_("Verify the residence announced by {sender}")).format(sender=n.sender_display or "—"),
            due_on=n.verify_by,
            url=reverse("intake:notice-verify", args=[n.pk]),
            action=_("Verify"),
            detail=str(_("Release expected on {date}")).format(
                date=n.expected_release_date.strftime("%d/%m/%Y")
            ),
            today=today,
        )
        for n in rows
    ]
    return Section(
        "verify",
        _("Release notices to verify"),
        _("Check the place of residence with the family within three working days of receiving the notice."),
        items,
    )


def not_reported(actor: Any, today: dt.date) -> Section:
    """People expected or released whose reporting is overdue (alert threshold, or 5 days on conditional release)."""
    notices = ReleaseNotice.objects.filter(person=OuterRef("pk")).order_by("-received_on", "-pk")
    released = ManagementEvent.objects.filter(
        person=OuterRef("pk"), kind=ManagementEvent.Kind.RELEASED
    ).order_by("-occurred_on", "-pk")
    rows = (
        _people(actor)
        .filter(status__in=["notified", "released"])
        .annotate(
            expected_on=Subquery(notices.values("expected_release_date")[:1]),
            expected_kind=Subquery(notices.values("release_kind")[:1]),
            released_on=Subquery(released.values("occurred_on")[:1]),
            released_event=Subquery(released.values("pk")[:1]),
        )
    )
    rows = list(rows)
    kinds = dict(
        ManagementEvent.objects.filter(
            pk__in=[p.released_event for p in rows if p.released_event]
        ).values_list("pk", "data")
    )
    items = []
    for p in rows:
        if p.status == "released" and p.released_on:
            start, kind = p.released_on, (kinds.get(p.released_event) or {}).get("kind") or p.expected_kind
        elif p.expected_on:
            start, kind = p.expected_on, p.expected_kind
        else:
            continue
        due = deadlines.report_due_on(start, kind or "")
        if due >= today:
            continue
        step = "reception" if p.status == "released" else "release"
        items.append(
            Item(
                person=p,
                what=str(_("Not reported since the release on {date}")).format(
                    date=start.strftime("%d/%m/%Y")
                ),
                due_on=due,
                url=_person_url(p, step),
                action=_("Record reporting") if p.status == "released" else _("Confirm release"),
                today=today,
            )
        )
    items.sort(key=lambda i: (i.due_on, i.person.sort_key))
    return Section(
        "not_reported",
        _("Released people who have not reported"),
        _(
            "No reporting recorded {days} days after the release (5 days for a conditional release). "
            "No statutory deadline exists for the others: the threshold is a local setting."
        ).format(days=policy_settings.non_arrival_days()),
        items,
    )


def probation_ended(actor: Any, today: dt.date) -> Section:
    items = []
    for p in _people(actor).filter(status="received"):
        facts = releases.release_facts(p)
        if facts is None or not facts.is_conditional or facts.probation_ends_on is None:
            continue
        if facts.probation_ends_on > today:
            continue
        items.append(
            Item(
                person=p,
                what=str(_("Probation ended on {date}")).format(
                    date=facts.probation_ends_on.strftime("%d/%m/%Y")
                ),
                due_on=facts.probation_ends_on,
                url=_person_url(p, "enter"),
                action=_("Enter management"),
                today=today,
            )
        )
    return Section(
        "probation",
        _("Probation ended: enter management"),
        _("Conditionally released people enter reintegration management when their probation ends."),
        items,
    )


def transfers(actor: Any, today: dt.date) -> Section:
    scope = policy.scope_for(actor, Cap.EDIT_CASEWORK)
    pending = Transfer.objects.filter(status=Transfer.Status.SENT).select_related(
        "person__commune", "from_commune", "to_commune"
    )
    incoming = pending.filter(scope.q(selectors.INCOMING))
    outgoing = policy.restrict(pending, actor, Cap.EDIT_CASEWORK).exclude(pk__in=incoming.values("pk"))
    items = []
    for t in incoming.order_by("sent_on", "pk"):
        escalation = deadlines.transfer_escalation_on(t.sent_on)
        items.append(
            Item(
                person=t.person,
                what=str(_("Transfer from {commune} awaits your confirmation")).format(
                    commune=t.from_commune.name
                ),
                due_on=escalation,
                url=reverse("intake:transfer-detail", args=[t.pk]),
                action=_("Confirm or return"),
                detail=str(_("Escalated")) if t.escalated_on else "",
                today=today,
            )
        )
    for t in outgoing.order_by("sent_on", "pk"):
        escalation = deadlines.transfer_escalation_on(t.sent_on)
        if escalation >= today and not t.escalated_on:
            continue
        items.append(
            Item(
                person=t.person,
                what=str(_("Transfer to {commune} still unconfirmed")).format(commune=t.to_commune.name),
                due_on=escalation,
                url=reverse("intake:transfer-detail", args=[t.pk]),
                action=_("Follow up"),
                detail=str(_("Escalated")),
                today=today,
            )
        )
    return Section(
        "transfers",
        _("Transfers awaiting confirmation"),
        _("A transfer not confirmed within {days} days is escalated.").format(
            days=policy_settings.transfer_escalation_days()
        ),
        items,
    )


def missing(actor: Any, today: dt.date) -> Section:
    since = ManagementEvent.objects.filter(
        person=OuterRef("pk"), kind=ManagementEvent.Kind.WHEREABOUTS_UNKNOWN
    ).order_by("-occurred_on", "-pk")
    rows = (
        _people(actor)
        .filter(status="whereabouts_unknown")
        .annotate(missing_since=Subquery(since.values("occurred_on")[:1]))
    )
    items = [
        Item(
            person=p,
            what=str(_("Whereabouts unknown")),
            due_on=p.missing_since,
            url=_person_url(p, "found"),
            action=_("Mark as found"),
            today=today,
        )
        for p in rows.order_by("missing_since", "sort_key")
    ]
    return Section(
        "missing",
        _("Whereabouts unknown"),
        _("These people stay under management, flagged, until they are found again."),
        items,
    )


def reviews(actor: Any, today: dt.date) -> Section:
    latest = Classification.objects.filter(person=OuterRef("pk")).order_by("-decided_on", "-pk")
    entered = ManagementEvent.objects.filter(
        person=OuterRef("pk"), kind=ManagementEvent.Kind.ENTERED_MANAGEMENT
    ).order_by("-occurred_on", "-pk")
    rows = (
        _people(actor)
        .filter(status="in_management")
        .annotate(
            review_on=Subquery(latest.values("next_review_on")[:1]),
            entered_on=Subquery(entered.values("occurred_on")[:1]),
        )
        .filter(Q(review_on__isnull=True) | Q(review_on__lte=today + dt.timedelta(days=REVIEW_HORIZON_DAYS)))
    )
    items = []
    for p in rows:
        first = p.review_on is None
        items.append(
            Item(
                person=p,
                what=str(_("Not classified yet")) if first else str(_("Classification review due")),
                due_on=p.entered_on if first else p.review_on,
                url=_person_url(p, "classify"),
                action=_("Classify"),
                today=today,
            )
        )
    items.sort(key=lambda i: (i.due_on or today, i.person.sort_key))
    return Section(
        "reviews",
        _("Classifications to make or review"),
        _(
            "Classification is reviewed every {months} months (frequency not confirmed by the official text)."
        ).format(months=policy_settings.classification_review_months()),
        items,
    )


EXPUNGEMENT_HORIZON_DAYS = 30  # dates within a month are listed already, to prepare the paperwork


def _judgments_by_person(person_ids: list[int]) -> dict[int, list]:
    """Every judgment of these people, loaded as ``justice.legal_status.load_judgments`` does, in a few queries."""
    from django.db.models import Prefetch

    from hoanhap.justice.models import AdditionalPenalty, Judgment, JudgmentOffence, Release

    rows = (
        Judgment.objects.filter(person_id__in=person_ids)
        .select_related("person")
        .prefetch_related(
            Prefetch("offences", queryset=JudgmentOffence.objects.select_related("offence")),
            Prefetch("additional_penalties", queryset=AdditionalPenalty.objects.all()),
            "obligations",
            Prefetch("releases", queryset=Release.objects.order_by("release_date", "pk")),
        )
        .order_by("offence_committed_on", "judgment_date", "pk")
    )
    out: dict[int, list] = {}
    for judgment in rows:
        out.setdefault(judgment.person_id, []).append(judgment)
    return out


def expungement_section(actor: Any, today: dt.date) -> Section | None:
    """People whose criminal record is expunged, or soon will be (Circular 10/2024 Art. 13).

    Computed with the justice app's ``legal_status.person_expungement`` from the stored judgments;
    None (the section is left out) when the justice app offers no such computation.
    """
    try:
        from hoanhap.justice import legal_status
        from hoanhap.justice.models import Judgment
        from hoanhap.justice.rules.expungement import COURT_DECISION_REQUIRED, ELIGIBLE_DATE_KNOWN
    except ImportError:
        return None
    people = list(
        _people(actor)
        .filter(status__in=["in_management", "whereabouts_unknown"])
        .filter(Exists(Judgment.objects.filter(person=OuterRef("pk"), is_final=True)))
    )
    judgments = _judgments_by_person([p.pk for p in people])
    horizon = today + dt.timedelta(days=EXPUNGEMENT_HORIZON_DAYS)
    items = []
    for person in people:
        result = legal_status.person_expungement(judgments=judgments.get(person.pk, []), today=today)
        status = result.status
        if status == legal_status.EXPUNGED:
            due, what = (
                result.expunged_on,
                _(
                    "Record expunged automatically on {date}: guide the person to request a judicial record certificate, then end management"
                ),
            )
        elif status == ELIGIBLE_DATE_KNOWN and result.eligible_on and result.eligible_on <= horizon:
            due, what = result.eligible_on, _("Record expunged automatically on {date}")
        elif status == COURT_DECISION_REQUIRED and result.eligible_on and result.eligible_on <= horizon:
            due, what = result.eligible_on, _("May petition the court for expungement from {date}")
        else:
            continue
        items.append(
            Item(
                person=person,
                what=str(what).format(date=due.strftime("%d/%m/%Y") if due else "—"),
                due_on=due,
                url=_person_url(person, "end"),
                action=_("Guide and end management"),
                today=today,
            )
        )
    items.sort(key=lambda i: (i.due_on or today, i.person.sort_key))
    return Section(
        "expungement",
        _("Expungement date reached"),
        _(
            "Guide the person to request a judicial record certificate (automatic expungement) or to petition "
            "the court; end management on receiving it (Circular 10/2024 Art. 13). Dates come from the recorded judgments."
        ),
        items,
    )


SectionProvider = Callable[[Any, dt.date], list[Section]]
_section_providers: list[SectionProvider] = []
_replaced: set[str] = set()


def register_sections(provider: SectionProvider, *, replaces: tuple[str, ...] = ()) -> None:
    """Add ``provider(actor, today) -> [Section]`` to every worklist (case work adds visits, plans, …).

    A provider reads through the access policy and costs a bounded number of queries. ``replaces``
    names sections of this module that the provider's own sections cover (case work's combined
    review of needs, plan and group replaces ``reviews``), so nobody is listed twice.
    """
    if provider not in _section_providers:
        _section_providers.append(provider)
    _replaced.update(replaces)


def worklist(*, actor: Any, today: dt.date | None = None, expungement: bool = True) -> list[Section]:
    """Every section of the actor's worklist (empty sections included, so the page can say "nothing").

    ``expungement=False`` leaves out the expungement section, the one that computes from judgments
    (the home-page summary does, to stay quick).
    """
    today = today or selectors.today()
    if not policy.has_cap(actor, Cap.EDIT_CASEWORK):
        return []
    sections = [
        notices_to_verify(actor, today),
        not_reported(actor, today),
        probation_ended(actor, today),
        transfers(actor, today),
        missing(actor, today),
        reviews(actor, today),
    ]
    sections = [section for section in sections if section.code not in _replaced]
    for provider in _section_providers:
        sections.extend(provider(actor, today))
    extra = expungement_section(actor, today) if expungement else None
    if extra is not None:
        sections.append(extra)
    return sections
