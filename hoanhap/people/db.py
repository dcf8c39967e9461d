"""Keep the SQLite search indexes of ``people_person`` whole after any migration.

SQLite alters a table by building a new one and dropping the old: the triggers that keep the FTS5
tables (migrations 0002 and 0005) and the word list in step are dropped with it. After every
``migrate`` this module re-creates whatever is missing and, if anything was, rebuilds the FTS5
tables from ``search_text`` / ``name_folded``. PostgreSQL keeps its indexes and triggers through
``ALTER TABLE``: nothing to do there.
"""

from __future__ import annotations

import importlib

from django.db import connections

# The statements of the role tokens and the word list, as migration 0005 created them.
_tokens = importlib.import_module("hoanhap.people.migrations.0005_search_tokens")

FTS_TABLES = {
    "people_person_fts": "tokenize='trigram'",
    "people_person_words": "tokenize='unicode61', prefix='1 2 3', detail='none'",
}


def _statements(table: str, options: str) -> list[str]:
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5("
        f"search_text, content='people_person', content_rowid='id', {options})",
        f"CREATE TRIGGER IF NOT EXISTS {table}_ai AFTER INSERT ON people_person BEGIN "
        f"INSERT INTO {table}(rowid, search_text) VALUES (new.id, new.search_text); END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_ad AFTER DELETE ON people_person BEGIN "
        f"INSERT INTO {table}({table}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_au AFTER UPDATE OF search_text ON people_person BEGIN "
        f"INSERT INTO {table}({table}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {table}(rowid, search_text) VALUES (new.id, new.search_text); END",
    ]


def ensure_search_index(using: str = "default") -> bool:
    """Re-create missing FTS5 tables and triggers (SQLite). True when something had to be repaired."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        if "people_person" not in tables:
            return False
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'people_person'")
        triggers = {row[0] for row in cursor.fetchall()}
        expected = {f"{t}_{s}" for t in FTS_TABLES for s in ("ai", "ad", "au")} | set(_tokens.SQLITE_TRIGGERS)
        names = {*FTS_TABLES, "people_person_tokens", "people_name_word"}
        if expected <= triggers and names <= tables:
            return False
        for table, options in FTS_TABLES.items():
            for statement in _statements(table, options):
                cursor.execute(statement)
            cursor.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
        cursor.execute(_tokens.SQLITE_TOKENS_TABLE)
        cursor.execute(_tokens.SQLITE_WORD_TABLE)
        for name, body in _tokens.SQLITE_TRIGGERS.items():
            cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
        for statement in _tokens.SQLITE_FILL:
            cursor.execute(statement)
    return True


def repair_after_migrate(sender, using: str = "default", **kwargs) -> None:
    ensure_search_index(using)
