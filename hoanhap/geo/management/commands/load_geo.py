"""``hoanhap load-geo``: load the current and legacy units and the crosswalk (idempotent)."""

from django.core.management.base import BaseCommand

from hoanhap.geo.loader import load_geo


class Command(BaseCommand):
    help = "Load provinces, communes, legacy units and the 2025 crosswalk from vietnam-provinces."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Reload even when everything is in place.")

    def handle(self, *args, force=False, **options):
        counts = load_geo(force=force)
        self.stdout.write(
            "Geography: {provinces} provinces, {communes} communes; legacy {legacy_provinces} provinces, "
            "{legacy_districts} districts, {legacy_communes} communes; {successions} crosswalk rows.".format(
                **counts
            )
        )
