"""PostgreSQL: the exact-name indexes with the id in them, so tiers 1 and 2 read a page and stop.

Both exact tiers of the search order their page by ``sort_key, id``. A common name ("Nguyễn Văn
Tú": 1,300 people of one province in the 1M benchmark) shares one ``sort_key``, and the indexes of
0004 end at ``sort_key``: PostgreSQL read and sorted the whole group for every page (3–30 ms).
With the id in the key the index yields the page in order (0.1 ms). SQLite's indexes hold the row
id already. Other databases: nothing. This migration imports no app code.
"""

from django.db import migrations

FORWARD = [
    "CREATE INDEX IF NOT EXISTS people_person_canon_sort_id ON people_person (name_canonical, sort_key, id)",
    "CREATE INDEX IF NOT EXISTS people_person_folded_sort_id ON people_person (name_folded, sort_key, id)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS people_person_canon_sort_id",
    "DROP INDEX IF EXISTS people_person_folded_sort_id",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("people", "0006_postgres_covering_sort_indexes")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
