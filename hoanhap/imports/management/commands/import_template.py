"""``hoanhap import-template KIND --output FILE``: write the .xlsx template of an import kind."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hoanhap.imports.reading.specs import KINDS, PLANNED_KINDS, get_kind
from hoanhap.imports.reading.template import write_template


class Command(BaseCommand):
    help = "Write the Excel template of an import kind (persons, judgments, notices, helpers, children, support)."

    def add_arguments(self, parser):
        parser.add_argument("kind", help="The kind of data: " + ", ".join(KINDS) + ".")
        parser.add_argument("--output", "-o", required=True, help="The .xlsx file to write.")

    def handle(self, *args, kind: str, output: str, **options):
        spec = get_kind(kind)
        if spec is None:
            if kind in PLANNED_KINDS:
                message = _("The template of “{kind}” is not available yet. Available kinds: {kinds}.")
            else:
                message = _("Unknown kind “{kind}”. Available kinds: {kinds}.")
            raise CommandError(message.format(kind=kind, kinds=", ".join(KINDS)))
        if not output.lower().endswith(".xlsx"):
            raise CommandError(_("The template is an Excel workbook; give a file name ending in .xlsx."))
        path = write_template(spec, output)
        self.stdout.write(_("Template “{kind}” written to {path}.").format(kind=kind, path=path))
