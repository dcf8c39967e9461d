"""``hoanhap export --scope province:91|commune:CODE --output FILE.xlsx [--purpose TEXT]``.

Writes every importable record of the scope in the import template's format (one sheet per kind:
persons, judgments, notices, helpers, children, support; then ``readonly_…`` detail sheets unless
``--without-details``), as seen by the acting user (``--user``; without it, the system actor). A scope outside the user's
areas is refused. The export is recorded in the audit log with its purpose (without ``--purpose``,
"an export of the scope from the command line").
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hoanhap.access.cli import check_scope_allowed, command_actor, scope_argument
from hoanhap.imports.exporting.writer import CAP, export_scope


class Command(BaseCommand):
    help = "Export all importable data of a province or commune to one .xlsx in the import template's format."

    def add_arguments(self, parser):
        scope_argument(parser)
        parser.add_argument("--output", "-o", required=True, help="The .xlsx file to write.")
        parser.add_argument(
            "--purpose",
            default="",
            help="Why the data leaves the system (recorded in the audit log).",
        )
        parser.add_argument(
            "--without-details",
            action="store_true",
            help="Leave out the readonly_… sheets (legal dates, judgment details, timeline).",
        )

    def handle(self, *args, scope, output: str, purpose: str, without_details: bool, **options):
        if not output.lower().endswith(".xlsx"):
            raise CommandError(_("The export is an Excel workbook; give a file name ending in .xlsx."))
        purpose = purpose.strip() or _("An export of the scope from the command line.")
        actor = command_actor()
        check_scope_allowed(actor, scope, CAP)
        started = time.monotonic()
        result = export_scope(
            output, actor=actor, scope=scope, purpose=purpose, with_details=not without_details
        )
        seconds = time.monotonic() - started
        counts = ", ".join(f"{name}: {count}" for name, count in result.counts.items())
        self.stdout.write(
            _("Export written to {path} in {seconds:.1f} s ({counts}).").format(
                path=result.path, seconds=seconds, counts=counts
            )
        )
