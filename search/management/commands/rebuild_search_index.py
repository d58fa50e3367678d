"""Rewrite the search index from the records.

For recovery only: database triggers keep the index current on every write (admin, API,
fixtures, imports, bulk writes, SQL), so this is never needed in normal operation. Use it if
rows of ``search_searchentry`` were changed by hand, or if triggers were dropped outside a
migration: it first re-creates the triggers as the latest search migration froze them."""

from django.core.management.base import BaseCommand, CommandError

from search.kinds import KIND_BY_CODE
from search.tasks import rebuild, rebuild_job


class Command(BaseCommand):
    help = "Rewrite the search index from the records (recovery only: it is kept current automatically)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind", action="append", choices=sorted(KIND_BY_CODE), help="Only these kinds (repeatable)."
        )
        parser.add_argument("--database", default="default", help="Database alias.")
        parser.add_argument(
            "--background", action="store_true", help="Queue it for the task worker (manage.py db_worker) instead."
        )

    def handle(self, *args, **options):
        if options["background"]:
            job = rebuild_job(codes=options["kind"])
            self.stdout.write(f"Queued as background job {job.pk}: the worker (manage.py db_worker) runs it.")
            return
        try:
            line = rebuild(options["kind"], alias=options["database"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(line))
