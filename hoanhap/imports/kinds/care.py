"""Lookups shared by the care kinds (``helpers``, ``children``, ``support``).

* the person a row is about (or the parent): record code, identification number, a decision taken
  on the preview, else the one person of the actor's areas with this name (and year of birth);
* an organisation (helper organisation, support provider) by name and unit code, registered when
  missing — like the detention facilities of ``base.facility``;
* a catalogue row (support kind, funding source) by code, Vietnamese or English name;
* each row matches a different record: a record found (or written) by a row of this import is not
  matched again by a later row (``claim``), so two equal rows of one file give two records, and a
  re-import of the file finds each of them again (``skip``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hoanhap.access import policy
from hoanhap.access.models import Organisation
from hoanhap.access.roles import Cap
from hoanhap.core.text import canonical, fold
from hoanhap.geo.models import Commune, Province
from hoanhap.imports.kinds.base import ApplyContext, RowError, RowInput, find_person, person_values
from hoanhap.people.models import Person


def text(value: Any) -> str:
    """Stored text as the reader gives it back: one line, single spaces ("" for None)."""
    return " ".join(str(value or "").split())


def same_text(stored: Any, given: Any) -> bool:
    return text(stored) == text(given)


def same_name(stored: Any, given: Any) -> bool:
    """Names compare with the tone marks in one place ("Hòa" = "Hoà"), case aside."""
    return canonical(text(stored)) == canonical(text(given))


# -- the person --------------------------------------------------------------------------------------


def person_of(row: RowInput, ctx: ApplyContext) -> Person:
    """The registered person the row names; an error on the row when none (or several) match.

    A record code or identification number that no record holds is an error: the row is never
    given to another person of the same name. Without either, the one person of the actor's areas
    with this name and date of birth (as precise as the row gives it).
    """
    values = row.values
    person = find_person(values, row, ctx)
    if person is not None:
        return person
    for code in ("record_code", "id_number"):
        if values.get(code):
            raise RowError([(code, _(NOT_REGISTERED[code]))])
    data = person_values(values)
    if data.get("full_name"):
        rows = Person.objects.filter(name_folded=fold(data["full_name"]))
        for key in ("birth_year", "birth_month", "birth_day"):
            if data.get(key):
                rows = rows.filter(**{key: data[key]})
        found = list(policy.restrict(rows, ctx.actor, Cap.VIEW_PEOPLE).order_by("pk")[:2])
        if len(found) > 1:
            raise RowError(
                [
                    (
                        "full_name",
                        _(
                            "Several people have this name; give the record code or the identification number."
                        ),
                    )
                ]
            )
        if found:
            return found[0]
    raise RowError([(None, _("No registered person matches this row; import the person first."))])


NOT_REGISTERED = {
    "record_code": gettext_noop("No registered person has this record code; import the person first."),
    "id_number": gettext_noop(
        "No registered person has this identification number; import the person first."
    ),
}


# -- records matched once per import -----------------------------------------------------------------


def unclaimed(ctx: ApplyContext, records: list[Model]) -> list[Model]:
    return [r for r in records if (r._meta.label_lower, r.pk) not in ctx.claimed]


def claim(ctx: ApplyContext, record: Model) -> None:
    ctx.claimed.add((record._meta.label_lower, record.pk))


# -- catalogues --------------------------------------------------------------------------------------


def catalogue_row(model: type[Model], written: str, column: str, ctx: ApplyContext) -> Model:
    """The catalogue row whose code, Vietnamese or English name is ``written`` (folded).

    Catalogues are read once per import (the import never writes them).
    """
    cache = ctx.catalogues
    if model not in cache:
        cache[model] = list(model.objects.order_by("order", "code"))
    key = fold(written)
    for row in cache[model]:
        if key in {fold(row.code), fold(row.name_vi), fold(row.name_en)}:
            return row
    names = "; ".join(row.name_vi for row in cache[model] if row.is_active)
    raise RowError(
        [
            (
                column,
                _("“{value}” is not in the catalogue. Use a code or a name of: {names}.").format(
                    value=written, names=names
                ),
            )
        ]
    )


# -- organisations -----------------------------------------------------------------------------------


def _unit(unit: int | None, column: str) -> tuple[int | None, int | None]:
    """(province, commune) of a unit code: a province code, else a commune code."""
    if unit is None:
        return None, None
    if unit < 100 and Province.objects.filter(code=unit).exists():
        return unit, None
    found = Commune.objects.filter(code=unit).values_list("code", "province_id").first()
    if found is None:
        raise RowError([(column, _("No current province or commune has code {code}.").format(code=unit))])
    return found[1], found[0]


def organisation(
    name: str | None,
    unit: int | None,
    kind: str | None,
    ctx: ApplyContext,
    warnings: list,
    *,
    columns: tuple[str, str],
    fallback_province: int | None,
) -> Organisation | None:
    """The organisation named ``name`` (in ``unit`` when given), registered when missing.

    Without a unit code, an organisation of that name in the person's province is preferred. A
    missing one is registered with ``kind`` (else "other") in the unit, else the batch's province,
    else the person's, and listed in the warnings. ``columns`` = (name column, unit column).
    """
    if not name:
        return None
    name_column, unit_column = columns
    key = (f"organisation:{fold(name)}:{kind or ''}", unit)
    if key in ctx.facilities:  # reset with the facilities after a rolled-back trial
        return Organisation.objects.get(pk=ctx.facilities[key])
    province, commune = _unit(unit, unit_column)
    rows = Organisation.objects.filter(name_folded=fold(name))
    if unit is not None:
        rows = rows.filter(province_id=province, commune_id=commune)
    found = sorted(
        rows.order_by("pk")[:20],
        key=lambda o: (
            o.kind != kind if kind else False,
            unit is None and o.province_id != fallback_province,
        ),
    )
    if found:
        chosen = found[0]
    else:
        province = province or ctx.province_hint or fallback_province
        if province is None:
            raise RowError(
                [
                    (
                        unit_column,
                        _("Give the unit code of the organisation “{name}”, which is not registered.").format(
                            name=name
                        ),
                    )
                ]
            )
        # The documented import path (docs/import.md): organisations named by a list are registered
        # as they are read; the audited model records the creation under the import's tag.
        chosen = Organisation.objects.create(
            name=" ".join(name.split()),
            kind=kind or Organisation.Kind.OTHER,
            province_id=province,
            commune_id=commune,
        )
        warnings.append(
            (
                name_column,
                _("The organisation “{name}” was added to the organisations.").format(name=chosen.name),
            )
        )
    ctx.facilities[key] = chosen.pk
    return chosen
