"""manage.py export_dataset [--date YYYY-MM-DD] [--output DIR] [--database ALIAS] [--background]: write a release
of the dataset (a Frictionless Data Package, a Popolo JSON-LD document, a zip and their checksums:
see paradiplo/dataset/). By default into PARADIPLO_DATASET_DIR/releases/<date>/, which
/data/latest/ serves; a release of the same date is replaced."""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from paradiplo.dataset import export_dataset, release_dir
from paradiplo.dataset.release import NotARelease
from paradiplo.tasks import export_job


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date: “{value}” is not a date (YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = "Write a release of the dataset (Frictionless Data Package, CSV, Popolo JSON-LD, zip)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=str,
            help="The release's date (YYYY-MM-DD; default today): it names the release and dates its files, so "
            "the same data and date give the same bytes.",
        )
        parser.add_argument(
            "--output",
            help="Write the release into this directory instead of PARADIPLO_DATASET_DIR/releases/<date>/ "
            "(which /data/latest/ serves).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database to read (default: default).")
        parser.add_argument(
            "--background", action="store_true", help="Queue it for the task worker (manage.py db_worker) instead."
        )

    def handle(self, *args, **options):
        if options["background"]:
            if options["output"] or options["database"] != DEFAULT_DB_ALIAS:
                raise CommandError("--background writes into PARADIPLO_DATASET_DIR from the default database.")
            job = export_job(release_date=_date(options["date"]) if options["date"] else None)
            self.stdout.write(f"Queued as background job {job.pk}: the worker (manage.py db_worker) runs it.")
            return
        release_date = _date(options["date"]) if options["date"] else timezone.localdate()
        output = options["output"] or release_dir(release_date)
        started = time.monotonic()
        try:
            release = export_dataset(output, release_date=release_date, using=options["database"])
        except NotARelease as error:
            raise CommandError(str(error)) from None
        seconds = time.monotonic() - started
        self.stdout.write(f"{release.title}: {len(release.files)} files in {release.path} ({seconds:.1f} s)")
        self.stdout.write(f"{release.zip.name}: {release.zip.size} bytes, SHA-256 {release.zip.sha256}")
