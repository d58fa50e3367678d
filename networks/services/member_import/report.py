"""What an import found and did: the report, its errors and their lazily translated messages."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .columns import COLUMNS


def message(template, **params):
    """A lazily translated message with its values: rendered in the language active when shown."""
    return lazy(lambda: str(template) % params, str)()


def quoted(values) -> str:
    """``“a”, “b”``: values named in a message."""
    return ", ".join(f"“{value}”" for value in values)


@dataclass(frozen=True)
class RowError:
    """A problem in the file: ``row`` is the spreadsheet line (None: the file as a whole),
    ``column`` the column's name (None: the row as a whole), ``message`` a lazy translation."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return str(self.message)
        if self.column is None:
            return str(message(_("Row %(row)s: %(message)s"), row=self.row, message=self.message))
        return str(
            message(_("Row %(row)s, %(column)s: %(message)s"), row=self.row, column=self.column, message=self.message)
        )


class FileRefused(Exception):
    """The file cannot be imported as a whole; ``errors`` says why (a list of RowError)."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = errors


def refuse(text) -> FileRefused:
    """The refusal of a whole file for one reason."""
    return FileRefused([RowError(None, None, text)])


@dataclass
class ImportReport:
    """What an import found and did (or, in a dry run or when refused, would do)."""

    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    created_cities: int = 0
    matched_cities: int = 0
    created_memberships: int = 0
    updated_memberships: int = 0
    unchanged_memberships: int = 0
    created_sources: int = 0
    dry_run: bool = False
    written: bool = False
    filename: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, row: int | None, column: str | None, message) -> None:
        self.errors.append(RowError(row, column, message))

    def sort_errors(self) -> None:
        """File errors first, then by row, and within a row in the order of the columns."""

        def key(error: RowError):
            column = COLUMNS.index(error.column) if error.column in COLUMNS else -1
            return (-1 if error.row is None else error.row, column)

        self.errors.sort(key=key)

    @property
    def rows_with_errors(self) -> list[int]:
        return sorted({error.row for error in self.errors if error.row is not None})

    def counts(self) -> str:
        return str(
            message(
                _(
                    "Rows: %(rows)s. Cities: %(created_cities)s created, %(matched_cities)s matched. "
                    "Memberships: %(created)s created, %(updated)s updated, %(unchanged)s unchanged. "
                    "Sources: %(sources)s created."
                ),
                rows=self.rows,
                created_cities=self.created_cities,
                matched_cities=self.matched_cities,
                created=self.created_memberships,
                updated=self.updated_memberships,
                unchanged=self.unchanged_memberships,
                sources=self.created_sources,
            )
        )

    def outcome(self) -> str:
        if self.errors:
            # Two counts, each with its own plural form ("1 error in 1 row", "3 errors in 2 rows").
            errors, rows = len(self.errors), len(self.rows_with_errors)
            counted = ngettext("%(count)s error", "%(count)s errors", errors) % {"count": errors}
            if rows:
                in_rows = ngettext("in %(count)s row", "in %(count)s rows", rows) % {"count": rows}
                # Translators: "3 errors" followed by "in 2 rows".
                counted = gettext("%(errors)s %(in_rows)s") % {"errors": counted, "in_rows": in_rows}
            return gettext("The file was refused (%(counted)s): nothing was written.") % {"counted": counted}
        if self.dry_run:
            return str(_("Dry run: every row is valid; nothing was written."))
        if self.written:
            return str(_("Imported."))
        return str(_("Nothing was written."))

    def lines(self) -> list[str]:
        """The human report: one line per error, then the counts (when the file was read) and
        the outcome."""
        lines = [str(error) for error in self.errors]
        if self.ok:
            lines.append(self.counts())
        lines.append(self.outcome())
        return lines
