"""``hoanhap geo resolve "TEXT" [--json] [--province-hint CODE]``: resolve an address from the shell.

With ``--json`` it prints exactly ``Resolution.as_dict()`` (the shape of ``/api/v1/geo/resolve/``);
without, a small table. The exit code is 0 whenever the command ran, matched or not: "no match"
is an answer, not an error.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hoanhap.geo.models import Province
from hoanhap.geo.resolver import Resolution, resolve


class Command(BaseCommand):
    help = "Geography tools. 'resolve' turns a free-text address, current or legacy, into current communes."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        res = sub.add_parser("resolve", help="Resolve a free-text address to current communes.")
        res.add_argument("text", help='The address, e.g. "TT Núi Sập, H. Thoại Sơn, T. An Giang".')
        res.add_argument("--json", action="store_true", help="Print the result as JSON.")
        res.add_argument(
            "--province-hint",
            type=int,
            default=None,
            metavar="CODE",
            help="Current province code that breaks ties (e.g. 91 for An Giang).",
        )

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "resolve":
            self._resolve(options["text"], as_json=options["json"], hint=options["province_hint"])

    def _resolve(self, text: str, *, as_json: bool, hint: int | None) -> None:
        if hint is not None and not Province.objects.filter(code=hint).exists():
            raise CommandError(_("No current province has code {code}.").format(code=hint))
        result = resolve(text, province_hint=hint)
        if as_json:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
        else:
            self.stdout.write(render_table(result))


def render_table(result: Resolution) -> str:
    """The readable form: one line per match, then the legacy path and the message."""
    lines = []
    if result.matches:
        rows = [
            (
                str(m.code),
                m.name,
                f"{m.province_name} ({m.province_code})",
                _("split") if m.partial else "",
            )
            for m in result.matches
        ]
        header = (_("Code"), _("Commune"), _("Province"), _("Partial"))
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
        for row in [header, *rows]:
            lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
    else:
        lines.append(_("No match."))
    if result.legacy:
        path = ", ".join(
            x for x in (result.legacy.commune, result.legacy.district, result.legacy.province) if x
        )
        lines.append(_("Resolved through legacy units: {path}").format(path=path))
    if result.message:
        lines.append(result.message)
    if result.candidates:
        lines.append(_("Could be:"))
        lines.extend(f"  {m.code}  {m.name}, {m.province_name}" for m in result.candidates)
    return "\n".join(lines)
