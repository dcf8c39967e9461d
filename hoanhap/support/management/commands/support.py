"""``hoanhap support summary --from YYYY-MM-DD --to YYYY-MM-DD --scope province:91|commune:CODE [--json]``.

Prints the support given in a period (both dates inclusive) to beneficiaries living in the scope,
per kind and in total (``hoanhap.support.selectors.support_summary``), acting as ``--user`` (or the
system actor) with ``view_reports`` on the scope. With ``--json`` it prints exactly one line::

    {"from": "2023-01-01", "to": "2023-12-31", "scope": "province:91",
     "kinds": [{"code": "vocational_training", "name": "…", "actions": 0,
                "beneficiaries": {"people": 0, "relatives": 0, "children": 0},
                "value": 0, "value_cash": 0, "value_estimate": 0}, …],
     "totals": {"actions": 0, "beneficiaries": {"people": 0, "relatives": 0, "children": 0, "total": 0},
                "value": 0, "value_cash": 0, "value_estimate": 0}}
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hoanhap.access.cli import check_scope_allowed, command_actor, scope_argument
from hoanhap.access.roles import Cap
from hoanhap.core.templatetags.vn import vnd
from hoanhap.intake.management.commands.intake import iso_date
from hoanhap.support.selectors import support_summary


def scope_text(scope) -> str:
    if scope.provinces:
        return f"province:{next(iter(scope.provinces))}"
    return f"commune:{next(iter(scope.communes))}"


class Command(BaseCommand):
    help = "Support tools. 'summary' gives the support given in a period in an area, per kind."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        summary = sub.add_parser("summary", help="Support given in a period, per kind (dates inclusive).")
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
        if options["date_to"] < options["date_from"]:
            raise CommandError(_("The last day is before the first day."))
        figures = support_summary(date_from=options["date_from"], date_to=options["date_to"], scope=scope)
        figures = {"from": figures["from"], "to": figures["to"], "scope": scope_text(scope), **figures}
        if options["json"]:
            self.stdout.write(json.dumps(figures, ensure_ascii=False))
            return
        self.stdout.write(
            _("Support from {start} to {end}").format(
                start=options["date_from"].strftime("%d/%m/%Y"), end=options["date_to"].strftime("%d/%m/%Y")
            )
        )
        for row in figures["kinds"]:
            if not row["actions"]:
                continue
            b = row["beneficiaries"]
            self.stdout.write(
                _(
                    "{name}: {actions} actions, {people} people, {relatives} relatives, {children} children, {value}"
                ).format(
                    name=row["name"],
                    actions=row["actions"],
                    people=b["people"],
                    relatives=b["relatives"],
                    children=b["children"],
                    value=vnd(row["value"]),
                )
            )
        t = figures["totals"]
        self.stdout.write(
            _("Total: {actions} actions, {total} beneficiaries, {value}").format(
                actions=t["actions"], total=t["beneficiaries"]["total"], value=vnd(t["value"])
            )
        )
