"""No index of ours repeats the first columns of another: it would serve no lookup the longer one does
not, and every row written would update it (an import writes 100,000s)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection

pytestmark = pytest.mark.django_db


def _indexes(cursor, table: str) -> list[tuple[str, list[str], bool]]:
    constraints = connection.introspection.get_constraints(cursor, table)
    return [
        (name, info["columns"], bool(info["unique"]))
        for name, info in constraints.items()
        if (info["index"] or info["unique"]) and not info["primary_key"] and info["columns"]
    ]


def redundant_indexes() -> list[str]:
    """Each plain index whose columns lead another index of its table, with the longer one."""
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if not model.__module__.startswith("hoanhap.") or not model._meta.managed:
                continue
            indexes = _indexes(cursor, model._meta.db_table)
            for name, columns, unique in indexes:
                if unique:
                    continue  # it enforces something: not a duplicate, whatever it leads
                for other, longer, _unique in indexes:
                    if other != name and len(longer) > len(columns) and longer[: len(columns)] == columns:
                        found.append(f"{model._meta.db_table}: {name} {columns} leads {other} {longer}")
                        break
    return found


def test_no_index_repeats_the_first_columns_of_another():
    assert redundant_indexes() == []


def test_the_indexes_that_serve_the_dropped_ones_are_there():
    """The lookups the dropped indexes served (a person's records, an area's people) still have one."""
    order = ["sort_key", "id"] if connection.vendor == "postgresql" else ["sort_key"]  # people 0012
    expected = {
        "people_person": [["province_id", *order], ["commune_id", *order]],
        "people_timelineentry": [["person_id", "occurred_on"]],
        "justice_judgment": [["person_id", "judgment_date"]],
        "justice_release": [["person_id", "release_date"]],
        "imports_stagedrow": [["batch_id", "action"]],
    }
    with connection.cursor() as cursor:
        for table, wanted in expected.items():
            present = [columns for _name, columns, _unique in _indexes(cursor, table)]
            for columns in wanted:
                assert columns in present, (table, columns, present)
