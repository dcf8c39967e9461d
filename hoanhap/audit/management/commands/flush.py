"""``flush``, made to respect the append-only audit log.

Django's ``flush`` empties every table, the audit table included; the database triggers refuse
that. With ``HOANHAP_ALLOW_AUDIT_PURGE = True`` (the test settings only: pytest-django flushes the
database after each ``transactional_db`` / ``live_server`` test) this command opens the purge gate
of the connection for the duration of the flush. Without it the flush fails as a whole and
changes nothing: no command of the system empties the audit log in production.
"""

from django.core.management.base import CommandError
from django.core.management.commands import flush
from django.db import connections

from hoanhap.audit import db


class Command(flush.Command):
    def handle(self, **options):
        if not db.purge_allowed_by_settings():
            try:
                return super().handle(**options)
            except CommandError as exc:
                raise CommandError(
                    f"{exc}\n  * The audit log is append-only: its table cannot be emptied "
                    "(HOANHAP_ALLOW_AUDIT_PURGE is set only for the test suite)."
                ) from exc
        with db.purge_gate(connections[options["database"]]):
            return super().handle(**options)
