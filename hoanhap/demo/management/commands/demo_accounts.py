"""``hoanhap demo-accounts``: the demo accounts, their roles and the demo password (run by make run)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from hoanhap.demo import province as demo
from hoanhap.demo.accounts import account_rows


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """Plain text columns, padded to the widest cell."""
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]


class Command(BaseCommand):
    help = "Print the demo accounts (username, role, unit, password) and where to sign in."
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/", help="Where the demo is served (printed as a hint)."
        )

    def handle(self, *args, url: str, **options):
        rows = account_rows()
        if not rows:
            self.stdout.write(
                _("There are no demo accounts on this database (hoanhap load-demo creates them).")
            )
            return
        header = [_("Username"), _("Full name"), _("Role"), _("Unit / organisation"), _("Password")]
        cells = [[r.username, r.full_name, r.role, r.unit, r.password or _("(changed)")] for r in rows]
        self.stdout.write(_("Demo accounts"))
        for text in table(header, cells):
            self.stdout.write(text)
        self.stdout.write("")
        self.stdout.write(
            _("Open {url} and sign in with one of these accounts (password {password}).").format(
                url=url, password=demo.DEMO_PASSWORD
            )
        )
        if settings.HOANHAP_REQUIRE_2FA:
            self.stdout.write(
                _(
                    "Accounts that see judgments must set up a second factor (an authenticator app) at first sign-in."
                )
            )
        else:
            self.stdout.write(
                _("The second factor is switched off for this demo (HOANHAP_REQUIRE_2FA=false).")
            )
