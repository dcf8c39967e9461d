"""The name-search indexes: two FTS5 tables kept by triggers on SQLite, pg_trgm GIN on PostgreSQL.

All index ``people_person.search_text`` (the folded full name and other names, with a leading
space so that word starts can be matched as " word"). On SQLite, ``people_person_fts`` (trigram
tokenizer) serves similarity and ``people_person_words`` (whole words, prefix indexes, no
positions) serves word matches, which it answers by seeking through the rarest word's list. Other
databases get no index and search by scanning. This migration imports no app code.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE people_person_fts USING fts5("
    "search_text, content='people_person', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER people_person_fts_ai AFTER INSERT ON people_person BEGIN "
    "INSERT INTO people_person_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER people_person_fts_ad AFTER DELETE ON people_person BEGIN "
    "INSERT INTO people_person_fts(people_person_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER people_person_fts_au AFTER UPDATE OF search_text ON people_person BEGIN "
    "INSERT INTO people_person_fts(people_person_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO people_person_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO people_person_fts(people_person_fts) VALUES ('rebuild')",
    "CREATE VIRTUAL TABLE people_person_words USING fts5("
    "search_text, content='people_person', content_rowid='id', tokenize='unicode61', prefix='1 2 3', detail='none')",
    "CREATE TRIGGER people_person_words_ai AFTER INSERT ON people_person BEGIN "
    "INSERT INTO people_person_words(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER people_person_words_ad AFTER DELETE ON people_person BEGIN "
    "INSERT INTO people_person_words(people_person_words, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER people_person_words_au AFTER UPDATE OF search_text ON people_person BEGIN "
    "INSERT INTO people_person_words(people_person_words, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO people_person_words(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO people_person_words(people_person_words) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS people_person_words_au",
    "DROP TRIGGER IF EXISTS people_person_words_ad",
    "DROP TRIGGER IF EXISTS people_person_words_ai",
    "DROP TABLE IF EXISTS people_person_words",
    "DROP TRIGGER IF EXISTS people_person_fts_au",
    "DROP TRIGGER IF EXISTS people_person_fts_ad",
    "DROP TRIGGER IF EXISTS people_person_fts_ai",
    "DROP TABLE IF EXISTS people_person_fts",
]
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS people_person_search_trgm ON people_person USING gin (search_text gin_trgm_ops)",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS people_person_search_trgm"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
