"""Accounts from the command line, through the same services as the pages (audited, source "cli").

    hoanhap account create nguyenvana --full-name "Nguyễn Văn A" --password '…' [--organisation-id 3]
    hoanhap account grant nguyenvana commune_officer --commune 30682
    hoanhap account reset-password nguyenvana --password '…'
    hoanhap account list [--scope province:91]

Without ``--user`` the command acts as the system actor (every area); with ``--user NAME`` it acts
as that account, with its areas and its limits (a province account administrator cannot grant
the system administrator role, nor anything outside its province).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hoanhap.access import selectors, services
from hoanhap.access.cli import check_scope_allowed, command_actor, scope_argument
from hoanhap.access.models import Organisation
from hoanhap.access.roles import Cap, Role


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


class Command(BaseCommand):
    help = "Create accounts, grant roles, reset passwords and list accounts (acting as --user, or as the system)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)

        create = sub.add_parser("create", help="Open an account.")
        create.add_argument("username")
        create.add_argument("--full-name", required=True)
        create.add_argument("--password", required=True)
        create.add_argument("--organisation-id", type=int)
        create.add_argument("--phone", default="")
        create.add_argument(
            "--no-change-required",
            action="store_true",
            help="Do not force a password change at first sign-in (for scripted set-ups).",
        )

        grant = sub.add_parser("grant", help="Grant a role on a unit or through an organisation.")
        grant.add_argument("username")
        grant.add_argument("role", choices=Role.values)
        unit = grant.add_mutually_exclusive_group()
        unit.add_argument("--province", type=int, help="current province code, e.g. 91")
        unit.add_argument("--commune", type=int, help="current commune code, e.g. 30682")
        unit.add_argument("--organisation-id", type=int)
        grant.add_argument("--starts-on", type=_date, help="YYYY-MM-DD (today by default)")
        grant.add_argument("--ends-on", type=_date, help="YYYY-MM-DD (open-ended by default)")

        reset = sub.add_parser("reset-password", help="Set a temporary password (to be changed at sign-in).")
        reset.add_argument("username")
        reset.add_argument("--password", required=True)

        listing = sub.add_parser("list", help="List the accounts you manage.")
        scope_argument(listing, required=False)

    def handle(self, *args, **options):
        actor = command_actor()
        action = options["action"].replace("-", "_")
        try:
            getattr(self, f"do_{action}")(actor, options)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc) or _("You may not do this.")) from exc

    # Sub-commands ----------------------------------------------------------------------------

    def _account(self, actor, username):
        user = selectors.user_by_username(actor=actor, username=username)
        if user is None:
            raise CommandError(
                _("No account named {username} among the accounts you manage.").format(username=username)
            )
        return user

    @staticmethod
    def _organisation(pk):
        if pk is None:
            return None
        organisation = Organisation.objects.filter(pk=pk).first()
        if organisation is None:
            raise CommandError(_("No organisation has id {id}.").format(id=pk))
        return organisation

    def do_create(self, actor, options):
        user = services.user_create(
            actor=actor,
            username=options["username"],
            full_name=options["full_name"],
            password=options["password"],
            phone=options["phone"],
            organisation=self._organisation(options["organisation_id"]),
            must_change_password=not options["no_change_required"],
        )
        self.stdout.write(
            _("Account {username} opened (id {id}).").format(username=user.username, id=user.pk)
        )

    def do_grant(self, actor, options):
        user = self._account(actor, options["username"])
        grant = services.role_grant(
            actor=actor,
            user=user,
            role=options["role"],
            province=options["province"],
            commune=options["commune"],
            organisation=self._organisation(options["organisation_id"]),
            starts_on=options["starts_on"],
            ends_on=options["ends_on"],
        )
        self.stdout.write(_("Granted: {grant} to {username}.").format(grant=grant, username=user.username))

    def do_reset_password(self, actor, options):
        user = self._account(actor, options["username"])
        services.password_reset_by_admin(actor=actor, user=user, password=options["password"])
        self.stdout.write(
            _("Temporary password set for {username}; it must be changed at next sign-in.").format(
                username=user.username
            )
        )

    def do_list(self, actor, options):
        area = options.get("scope")
        if area is not None:
            check_scope_allowed(actor, area, Cap.MANAGE_ACCOUNTS)
        for user in selectors.user_list(actor=actor, area=area).order_by("username"):
            roles = ", ".join(str(grant) for grant in user.current_grants) or "-"
            status = "" if user.is_active else " [{}]".format(_("deactivated"))
            organisation = user.organisation.name if user.organisation else "-"
            self.stdout.write(f"{user.username}\t{user.full_name}\t{organisation}\t{roles}{status}")
