"""Import a network's member list from a CSV or XLSX file: all rows, or nothing.

One service for the ``import_members`` command and the admin. An admin view calls
:func:`import_members` with the uploaded file (``request.FILES[...]``, its ``name`` gives the
format) and shows :attr:`ImportReport.errors` (row, column, message) or :meth:`ImportReport.lines`;
the messages are lazy translations, rendered in the language active when they are shown.

How an import runs (see ``docs/import/README.md`` for the file format):

1. :mod:`.reading` reads the file (:func:`read_rows`). Problems with the file as a whole
   (format, encoding, unknown or missing columns) refuse it before any row is looked at.
2. :mod:`.planning` validates every row (:mod:`.validation`) and plans it against the
   database: its country, its city (:mod:`.matching`: by GeoNames id, else Wikidata id, else
   accent- and case-insensitive name within the country; created when nothing matches), its
   dates, category, coordinates and source URL, duplicate rows, and memberships that would
   overlap one another or one already recorded. Every problem of every row is collected.
3. Only when no row has a problem does :mod:`.writing` write the records, through
   :func:`core.services.save_record` (full model validation), inside one transaction; a dry
   run of at most ``PARADIPLO_IMPORT_DRY_RUN_WRITE_ROWS`` rows writes them too (so the
   database's own rules are checked) and rolls back; a larger one stops at the plan.

Row numbers are spreadsheet line numbers: the header is line 1, the first data row is 2.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core import contentversion
from core.ownership import can_edit

from ...models import Network
from .columns import COLUMNS, REQUIRED_COLUMNS
from .planning import plan_import
from .reading import given_rows, read_rows
from .report import FileRefused, ImportReport, RowError
from .writing import Writer, write_plan

__all__ = ["COLUMNS", "REQUIRED_COLUMNS", "FileRefused", "ImportReport", "RowError", "import_members", "read_rows"]


class _Rollback(Exception):
    """Raised to undo a dry run, or a write that the database refused."""


def import_members(
    network: Network,
    file_or_rows,
    *,
    dry_run: bool,
    user=None,
    filename: str | None = None,
    progress: Callable[..., None] | None = None,
) -> ImportReport:
    """Import a member list into ``network``: every row, or nothing.

    ``file_or_rows`` is an uploaded or open file, bytes or a path (its format is taken from
    ``filename``, else from the file's ``name``), or rows already read by :func:`read_rows`.
    With ``dry_run`` everything is validated and written, then rolled back. ``user`` (the admin's
    request user) must be allowed to edit the network; the history records them as the author.
    ``progress(done, total)``, if given, is told how many rows are written as the import goes
    (a background job's progress, :mod:`core.jobs`).
    """
    if user is not None and not can_edit(user, network):
        raise PermissionDenied(_("You may not edit this network's members."))
    if filename is None and not isinstance(file_or_rows, list):
        filename = (
            str(file_or_rows) if isinstance(file_or_rows, str | os.PathLike) else getattr(file_or_rows, "name", "")
        )
    report = ImportReport(dry_run=dry_run, filename=os.path.basename(filename or ""))
    try:
        rows = given_rows(file_or_rows) if isinstance(file_or_rows, list) else read_rows(file_or_rows, filename)
    except FileRefused as refused:
        report.errors.extend(refused.errors)
        return report
    report.rows = len(rows)
    if progress is not None:
        progress(0, len(rows))
    _import_rows(network, rows, report, user, progress)
    report.written = report.ok and not dry_run
    return report


def _import_rows(network: Network, rows: list[dict], report: ImportReport, user, progress=None) -> None:
    """Plan ``rows`` and, when every row is valid, write them in one transaction, kept unless
    this is a dry run or the database refused a record."""
    with transaction.atomic():
        # Serialize imports into one network (a no-op on SQLite, which locks on write).
        list(Network.objects.select_for_update().filter(pk=network.pk).values_list("pk"))
        plan = plan_import(network, rows, report)
        report.sort_errors()
        if not report.ok:
            return
        if report.dry_run and len(rows) > settings.PARADIPLO_IMPORT_DRY_RUN_WRITE_ROWS:
            # A large preview stops at the plan (every row checked against the recorded cities,
            # memberships and sources): trying each write costs minutes, and the import itself
            # still writes all or nothing.
            return
        try:
            with transaction.atomic():
                write_plan(plan, Writer(report, user, progress))
                if report.dry_run or not report.ok:
                    raise _Rollback
                # The records' own saves change the content version already; said here too so
                # that cached pages follow the import whatever way the records come to be written.
                contentversion.bump()
        except _Rollback:
            report.sort_errors()
