"""``helpers``: one row per helper assigned to a person, through ``casework.services``.

The assignment is the person's assignment starting the same day with the same helper (the
individual's name — or the account's name — and the organisation). Found, its role, phone, end
date, note and account are corrected with ``helper_update`` where the row differs (else ``skip``);
otherwise it is made with ``helper_assign``. The organisation is found by name and unit code and
registered when missing; the account (``Tài khoản người giúp đỡ``) by user name — an account this
installation does not have leaves the helper named in words, with a warning.

``helper_assign`` only assigns helpers to people whose case work is running (received at the
commune, under management, whereabouts unknown). A list of earlier years names helpers of people
released, or whose management ended: such an assignment is recorded as one of the past
(``helper_assign(..., past=True)``: the same checks of the unit and the values, the same timeline
entry and audit entry).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from hoanhap.access.models import User
from hoanhap.casework import services as casework
from hoanhap.casework.models import HelperAssignment
from hoanhap.core.text import canonical
from hoanhap.imports.kinds import care
from hoanhap.imports.kinds.base import Adapter, ApplyContext, Outcome, RowInput
from hoanhap.imports.reading.specs_care import HELPERS
from hoanhap.people.models import Person

# Row column → assignment field, for the values copied as they are.
COPIED = {"helper_role": "helper_role", "helper_phone": "phone", "end_date": "end_date", "note": "note"}


def _who(name: str, user: User | None, organisation_id: int | None) -> tuple[str, int | None]:
    """Who helps: the individual's name (or the account's) and the organisation."""
    shown = name or (user.full_name if user is not None else "")
    return canonical(care.text(shown)), organisation_id


def find_assignment(person: Person, start, who, ctx: ApplyContext) -> HelperAssignment | None:
    rows = (
        HelperAssignment.objects.filter(person=person, start_date=start).select_related("user").order_by("pk")
    )
    found = [a for a in rows if _who(a.helper_name, a.user, a.organisation_id) == who]
    found = care.unclaimed(ctx, found)
    return found[0] if found else None


def _changes(assignment: HelperAssignment, data: dict[str, Any]) -> dict[str, Any]:
    changes = {}
    for key in COPIED.values():
        if key not in data:
            continue
        value = data[key]
        if (
            (care.text(getattr(assignment, key)) != care.text(value))
            if key != "end_date"
            else (assignment.end_date != value)
        ):
            changes[key] = value
    if data.get("user") is not None and assignment.user_id != data["user"].pk:
        changes["user"] = data["user"]
    return changes


class HelpersAdapter(Adapter):
    spec = HELPERS
    field_columns = {
        "helper_name": "helper_name",
        "organisation": "organisation",
        "user": "helper_account",
        "start_date": "start_date",
        **{field: code for code, field in COPIED.items()},
    }

    def apply(self, row: RowInput, ctx: ApplyContext) -> Outcome:
        values = row.values
        warnings: list = []
        person = care.person_of(row, ctx)
        organisation = care.organisation(
            values.get("organisation"),
            values.get("organisation_unit"),
            values.get("organisation_kind"),
            ctx,
            warnings,
            columns=("organisation", "organisation_unit"),
            fallback_province=person.province_id,
        )
        user = None
        account = values.get("helper_account")
        if account:
            user = User.objects.filter(username=account).first()
            if user is None:
                warnings.append(
                    (
                        "helper_account",
                        _("There is no account “{name}” here: the helper is recorded by name.").format(
                            name=account
                        ),
                    )
                )
        name = values.get("helper_name") or ""
        if user is not None and (not name or care.same_name(name, user.full_name)):
            name = ""  # the account names the helper, as when the assignment is made on the page
        data: dict[str, Any] = {
            "organisation": organisation,
            "user": user,
            "helper_name": name,
            "start_date": values["start_date"],
        }
        for code, field in COPIED.items():
            if values.get(code) is not None:
                data[field] = values[code]
        who = _who(name, user, organisation.pk if organisation else None)
        assignment = find_assignment(person, values["start_date"], who, ctx)
        if assignment is None:
            past = person.status not in casework.ACTIVE_STATUSES
            assignment = casework.helper_assign(actor=ctx.actor, person=person, data=data, past=past)
            action = "create"
        else:
            changes = _changes(assignment, data)
            action = "skip"
            if changes:
                assignment = casework.helper_update(
                    actor=ctx.actor, assignment=assignment, data=changes, expected_version=None
                )
                action = "update"
        care.claim(ctx, assignment)
        return Outcome(action, assignment, warnings)
