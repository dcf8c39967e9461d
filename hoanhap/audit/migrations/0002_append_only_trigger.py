"""Make the audit table append-only in the database itself (PostgreSQL and SQLite).

UPDATE is refused always. DELETE and TRUNCATE are refused unless the connection's purge gate is
open, which only ``hoanhap flush`` under the test settings does (see ``hoanhap.audit.db``, where
the gate names below are documented; a migration does not import app code, so they are repeated).

On SQLite a later migration that rebuilds ``audit_auditevent`` (Django does so for most column
changes) drops these triggers: such a migration must run this one's SQL again.
"""

from django.db import migrations

PG_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION audit_auditevent_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'TRUNCATE')
           AND coalesce(current_setting('hoanhap.allow_audit_purge', true), '') = 'on' THEN
            IF TG_LEVEL = 'ROW' THEN
                RETURN OLD;
            END IF;
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'The audit log is append-only: % on audit_auditevent is refused.', TG_OP
            USING ERRCODE = 'restrict_violation';
    END;
    $$
    """,
    """
    CREATE TRIGGER audit_auditevent_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_refuse_change()
    """,
    """
    CREATE TRIGGER audit_auditevent_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_auditevent_refuse_change()
    """,
]
PG_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update_delete ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_auditevent_refuse_change()",
]

# SQLite has no TRUNCATE: Django's flush issues DELETE, which the second trigger governs.
SQLITE_INSTALL = [
    """
    CREATE TRIGGER audit_auditevent_no_update
    BEFORE UPDATE ON audit_auditevent
    BEGIN
        SELECT RAISE(ABORT, 'The audit log is append-only: UPDATE on audit_auditevent is refused.');
    END
    """,
    """
    CREATE TRIGGER audit_auditevent_no_delete
    BEFORE DELETE ON audit_auditevent
    WHEN NOT hoanhap_audit_purge_allowed()
    BEGIN
        SELECT RAISE(ABORT, 'The audit log is append-only: DELETE on audit_auditevent is refused.');
    END
    """,
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
]

STATEMENTS = {
    "postgresql": (PG_INSTALL, PG_REMOVE),
    "sqlite": (SQLITE_INSTALL, SQLITE_REMOVE),
}


def install(apps, schema_editor):
    install_sql, _remove = STATEMENTS.get(schema_editor.connection.vendor, ([], []))
    for sql in install_sql:
        schema_editor.execute(sql, params=None)


def remove(apps, schema_editor):
    _install, remove_sql = STATEMENTS.get(schema_editor.connection.vendor, ([], []))
    for sql in remove_sql:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, remove, elidable=False)]
