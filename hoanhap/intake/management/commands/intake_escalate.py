"""``hoanhap intake_escalate [--date YYYY-MM-DD]``: flag the transfers left unconfirmed too long.

Run daily (cron or the task runner). Each transfer still awaiting the receiving commune's
confirmation after ``HOANHAP_INTAKE_TRANSFER_ESCALATION_DAYS`` days (10 by default) is stamped
``escalated_on`` once, with a management event, a timeline entry and an audit entry; both communes
then see it flagged on their worklist.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from hoanhap.access.cli import command_actor
from hoanhap.intake import services


class Command(BaseCommand):
    help = "Escalate the transfers not confirmed by the receiving commune in time."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=dt.date.fromisoformat, help="The day to escalate for (default: today)."
        )

    def handle(self, *args, **options):
        escalated = services.transfers_escalate(actor=command_actor(), today=options.get("date"))
        self.stdout.write(
            ngettext("{count} transfer escalated.", "{count} transfers escalated.", len(escalated)).format(
                count=len(escalated)
            )
        )
        for transfer in escalated:
            self.stdout.write(
                f"  {transfer.person.record_code}: {transfer.from_commune_id} → {transfer.to_commune_id}"
            )
