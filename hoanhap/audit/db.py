"""The database side of the append-only guarantee: the purge gate the triggers consult.

Migration 0002 installs triggers that refuse UPDATE, DELETE and TRUNCATE on the audit table, on
PostgreSQL and on SQLite. UPDATE is refused always. DELETE and TRUNCATE pass only while the purge
gate of that database connection is open, and only one thing opens it: ``hoanhap flush`` (which the
test runner calls to empty the database after ``transactional_db`` tests) when the setting
``HOANHAP_ALLOW_AUDIT_PURGE`` is true. Only the test settings set it; in production ``flush`` is
refused by the triggers and leaves the database untouched.

* PostgreSQL: the gate is the session setting ``hoanhap.allow_audit_purge`` (``on``/``off``).
* SQLite: there are no session settings, so the gate is an SQL function,
  ``hoanhap_audit_purge_allowed()``, registered on every connection Django opens. A connection
  that lacks it (the ``sqlite3`` shell) cannot run the triggers' condition, so its DELETE fails too.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "audit_auditevent"
PG_SETTING = "hoanhap.allow_audit_purge"
SQLITE_FUNCTION = "hoanhap_audit_purge_allowed"
# Trigger names per vendor, checked by the tests (a later table rebuild on SQLite would drop them).
TRIGGERS = {
    "postgresql": {"audit_auditevent_no_update_delete", "audit_auditevent_no_truncate"},
    "sqlite": {"audit_auditevent_no_update", "audit_auditevent_no_delete"},
}
_GATE_ATTRIBUTE = "_hoanhap_audit_purge_open"


def purge_allowed_by_settings() -> bool:
    return bool(getattr(settings, "HOANHAP_ALLOW_AUDIT_PURGE", False))


def register_sqlite_function(sender, connection: BaseDatabaseWrapper, **kwargs) -> None:
    """``connection_created`` receiver: give each SQLite connection the gate function."""
    if connection.vendor != "sqlite":
        return

    def purge_allowed() -> int:
        return 1 if getattr(connection, _GATE_ATTRIBUTE, False) else 0

    connection.connection.create_function(SQLITE_FUNCTION, 0, purge_allowed)


@contextlib.contextmanager
def purge_gate(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Open the purge gate of ``connection`` for the block (used by ``flush`` only)."""
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', false)", [PG_SETTING])
        try:
            yield
        finally:
            # In an aborted transaction the setting is rolled back with it; nothing to reset.
            if not connection.needs_rollback and connection.connection is not None:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config(%s, 'off', false)", [PG_SETTING])
        return
    setattr(connection, _GATE_ATTRIBUTE, True)
    try:
        yield
    finally:
        setattr(connection, _GATE_ATTRIBUTE, False)


def installed_triggers(connection: BaseDatabaseWrapper) -> set[str]:
    """Names of the triggers on the audit table, as the database reports them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [TABLE]
            )
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
        else:
            return set()
        return {row[0] for row in cursor.fetchall()}
