"""``judgments``: one row per judgment of a registered person (found by record code, number, or name).

The name is used only for a row that gives neither a record code nor a number: a code or number
unknown here never lands on a namesake.

Besides the persons columns, a judgments row gives the fine, the probation, the dates of serving
and the judgment's note (``Ghi chú``), all stored on the judgment.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from hoanhap.access import policy
from hoanhap.access.roles import Cap
from hoanhap.core.text import fold
from hoanhap.imports.kinds import justice_parts
from hoanhap.imports.kinds.base import (
    Adapter,
    ApplyContext,
    Outcome,
    RowError,
    RowInput,
    find_person,
    person_values,
)
from hoanhap.imports.reading import specs
from hoanhap.people.models import Person


def _by_name(data: dict, ctx: ApplyContext) -> Person | None:
    """The one person of the actor's areas with this name (and year of birth, when given)."""
    if not data.get("full_name"):
        return None
    rows = Person.objects.filter(name_folded=fold(data["full_name"]))
    if data.get("birth_year"):
        rows = rows.filter(birth_year=data["birth_year"])
    found = list(policy.restrict(rows, ctx.actor, Cap.EDIT_PEOPLE)[:2])
    if len(found) > 1:
        raise RowError(
            [
                (
                    "full_name",
                    _("Several people have this name; give the record code or the identification number."),
                )
            ]
        )
    return found[0] if found else None


class JudgmentsAdapter(Adapter):
    spec = specs.JUDGMENTS
    field_columns = justice_parts.JUDGMENT_COLUMNS

    def apply(self, row: RowInput, ctx: ApplyContext) -> Outcome:
        values = row.values
        person = find_person(values, row, ctx)
        if person is None and values.get("record_code"):
            raise RowError(
                [("record_code", _("No registered person has this record code; import the person first."))]
            )
        if person is None and values.get("id_number"):
            raise RowError(
                [
                    (
                        "id_number",
                        _("No registered person has this identification number; import the person first."),
                    )
                ]
            )
        person = person or _by_name(person_values(values), ctx)  # a list that names people only
        if person is None:
            raise RowError([(None, _("No registered person matches this row; import the person first."))])
        warnings: list = []
        judgment, action = justice_parts.apply_judgment(person, values, ctx, warnings, with_note=True)
        return Outcome(action, judgment or person, warnings)
