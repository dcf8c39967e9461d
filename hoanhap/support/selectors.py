"""Scoped reads of support, children, referrals and Form 01 lists; who may write what.

Who sees what (docs/support.md says it in prose):

* a support action to a person or a relative sits in the person's unit: ``view_people`` on that
  unit reads it, and so do the helpers assigned to the person (``area_fields.person``);
* a child sits in the unit where the child lives; ``view_children`` holders (police roles) on that
  unit read it, and so do the accounts of the organisations that recorded support to that child
  (their assignment-scoped organisations). Helpers assigned to the parent do not;
* a support action to a child follows the child's visibility;
* policy-bank referrals and Form 01 lists carry release facts: ``view_judgments`` on the unit.

Writes: ``edit_casework`` on the beneficiary's unit; besides, a helper account may record and
correct support that its own organisation gave to a person assigned to it (``record_contacts``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from hoanhap.access import policy
from hoanhap.access.models import AreaFields
from hoanhap.access.policy import AreaScope
from hoanhap.access.roles import Cap, Scoping
from hoanhap.core.text import fold
from hoanhap.justice.models import Release
from hoanhap.people.models import Person
from hoanhap.support.models import (
    Child,
    Form01Entry,
    Form01List,
    FundingSource,
    PolicyBankReferral,
    SupportAction,
    SupportKind,
)
from hoanhap.support.rules import policy_bank

# People who live in the commune and are managed there: the ones a Form 01 list may name.
FORM01_STATUSES = (Person.Status.RECEIVED, Person.Status.IN_MANAGEMENT)
JOB_MILESTONES = (3, 6, 12)


def today() -> dt.date:
    return timezone.localdate()


# -- catalogues ------------------------------------------------------------------------------------


def kind_list(*, active_only: bool = False) -> QuerySet[SupportKind]:
    rows = SupportKind.objects.all()
    return rows.filter(is_active=True) if active_only else rows


def source_list(*, active_only: bool = False) -> QuerySet[FundingSource]:
    rows = FundingSource.objects.all()
    return rows.filter(is_active=True) if active_only else rows


# -- children --------------------------------------------------------------------------------------


def helper_organisations(actor: Any) -> set[int]:
    """The organisations through which ``actor`` helps (assignment-scoped grants)."""
    return policy.organisation_ids(actor, Scoping.ASSIGNMENT)


def _supported_by(organisations: set[int]) -> Q | None:
    if not organisations:
        return None
    supported = SupportAction.objects.filter(provider_id__in=sorted(organisations), child__isnull=False)
    return Q(pk__in=supported.values("child_id"))


def child_scope(actor: Any) -> QuerySet[Child]:
    """Children the actor may read: ``view_children`` on their unit, or supported by the actor's organisation."""
    return policy.restrict(
        Child.objects.select_related("parent", "province", "commune"),
        actor,
        Cap.VIEW_CHILDREN,
        extra_q=_supported_by(helper_organisations(actor)),
    )


def child_get(*, actor: Any, pk: int) -> Child:
    return policy.get_or_404(
        Child.objects.select_related("parent", "province", "commune"),
        actor,
        Cap.VIEW_CHILDREN,
        extra_q=_supported_by(helper_organisations(actor)),
        pk=pk,
    )


def child_list(*, actor: Any, q: str = "", commune: int | None = None) -> QuerySet[Child]:
    rows = child_scope(actor)
    if commune:
        rows = rows.filter(commune_id=commune)
    for word in fold(q).split():
        rows = rows.filter(name_folded__contains=word)
    return rows.order_by("full_name", "pk")


def can_edit_child(actor: Any, child: Child) -> bool:
    return policy.scope_for(actor, Cap.EDIT_CASEWORK).covers(
        province=child.province_id, commune=child.commune_id
    )


def children_of(*, actor: Any, person: Person) -> QuerySet[Child]:
    return child_scope(actor).filter(parent=person).order_by("birth_date", "pk")


# -- support actions -------------------------------------------------------------------------------


def action_scope(actor: Any) -> QuerySet[SupportAction]:
    """Every support action the actor may read (to people and relatives, and to visible children)."""
    rows = SupportAction.objects.all()
    if (
        policy.scope_for(actor, Cap.VIEW_PEOPLE).everything
        and policy.scope_for(actor, Cap.VIEW_CHILDREN).everything
    ):
        return rows
    to_people = policy.restrict(SupportAction.objects.filter(child__isnull=True), actor, Cap.VIEW_PEOPLE)
    return rows.filter(Q(pk__in=to_people.values("pk")) | Q(child_id__in=child_scope(actor).values("pk")))


def _with_relations(rows: QuerySet[SupportAction]) -> QuerySet[SupportAction]:
    return rows.select_related(
        "kind", "funding_source", "provider", "person__commune", "relative", "child__commune"
    )


def action_get(*, actor: Any, pk: int) -> SupportAction:
    return policy.get_or_404(
        _with_relations(SupportAction.objects.all()),
        actor,
        Cap.VIEW_PEOPLE,
        extra_q=Q(pk__in=action_scope(actor).values("pk")),
        pk=pk,
    )


@dataclass
class ActionFilters:
    """The filters of the support list, shared by the page, its exports and the API."""

    kind: str = ""
    source: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    province: int | None = None
    commune: int | None = None
    beneficiary: str = ""  # person | relative | child
    person: int | None = None
    child: int | None = None

    @classmethod
    def from_data(cls, data: Any) -> ActionFilters:
        def number(name: str) -> int | None:
            value = (data.get(name) or "").strip()
            return int(value) if value.isdigit() else None

        def day(name: str) -> dt.date | None:
            value = (data.get(name) or "").strip()
            try:
                return dt.date.fromisoformat(value) if value else None
            except ValueError:
                return None

        beneficiary = (data.get("beneficiary") or "").strip()
        return cls(
            kind=(data.get("kind") or "").strip(),
            source=(data.get("source") or "").strip(),
            date_from=day("date_from"),
            date_to=day("date_to"),
            province=number("province"),
            commune=number("commune"),
            beneficiary=beneficiary if beneficiary in {"person", "relative", "child"} else "",
            person=number("person"),
            child=number("child"),
        )

    def as_dict(self) -> dict[str, str]:
        return {
            k: (v.isoformat() if isinstance(v, dt.date) else str(v))
            for k, v in self.__dict__.items()
            if v not in (None, "")
        }

    def apply(self, rows: QuerySet[SupportAction]) -> QuerySet[SupportAction]:
        if self.kind:
            rows = rows.filter(kind__code=self.kind)
        if self.source:
            rows = rows.filter(funding_source__code=self.source)
        if self.date_from:
            rows = rows.filter(given_on__gte=self.date_from)
        if self.date_to:
            rows = rows.filter(given_on__lte=self.date_to)
        if self.province:
            rows = rows.filter(Q(person__province_id=self.province) | Q(child__province_id=self.province))
        if self.commune:
            rows = rows.filter(Q(person__commune_id=self.commune) | Q(child__commune_id=self.commune))
        if self.beneficiary == "child":
            rows = rows.filter(child__isnull=False)
        elif self.beneficiary == "relative":
            rows = rows.filter(relative__isnull=False)
        elif self.beneficiary == "person":
            rows = rows.filter(child__isnull=True, relative__isnull=True)
        if self.person:
            rows = rows.filter(person_id=self.person)
        if self.child:
            rows = rows.filter(child_id=self.child)
        return rows


def action_list(*, actor: Any, filters: ActionFilters | None = None) -> QuerySet[SupportAction]:
    rows = (filters or ActionFilters()).apply(action_scope(actor))
    return _with_relations(rows).order_by("-given_on", "-pk")


# Aggregate names must not shadow the model's fields (``value``): prefixed, then stripped.
_FIGURES = {
    "n_actions": Count("pk"),
    "n_people": Count("person", distinct=True, filter=Q(relative__isnull=True, child__isnull=True)),
    "n_relatives": Count("relative", distinct=True),
    "n_children": Count("child", distinct=True),
    "n_value": Sum("value"),
    "n_value_cash": Sum("value", filter=Q(value_basis=SupportAction.Basis.CASH)),
    "n_value_estimate": Sum("value", filter=Q(value_basis=SupportAction.Basis.ESTIMATE)),
}


def totals(rows: QuerySet[SupportAction]) -> dict[str, int]:
    """Count of actions, distinct beneficiaries (people, relatives, children) and value in đồng: one query."""
    values = rows.order_by().aggregate(**_FIGURES)
    result = {key.removeprefix("n_"): int(value or 0) for key, value in values.items()}
    result["beneficiaries"] = result["people"] + result["relatives"] + result["children"]
    return result


def person_actions(*, actor: Any, person: Person, limit: int = 50) -> list[SupportAction]:
    """Support to ``person`` and to their relatives, newest first (never their children's)."""
    rows = policy.restrict(SupportAction.objects.filter(person=person), actor, Cap.VIEW_PEOPLE)
    return list(_with_relations(rows).order_by("-given_on", "-pk")[:limit])


# -- who may write ---------------------------------------------------------------------------------


def edits_casework_over(actor: Any, person: Person) -> bool:
    return policy.scope_for(actor, Cap.EDIT_CASEWORK).covers(
        province=person.province_id, commune=person.commune_id
    )


def helper_providers(actor: Any, person: Person) -> set[int]:
    """The organisations in whose name a helper may record support to ``person`` (empty: none).

    Only while the person is assigned to the helper (or their organisation) today.
    """
    if not policy.holds_by_assignment(actor, Cap.RECORD_CONTACTS):
        return set()
    organisations = helper_organisations(actor)
    if not organisations:
        return set()
    assigned = policy.restrict(Person.objects.filter(pk=person.pk), actor, Cap.RECORD_CONTACTS).exists()
    return organisations if assigned else set()


def can_record_for_person(actor: Any, person: Person) -> bool:
    return edits_casework_over(actor, person) or bool(helper_providers(actor, person))


def can_edit_action(actor: Any, action: SupportAction) -> bool:
    if action.child_id:
        return can_edit_child(actor, action.child)
    if edits_casework_over(actor, action.person):
        return True
    return action.provider_id is not None and action.provider_id in helper_providers(actor, action.person)


def can_record_any(actor: Any) -> bool:
    """Whether the actor may record support to somebody (shows the "record support" buttons)."""
    return policy.has_cap(actor, Cap.EDIT_CASEWORK) or policy.holds_by_assignment(actor, Cap.RECORD_CONTACTS)


# -- release facts and eligibility -----------------------------------------------------------------


@dataclass(frozen=True)
class ReleaseFacts:
    release: Release
    completed_on: dt.date | None

    @property
    def certificate_number(self) -> str:
        return self.release.certificate_number

    @property
    def certificate_date(self) -> dt.date | None:
        return self.release.certificate_date


def _facts(release: Release) -> ReleaseFacts:
    entered = release.judgment.main_penalty_completed_on
    return ReleaseFacts(release, entered or release.completes_main_penalty_on)


def release_facts_for(person_ids: Iterable[int]) -> dict[int, ReleaseFacts]:
    """The latest release of each person (one query), with the day the sentence counts as completed.

    The day entered on the judgment wins; otherwise the release's own (conditional release: the end
    of probation; see ``justice.models.Release.completes_main_penalty_on``).
    """
    out: dict[int, ReleaseFacts] = {}
    rows = Release.objects.filter(person_id__in=list(person_ids)).select_related("judgment")
    for release in rows.order_by("person_id", "release_date", "pk"):
        out[release.person_id] = _facts(release)  # later rows replace earlier ones: the latest wins
    return out


def release_facts(person: Person) -> ReleaseFacts | None:
    return release_facts_for([person.pk]).get(person.pk)


def form01_entry_for(person: Person) -> Form01Entry | None:
    """The person's entry on the latest certified Form 01 list of their current commune."""
    if not person.commune_id:
        return None
    return (
        Form01Entry.objects.filter(
            person=person,
            included=True,
            list__commune_id=person.commune_id,
            list__status=Form01List.Status.CERTIFIED,
        )
        .select_related("list")
        .order_by("-list__certified_on", "-list_id")
        .first()
    )


def outstanding_loans(
    person: Person, purpose: str, *, exclude: int | None = None
) -> QuerySet[PolicyBankReferral]:
    """Referrals for ``purpose`` still open: awaiting the bank, or approved and not repaid."""
    rows = PolicyBankReferral.objects.filter(person=person, purpose=purpose).filter(
        Q(status=PolicyBankReferral.Status.REFERRED)
        | Q(status=PolicyBankReferral.Status.APPROVED, repaid_on__isnull=True)
    )
    return rows.exclude(pk=exclude) if exclude else rows


def loan_case(
    person: Person, *, purpose: str, amount: int, months: int | None, apply_on: dt.date
) -> policy_bank.LoanCase:
    """The facts of a request, read from the records."""
    facts = release_facts(person)
    entry = form01_entry_for(person)
    open_loans = outstanding_loans(person, purpose).order_by("referred_on", "pk")
    return policy_bank.LoanCase(
        purpose=purpose,
        amount=amount,
        months=months,
        apply_on=apply_on,
        certificate_number=facts.certificate_number if facts else "",
        certificate_date=facts.certificate_date if facts else None,
        release_kind=facts.release.kind if facts else "",
        completed_on=facts.completed_on if facts else None,
        form01_certified_on=entry.list.certified_on if entry else None,
        form01_reference=entry.list.certificate_reference if entry else "",
        outstanding=tuple((r.referred_on, r.approved_amount or r.amount) for r in open_loans),
    )


def eligibility(
    person: Person, *, purpose: str, amount: int, months: int | None = None, apply_on: dt.date | None = None
) -> policy_bank.LoanEligibility:
    return policy_bank.check(
        loan_case(person, purpose=purpose, amount=amount, months=months, apply_on=apply_on or today())
    )


# -- referrals and Form 01 -------------------------------------------------------------------------


def referral_list(
    *, actor: Any, status: str = "", cap: str = Cap.VIEW_JUDGMENTS
) -> QuerySet[PolicyBankReferral]:
    rows = policy.restrict(
        PolicyBankReferral.objects.select_related("person__commune", "support_action"), actor, cap
    )
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-referred_on", "-pk")


def referral_get(*, actor: Any, pk: int, cap: str = Cap.VIEW_JUDGMENTS) -> PolicyBankReferral:
    return policy.get_or_404(
        PolicyBankReferral.objects.select_related("person__commune", "person__province", "support_action"),
        actor,
        cap,
        pk=pk,
    )


def form01_list(*, actor: Any, cap: str = Cap.VIEW_JUDGMENTS) -> QuerySet[Form01List]:
    rows = policy.restrict(Form01List.objects.select_related("commune", "province"), actor, cap)
    return rows.annotate(
        included_count=Count("entries", filter=Q(entries__included=True)),
    ).order_by("-prepared_on", "-pk")


def form01_get(*, actor: Any, pk: int, cap: str = Cap.VIEW_JUDGMENTS) -> Form01List:
    return policy.get_or_404(
        Form01List.objects.select_related("commune", "province", "prepared_by", "certified_by"),
        actor,
        cap,
        pk=pk,
    )


def form01_entry_get(*, actor: Any, pk: int, cap: str = Cap.EDIT_CASEWORK) -> Form01Entry:
    return policy.get_or_404(Form01Entry.objects.select_related("list__commune"), actor, cap, pk=pk)


def form01_candidates(*, commune: int, on: dt.date) -> list[tuple[Person, ReleaseFacts]]:
    """People of ``commune`` who may be on its Form 01 on ``on``: living and managed there, with a
    certificate, and within the years allowed since completing the sentence. Two queries."""
    people = list(
        Person.objects.filter(commune_id=commune, status__in=FORM01_STATUSES).order_by("sort_key", "pk")
    )
    facts = release_facts_for([p.pk for p in people])
    out = []
    for person in people:
        f = facts.get(person.pk)
        if f is None or not f.certificate_number:
            continue
        case = policy_bank.LoanCase(
            purpose=policy_bank.BUSINESS, amount=1, apply_on=on, completed_on=f.completed_on
        )
        if policy_bank.check_window(case).passed:
            out.append((person, f))
    return out


def form01_communes(actor: Any) -> QuerySet:
    """The communes for which the actor may prepare a Form 01 list."""
    from hoanhap.geo.models import Commune

    scope = policy.scope_for(actor, Cap.EDIT_CASEWORK)
    return Commune.objects.filter(scope.q(AreaFields(province="province_id", commune="code"))).order_by(
        "province_id", "name"
    )


# -- worklist --------------------------------------------------------------------------------------


@dataclass
class FollowUp:
    action: SupportAction
    months: int
    due_on: dt.date


def _milestone_field(months: int) -> str:
    return f"employed_{months}m"


def job_followups_due(*, actor: Any, on: dt.date) -> list[FollowUp]:
    """Job follow-ups whose date has come and that nobody recorded yet (one query).

    For each job, only the earliest milestone still open is listed.
    """
    from hoanhap.justice.rules.dates import add_months

    condition = Q(pk__in=[])
    for months in JOB_MILESTONES:
        condition |= Q(
            **{f"{_milestone_field(months)}__isnull": True, "job_start_on__lte": add_months(on, -months)}
        )
    rows = policy.restrict(
        SupportAction.objects.filter(
            kind__tracks_employment=True, job_start_on__isnull=False, child__isnull=True
        ),
        actor,
        Cap.EDIT_CASEWORK,
    ).filter(condition)
    out = []
    for action in _with_relations(rows).order_by("job_start_on", "pk"):
        for months in JOB_MILESTONES:
            due = add_months(action.job_start_on, months)
            if getattr(action, _milestone_field(months)) is None and due <= on:
                out.append(FollowUp(action, months, due))
                break
    return out


# -- summary ---------------------------------------------------------------------------------------


@dataclass
class SummaryRow:
    code: str
    name: str
    figures: dict[str, int] = field(default_factory=dict)


def _scope_q(scope: AreaScope) -> Q:
    """Actions whose beneficiary lives in ``scope``: the person's unit, or the child's."""
    person_q = scope.q(AreaFields(province="person__province_id", commune="person__commune_id"))
    child_q = scope.q(AreaFields(province="child__province_id", commune="child__commune_id"))
    return (Q(child__isnull=True) & person_q) | (Q(child__isnull=False) & child_q)


def support_summary(*, date_from: dt.date, date_to: dt.date, scope: AreaScope) -> dict[str, Any]:
    """Figures of the support given in a period (both days inclusive) to beneficiaries in ``scope``.

    Per kind: actions, distinct beneficiaries (people, relatives, children) and value in đồng; then
    the totals (a beneficiary helped with two kinds counts once in the totals). Two aggregate queries.
    The caller has checked that the scope is allowed (``view_reports``).
    """
    rows = SupportAction.objects.filter(given_on__gte=date_from, given_on__lte=date_to).filter(
        _scope_q(scope)
    )
    per_kind = rows.order_by().values("kind_id").annotate(**_FIGURES)
    by_kind = {row["kind_id"]: {k.removeprefix("n_"): v for k, v in row.items()} for row in per_kind}
    kinds = []
    for kind in SupportKind.objects.order_by("order", "code"):
        row = by_kind.get(kind.pk)
        if row is None and not kind.is_active:
            continue
        row = row or {}
        kinds.append(
            {
                "code": kind.code,
                "name": kind.name,
                "actions": int(row.get("actions") or 0),
                "beneficiaries": {
                    "people": int(row.get("people") or 0),
                    "relatives": int(row.get("relatives") or 0),
                    "children": int(row.get("children") or 0),
                },
                "value": int(row.get("value") or 0),
                "value_cash": int(row.get("value_cash") or 0),
                "value_estimate": int(row.get("value_estimate") or 0),
            }
        )
    t = totals(rows)
    return {
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "kinds": kinds,
        "totals": {
            "actions": t["actions"],
            "beneficiaries": {
                "people": t["people"],
                "relatives": t["relatives"],
                "children": t["children"],
                "total": t["beneficiaries"],
            },
            "value": t["value"],
            "value_cash": t["value_cash"],
            "value_estimate": t["value_estimate"],
        },
    }
