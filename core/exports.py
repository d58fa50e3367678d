"""The one CSV writer of every download: the list pages' ``?format=csv``, the API's
``?format=csv`` and the admin's export action.

Every cell goes through :func:`cell`: None is empty, booleans are ``true``/``false``, dates and
partial dates are ISO 8601 (a partial date at its precision: ``2003``, ``2003-05``), and text
that a spreadsheet would run as a formula is neutralised with a leading ``'`` ("CSV
injection"). Lines are UTF-8 text with RFC 4180 line endings, written one at a time so that
downloads stream. Every downloaded file starts with a byte order mark (:data:`BOM`): without it
Excel reads UTF-8 as the system's legacy code page ("AsunciÃ³n"); other readers (Python's
``utf-8-sig``, pandas, R, LibreOffice) skip it.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import re
from collections.abc import Iterable, Iterator

import openpyxl
from django.http import HttpResponse, StreamingHttpResponse

from core import licence
from core.partialdates import PartialDate

CONTENT_TYPE = "text/csv; charset=utf-8"

#: The first character of every CSV download (U+FEFF, the bytes EF BB BF in UTF-8): how Excel
#: knows the file is UTF-8.
BOM = "\ufeff"

#: A spreadsheet reads a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

#: A plain number ("-34.9", "+5", "1e3") is a number, not a formula: it keeps its sign.
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


class Echo:
    """A file-like object whose ``write`` returns what it was given (for streaming csv)."""

    def write(self, value):
        return value


def cell(value) -> str:
    """One value as the text of a CSV cell: :func:`text`, formula-like text neutralised."""
    value = text(value)
    if value.startswith(FORMULA_PREFIXES) and not NUMBER.fullmatch(value):
        return "'" + value
    return value


def text(value) -> str:
    """One value as text, as a CSV cell writes it (before the formula guard)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, PartialDate | datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value)


def csv_line(values: Iterable) -> str:
    """One CSV line (with its line ending) of the given values, each through :func:`cell`."""
    return next(csv_lines(values, ()))


def csv_lines(header: Iterable, rows: Iterable[Iterable]) -> Iterator[str]:
    """The header line, written now (translated headers in the request's language), then one
    line per row, written as the rows are read; one writer for the whole download."""
    writer = csv.writer(Echo(), lineterminator="\r\n")
    return itertools.chain(
        [writer.writerow([cell(value) for value in header])],
        (writer.writerow([cell(value) for value in row]) for row in rows),
    )


#: Lines are sent in blocks of about this many characters: one write to the socket per block
#: rather than per line.
BLOCK = 64 * 1024


def blocks(lines: Iterable[str], size: int = BLOCK) -> Iterator[str]:
    """``lines`` joined into blocks of at least ``size`` characters (the last one shorter)."""
    block, length = [], 0
    for line in lines:
        block.append(line)
        length += len(line)
        if length >= size:
            yield "".join(block)
            block, length = [], 0
    if block:
        yield "".join(block)


def csv_response(lines: Iterable[str], filename: str) -> StreamingHttpResponse:
    """Stream ``lines`` as the download ``filename`` (given with its extension), in blocks.

    The response has no length: a server speaking HTTP/1.1 sends it in chunks and ends it with
    the last, empty chunk only when every line was written. If reading the lines fails half way
    (the database gone, a worker's timeout), the error propagates and the server closes the
    connection without that last chunk, so the client sees an incomplete download, never a
    shorter file that looks complete.

    The licence of the data (:mod:`core.licence`) travels in a ``Link: <…>; rel="license"``
    header rather than in the file, so that every line stays a plain CSV row. The file starts
    with the :data:`BOM`."""
    response = StreamingHttpResponse(blocks(itertools.chain([BOM], lines)), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = licence.link_header()
    return response


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(header: Iterable, rows: Iterable[Iterable], filename: str) -> HttpResponse:
    """The same table as an Excel workbook (one sheet), every cell the text :func:`cell` writes
    in a CSV (so a formula is never stored as one, and identifiers keep their digits)."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([cell(value) for value in header])
    for row in rows:
        sheet.append([cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = licence.link_header()
    return response
