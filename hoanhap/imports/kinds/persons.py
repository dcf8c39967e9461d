"""``persons``: one row per person, with their latest judgment and release (as real lists are).

The person is found (record code, identification number, decision, exact name + year + commune) and
updated with the values the row gives that differ, or registered — keeping the row's record code.
Then the judgment and the release of the row are recorded or corrected (``justice_parts``), fine,
probation and dates of serving included. A legacy commune that was split leaves the commune empty
and a residence to choose. The row's "Ghi chú" is the person's note (the judgment's note comes from
the judgments sheet only). A cell holds it on one line, so a stored note that differs only in line
breaks and spaces counts as unchanged: a re-import of an export does not flatten it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hoanhap.imports.kinds import justice_parts
from hoanhap.imports.kinds.base import (
    PERSON_FIELD_COLUMNS,
    Adapter,
    ApplyContext,
    Outcome,
    RowError,
    RowInput,
    check_duplicates,
    check_record_code,
    create_person,
    exact_match,
    find_person,
    person_values,
    residence,
)
from hoanhap.imports.reading import specs
from hoanhap.justice.rules.dates import Term
from hoanhap.people import services as people_services
from hoanhap.people.models import Person


def release_probation(values: dict[str, Any], warnings: list) -> dict[str, Any]:
    """A list of conditional releases may give the release's probation as "Thời gian thử thách": the
    rest of the term, run from the release date (Criminal Code Art. 66). It is not the judgment's
    (only a suspended sentence has one), so it is left off the judgment, and the day it ends is
    worked out from it when the row does not give that day; a day given that does not match it is
    kept, with a word. Without a release date nothing can be worked out: the row is told so."""
    probation = values.get("probation")
    if (
        probation is None
        or values.get("release_kind") != "conditional_release"
        or values.get("main_penalty_type") == "suspended_imprisonment"
    ):
        return values
    released, given = values.get("release_date"), values.get("probation_ends_on")
    length = Term(probation.years, probation.months, probation.days)
    if released is None or probation.life or length.is_zero:
        warnings.append(("probation", _(RELEASE_PROBATION)))
        return {**values, "probation": None}
    ends = length.after(released)
    if given is None:
        warnings.append(("probation", _(PROBATION_WORKED_OUT).format(date=f"{ends:%d/%m/%Y}")))
        return {**values, "probation": None, "probation_ends_on": ends}
    if given != ends:
        warnings.append(
            (
                "probation_ends_on",
                _(PROBATION_MISMATCH).format(given=f"{given:%d/%m/%Y}", date=f"{ends:%d/%m/%Y}"),
            )
        )
    return {**values, "probation": None}


RELEASE_PROBATION = gettext_noop(
    "This probation belongs to the conditional release, not to the judgment: it is not recorded. "
    "Give the day it ends in “Ngày hết thời gian thử thách”."
)
PROBATION_WORKED_OUT = gettext_noop(
    "The probation of the conditional release runs from the release date: it ends on {date}."
)
PROBATION_MISMATCH = gettext_noop(
    "The probation given runs to {date} from the release date, not to {given}: the day given is kept."
)


def with_note(data: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """``data`` (the row's person values) with the row's note, when it gives one."""
    if values.get("note"):
        data["note"] = values["note"]
    return data


def person_changes(person: Person, data: dict[str, Any]) -> dict[str, Any]:
    """The fields of ``data`` whose value differs from the record's (an identification number is only
    added; a note is compared as one line, ``justice_parts.differs``)."""
    changes = {}
    for key, value in data.items():
        current = getattr(person, f"{key}_id" if key in ("province", "commune") else key)
        if key == "note":
            if justice_parts.differs("note", current, value):
                changes[key] = value
            continue
        if key == "personal_id" and current and current != value:
            raise RowError(
                [
                    (
                        "id_number",
                        _("The record {code} has another identification number.").format(
                            code=person.record_code
                        ),
                    )
                ]
            )
        if current != value and not (value in ("", None) and current in ("", None)):
            changes[key] = value
    return changes


class PersonsAdapter(Adapter):
    spec = specs.PERSONS
    field_columns = {
        **PERSON_FIELD_COLUMNS,
        **justice_parts.JUDGMENT_COLUMNS,
        **justice_parts.RELEASE_COLUMNS,
    }

    def apply(self, row: RowInput, ctx: ApplyContext) -> Outcome:
        values = row.values
        warnings: list = []
        data = with_note(person_values(values), values)
        province, commune, pending = residence(row, required=False)
        person = find_person(values, row, ctx)
        if person is None and province is not None:
            person = exact_match(
                data,
                province,
                commune,
                ctx,
                pending["candidates"] if pending else (),
                record_code=values.get("record_code"),
            )
        if person is None:
            if province is None:
                raise RowError([("address", _("The place of residence is required to register a person."))])
            data.update(province=province, commune=commune, address=values.get("address") or "")
            data["status"] = (
                Person.Status.RELEASED if values.get("release_date") else Person.Status.IN_MANAGEMENT
            )
            code = values.get("record_code")
            if code:
                check_record_code(code)
            else:
                check_duplicates(data, row, ctx)
            person = create_person(data, code, ctx)
            action = "create"
        else:
            if province is not None and pending is None:
                data.update(province=province, commune=commune)
                if values.get("address"):
                    data["address"] = values["address"]
            elif pending is not None and person.commune_id in pending["candidates"]:
                pending = None  # the person already lives in one of the communes it went to
            changes = person_changes(person, data)
            action = "skip"
            if changes:
                person = people_services.person_update(
                    actor=ctx.actor, person=person, data=changes, expected_version=None
                )
                action = "update"
            if pending is not None and person.commune_id is not None:
                pending = None
        values = release_probation(values, warnings)
        judgment, judged = justice_parts.apply_judgment(person, values, ctx, warnings)
        released = justice_parts.apply_release(person, judgment, values, ctx, warnings)
        if action == "skip" and {judged, released} & {"create", "update"}:
            action = "update"
        if pending is not None:
            warnings.append(
                (
                    "address",
                    _(
                        "“{text}” was split between several communes: the residence is left for an officer to choose."
                    ).format(text=pending["text"]),
                )
            )
        return Outcome(action, person, warnings, pending)
