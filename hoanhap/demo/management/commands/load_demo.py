"""``hoanhap load-demo``: load the demo province An Giang (idempotent; fast when already loaded)."""

from django.core.management.base import BaseCommand

from hoanhap.demo.loader import describe, load_demo


class Command(BaseCommand):
    help = "Load the demo province An Giang: organisations and one account per role (run by make run)."
    requires_system_checks: list = []  # run on every start: keep it quick; migrate has checked already

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run every step again, creating whatever demo record is missing.",
        )

    def handle(self, *args, force=False, **options):
        self.stdout.write(describe(load_demo(force=force)))
