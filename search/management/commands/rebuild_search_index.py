"""Rewrite the search index from the records.

For recovery only: database triggers keep the index current on every write (admin, API,
fixtures, imports, bulk writes, SQL), so this is never needed in normal operation. Use it if
rows of ``search_searchentry`` were changed by hand, or if triggers were dropped outside a
migration: it first re-creates the triggers as the latest search migration froze them."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction

from search import database as search_database
from search.kinds import KIND_BY_CODE, KINDS
from search.models import SearchEntry


class Command(BaseCommand):
    help = "Rewrite the search index from the records (recovery only: it is kept current automatically)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind", action="append", choices=sorted(KIND_BY_CODE), help="Only these kinds (repeatable)."
        )
        parser.add_argument("--database", default="default", help="Database alias.")

    def handle(self, *args, **options):
        alias = options["database"]
        connection = connections[alias]
        if connection.vendor not in ("postgresql", "sqlite"):
            raise CommandError(f"Search supports PostgreSQL and SQLite, not {connection.vendor}.")
        kinds = [KIND_BY_CODE[code] for code in options["kind"]] if options["kind"] else list(KINDS)
        with transaction.atomic(using=alias):
            search_database.install_triggers(connection)
            search_database.rebuild(connection, kinds)
        total = SearchEntry.objects.using(alias).filter(kind__in=[kind.code for kind in kinds]).count()
        codes = ", ".join(kind.code for kind in kinds)
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {total} entries ({codes})."))
