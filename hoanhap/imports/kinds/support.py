"""``support``: one row per support action, through ``support.services``.

The beneficiary is the row's person, or a relative of that person (``Người thân được hỗ trợ``:
found by name among the person's relatives, added with ``people.services.relative_add`` when
missing), or a child of that person (``Con được hỗ trợ``: found by name and year of birth among
the person's children — import the ``children`` sheet first). Kind and funding source are catalogue
rows (code or name); the provider an organisation by name and unit code, registered when missing.

The action is the beneficiary's action of the same kind, date and item (each record matched once
per import). One whose values all equal the row's is left alone (``skip``); else the one found is
corrected with ``action_update``, or a new one is recorded with ``action_record``. The employment
follow-ups (3, 6, 12 months) go through ``action_follow_up``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hoanhap.core.text import fold
from hoanhap.imports.kinds import care
from hoanhap.imports.kinds.base import Adapter, ApplyContext, Outcome, RowError, RowInput
from hoanhap.imports.kinds.children import find_child
from hoanhap.imports.reading.specs_care import SUPPORT
from hoanhap.people import services as people_services
from hoanhap.people.models import Person, Relative
from hoanhap.support import selectors
from hoanhap.support import services as support
from hoanhap.support.models import FundingSource, SupportAction, SupportKind

# Row column → action field, for the values copied as they are.
COPIED = {
    "value": "value",
    "value_basis": "value_basis",
    "quantity": "quantity",
    "community_model": "community_model_name",
    "description": "description",
    "outcome": "outcome",
    "employer": "employer",
    "job_start_on": "job_start_on",
}
TEXTS = {"community_model_name", "description", "outcome", "employer", "item"}


def _relative(person: Person, values: dict[str, Any], ctx: ApplyContext, warnings: list) -> Relative:
    """The person's relative of this name; added (with the row's relation, else "other") when missing."""
    name = values["relative_name"]
    found = [r for r in person.relatives.order_by("pk") if fold(r.full_name) == fold(name)]
    relation = values.get("relative_relation")
    if relation:
        found = [r for r in found if r.relation == relation] or found
    if found:
        return found[0]
    relative = people_services.relative_add(
        actor=ctx.actor,
        person=person,
        data={"full_name": name, "relation": relation or Relative.Relation.OTHER},
    )
    warnings.append(
        ("relative_name", _("The relative “{name}” was added to the person's relatives.").format(name=name))
    )
    return relative


def beneficiary(row: RowInput, ctx: ApplyContext, warnings: list) -> dict[str, Any]:
    """``{"person": …}``, ``{"person": …, "relative": …}`` or ``{"child": …}``."""
    values = row.values
    person = care.person_of(row, ctx)
    if values.get("child_name") and values.get("relative_name"):
        raise RowError(
            [(None, _("Support goes to one beneficiary: fill in the relative or the child, not both."))]
        )
    if values.get("child_name"):
        child = find_child(person, values["child_name"], values.get("child_birth_date"), ctx)
        if child is None:
            raise RowError(
                [
                    (
                        "child_name",
                        _("{parent} has no registered child of this name; import the children first.").format(
                            parent=person.full_name
                        ),
                    )
                ]
            )
        return {"child": child}
    if values.get("relative_name"):
        return {"person": person, "relative": _relative(person, values, ctx, warnings)}
    return {"person": person}


def _same(action: SupportAction, key: str, value: Any) -> bool:
    current = getattr(action, key)
    if key in ("kind", "funding_source", "provider"):
        return getattr(action, f"{key}_id") == (value.pk if value is not None else None)
    if key in TEXTS:
        return care.same_text(current, value)
    return current == value


def _changes(action: SupportAction, data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if not _same(action, k, v)}


def find_action(who: dict[str, Any], data: dict[str, Any], ctx: ApplyContext) -> SupportAction | None:
    """An equal action of the beneficiary, else the first one of the same kind, date and item."""
    rows = SupportAction.objects.filter(
        kind=data["kind"],
        given_on=data["given_on"],
        person=who.get("person"),
        relative=who.get("relative"),
        child=who.get("child"),
    ).order_by("pk")
    item = fold(data.get("item") or "")
    found = care.unclaimed(ctx, [a for a in rows if fold(a.item) == item])
    return next((a for a in found if not _changes(a, data)), found[0] if found else None)


class SupportAdapter(Adapter):
    spec = SUPPORT
    field_columns = {
        "kind": "kind",
        "given_on": "given_on",
        "item": "item",
        "funding_source": "funding_source",
        "provider": "provider",
        "relative": "relative_name",
        "child": "child_name",
        **{field: code for code, field in COPIED.items()},
    }

    def apply(self, row: RowInput, ctx: ApplyContext) -> Outcome:
        values = row.values
        warnings: list = []
        who = beneficiary(row, ctx, warnings)
        person = who.get("person") or who["child"].parent
        data: dict[str, Any] = {
            "kind": care.catalogue_row(SupportKind, values["kind"], "kind", ctx),
            "given_on": values["given_on"],
            "item": values.get("item") or "",
        }
        if values.get("funding_source"):
            data["funding_source"] = care.catalogue_row(
                FundingSource, values["funding_source"], "funding_source", ctx
            )
        if values.get("provider"):
            data["provider"] = care.organisation(
                values["provider"],
                values.get("provider_unit"),
                values.get("provider_kind"),
                ctx,
                warnings,
                columns=("provider", "provider_unit"),
                fallback_province=person.province_id,
            )
        for code, field in COPIED.items():
            if values.get(code) is not None:
                data[field] = values[code]
        action = find_action(who, data, ctx)
        if action is None:
            action = support.action_record(actor=ctx.actor, data={**who, **data})
            outcome = "create"
        else:
            changes = _changes(action, data)
            outcome = "skip"
            if changes:
                action = support.action_update(
                    actor=ctx.actor, action=action, data=changes, expected_version=None
                )
                outcome = "update"
        care.claim(ctx, action)
        if self._follow_ups(action, values, ctx) and outcome == "skip":
            outcome = "update"
        return Outcome(outcome, action, warnings)

    def _follow_ups(self, action: SupportAction, values: dict[str, Any], ctx: ApplyContext) -> bool:
        """Record the employment follow-ups the row gives that the action lacks; whether any was."""
        recorded = False
        for months in selectors.JOB_MILESTONES:
            code = f"employed_{months}m"
            if values.get(code) is None:
                continue
            employed = values[code] == "yes"
            if getattr(action, code) == employed:
                continue
            try:
                action = support.action_follow_up(
                    actor=ctx.actor, action=action, months=months, employed=employed
                )
            except ValidationError as exc:
                raise RowError([(code, message) for message in exc.messages]) from exc
            recorded = True
        return recorded
