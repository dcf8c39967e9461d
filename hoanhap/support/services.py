"""Writes of the support app: each checks who may write, validates, writes, adds to the timeline and
is audited in one transaction (models are ``audited``; named business events are recorded here).

Who may write (see also selectors):

* support to a person or a relative: ``edit_casework`` on the person's unit, or a helper account
  for a person assigned to it today, in the name of its own organisation (the provider);
* children and support to children, referrals, Form 01 lists: ``edit_casework`` on the unit;
  certifying a Form 01 list: ``certify_lists`` on the commune (the commune People's Committee);
* catalogues: ``manage_catalogues``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hoanhap.access import policy
from hoanhap.access.roles import Cap
from hoanhap.audit import services as audit
from hoanhap.core.concurrency import bump_version, check_version
from hoanhap.people.models import Person, Relative
from hoanhap.people.services import timeline_add
from hoanhap.support import selectors
from hoanhap.support.models import (
    Child,
    Form01Entry,
    Form01List,
    FundingSource,
    PolicyBankReferral,
    SupportAction,
    SupportEvidence,
    SupportKind,
)
from hoanhap.support.rules import policy_bank

ACTION_FIELDS = (
    "kind",
    "given_on",
    "provider",
    "community_model_name",
    "value",
    "value_basis",
    "quantity",
    "item",
    "funding_source",
    "description",
    "outcome",
    "employer",
    "job_start_on",
)
CHILD_FIELDS = (
    "parent",
    "parent_relation",
    "full_name",
    "birth_date",
    "sex",
    "school",
    "grade",
    "guardian_name",
    "guardian_relation",
    "guardian_phone",
    "province",
    "commune",
    "address",
    "note",
)


def _user(actor: Any) -> Any:
    return None if policy.is_system(actor) or not getattr(actor, "pk", None) else actor


def _not_found() -> PermissionDenied:
    return PermissionDenied(_("You may not record support for this beneficiary."))


# -- support actions -------------------------------------------------------------------------------


def _validate_action(values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    kind: SupportKind | None = values.get("kind")
    if kind is None:
        errors["kind"] = _("Choose the kind of support.")
    elif kind.asks_item and not (values.get("item") or "").strip():
        errors["item"] = _("Say what was given (a bicycle, notebooks, …).")
    given_on = values.get("given_on")
    if given_on is None:
        errors["given_on"] = _("Give the date of the support.")
    elif given_on > selectors.today():
        errors["given_on"] = _("The date is in the future.")
    value = values.get("value")
    if value is not None and value < 0:
        errors["value"] = _("The value cannot be negative.")
    if (values.get("quantity") or 1) < 1:
        errors["quantity"] = _("The quantity is at least 1.")
    if values.get("job_start_on") and kind is not None and not kind.tracks_employment:
        errors["job_start_on"] = _("Only a job has a start date to follow up.")
    if errors:
        raise ValidationError(errors)


def _beneficiary(data: dict[str, Any]) -> tuple[Person | None, Relative | None, Child | None]:
    person, relative, child = data.get("person"), data.get("relative"), data.get("child")
    if relative is not None:
        if person is not None and relative.person_id != person.pk:
            raise ValidationError({"relative": _("This relative is not a relative of the person.")})
        person = relative.person
    if child is not None and (person is not None or relative is not None):
        raise ValidationError(_("Support goes to one beneficiary: a person, a relative or a child."))
    if person is None and child is None:
        raise ValidationError(_("Choose who received the support."))
    return person, relative, child


def _ensure_can_record(
    actor: Any, person: Person | None, child: Child | None, values: dict[str, Any]
) -> None:
    """Police casework on the unit; or a helper, for an assigned person, in its organisation's name."""
    if child is not None:
        if not selectors.can_edit_child(actor, child):
            raise _not_found()
        return
    if selectors.edits_casework_over(actor, person):
        return
    providers = selectors.helper_providers(actor, person)
    if not providers:
        raise _not_found()
    provider = values.get("provider")
    if provider is None and len(providers) == 1:
        from hoanhap.access.models import Organisation

        values["provider"] = Organisation.objects.get(pk=next(iter(providers)))
    elif provider is None or provider.pk not in providers:
        raise ValidationError(
            {"provider": _("A helper records the support given by their own organisation.")}
        )


def _summary(action: SupportAction) -> str:
    parts = [action.kind.name]
    if action.item:
        parts.append(action.item if action.quantity == 1 else f"{action.quantity} × {action.item}")
    if action.value:
        parts.append(f"{action.value:,}".replace(",", ".") + " đ")
    if action.relative_id:
        parts.append(_("to {relative}").format(relative=action.relative.full_name))
    return " — ".join(str(p) for p in parts)


@transaction.atomic
def action_record(*, actor: Any, data: dict[str, Any]) -> SupportAction:
    """Record one support action (see the module docstring for who may)."""
    person, relative, child = _beneficiary(data)
    values = {k: data.get(k) for k in ACTION_FIELDS if k in data}
    _ensure_can_record(actor, person, child, values)
    _validate_action(values)
    values.setdefault("value_basis", SupportAction.Basis.CASH)
    values["quantity"] = values.get("quantity") or 1
    for text in ("community_model_name", "item", "description", "outcome", "employer"):
        values[text] = (values.get(text) or "").strip()
    action = SupportAction.objects.create(
        person=person, relative=relative, child=child, recorded_by=_user(actor), **values
    )
    if person is not None:
        timeline_add(
            person=person,
            occurred_on=action.given_on,
            kind="support.action.recorded",
            summary=_summary(action),
            target=action,
            actor=actor,
        )
    return action


@transaction.atomic
def action_update(
    *, actor: Any, action: SupportAction, data: dict[str, Any], expected_version: int | None = None
) -> SupportAction:
    """Correct a support action; the beneficiary stays (record a new action for somebody else)."""
    check_version(action, expected_version)
    if not selectors.can_edit_action(actor, action):
        raise _not_found()
    values = {k: data[k] for k in ACTION_FIELDS if k in data}
    merged = {k: getattr(action, k) for k in ACTION_FIELDS} | values
    if action.child_id is None and not selectors.edits_casework_over(actor, action.person):
        _ensure_can_record(actor, action.person, None, merged)
    _validate_action(merged)
    for key, value in values.items():
        setattr(action, key, value.strip() if isinstance(value, str) else value)
    bump_version(action)
    action.save()
    return action


@transaction.atomic
def action_follow_up(
    *, actor: Any, action: SupportAction, months: int, employed: bool, on: dt.date | None = None
) -> SupportAction:
    """Record whether the person is still employed ``months`` (3, 6 or 12) after the job started."""
    if months not in selectors.JOB_MILESTONES:
        raise ValidationError({"months": _("Follow-ups are made after 3, 6 or 12 months.")})
    if not selectors.can_edit_action(actor, action):
        raise _not_found()
    if not action.kind.tracks_employment or action.job_start_on is None:
        raise ValidationError(_("This support has no job start date to follow up."))
    from hoanhap.justice.rules.dates import add_months

    on = on or selectors.today()
    if add_months(action.job_start_on, months) > on:
        raise ValidationError(
            {
                "months": _("This follow-up is only due on {date}.").format(
                    date=add_months(action.job_start_on, months).strftime("%d/%m/%Y")
                )
            }
        )
    setattr(action, f"employed_{months}m", employed)
    bump_version(action)
    action.save()
    if action.person_id:
        message = (
            _("Still employed {months} months after starting the job")
            if employed
            else _("No longer employed {months} months after starting the job")
        )
        timeline_add(
            person=action.person,
            occurred_on=on,
            kind="support.job.followed_up",
            summary=message.format(months=months),
            target=action,
            actor=actor,
        )
    return action


@transaction.atomic
def evidence_add(*, actor: Any, action: SupportAction, file: Any, description: str = "") -> SupportEvidence:
    if not selectors.can_edit_action(actor, action):
        raise _not_found()
    if not file:
        raise ValidationError({"file": _("Choose a file.")})
    return SupportEvidence.objects.create(
        action=action, file=file, description=(description or "").strip(), uploaded_by=_user(actor)
    )


# -- children --------------------------------------------------------------------------------------


def _validate_child(actor: Any, values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not (values.get("full_name") or "").strip():
        errors["full_name"] = _("Give the child's name.")
    if values.get("parent") is None:
        errors["parent"] = _("Choose the parent.")
    elif not policy.restrict(Person.objects.filter(pk=values["parent"].pk), actor, Cap.VIEW_PEOPLE).exists():
        errors["parent"] = _("The parent is not in your areas.")
    birth = values.get("birth_date")
    if birth and birth > selectors.today():
        errors["birth_date"] = _("The date of birth is in the future.")
    province, commune = values.get("province"), values.get("commune")
    if province is None:
        errors["province"] = _("Choose the province where the child lives.")
    elif commune is not None and commune.province_id != province.pk:
        errors["commune"] = _("The commune is not in the chosen province.")
    if errors:
        raise ValidationError(errors)


def _child_unit_in_scope(actor: Any, values: dict[str, Any]) -> None:
    province, commune = values.get("province"), values.get("commune")
    policy.ensure_unit_in_scope(
        actor, Cap.EDIT_CASEWORK, province=getattr(province, "pk", None), commune=getattr(commune, "pk", None)
    )


@transaction.atomic
def child_create(*, actor: Any, data: dict[str, Any]) -> Child:
    """Register a child of a person in prison or released, in the unit where the child lives."""
    values = {k: data.get(k) for k in CHILD_FIELDS if k in data}
    parent = values.get("parent")
    if parent is not None and values.get("province") is None:
        values["province"], values["commune"] = parent.province, parent.commune
    _validate_child(actor, values)
    _child_unit_in_scope(actor, values)
    for key, value in list(values.items()):
        if isinstance(value, str):
            values[key] = value.strip()
        elif value is None and key in {
            "parent_relation",
            "sex",
            "school",
            "grade",
            "guardian_name",
            "guardian_relation",
            "guardian_phone",
            "address",
            "note",
        }:
            values[key] = ""
    return Child.objects.create(**values)


@transaction.atomic
def child_update(
    *, actor: Any, child: Child, data: dict[str, Any], expected_version: int | None = None
) -> Child:
    check_version(child, expected_version)
    if not selectors.can_edit_child(actor, child):
        raise PermissionDenied(_("This child is outside the areas you are assigned."))
    values = {k: getattr(child, k) for k in CHILD_FIELDS} | {k: data[k] for k in CHILD_FIELDS if k in data}
    _validate_child(actor, values)
    _child_unit_in_scope(actor, values)  # a child may not be moved out of the writer's area
    for key, value in values.items():
        setattr(
            child,
            key,
            value.strip()
            if isinstance(value, str)
            else (
                "" if value is None and key not in {"birth_date", "commune", "parent", "province"} else value
            ),
        )
    bump_version(child)
    child.save()
    return child


# -- policy-bank referrals -------------------------------------------------------------------------


@transaction.atomic
def referral_create(
    *,
    actor: Any,
    person: Person,
    purpose: str,
    amount: int,
    months: int | None = None,
    referred_on: dt.date | None = None,
) -> PolicyBankReferral:
    """Refer a person to the policy bank once every check of Decision 22/2023 passes."""
    if not selectors.edits_casework_over(actor, person):
        raise PermissionDenied(_("This person is outside the areas you are assigned."))
    if purpose not in policy_bank.PURPOSES:
        raise ValidationError({"purpose": _("Choose the purpose of the loan.")})
    referred_on = referred_on or selectors.today()
    if referred_on > selectors.today():
        raise ValidationError({"referred_on": _("The date is in the future.")})
    result = selectors.eligibility(
        person, purpose=purpose, amount=amount, months=months, apply_on=referred_on
    )
    if not result.eligible:
        reasons = "; ".join(str(f) for c in result.failed for f in c.explanation[:1])
        raise ValidationError(
            _("The person is not eligible for this loan: {reasons}").format(reasons=reasons),
            code="not_eligible",
        )
    referral = PolicyBankReferral.objects.create(
        person=person,
        purpose=purpose,
        amount=amount,
        months=months if purpose == policy_bank.TRAINING else None,
        referred_on=referred_on,
        eligibility=result.as_dict(),
        referred_by=_user(actor),
    )
    audit.record("support.referral.made", target=referral, data={"purpose": purpose, "amount": amount})
    return referral


def _support_kind(code: str) -> SupportKind:
    return SupportKind.objects.get(code=code)


@transaction.atomic
def referral_decide(
    *,
    actor: Any,
    referral: PolicyBankReferral,
    status: str,
    decided_on: dt.date,
    approved_amount: int | None = None,
    reference: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> PolicyBankReferral:
    """Record the bank's decision; an approval also records the ``policy_bank_loan`` support action."""
    check_version(referral, expected_version)
    if not selectors.edits_casework_over(actor, referral.person):
        raise PermissionDenied(_("This person is outside the areas you are assigned."))
    if referral.status != PolicyBankReferral.Status.REFERRED:
        raise ValidationError(_("The bank's decision on this referral is already recorded."))
    decisions = {
        PolicyBankReferral.Status.APPROVED,
        PolicyBankReferral.Status.REJECTED,
        PolicyBankReferral.Status.WITHDRAWN,
    }
    if status not in decisions:
        raise ValidationError({"status": _("Choose the decision.")})
    if decided_on < referral.referred_on or decided_on > selectors.today():
        raise ValidationError({"decided_on": _("The decision date must be between the referral and today.")})
    if status == PolicyBankReferral.Status.APPROVED and not approved_amount:
        raise ValidationError({"approved_amount": _("Give the amount the bank lends.")})
    referral.status = status
    referral.decided_on = decided_on
    referral.decision_reference = (reference or "").strip()
    referral.decision_note = (note or "").strip()
    referral.approved_amount = approved_amount if status == PolicyBankReferral.Status.APPROVED else None
    if status == PolicyBankReferral.Status.APPROVED:
        referral.support_action = action_record(
            actor=actor,
            data={
                "person": referral.person,
                "kind": _support_kind("policy_bank_loan"),
                "given_on": decided_on,
                "value": approved_amount,
                "value_basis": SupportAction.Basis.CASH,
                "funding_source": FundingSource.objects.filter(code="policy_bank").first(),
                "description": str(referral.get_purpose_display())
                + (f" — {referral.decision_reference}" if referral.decision_reference else ""),
            },
        )
    bump_version(referral)
    referral.save()
    audit.record(
        "support.referral.decided",
        target=referral,
        data={"status": status, "approved_amount": referral.approved_amount},
    )
    return referral


@transaction.atomic
def referral_repaid(*, actor: Any, referral: PolicyBankReferral, repaid_on: dt.date) -> PolicyBankReferral:
    """The loan is repaid: it no longer counts as outstanding debt for its purpose."""
    if not selectors.edits_casework_over(actor, referral.person):
        raise PermissionDenied(_("This person is outside the areas you are assigned."))
    if referral.status != PolicyBankReferral.Status.APPROVED:
        raise ValidationError(_("Only an approved loan is repaid."))
    if repaid_on < (referral.decided_on or referral.referred_on) or repaid_on > selectors.today():
        raise ValidationError({"repaid_on": _("The date must be between the decision and today.")})
    referral.repaid_on = repaid_on
    bump_version(referral)
    referral.save()
    return referral


# -- Form 01 ---------------------------------------------------------------------------------------


@transaction.atomic
def form01_generate(*, actor: Any, commune: Any, prepared_on: dt.date | None = None) -> Form01List:
    """Prepare a commune's Form 01 list from the records (commune police)."""
    policy.ensure_unit_in_scope(actor, Cap.EDIT_CASEWORK, province=commune.province_id, commune=commune.pk)
    prepared_on = prepared_on or selectors.today()
    listing = Form01List.objects.create(
        province_id=commune.province_id, commune=commune, prepared_on=prepared_on, prepared_by=_user(actor)
    )
    entries = []
    for number, (person, facts) in enumerate(
        selectors.form01_candidates(commune=commune.pk, on=prepared_on), 1
    ):
        entries.append(
            Form01Entry(
                list=listing,
                person=person,
                position=number,
                full_name=person.full_name,
                birth=person.birth_date_display,
                address=person.address,
                release_date=facts.release.release_date,
                completed_on=facts.completed_on,
                certificate_number=facts.certificate_number,
                certificate_date=facts.certificate_date,
            )
        )
    Form01Entry.objects.bulk_create(entries)
    audit.record("support.form01.generated", target=listing, data={"entries": len(entries)})
    return listing


@transaction.atomic
def form01_set_entry(*, actor: Any, entry: Form01Entry, included: bool, reason: str = "") -> Form01Entry:
    """Leave a person out of a draft list (with the reason: not law-abiding, moved away, …) or back in."""
    listing = entry.list
    policy.ensure_unit_in_scope(
        actor, Cap.EDIT_CASEWORK, province=listing.province_id, commune=listing.commune_id
    )
    if listing.is_certified:
        raise ValidationError(_("A certified list no longer changes."))
    reason = (reason or "").strip()
    if not included and not reason:
        raise ValidationError({"reason": _("Say why the person is left out.")})
    entry.included = included
    entry.exclusion_reason = "" if included else reason
    entry.save()
    return entry


@transaction.atomic
def form01_certify(
    *,
    actor: Any,
    listing: Form01List,
    certified_on: dt.date,
    reference: str = "",
    expected_version: int | None = None,
) -> Form01List:
    """The commune People's Committee certifies the list; it no longer changes afterwards."""
    check_version(listing, expected_version)
    policy.ensure_unit_in_scope(
        actor, Cap.CERTIFY_LISTS, province=listing.province_id, commune=listing.commune_id
    )
    if listing.is_certified:
        raise ValidationError(_("This list is already certified."))
    if certified_on < listing.prepared_on or certified_on > selectors.today():
        raise ValidationError({"certified_on": _("The date must be between the preparation and today.")})
    if not listing.entries.filter(included=True).exists():
        raise ValidationError(_("The list names nobody."))
    listing.status = Form01List.Status.CERTIFIED
    listing.certified_on = certified_on
    listing.certified_by = _user(actor)
    listing.certificate_reference = (reference or "").strip()
    bump_version(listing)
    listing.save()
    audit.record(
        "support.form01.certified", target=listing, data={"reference": listing.certificate_reference}
    )
    return listing


# -- catalogues ------------------------------------------------------------------------------------


CATALOGUE_FIELDS = {
    SupportKind: (
        "code",
        "name_vi",
        "name_en",
        "is_active",
        "order",
        "description",
        "legal_reference",
        "value_basis",
        "asks_item",
        "tracks_employment",
    ),
    FundingSource: ("code", "name_vi", "name_en", "is_active", "order"),
}


@transaction.atomic
def catalogue_save(*, actor: Any, model: type, data: dict[str, Any], row: Any = None) -> Any:
    """Add or change a catalogue row; the code of an existing row never changes (reports use it)."""
    if not policy.has_cap(actor, Cap.MANAGE_CATALOGUES):
        raise PermissionDenied(_("Only catalogue administrators change the catalogues."))
    fields = CATALOGUE_FIELDS[model]
    values = {k: data[k] for k in fields if k in data}
    if row is None:
        if model.objects.filter(code=values.get("code")).exists():
            raise ValidationError({"code": _("This code is already used.")})
        row = model(**values)
    else:
        values.pop("code", None)
        for key, value in values.items():
            setattr(row, key, value)
    row.full_clean()
    row.save()
    return row
