"""The care sheets of the export: ``helpers``, ``children`` and ``support``, one row per record.

Each sheet has a query (the records of the scope the actor may see, through
``hoanhap.access.policy.restrict`` with the capability that reads them, in a fixed order that holds
no database id) and a row function (``{column code: cell value}`` in the columns of
``reading/specs_care.py``). People are named by their record code, identification number, name and
date of birth; organisations by name, kind and unit code; catalogue rows by their stable code.
Records are read in chunks (``iterator``) with their relations joined: one query per chunk.

* ``helpers``: the helper assignments of the people of the scope (``view_people``);
* ``children``: the children living in the scope (``view_children``) — a child's parent may live
  elsewhere: the import then needs that parent registered;
* ``support``: support to the people of the scope and to their relatives (``view_people``), and
  to the children of the ``children`` sheet (``view_children``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from hoanhap.access import policy
from hoanhap.access.models import Organisation
from hoanhap.access.policy import AreaScope
from hoanhap.access.roles import Cap
from hoanhap.casework.models import HelperAssignment
from hoanhap.imports.exporting import cells
from hoanhap.imports.reading.specs_care import CHILDREN, HELPERS, ORGANISATION_KIND_CHOICES, SUPPORT
from hoanhap.people.models import Person
from hoanhap.support.models import Child, SupportAction

CHUNK = 2000
_ORGANISATION_KINDS = {c.code: c.label for c in ORGANISATION_KIND_CHOICES}


def _in_scope(queryset: QuerySet, actor: Any, cap: str, scope: AreaScope) -> QuerySet:
    queryset = policy.restrict(queryset, actor, cap)
    if not scope.everything:
        queryset = queryset.filter(scope.q(queryset.model.area_fields))
    return queryset


def unit_code(organisation: Organisation | None) -> int | None:
    """An organisation's unit: its commune code, else its province code."""
    if organisation is None:
        return None
    return organisation.commune_id or organisation.province_id


def _person(person: Person) -> dict[str, Any]:
    return {
        "record_code": person.record_code,
        "full_name": cells.text(person.full_name),
        "birth_date": cells.partial_date(person.birth_year, person.birth_month, person.birth_day),
        "id_number": person.personal_id or person.old_id_number or None,
    }


def _organisation(organisation: Organisation | None, prefix: str) -> dict[str, Any]:
    if organisation is None:
        return {}
    return {
        prefix: cells.text(organisation.name),
        f"{prefix}_kind": _ORGANISATION_KINDS.get(organisation.kind, organisation.kind),
        f"{prefix}_unit": unit_code(organisation),
    }


def _birth(day) -> str | None:
    return cells.partial_date(day.year, day.month, day.day) if day is not None else None


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else cells.choice(SUPPORT.column("employed_3m"), "yes" if value else "no")


# --- helpers ----------------------------------------------------------------------------------------


def helpers_in_scope(actor: Any, scope: AreaScope) -> QuerySet[HelperAssignment]:
    """Helper assignments of the scope's people, by record code, start date and helper."""
    return (
        _in_scope(HelperAssignment.objects.all(), actor, Cap.VIEW_PEOPLE, scope)
        .select_related("person", "organisation", "user")
        .order_by("person__record_code", "start_date", "helper_name", "organisation__name", "end_date", "pk")
    )


def helper_row(assignment: HelperAssignment) -> dict[str, Any]:
    user = assignment.user
    row = _person(assignment.person)
    row.update(
        {
            "helper_name": cells.text(assignment.helper_name or (user.full_name if user is not None else "")),
            "helper_role": cells.text(assignment.helper_role),
            "helper_phone": cells.text(assignment.phone),
            "helper_account": user.username if user is not None else None,
            "start_date": assignment.start_date,
            "end_date": assignment.end_date,
            "note": cells.text(assignment.note),
        }
    )
    row.update(_organisation(assignment.organisation, "organisation"))
    return row


def helper_rows(actor: Any, scope: AreaScope) -> Iterator[dict[str, Any]]:
    for assignment in helpers_in_scope(actor, scope).iterator(chunk_size=CHUNK):
        yield helper_row(assignment)


# --- children ---------------------------------------------------------------------------------------


def children_in_scope(actor: Any, scope: AreaScope) -> QuerySet[Child]:
    """Children living in the scope, by their parent's record code, date of birth and name."""
    return (
        _in_scope(Child.objects.all(), actor, Cap.VIEW_CHILDREN, scope)
        .select_related("parent", "province", "commune")
        .order_by("parent__record_code", "birth_date", "full_name", "pk")
    )


def child_row(child: Child) -> dict[str, Any]:
    row = _person(child.parent)
    row.update(
        {
            "parent_relation": cells.choice(CHILDREN.column("parent_relation"), child.parent_relation),
            "child_name": cells.text(child.full_name),
            "child_birth_date": _birth(child.birth_date),
            "child_sex": cells.sex(child.sex),
            "school": cells.text(child.school),
            "grade": cells.text(child.grade),
            "guardian_name": cells.text(child.guardian_name),
            "guardian_relation": cells.text(child.guardian_relation),
            "guardian_phone": cells.text(child.guardian_phone),
            "address": cells.text(child.address),
            "commune": child.commune.name if child.commune_id else None,
            "province": child.province.name,
            "note": cells.text(child.note),
        }
    )
    return row


def child_rows(actor: Any, scope: AreaScope) -> Iterator[dict[str, Any]]:
    for child in children_in_scope(actor, scope).iterator(chunk_size=CHUNK):
        yield child_row(child)


# --- support ----------------------------------------------------------------------------------------


def support_in_scope(actor: Any, scope: AreaScope) -> QuerySet[SupportAction]:
    """Support to the scope's people and relatives, and to the children of the ``children`` sheet.

    Ordered by the record code of the person (the parent, for a child), date, kind, beneficiary.
    """
    to_people = _in_scope(SupportAction.objects.filter(child__isnull=True), actor, Cap.VIEW_PEOPLE, scope)
    to_children = children_in_scope(actor, scope)
    return (
        SupportAction.objects.filter(Q(pk__in=to_people.values("pk")) | Q(child__in=to_children.values("pk")))
        .select_related("kind", "funding_source", "provider", "person", "relative", "child__parent")
        .annotate(export_code=Coalesce("person__record_code", "child__parent__record_code"))
        .order_by(
            "export_code",
            "given_on",
            "kind__code",
            "relative__full_name",
            "child__full_name",
            "item",
            "value",
            "pk",
        )
    )


def support_row(action: SupportAction) -> dict[str, Any]:
    child = action.child
    row = _person(child.parent if child is not None else action.person)
    if action.relative is not None:
        row["relative_name"] = cells.text(action.relative.full_name)
        row["relative_relation"] = cells.choice(SUPPORT.column("relative_relation"), action.relative.relation)
    if child is not None:
        row["child_name"] = cells.text(child.full_name)
        row["child_birth_date"] = _birth(child.birth_date)
    row.update(
        {
            "kind": action.kind.code,
            "given_on": action.given_on,
            "value": cells.money(action.value),
            "value_basis": cells.choice(SUPPORT.column("value_basis"), action.value_basis),
            "quantity": action.quantity,
            "item": cells.text(action.item),
            "funding_source": action.funding_source.code if action.funding_source is not None else None,
            "community_model": cells.text(action.community_model_name),
            "description": cells.text(action.description),
            "outcome": cells.text(action.outcome),
            "employer": cells.text(action.employer),
            "job_start_on": action.job_start_on,
            "employed_3m": _yes_no(action.employed_3m),
            "employed_6m": _yes_no(action.employed_6m),
            "employed_12m": _yes_no(action.employed_12m),
        }
    )
    row.update(_organisation(action.provider, "provider"))
    return row


def support_rows(actor: Any, scope: AreaScope) -> Iterator[dict[str, Any]]:
    for action in support_in_scope(actor, scope).iterator(chunk_size=CHUNK):
        yield support_row(action)


SHEETS = ((HELPERS, helper_rows), (CHILDREN, child_rows), (SUPPORT, support_rows))
