"""Role tokens and a word list for the name search (see ``hoanhap.people.search``).

Each person gets, besides the plain folded words of their names, tokens saying where a word stands:
``g_<given name>``, ``r_<word>`` for every other word (family, middle and other names) and
``rg_<word>_<given name>`` pairs. "le ngoc thanh phong" becomes ``rg_le_phong``, ``rg_ngoc_phong``…:
short lists, so "given name starts with phong and the names hold le, ngoc, thanh" is an AND of
short lists instead of a walk through every Phong. ``people_name_word`` holds every folded word
once (never pruned), to expand a typed prefix into whole words and to correct a mistyped word.

* SQLite: ``people_person_tokens``, a contentless FTS5 table (tokens may contain ``_``, no
  positions), kept by triggers computing the tokens from ``name_folded`` and ``search_text``.
* PostgreSQL: ``people_search_tokens(name_folded, search_text)``, an IMMUTABLE function giving the
  tokens as a tsvector, with a GIN index on it; the unused ``to_tsvector`` word index of 0003 is
  dropped (0002's trigram index stays: duplicates use it). PostgreSQL also gets ``rr_<a>_<b>``
  for every two other words (a < b): its GIN index reads an AND of long lists whole, where
  SQLite's FTS5 seeks, so "Phạm, Tấn, Ngọc and Thành all among the other names" needs short lists.
* Both: ``people_name_word`` kept by a trigger on insert and on a change of ``search_text``.

This migration imports no app code (``hoanhap.people.db`` repeats the SQLite statements to repair
them after a table rebuild).
"""

from django.db import migrations

# -- SQLite ----------------------------------------------------------------------------------------


def sqlite_tokens(row: str) -> str:
    """SQL expression: the token text of ``row`` (``new`` / ``old`` / a table alias)."""
    nf, st = f"{row}.name_folded", f"{row}.search_text"
    head = f"rtrim({nf}, replace({nf}, ' ', ''))"
    given = f"substr({nf}, length({head}) + 1)"
    rest = f"trim(rtrim({head}) || ' ' || substr({st}, length({nf}) + 3))"
    return (
        f"trim({st}) || ' g_' || {given} || CASE WHEN {rest} = '' THEN '' ELSE "
        f"' r_' || replace({rest}, ' ', ' r_') || ' rg_' || replace({rest}, ' ', '_' || {given} || ' rg_') "
        f"|| '_' || {given} END"
    )


def sqlite_words(row: str) -> str:
    """SQL: every word of ``row``'s search_text, for INSERT OR IGNORE INTO people_name_word(word)."""
    return (
        "WITH RECURSIVE s(word, rest) AS ("
        f"SELECT '', trim({row}.search_text) || ' ' "
        "UNION ALL SELECT substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1) "
        "FROM s WHERE rest <> '') SELECT word FROM s WHERE word <> ''"
    )


SQLITE_TOKENS_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS people_person_tokens USING fts5("
    "tokens, content='', tokenize=\"unicode61 tokenchars '_'\", detail='none')"
)
SQLITE_WORD_TABLE = "CREATE TABLE IF NOT EXISTS people_name_word (word TEXT PRIMARY KEY) WITHOUT ROWID"
SQLITE_TRIGGERS = {
    "people_person_tokens_ai": "AFTER INSERT ON people_person BEGIN "
    f"INSERT INTO people_person_tokens(rowid, tokens) VALUES (new.id, {sqlite_tokens('new')}); END",
    "people_person_tokens_ad": "AFTER DELETE ON people_person BEGIN "
    "INSERT INTO people_person_tokens(people_person_tokens, rowid, tokens) "
    f"VALUES ('delete', old.id, {sqlite_tokens('old')}); END",
    "people_person_tokens_au": "AFTER UPDATE OF name_folded, search_text ON people_person BEGIN "
    "INSERT INTO people_person_tokens(people_person_tokens, rowid, tokens) "
    f"VALUES ('delete', old.id, {sqlite_tokens('old')}); "
    f"INSERT INTO people_person_tokens(rowid, tokens) VALUES (new.id, {sqlite_tokens('new')}); END",
    "people_name_word_ai": "AFTER INSERT ON people_person BEGIN "
    f"INSERT OR IGNORE INTO people_name_word(word) {sqlite_words('new')}; END",
    "people_name_word_au": "AFTER UPDATE OF search_text ON people_person BEGIN "
    f"INSERT OR IGNORE INTO people_name_word(word) {sqlite_words('new')}; END",
}
SQLITE_FILL = [
    "INSERT INTO people_person_tokens(people_person_tokens) VALUES ('delete-all')",
    f"INSERT INTO people_person_tokens(rowid, tokens) SELECT p.id, {sqlite_tokens('p')} FROM people_person p",
    "INSERT OR IGNORE INTO people_name_word(word) WITH RECURSIVE s(word, rest) AS ("
    "SELECT '', trim(search_text) || ' ' FROM people_person "
    "UNION ALL SELECT substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1) "
    "FROM s WHERE rest <> '') SELECT DISTINCT word FROM s WHERE word <> ''",
]
SQLITE_FORWARD = [
    SQLITE_TOKENS_TABLE,
    SQLITE_WORD_TABLE,
    *(f"CREATE TRIGGER IF NOT EXISTS {name} {body}" for name, body in SQLITE_TRIGGERS.items()),
    *SQLITE_FILL,
]
SQLITE_BACKWARD = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS),
    "DROP TABLE IF EXISTS people_person_tokens",
    "DROP TABLE IF EXISTS people_name_word",
]

# -- PostgreSQL ------------------------------------------------------------------------------------

POSTGRES_TOKEN_FUNCTION = r"""CREATE OR REPLACE FUNCTION people_search_tokens(nf text, st text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_to_tsvector(array_remove(
        string_to_array(btrim(st) || ' g_' || g, ' ')
        || ARRAY(SELECT 'r_' || w FROM unnest(r) AS w)
        || ARRAY(SELECT 'rg_' || w || '_' || g FROM unnest(r) AS w)
        || ARRAY(SELECT 'rr_' || a || '_' || b FROM unnest(r) AS a, unnest(r) AS b WHERE a < b),
        ''))
    FROM (SELECT substring(nf from '(\S*)$') AS g,
                 array_remove(string_to_array(
                     btrim(regexp_replace(nf, '\S*$', '') || ' ' || substr(st, length(nf) + 3)), ' '), '') AS r) AS x
    $$"""
POSTGRES_WORD_FILL = (
    "INSERT INTO people_name_word(word) SELECT DISTINCT w FROM people_person, "
    "unnest(string_to_array(btrim(search_text), ' ')) AS w WHERE w <> '' ON CONFLICT DO NOTHING"
)
POSTGRES_FORWARD = [
    POSTGRES_TOKEN_FUNCTION,
    "CREATE INDEX IF NOT EXISTS people_person_tokens_gin ON people_person "
    "USING gin (people_search_tokens(name_folded, search_text))",
    "CREATE TABLE IF NOT EXISTS people_name_word (word text PRIMARY KEY)",
    """CREATE OR REPLACE FUNCTION people_name_word_add() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO people_name_word(word)
        SELECT DISTINCT w FROM unnest(string_to_array(btrim(NEW.search_text), ' ')) AS w WHERE w <> ''
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END $$""",
    "DROP TRIGGER IF EXISTS people_name_word_ai ON people_person",
    "CREATE TRIGGER people_name_word_ai AFTER INSERT OR UPDATE OF search_text ON people_person "
    "FOR EACH ROW EXECUTE FUNCTION people_name_word_add()",
    POSTGRES_WORD_FILL,
    "DROP INDEX IF EXISTS people_person_words_gin",
]
POSTGRES_BACKWARD = [
    "CREATE INDEX IF NOT EXISTS people_person_words_gin ON people_person "
    "USING gin (to_tsvector('simple'::regconfig, search_text))",
    "DROP TRIGGER IF EXISTS people_name_word_ai ON people_person",
    "DROP FUNCTION IF EXISTS people_name_word_add()",
    "DROP TABLE IF EXISTS people_name_word",
    "DROP INDEX IF EXISTS people_person_tokens_gin",
    "DROP FUNCTION IF EXISTS people_search_tokens(text, text)",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("people", "0004_name_sort_indexes")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
