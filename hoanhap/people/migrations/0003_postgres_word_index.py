"""PostgreSQL: a GIN index of the whole words of ``search_text`` (the twin of SQLite's
``people_person_words``), so that an AND of words seeks through the rarest word's list.

Queries must use the same expression: ``to_tsvector('simple'::regconfig, search_text)``. Other
databases: nothing. This migration imports no app code.
"""

from django.db import migrations

FORWARD = (
    "CREATE INDEX IF NOT EXISTS people_person_words_gin ON people_person "
    "USING gin (to_tsvector('simple'::regconfig, search_text))"
)
BACKWARD = "DROP INDEX IF EXISTS people_person_words_gin"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("people", "0002_search_index")]

    operations = [migrations.RunPython(forward, backward)]
