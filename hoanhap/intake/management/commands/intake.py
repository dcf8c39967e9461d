"""``hoanhap intake summary --from YYYY-MM-DD --to YYYY-MM-DD --scope province:91|commune:CODE [--json]``.

Prints the period summary of intake and management (``hoanhap.intake.summary``), both dates
inclusive, acting as ``--user`` (or the system actor) with ``view_reports`` on the scope. With
``--json`` it prints exactly one line::

    {"received": 0, "received_previous": 0, "received_change": 0,
     "received_by_release_kind": {"completed_term": 0, "amnesty": 0, "conditional_release": 0},
     "under_management_start": 0, "entered_management": 0, "transfers_in": 0, "transfers_out": 0,
     "managements_ended": {"expunged": 0, "died": 0, "imprisoned": 0, "moved_abroad": 0, "other": 0},
     "under_management_end": 0, "new_offences": 0}
"""

from __future__ import annotations

import argparse
import datetime as dt
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hoanhap.access.cli import check_scope_allowed, command_actor, scope_argument
from hoanhap.access.roles import Cap
from hoanhap.intake.summary import intake_summary


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(_("Give the date as YYYY-MM-DD, e.g. 2023-01-31.")) from exc


def labels() -> dict[str, str]:
    return {
        "received": _("Received (first reporting after release)"),
        "received_previous": _("Received in the previous period"),
        "received_change": _("Change"),
        "received_by_release_kind": _("Received, by kind of release"),
        "completed_term": _("after completing the term"),
        "amnesty": _("after an amnesty"),
        "conditional_release": _("after a conditional early release"),
        "under_management_start": _("Under management on the day before the period"),
        "entered_management": _("Entered management"),
        "transfers_in": _("Transferred in"),
        "transfers_out": _("Transferred out"),
        "managements_ended": _("Management ended"),
        "expunged": _("criminal record expunged"),
        "died": _("died"),
        "imprisoned": _("imprisoned again"),
        "moved_abroad": _("moved abroad"),
        "other": _("other ground"),
        "under_management_end": _("Under management on the last day"),
        "new_offences": _("People under management who committed a new offence"),
    }


class Command(BaseCommand):
    help = "Intake and management tools. 'summary' gives the figures of a period in an area."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        summary = sub.add_parser("summary", help="Period summary of intake and management (dates inclusive).")
        summary.add_argument(
            "--from", dest="date_from", type=iso_date, required=True, help="First day, YYYY-MM-DD."
        )
        summary.add_argument(
            "--to", dest="date_to", type=iso_date, required=True, help="Last day, YYYY-MM-DD."
        )
        scope_argument(summary)
        summary.add_argument("--json", action="store_true", help="Print the figures as one line of JSON.")

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "summary":
            self._summary(options)

    def _summary(self, options) -> None:
        actor = command_actor()
        scope = options["scope"]
        check_scope_allowed(actor, scope, Cap.VIEW_REPORTS)
        try:
            figures = intake_summary(
                date_from=options["date_from"], date_to=options["date_to"], scope=scope, actor=actor
            )
        except (PermissionDenied, ValidationError) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        if options["json"]:
            self.stdout.write(json.dumps(figures))
            return
        names = labels()
        self.stdout.write(
            _("From {start} to {end}").format(
                start=options["date_from"].strftime("%d/%m/%Y"), end=options["date_to"].strftime("%d/%m/%Y")
            )
        )
        for key, value in figures.items():
            if isinstance(value, dict):
                self.stdout.write(f"{names[key]}: {sum(value.values())}")
                for part, number in value.items():
                    self.stdout.write(f"  {names[part]}: {number}")
            else:
                self.stdout.write(f"{names[key]}: {value}")
