"""Import a network's member list from a CSV or XLSX file: every row, or nothing.

    manage.py import_members mercociudades members.csv --dry-run

The file format is described in docs/import/README.md. Exit status 0: imported (or, with
--dry-run, every row valid); 1: refused (each error printed on stderr), unknown network or file.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from networks.models import Network
from networks.services.member_import import import_members


class Command(BaseCommand):
    help = (
        "Import a network's member list (CSV or XLSX): every row is validated, and nothing is written unless all are."
    )

    def add_arguments(self, parser):
        parser.add_argument("network", help="The network's slug, e.g. mercociudades.")
        parser.add_argument("file", help="A .csv (UTF-8) or .xlsx file; see docs/import/README.md.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Validate and report what would change, then roll everything back."
        )

    def handle(self, *args, **options):
        slug = options["network"]
        try:
            network = Network.objects.get(slug=slug)
        except Network.DoesNotExist:
            raise CommandError(f"Unknown network “{slug}”: give a network's slug, e.g. mercociudades.") from None
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        with path.open("rb") as stream:
            report = import_members(network, stream, dry_run=options["dry_run"], filename=path.name)
        for error in report.errors:
            self.stderr.write(str(error))
        if not report.ok:
            raise CommandError(report.outcome())
        self.stdout.write(report.counts())
        self.stdout.write(self.style.SUCCESS(report.outcome()))
