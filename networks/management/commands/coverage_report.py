"""manage.py coverage_report [--format text|csv|json] [--network SLUG]: how much of each network's
membership is recorded, and what the next research pass should complete (the curators' worklist;
the same figures as the admin's coverage page, networks.selectors.coverage_rows)."""

import json

from django.core.management.base import BaseCommand, CommandError

from core.exports import csv_lines
from networks import selectors
from networks.models import Network

#: The columns of the per-network table, in order (the CSV header and the JSON keys).
COLUMNS = (
    "slug",
    "recorded",
    "reported",
    "reported_at_least",
    "reported_on",
    "percent",
    "probable",
    "uncertain",
    "dated",
    "undated",
    "unsourced_memberships",
    "unsourced_offices",
    "unsourced_summits",
    "unsourced_figures",
    "without_wikidata_id",
)
#: The text table's columns and their short headings ("reported_at_least" is written as "over").
TEXT_COLUMNS = (
    ("slug", "network"),
    ("recorded", "recorded"),
    ("reported", "reported"),
    ("reported_on", "reported on"),
    ("percent", "%"),
    ("probable", "probable"),
    ("uncertain", "uncertain"),
    ("dated", "dated"),
    ("undated", "undated"),
    ("unsourced_memberships", "memb. w/o src"),
    ("unsourced_offices", "offices w/o src"),
    ("unsourced_summits", "summits w/o src"),
    ("unsourced_figures", "figures w/o src"),
    ("without_wikidata_id", "no QID"),
)


def _text(value) -> str:
    if value is None:
        return "—"
    if value is True:
        return "yes"
    if value is False:
        return ""
    return str(value)


class Command(BaseCommand):
    help = (
        "Per network: members recorded (stated, in force today) against the latest reported figure, "
        "probable and uncertain memberships, dated and undated members, facts without a source; and "
        "sources without an access date, cities, countries and networks without a Wikidata id."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=("text", "csv", "json"), default="text")
        parser.add_argument("--network", help="Only this network (its slug), e.g. mercociudades.")

    def handle(self, *args, format, network, **options):
        networks = Network.objects.all()
        if network:
            networks = networks.filter(slug=network)
            if not networks.exists():
                raise CommandError(f"No network with the slug “{network}”.")
        rows = [{column: row[column] for column in COLUMNS} for row in selectors.coverage_rows(networks)]
        totals = selectors.coverage_totals()
        if format == "json":
            self.stdout.write(json.dumps({"networks": rows, "totals": totals}, ensure_ascii=False, indent=1))
        elif format == "csv":
            for line in csv_lines(COLUMNS, ([row[column] for column in COLUMNS] for row in rows)):
                self.stdout.write(line, ending="")
        else:
            self._table(rows, totals)

    def _table(self, rows, totals):
        cells = [tuple(heading for _column, heading in TEXT_COLUMNS)] + [
            tuple(
                ("over " if column == "reported" and row["reported_at_least"] else "") + _text(row[column])
                for column, _heading in TEXT_COLUMNS
            )
            for row in rows
        ]
        widths = [max(len(line[index]) for line in cells) for index in range(len(TEXT_COLUMNS))]
        for number, line in enumerate(cells):
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) if index == 0 else cell.rjust(width)
                    for index, (cell, width) in enumerate(zip(line, widths, strict=True))
                ).rstrip()
            )
            if number == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        self.stdout.write("")
        for key, count in totals.items():
            self.stdout.write(f"{key.replace('_', ' ')}: {count}")
