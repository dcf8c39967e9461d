"""``children``: one row per child of a person in prison (or released), through the support services.

The parent is found like the person of a ``judgments`` row (record code, identification number, or
the one person of that name and year of birth). The child is the parent's child with the same name
(diacritics aside) and, when the row gives it, the same year of birth; found, it is corrected with
``support.services.child_update`` where the row's values differ (else ``skip``); otherwise it is
registered with ``child_create`` — in the unit of the row's address, else in the parent's.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from hoanhap.access import policy
from hoanhap.access.roles import Cap
from hoanhap.core.text import fold
from hoanhap.geo.models import Commune, Province
from hoanhap.imports.kinds import care
from hoanhap.imports.kinds.base import Adapter, ApplyContext, Outcome, RowInput, residence
from hoanhap.imports.reading.specs_care import CHILDREN
from hoanhap.imports.reading.values import PartialDate
from hoanhap.people.models import Person
from hoanhap.support import services as support
from hoanhap.support.models import Child

# Row column → Child field, for the values copied as they are.
COPIED = {
    "parent_relation": "parent_relation",
    "child_sex": "sex",
    "school": "school",
    "grade": "grade",
    "guardian_name": "guardian_name",
    "guardian_relation": "guardian_relation",
    "guardian_phone": "guardian_phone",
    "address": "address",
    "note": "note",
}
NAMES = {"full_name", "guardian_name"}


def find_child(
    parent: Person, name: str, birth: PartialDate | None, ctx: ApplyContext, *, once: bool = False
) -> Child | None:
    """The parent's child of this name (and year of birth, when known); with ``once``, one that no
    earlier row of this import matched (a children row; a support row names any child)."""
    rows = policy.restrict(
        Child.objects.filter(parent=parent, name_folded=fold(name)), ctx.actor, Cap.VIEW_CHILDREN
    ).order_by("pk")
    found = [c for c in rows if birth is None or c.birth_date is None or c.birth_date.year == birth.year]
    if once:
        found = care.unclaimed(ctx, found)
    return found[0] if found else None


def child_changes(child: Child, data: dict[str, Any]) -> dict[str, Any]:
    """The values of ``data`` that differ from the child's record."""
    changes = {}
    for key, value in data.items():
        if key in ("province", "commune"):
            if getattr(child, f"{key}_id") != (value.pk if value is not None else None):
                changes[key] = value
        elif key in NAMES:
            if not care.same_name(getattr(child, key), value):
                changes[key] = value
        elif isinstance(value, str):
            if not care.same_text(getattr(child, key), value):
                changes[key] = value
        elif getattr(child, key) != value:
            changes[key] = value
    return changes


class ChildrenAdapter(Adapter):
    spec = CHILDREN
    field_columns = {
        "full_name": "child_name",
        "birth_date": "child_birth_date",
        "sex": "child_sex",
        "parent": "full_name",
        "province": "address",
        "commune": "address",
        **{field: code for code, field in COPIED.items() if field not in ("sex",)},
    }

    def apply(self, row: RowInput, ctx: ApplyContext) -> Outcome:
        values = row.values
        warnings: list = []
        parent = care.person_of(row, ctx)
        data: dict[str, Any] = {"full_name": values["child_name"]}
        birth = values.get("child_birth_date")
        if isinstance(birth, PartialDate):
            if birth.is_full:
                data["birth_date"] = birth.date
            else:
                warnings.append(
                    (
                        "child_birth_date",
                        _("Only a full date of birth is recorded: the child's date of birth stays empty."),
                    )
                )
        for code, field in COPIED.items():
            if values.get(code) is not None:
                data[field] = values[code]
        province, commune, pending = residence(row, required=False)
        if province is not None:
            data["province"] = Province.objects.get(pk=province)
            data["commune"] = Commune.objects.get(pk=commune) if commune else None
        if pending is not None:
            warnings.append(
                (
                    "address",
                    _(
                        "“{text}” was split between several communes: the child is recorded in the province."
                    ).format(text=pending["text"]),
                )
            )
        child = find_child(parent, values["child_name"], birth, ctx, once=True)
        if child is None:
            child = support.child_create(actor=ctx.actor, data={"parent": parent, **data})
            action = "create"
        else:
            changes = child_changes(child, data)
            action = "skip"
            if changes:
                child = support.child_update(
                    actor=ctx.actor, child=child, data=changes, expected_version=None
                )
                action = "update"
        care.claim(ctx, child)
        return Outcome(action, child, warnings)
