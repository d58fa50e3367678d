"""Reading a member list: CSV or XLSX rows, their cells as text and their column names.

Problems with the file as a whole (format, encoding, unknown or missing columns, too many rows)
refuse it with :class:`.report.FileRefused` before any row is looked at.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
from collections.abc import Iterator
from pathlib import Path

import openpyxl
from django.utils.translation import gettext_lazy as _

from .columns import COLUMNS, FIRST_DATA_ROW, KNOWN_NAMES, MAX_ROWS, REQUIRED_COLUMNS, header_key
from .report import FileRefused, RowError, message, quoted, refuse

#: A table as read: (spreadsheet line number, cells) per record.
Table = Iterator[tuple[int, list[str]]]


def cell_text(value) -> str:
    """A cell as trimmed text: numbers without a spurious ``.0``, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def normalize_header(name) -> str:
    """A column name as compared: lower case without accents, spaces and dashes as underscores;
    an alias (``wikidata``) or a column's name in Spanish, Portuguese or French (``país``) as
    the column it stands for (``wikidata_id``, ``country``)."""
    key = header_key(cell_text(name))
    return KNOWN_NAMES.get(key, key)


def check_columns(names: list[str]) -> list[RowError]:
    """Whole-file errors for a header: unknown, duplicated or missing columns."""
    errors = []
    unknown = [name for name in names if name and name not in COLUMNS]
    if unknown:
        text = _("Unknown columns: %(columns)s. The columns are: %(allowed)s.")
        errors.append(RowError(None, None, message(text, columns=quoted(unknown), allowed=", ".join(COLUMNS))))
    duplicated = sorted({name for name in names if name and names.count(name) > 1})
    if duplicated:
        text = _("Columns given more than once: %(columns)s.")
        errors.append(RowError(None, None, message(text, columns=quoted(duplicated))))
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        text = _("Missing columns: %(columns)s (required; the first row must hold the column names).")
        errors.append(RowError(None, None, message(text, columns=quoted(missing))))
    return errors


def _read_bytes(file) -> bytes:
    if isinstance(file, bytes | bytearray):
        return bytes(file)
    if isinstance(file, str | os.PathLike):
        return Path(file).read_bytes()
    if hasattr(file, "seek") and getattr(file, "seekable", lambda: True)():
        file.seek(0)
    data = file.read()
    return data.encode("utf-8") if isinstance(data, str) else data


def _csv_table(data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise refuse(
            _("The CSV file is not UTF-8 text: save it as “CSV UTF-8” (Excel, LibreOffice) and try again.")
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # Numbered by record, not by physical line: a quoted cell may hold a line break, and a
    # spreadsheet shows such a record as one row.
    for number, record in enumerate(reader, start=1):
        yield number, [cell.strip() for cell in record]


def _xlsx_table(data: bytes) -> Table:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # zipfile.BadZipFile, KeyError, openpyxl's InvalidFileException …
        raise refuse(_("The file could not be read as an Excel workbook (.xlsx).")) from None
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [cell_text(value) for value in values]
    finally:
        workbook.close()


def _table(file, filename: str) -> Table:
    extension = Path(filename or "").suffix.lower()
    if extension == ".csv":
        return _csv_table(_read_bytes(file))
    if extension == ".xlsx":
        return _xlsx_table(_read_bytes(file))
    text = _("“%(name)s” is neither a CSV (.csv) nor an Excel workbook (.xlsx).")
    raise refuse(message(text, name=filename or "?"))


def _header(cells: list[str]) -> list[str]:
    """The column names of the first row (trailing empty cells dropped); refuses a bad header."""
    header = [normalize_header(cell) for cell in cells]
    while header and not header[-1]:
        header.pop()
    errors = check_columns(header)
    if errors:
        raise FileRefused(errors)
    return header


def _has_unnamed_values(header: list[str], cells: list[str]) -> bool:
    return any(cell and (position >= len(header) or not header[position]) for position, cell in enumerate(cells))


def read_rows(file, filename: str) -> list[dict]:
    """Read a member list: a CSV (UTF-8, with or without BOM, comma or semicolon delimited) or
    an XLSX workbook (first sheet), chosen by ``filename``'s extension.

    ``file`` is a binary file object (an upload, an open file), bytes or a path. Returns one
    dict per non-empty row: the column names (lower case, trimmed) mapped to trimmed text, and
    ``"row"``, the row's spreadsheet line number (header = 1, first data row = 2). Raises
    :class:`FileRefused` when the file as a whole cannot be imported.
    """
    header = None
    rows, extra_cells = [], []
    for number, cells in _table(file, filename):
        if header is None:
            header = _header(cells)
            continue
        if not any(cells):
            continue
        if _has_unnamed_values(header, cells):
            extra_cells.append(number)
        row = {name: value for name, value in zip(header, cells, strict=False) if name}
        row["row"] = number
        rows.append(row)
        if len(rows) > MAX_ROWS:
            raise refuse(message(_("The file has more than %(max)s rows: import it in parts."), max=MAX_ROWS))
    if header is None:
        raise refuse(_("The file is empty: the first row must hold the column names."))
    if extra_cells:
        text = _("this row has values in cells without a column name.")
        raise FileRefused([RowError(number, None, text) for number in extra_cells])
    if not rows:
        raise refuse(_("The file has column names but no rows."))
    return rows


def given_rows(raws: list[dict]) -> list[dict]:
    """Rows given directly (not read from a file) in :func:`read_rows`' form, numbered from the
    first data row unless they carry their ``"row"``. Unknown columns refuse them; a missing
    value is a row error, found later."""
    rows = []
    for number, raw in enumerate(raws, start=FIRST_DATA_ROW):
        row = {normalize_header(name): cell_text(value) for name, value in raw.items() if name != "row"}
        row["row"] = raw.get("row", number)
        rows.append(row)
    header = sorted({name for row in rows for name in row if name != "row"})
    errors = check_columns(header + [name for name in REQUIRED_COLUMNS if name not in header])
    if errors:
        raise FileRefused(errors)
    return rows
