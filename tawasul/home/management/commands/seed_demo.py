"""Load the demo data of every module, in the order of the import ladder."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

# Each entry is a callable `load(stdout)` that adds one module's demo data.
DEMO_LOADERS = [
    "tawasul.registry.demo.load",
    "tawasul.accounts.demo.load",
    "tawasul.facilities.demo.load",
    "tawasul.complaints.demo.load",
    "tawasul.catalog.demo.load",
    "tawasul.information.demo.load",
    "tawasul.documents.demo.load",
    "tawasul.jobs.demo.load",
    "tawasul.contact.demo.load",
    "tawasul.insights.demo.load",
    "tawasul.reception.demo.load",
]


class Command(BaseCommand):
    help = "Load the demo data (regions, administrations, staff, ...)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when demo data is already there.")

    def handle(self, *args, if_empty=False, **options):
        from tawasul.registry.models import Administration

        if if_empty and Administration.objects.exists():
            self.stdout.write("Demo data already loaded.")
            return
        for dotted in DEMO_LOADERS:
            self.stdout.write(f"Loading {dotted.split('.')[1]} demo data…")
            with transaction.atomic():
                import_string(dotted)(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
