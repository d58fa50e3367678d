"""Load Paradiplo's real, sourced data from fixtures/ (idempotent: run it as often as you like).

``--if-empty`` loads only into a database that holds none of the records the fixtures write: a
server start (``make serve``) uses it, because loading again would put the fixtures' values back
over the edits staff have made since."""

import json

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand

from core.loading import load_fixtures

FIXTURES = ["01_sources.json", "02_geography.json", "03_networks.json", "04_projects.json"]


def fixture_models(paths) -> list:
    """The models the fixture files write, in their order."""
    labels: dict[str, None] = {}
    for path in paths:
        with open(path, encoding="utf-8") as stream:
            for record in json.load(stream):
                labels.setdefault(record["model"], None)
    return [apps.get_model(label) for label in labels]


class Command(BaseCommand):
    help = "Load the real, sourced data in fixtures/ into the database; unchanged records are left alone."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only if the database holds no record of the kinds the fixtures write (never overwrite edits).",
        )

    def handle(self, *args, **options):
        directory = settings.BASE_DIR / "fixtures"
        paths = [directory / name for name in FIXTURES]
        if options["if_empty"]:
            populated = [model._meta.label for model in fixture_models(paths) if model._default_manager.exists()]
            if populated:
                self.stdout.write(
                    f"The database already holds data ({', '.join(populated[:3])}"
                    f"{', …' if len(populated) > 3 else ''}): real data not loaded (--if-empty)."
                )
                return
        report = load_fixtures(paths)
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Real data loaded: {report.changed} records created or updated."))
