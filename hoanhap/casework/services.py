"""Every write of case work: check the rule and the scope, write, timeline, audit — in one transaction.

Who may write:

* ``edit_casework`` (the police casework roles) on the person's unit: helper assignments, needs,
  plan actions, police notes and reviews;
* ``record_contacts`` on the person (the same police roles, and the helpers assigned to the person
  today): contacts and visits, and the result of a plan action. A helper edits only the contacts
  they recorded themselves.

Every edit carries the ``version`` it read (``core.concurrency``). Rows are ``audited`` models (their
saves are logged by ``audit.signals``; police-note text is masked there); business events are named
here (``casework.<record>.<verb>``). Timeline entries are ``casework.…`` kinds, which helpers read:
their summaries never carry police-only content (police notes use the ``casework_police.`` kind,
hidden from helpers, and say only that a note exists).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hoanhap.access import policy
from hoanhap.access.models import Organisation, User
from hoanhap.access.roles import Cap
from hoanhap.audit import services as audit
from hoanhap.casework.models import Contact, HelperAssignment, Need, PlanAction, PoliceNote, Review
from hoanhap.core.concurrency import bump_version, check_version
from hoanhap.intake import services as intake_services
from hoanhap.people import services as people_services
from hoanhap.people.models import Person

# People with whom case work goes on: from reception at the commune until management ends.
ACTIVE_STATUSES = (
    Person.Status.RECEIVED,
    Person.Status.IN_MANAGEMENT,
    Person.Status.WHEREABOUTS_UNKNOWN,
)

ASSIGNMENT_FIELDS = (
    "organisation",
    "user",
    "helper_name",
    "helper_role",
    "phone",
    "start_date",
    "end_date",
    "note",
)
NEED_FIELDS = ("status", "description", "declined_reason")
PLAN_FIELDS = ("need", "description", "owner", "due_on")
CONTACT_FIELDS = ("occurred_on", "kind", "participants", "observations", "note")


# -- helpers ---------------------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _date(value: Any, field: str, *, required: bool = True) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("This date is required.")})
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationError({field: _("Enter a valid date.")}) from exc


def _not_future(day: dt.date | None, field: str) -> None:
    if day is not None and day > _today():
        raise ValidationError({field: _("This date is in the future.")})


def _text(value: Any) -> str:
    return str(value or "").strip()


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _ensure_casework(actor: Any, person: Person) -> None:
    policy.ensure_unit_in_scope(
        actor, Cap.EDIT_CASEWORK, province=person.province_id, commune=person.commune_id
    )


def can_edit(actor: Any, person: Person) -> bool:
    """Whether ``actor`` holds ``edit_casework`` on the person's unit (police casework roles)."""
    return policy.scope_for(actor, Cap.EDIT_CASEWORK).covers(
        province=person.province_id, commune=person.commune_id
    )


def can_record_contacts(actor: Any, person: Person) -> bool:
    """Whether ``actor`` records contacts with this person: in their area, or assigned to them today."""
    return policy.allows(actor, Cap.RECORD_CONTACTS, person)


def _ensure_contacts(actor: Any, person: Person) -> None:
    if not can_record_contacts(actor, person):
        raise PermissionDenied(_("You may not record contacts with this person."))


def _ensure_active(person: Person) -> None:
    if person.status not in ACTIVE_STATUSES:
        raise ValidationError(
            {
                "person": _(
                    "Case work is recorded from reception at the commune until management ends; "
                    "this person's status is “{status}”."
                ).format(status=person.get_status_display())
            }
        )


def _case_file_url(person: Person) -> str:
    return reverse("casework:case-file", args=[person.record_code])


def _timeline(person: Person, *, on: dt.date, kind: str, summary: str, target: Any, actor: Any) -> None:
    people_services.timeline_add(
        person=person,
        occurred_on=on,
        kind=kind,
        summary=summary,
        target=target,
        url=_case_file_url(person),
        actor=actor,
    )


def _audit(action: str, target: Any, person: Person, **data: Any) -> None:
    audit.record(
        action,
        target=target,
        data={"person": person.record_code, **data},
        province=person.province_id,
        commune=person.commune_id,
    )


def _lock(instance: Any, expected_version: int | None) -> Any:
    """The row, locked for the transaction, after checking nobody changed it since it was read."""
    check_version(instance, expected_version)
    return type(instance).objects.select_for_update(of=("self",)).select_related("person").get(pk=instance.pk)


def _save(instance: Any, fields: list[str]) -> None:
    bump_version(instance)
    instance.save(update_fields=[*fields, "version", "updated_at"])


# -- helper assignments ----------------------------------------------------------------------------


def _assignment_values(data: dict[str, Any], current: HelperAssignment | None = None) -> dict[str, Any]:
    values = {name: getattr(current, name) for name in ASSIGNMENT_FIELDS} if current else {}
    for name in ASSIGNMENT_FIELDS:
        if name in data:
            values[name] = data[name]
    for name in ("helper_name", "helper_role", "phone", "note"):
        values[name] = _text(values.get(name))
    organisation = values.get("organisation")
    if organisation not in (None, "") and not isinstance(organisation, Organisation):
        organisation = Organisation.objects.filter(pk=organisation).first()
        if organisation is None:
            raise ValidationError({"organisation": _("Choose an existing organisation.")})
    values["organisation"] = organisation or None
    user = values.get("user")
    if user not in (None, "") and not isinstance(user, User):
        user = User.objects.filter(pk=user).first()
        if user is None:
            raise ValidationError({"user": _("Choose an existing account.")})
    values["user"] = user or None
    if values["organisation"] is not None and not values["organisation"].is_active:
        raise ValidationError({"organisation": _("This organisation is no longer active.")})
    if values["user"] is not None and not values["user"].is_active:
        raise ValidationError({"user": _("This account is disabled.")})
    if values["organisation"] is None and values["user"] is None and not values["helper_name"]:
        raise ValidationError({"helper_name": _("Name the helper: a person, an organisation or an account.")})
    values["start_date"] = _date(values.get("start_date"), "start_date")
    values["end_date"] = _date(values.get("end_date"), "end_date", required=False)
    if values["end_date"] is not None and values["end_date"] < values["start_date"]:
        raise ValidationError({"end_date": _("The assignment cannot end before it starts.")})
    return values


@transaction.atomic
def helper_assign(
    *, actor: Any, person: Person, data: dict[str, Any], past: bool = False
) -> HelperAssignment:
    """Assign a helper (an individual, an organisation, or both) to the person from a date.

    The helper's account and the accounts of the organisation see the person while it runs.
    ``past=True`` records an assignment of earlier years (an imported list): the person's case
    work need not be running any more.
    """
    _ensure_casework(actor, person)
    if not past:
        _ensure_active(person)
    values = _assignment_values(data)
    assignment = HelperAssignment.objects.create(person=person, **values)
    _timeline(
        person,
        on=assignment.start_date,
        kind="casework.helper.assigned",
        summary=_("Helper assigned: {name}.").format(name=assignment.display_name),
        target=assignment,
        actor=actor,
    )
    _audit("casework.helperassignment.assigned", assignment, person, start_date=assignment.start_date)
    return assignment


@transaction.atomic
def helper_update(
    *, actor: Any, assignment: HelperAssignment, data: dict[str, Any], expected_version: int | None = None
) -> HelperAssignment:
    """Change an assignment; giving it an end date ends the helper's access after that day."""
    _ensure_casework(actor, assignment.person)
    assignment = _lock(assignment, expected_version)
    was_ended = assignment.end_date
    values = _assignment_values(data, assignment)
    for name, value in values.items():
        setattr(assignment, name, value)
    _save(assignment, list(ASSIGNMENT_FIELDS))
    person = assignment.person
    if assignment.end_date and assignment.end_date != was_ended:
        _timeline(
            person,
            on=assignment.end_date,
            kind="casework.helper.ended",
            summary=_("Helper assignment ends on {date}: {name}.").format(
                date=_d(assignment.end_date), name=assignment.display_name
            ),
            target=assignment,
            actor=actor,
        )
        _audit("casework.helperassignment.ended", assignment, person, end_date=assignment.end_date)
    return assignment


# -- needs -----------------------------------------------------------------------------------------


def _need_values(status: Any, description: Any, declined_reason: Any) -> dict[str, str]:
    status = _text(status)
    if status not in Need.Status.values:
        raise ValidationError({"status": _("Choose a status for this need.")})
    reason = _text(declined_reason)
    if status == Need.Status.DECLINED and not reason:
        raise ValidationError({"declined_reason": _("Say why the person declined the help.")})
    if status != Need.Status.DECLINED:
        reason = ""
    return {"status": status, "description": _text(description), "declined_reason": reason}


def _need_write(
    *, person: Person, domain: str, values: dict[str, str], on: dt.date, expected_version: int | None
) -> tuple[Need, str | None]:
    """Create or update the person's need in ``domain``; returns (need, previous status or None)."""
    if domain not in Need.Domain.values:
        raise ValidationError({"domain": _("Choose a domain.")})
    need = Need.objects.filter(person=person, domain=domain).first()
    if need is None:
        return Need.objects.create(person=person, domain=domain, status_since=on, **values), None
    need = _lock(need, expected_version)
    previous = need.status
    if values["status"] != previous:
        need.status_since = on
    for name, value in values.items():
        setattr(need, name, value)
    _save(need, [*NEED_FIELDS, "status_since"])
    return need, previous


@transaction.atomic
def need_save(
    *,
    actor: Any,
    person: Person,
    domain: str,
    status: str,
    description: str = "",
    declined_reason: str = "",
    on: dt.date | None = None,
    expected_version: int | None = None,
) -> Need:
    """Record the person's need in one domain, or change its status (declined needs a reason)."""
    _ensure_casework(actor, person)
    _ensure_active(person)
    on = _date(on, "on", required=False) or _today()
    _not_future(on, "on")
    values = _need_values(status, description, declined_reason)
    need, previous = _need_write(
        person=person, domain=domain, values=values, on=on, expected_version=expected_version
    )
    if previous != need.status:
        _timeline(
            person,
            on=on,
            kind="casework.need.updated",
            summary=_("Need “{domain}”: {status}.").format(
                domain=need.get_domain_display(), status=need.get_status_display()
            ),
            target=need,
            actor=actor,
        )
        _audit(
            "casework.need.status_changed", need, person, domain=domain, before=previous, after=need.status
        )
    return need


# -- plan ------------------------------------------------------------------------------------------


def _plan_values(person: Person, data: dict[str, Any], current: PlanAction | None = None) -> dict[str, Any]:
    values = {name: getattr(current, name) for name in PLAN_FIELDS} if current else {}
    values.update({name: data[name] for name in PLAN_FIELDS if name in data})
    need = values.get("need")
    if need not in (None, "") and not isinstance(need, Need):
        need = Need.objects.filter(pk=need).first()
    if need is None or need == "" or need.person_id != person.pk:
        raise ValidationError({"need": _("Choose the need of this person that the action answers.")})
    values["need"] = need
    values["description"] = _text(values.get("description"))
    if not values["description"]:
        raise ValidationError({"description": _("Say what is to be done.")})
    values["owner"] = _text(values.get("owner"))
    if not values["owner"]:
        raise ValidationError({"owner": _("Say who carries out the action.")})
    values["due_on"] = _date(values.get("due_on"), "due_on")
    return values


@transaction.atomic
def plan_action_add(*, actor: Any, person: Person, data: dict[str, Any]) -> PlanAction:
    """Add an action to the person's plan, answering one of their needs, with an owner and a due date."""
    _ensure_casework(actor, person)
    _ensure_active(person)
    values = _plan_values(person, data)
    action = PlanAction.objects.create(person=person, **values)
    _timeline(
        person,
        on=_today(),
        kind="casework.plan.added",
        summary=_("Plan action added: {action} (by {date}).").format(
            action=action.description, date=_d(action.due_on)
        ),
        target=action,
        actor=actor,
    )
    return action


@transaction.atomic
def plan_action_update(
    *, actor: Any, action: PlanAction, data: dict[str, Any], expected_version: int | None = None
) -> PlanAction:
    """Change what an action is, who does it, by when, or which need it answers."""
    _ensure_casework(actor, action.person)
    action = _lock(action, expected_version)
    values = _plan_values(action.person, data, action)
    for name, value in values.items():
        setattr(action, name, value)
    _save(action, list(PLAN_FIELDS))
    return action


@transaction.atomic
def plan_action_result(
    *,
    actor: Any,
    action: PlanAction,
    status: str,
    result: str,
    result_on: dt.date | None = None,
    expected_version: int | None = None,
) -> PlanAction:
    """Record what came of an action (done or not done); police officers and the person's helpers may."""
    _ensure_contacts(actor, action.person)
    action = _lock(action, expected_version)
    if status not in (PlanAction.Status.DONE, PlanAction.Status.NOT_DONE):
        raise ValidationError({"status": _("Say whether the action was done.")})
    result = _text(result)
    if not result:
        raise ValidationError({"result": _("Describe the result.")})
    result_on = _date(result_on, "result_on", required=False) or _today()
    _not_future(result_on, "result_on")
    action.status, action.result, action.result_on = status, result, result_on
    _save(action, ["status", "result", "result_on"])
    person = action.person
    _timeline(
        person,
        on=result_on,
        kind="casework.plan.result",
        summary=_("Plan action “{action}”: {status}.").format(
            action=action.description, status=action.get_status_display()
        ),
        target=action,
        actor=actor,
    )
    _audit("casework.planaction.result_recorded", action, person, status=status)
    return action


# -- contacts --------------------------------------------------------------------------------------


def _contact_values(data: dict[str, Any], current: Contact | None = None) -> dict[str, Any]:
    values = {name: getattr(current, name) for name in CONTACT_FIELDS} if current else {}
    values.update({name: data[name] for name in CONTACT_FIELDS if name in data})
    values["occurred_on"] = _date(values.get("occurred_on"), "occurred_on")
    _not_future(values["occurred_on"], "occurred_on")
    if values.get("kind") not in Contact.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of contact.")})
    for name in ("participants", "observations", "note"):
        values[name] = _text(values.get(name))
    if not values["participants"]:
        raise ValidationError({"participants": _("Say who took part.")})
    return values


@transaction.atomic
def contact_record(*, actor: Any, person: Person, data: dict[str, Any], police_note: str = "") -> Contact:
    """Record a contact or visit; an officer may add a police-only note, kept apart from the contact."""
    _ensure_contacts(actor, person)
    _ensure_active(person)
    values = _contact_values(data)
    police_note = _text(police_note)
    if police_note and not can_edit(actor, person):
        raise ValidationError({"police_note": _("Only the police may write police notes.")})
    contact = Contact.objects.create(person=person, recorded_by=policy.account_of(actor), **values)
    _timeline(
        person,
        on=contact.occurred_on,
        kind="casework.contact.recorded",
        summary=_("{kind} recorded.").format(kind=contact.get_kind_display()),
        target=contact,
        actor=actor,
    )
    if police_note:
        _police_note_create(
            actor=actor, person=person, text=police_note, written_on=contact.occurred_on, contact=contact
        )
    return contact


@transaction.atomic
def contact_update(
    *, actor: Any, contact: Contact, data: dict[str, Any], expected_version: int | None = None
) -> Contact:
    """Correct a contact: the police of the area any contact, a helper only the ones they recorded."""
    person = contact.person
    _ensure_contacts(actor, person)
    if not can_edit(actor, person) and (
        contact.recorded_by_id is None or contact.recorded_by_id != getattr(actor, "pk", None)
    ):
        raise PermissionDenied(_("You may only correct the contacts you recorded."))
    contact = _lock(contact, expected_version)
    values = _contact_values(data, contact)
    for name, value in values.items():
        setattr(contact, name, value)
    _save(contact, list(CONTACT_FIELDS))
    return contact


# -- police notes ----------------------------------------------------------------------------------


def _police_note_create(
    *, actor: Any, person: Person, text: str, written_on: dt.date, contact: Contact | None
) -> PoliceNote:
    note = PoliceNote.objects.create(
        person=person, text=text, written_on=written_on, contact=contact, written_by=policy.account_of(actor)
    )
    # A kind outside casework.: helpers never see that a police note exists.
    _timeline(
        person,
        on=written_on,
        kind="casework_police.note.added",
        summary=_("Police note recorded."),
        target=note,
        actor=actor,
    )
    return note


@transaction.atomic
def police_note_add(
    *,
    actor: Any,
    person: Person,
    text: str,
    written_on: dt.date | None = None,
    contact: Contact | None = None,
) -> PoliceNote:
    """Write a note only the police side may read."""
    _ensure_casework(actor, person)
    text = _text(text)
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    written_on = _date(written_on, "written_on", required=False) or _today()
    _not_future(written_on, "written_on")
    if contact is not None and contact.person_id != person.pk:
        raise ValidationError({"contact": _("This contact is about another person.")})
    return _police_note_create(actor=actor, person=person, text=text, written_on=written_on, contact=contact)


@transaction.atomic
def police_note_update(
    *, actor: Any, note: PoliceNote, text: str, written_on: Any = None, expected_version: int | None = None
) -> PoliceNote:
    _ensure_casework(actor, note.person)
    note = _lock(note, expected_version)
    text = _text(text)
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    note.text = text
    if written_on not in (None, ""):
        note.written_on = _date(written_on, "written_on")
        _not_future(note.written_on, "written_on")
    _save(note, ["text", "written_on"])
    return note


# -- reviews ---------------------------------------------------------------------------------------


def _needs_snapshot(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "domain": n.domain,
            "status": n.status,
            "description": n.description,
            "declined_reason": n.declined_reason,
        }
        for n in Need.objects.filter(person=person).order_by("domain")
    ]


def _plan_snapshot(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "id": a.pk,
            "need": a.need.domain,
            "description": a.description,
            "owner": a.owner,
            "due_on": a.due_on.isoformat(),
            "status": a.status,
            "result": a.result,
        }
        for a in PlanAction.objects.filter(person=person).select_related("need").order_by("due_on", "pk")
    ]


@transaction.atomic
def review_record(
    *,
    actor: Any,
    person: Person,
    group: str,
    summary: str,
    needs: dict[str, dict[str, Any]] | None = None,
    reviewed_on: dt.date | None = None,
    next_review_on: dt.date | None = None,
    expected_version: int | None = None,
) -> Review:
    """Review the needs and plan together with the classification (A–D), in one transaction.

    ``needs`` maps a domain to its new ``status`` (and ``description``, ``declined_reason``); domains
    left out keep what they had. The group is decided through intake's ``classify`` (history, next
    review by the configured cycle); the review keeps a snapshot of the needs and the plan. The first
    review of a person is the review at entry into management.
    """
    _ensure_casework(actor, person)
    summary = _text(summary)
    if not summary:
        raise ValidationError({"summary": _("Write the assessment of the review.")})
    reviewed_on = _date(reviewed_on, "reviewed_on", required=False) or _today()
    _not_future(reviewed_on, "reviewed_on")
    current = {n.domain: n.description for n in Need.objects.filter(person=person)}
    for domain, change in (needs or {}).items():
        description = change["description"] if "description" in change else current.get(domain, "")
        try:
            values = _need_values(change.get("status"), description, change.get("declined_reason"))
            _need_write(person=person, domain=domain, values=values, on=reviewed_on, expected_version=None)
        except ValidationError as exc:
            raise ValidationError({f"need_{domain}": exc.messages}) from exc
    classification = intake_services.classify(
        actor=actor,
        person=person,
        group=group,
        reasons=summary,
        decided_on=reviewed_on,
        next_review_on=next_review_on,
        expected_version=expected_version,
    )
    kind = Review.Kind.PERIODIC if Review.objects.filter(person=person).exists() else Review.Kind.ENTRY
    review = Review.objects.create(
        person=person,
        kind=kind,
        reviewed_on=reviewed_on,
        classification=classification,
        summary=summary,
        next_review_on=classification.next_review_on,
        needs_snapshot=_needs_snapshot(person),
        plan_snapshot=_plan_snapshot(person),
        reviewed_by=policy.account_of(actor),
    )
    statuses = [n["status"] for n in review.needs_snapshot]
    open_count = sum(1 for s in statuses if s in Need.OPEN_STATUSES)
    met_count = statuses.count(Need.Status.MET)
    _timeline(
        person,
        on=reviewed_on,
        kind="casework.review.recorded",
        # No group here: helpers read casework. entries, and the classification is police-only.
        summary=_("Needs and plan reviewed: {open} open, {met} met; next review by {date}.").format(
            open=open_count, met=met_count, date=_d(review.next_review_on)
        ),
        target=review,
        actor=actor,
    )
    _audit("casework.review.recorded", review, person, kind=kind, classification=classification.pk)
    return review
