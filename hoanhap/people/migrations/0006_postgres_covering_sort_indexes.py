"""PostgreSQL: the name-order indexes of a province and of a commune with the id in them.

Walking a given name's people in name order (``search.given_name_matches``, the list page) then
reads the index alone (an index-only scan), not one table row per person tested; SQLite's indexes
hold the row id already. Other databases: nothing. This migration imports no app code.
"""

from django.db import migrations

FORWARD = [
    "CREATE INDEX IF NOT EXISTS people_person_prov_sort_id ON people_person (province_id, sort_key, id)",
    "CREATE INDEX IF NOT EXISTS people_person_comm_sort_id ON people_person (commune_id, sort_key, id)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS people_person_prov_sort_id",
    "DROP INDEX IF EXISTS people_person_comm_sort_id",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("people", "0005_search_tokens")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
