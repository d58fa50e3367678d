"""Load Paradiplo's real, sourced data from fixtures/ (idempotent: run it as often as you like)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from core.loading import load_fixtures

FIXTURES = ["01_sources.json", "02_geography.json", "03_networks.json", "04_projects.json"]


class Command(BaseCommand):
    help = "Load the real, sourced data in fixtures/ into the database; unchanged records are left alone."

    def handle(self, *args, **options):
        directory = settings.BASE_DIR / "fixtures"
        report = load_fixtures([directory / name for name in FIXTURES])
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Real data loaded: {report.changed} records created or updated."))
