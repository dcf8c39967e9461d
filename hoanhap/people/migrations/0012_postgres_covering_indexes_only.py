"""PostgreSQL: the name-order indexes of 0004 give way to their versions with the id (0006, 0007).

``(province | commune | name_canonical | name_folded, sort_key, id)`` serves every lookup
``(…, sort_key)`` serves: keeping both made each person written update four indexes for nothing.
The model still declares the shorter ones, which SQLite keeps (its indexes hold the row id
already, and it has no longer ones). Other databases: nothing. This migration imports no app code.
"""

from django.db import migrations

SHORTER = {
    "people_person_prov_sort": "(province_id, sort_key)",
    "people_person_comm_sort": "(commune_id, sort_key)",
    "people_person_canon_sort": "(name_canonical, sort_key)",
    "people_person_folded_sort": "(name_folded, sort_key)",
}
FORWARD = [f"DROP INDEX IF EXISTS {name}" for name in SHORTER]
BACKWARD = [
    f"CREATE INDEX IF NOT EXISTS {name} ON people_person {columns}" for name, columns in SHORTER.items()
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("people", "0011_first_columns_one_index")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
