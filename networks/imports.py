"""Import a network's member list from a CSV or XLSX file: all rows, or nothing.

One service for the ``import_members`` command and the admin. An admin view calls
:func:`import_members` with the uploaded file (``request.FILES[...]``, its ``name`` gives the
format) and shows :attr:`ImportReport.errors` (row, column, message) or :meth:`ImportReport.lines`;
the messages are lazy translations, rendered in the language active when they are shown.

How an import runs (see ``docs/import/README.md`` for the file format):

1. :func:`read_rows` reads the file. Problems with the file as a whole (format, encoding,
   unknown or missing columns) refuse it before any row is looked at.
2. Every row is validated and planned against the database: its country, its city (matched by
   GeoNames id, else Wikidata id, else accent- and case-insensitive name within the country;
   created when nothing matches), its dates, category, coordinates and source URL, duplicate
   rows, and memberships that would overlap one another or one already recorded. Every
   problem of every row is collected.
3. Only when no row has a problem are the records written, through
   :func:`core.services.save_record` (full model validation), inside one transaction;
   a dry run writes them too (so the database's own rules are checked) and rolls back.

Row numbers are spreadsheet line numbers: the header is line 1, the first data row is 2.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import os
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils.functional import lazy
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from cities.models import City, Country
from core.partialdates import INVALID_MESSAGE as INVALID_DATE_MESSAGE
from core.partialdates import PartialDate
from core.records import LANGUAGE_CODES
from core.services import save_record
from sources.models import Source, SourceKind

from .models import Membership, MembershipCategory, MembershipCitation, Network

COLUMNS = (
    "city",
    "country",
    "latitude",
    "longitude",
    "geonames_id",
    "wikidata_id",
    "category",
    "joined",
    "left",
    "source_url",
)
REQUIRED_COLUMNS = ("city", "country")
MAX_ROWS = 20_000
FIRST_DATA_ROW = 2  # the header is line 1, as a spreadsheet numbers it
COORDINATE_STEP = Decimal("0.00001")  # City.latitude / longitude: 5 decimal places
WIKIDATA_PATTERN = re.compile(r"^(?:https?://(?:www\.)?wikidata\.org/(?:wiki|entity)/)?(Q[1-9]\d*)$", re.IGNORECASE)
MAX_GEONAMES_ID = 2_147_483_647  # PositiveIntegerField
MODEL_FIELD_COLUMNS = {
    "start": "joined",
    "end": "left",
    "category": "category",
    "latitude": "latitude",
    "longitude": "longitude",
    "geonames_id": "geonames_id",
    "wikidata_id": "wikidata_id",
    "name_en": "city",
    "native_name": "city",
    "slug": "city",
    "country": "country",
    "url": "source_url",
}


def _message(template, **params):
    """A lazily translated message with its values: rendered in the language active when shown."""
    return lazy(lambda: str(template) % params, str)()


def _quoted(values) -> str:
    return ", ".join(f"“{value}”" for value in values)


def fold(value: str) -> str:
    """Comparison form of a name: accents dropped, case folded, spaces collapsed.

    >>> fold("  Asunción ") == fold("ASUNCION")
    True
    """
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


# --- The report ----------------------------------------------------------------------------


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
            return str(_message(_("Row %(row)s: %(message)s"), row=self.row, message=self.message))
        return str(
            _message(_("Row %(row)s, %(column)s: %(message)s"), row=self.row, column=self.column, message=self.message)
        )


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
            _message(
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
            return str(
                _message(
                    _("The file was refused (%(errors)s errors in %(rows)s rows): nothing was written."),
                    errors=len(self.errors),
                    rows=len(self.rows_with_errors),
                )
            )
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


class FileRefused(Exception):
    """The file cannot be imported as a whole; ``errors`` says why (a list of RowError)."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = errors


# --- Reading the file ----------------------------------------------------------------------


def _read_bytes(file) -> bytes:
    if isinstance(file, bytes | bytearray):
        return bytes(file)
    if isinstance(file, str | os.PathLike):
        return Path(file).read_bytes()
    if hasattr(file, "seek") and getattr(file, "seekable", lambda: True)():
        file.seek(0)
    data = file.read()
    return data.encode("utf-8") if isinstance(data, str) else data


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


def _csv_table(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(
            [
                RowError(
                    None,
                    None,
                    _("The CSV file is not UTF-8 text: save it as “CSV UTF-8” (Excel, LibreOffice) and try again."),
                )
            ]
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # Numbered by record, not by physical line: a quoted cell may hold a line break, and a
    # spreadsheet shows such a record as one row.
    for number, record in enumerate(reader, start=1):
        yield number, [cell.strip() for cell in record]


def _xlsx_table(data: bytes):
    import openpyxl  # imported here: only XLSX files need it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # zipfile.BadZipFile, KeyError, openpyxl's InvalidFileException …
        raise FileRefused(
            [RowError(None, None, _("The file could not be read as an Excel workbook (.xlsx)."))]
        ) from None
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [cell_text(value) for value in values]
    finally:
        workbook.close()


def normalize_header(name) -> str:
    return re.sub(r"[\s-]+", "_", cell_text(name).lower())


def check_columns(names: list[str]) -> list[RowError]:
    """Whole-file errors for a header: unknown, duplicated or missing columns."""
    errors = []
    unknown = [name for name in names if name and name not in COLUMNS]
    if unknown:
        errors.append(
            RowError(
                None,
                None,
                _message(
                    _("Unknown columns: %(columns)s. The columns are: %(allowed)s."),
                    columns=_quoted(unknown),
                    allowed=", ".join(COLUMNS),
                ),
            )
        )
    duplicated = sorted({name for name in names if name and names.count(name) > 1})
    if duplicated:
        errors.append(
            RowError(None, None, _message(_("Columns given more than once: %(columns)s."), columns=_quoted(duplicated)))
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        errors.append(
            RowError(
                None,
                None,
                _message(
                    _("Missing columns: %(columns)s (required; the first row must hold the column names)."),
                    columns=_quoted(missing),
                ),
            )
        )
    return errors


def read_rows(file, filename: str) -> list[dict]:
    """Read a member list: a CSV (UTF-8, with or without BOM, comma or semicolon delimited) or
    an XLSX workbook (first sheet), chosen by ``filename``'s extension.

    ``file`` is a binary file object (an upload, an open file), bytes or a path. Returns one
    dict per non-empty row: the column names (lower case, trimmed) mapped to trimmed text, and
    ``"row"``, the row's spreadsheet line number (header = 1, first data row = 2). Raises
    :class:`FileRefused` when the file as a whole cannot be imported.
    """
    extension = Path(filename or "").suffix.lower()
    if extension == ".csv":
        table = _csv_table(_read_bytes(file))
    elif extension == ".xlsx":
        table = _xlsx_table(_read_bytes(file))
    else:
        raise FileRefused(
            [
                RowError(
                    None,
                    None,
                    _message(
                        _("“%(name)s” is neither a CSV (.csv) nor an Excel workbook (.xlsx)."), name=filename or "?"
                    ),
                )
            ]
        )

    header = None
    rows, errors, extra_cells = [], [], []
    for number, cells in table:
        if header is None:
            header = [normalize_header(cell) for cell in cells]
            while header and not header[-1]:
                header.pop()
            errors.extend(check_columns(header))
            if errors:
                raise FileRefused(errors)
            continue
        if not any(cells):
            continue
        named = dict(zip(header, cells, strict=False))
        unnamed = [
            cell for position, cell in enumerate(cells) if cell and (position >= len(header) or not header[position])
        ]
        if unnamed:
            extra_cells.append(number)
        row = {name: value for name, value in named.items() if name}
        row["row"] = number
        rows.append(row)
        if len(rows) > MAX_ROWS:
            raise FileRefused(
                [
                    RowError(
                        None,
                        None,
                        _message(_("The file has more than %(max)s rows: import it in parts."), max=MAX_ROWS),
                    )
                ]
            )
    if header is None:
        raise FileRefused([RowError(None, None, _("The file is empty: the first row must hold the column names."))])
    for number in extra_cells:
        errors.append(RowError(number, None, _("this row has values in cells without a column name.")))
    if errors:
        raise FileRefused(errors)
    if not rows:
        raise FileRefused([RowError(None, None, _("The file has column names but no rows."))])
    return rows


# --- Planning ------------------------------------------------------------------------------


@dataclass
class _NewCity:
    """A city this import will create (first seen on ``row``)."""

    row: int
    name: str
    country: Country
    latitude: Decimal | None
    longitude: Decimal | None
    geonames_id: int | None
    wikidata_id: str
    source_urls: list[str] = field(default_factory=list)
    slug: str = ""
    instance: City | None = None

    def __str__(self):
        return self.name


@dataclass
class _Row:
    row: int
    raw: dict
    valid: bool = True
    dates_valid: bool = True  # joined and left parsed, left not before joined
    city_name: str = ""
    country: Country | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    geonames_id: int | None = None
    wikidata_id: str = ""
    category: str | None = None
    joined: PartialDate | None = None
    left: PartialDate | None = None
    source_url: str = ""
    city: City | _NewCity | int | None = None  # int: a matched city's pk until fetched
    membership: Membership | None = None  # the existing membership the row matches
    action: str = ""  # "create", "update" or "unchanged"
    changes: dict = field(default_factory=dict)
    cite: bool = False

    @property
    def city_key(self):
        if isinstance(self.city, City):
            return ("city", self.city.pk)
        if self.city is not None:
            return ("new", id(self.city))
        return ("name", self.country.pk if self.country else None, fold(self.city_name))

    @property
    def final_end(self) -> PartialDate | None:
        if self.left is not None:
            return self.left
        return self.membership.end if self.membership is not None else None


def _bounds(start: PartialDate | None, end: PartialDate | None) -> tuple[datetime.date, datetime.date]:
    """A period's first and last day as :mod:`core.periods` reads partial dates."""
    return (start.lower if start else datetime.date.min, end.upper if end else datetime.date.max)


def _overlap(first: tuple, second: tuple) -> bool:
    return first[0] <= second[1] and second[0] <= first[1]


def _period(start: PartialDate | None, end: PartialDate | None) -> str:
    return f"{start.isoformat() if start else '…'} – {end.isoformat() if end else '…'}"


def source_key(url: str) -> str:
    """The key of a source created for ``url``: a readable slug of its host, path and query
    (the scheme and ``www.`` dropped), e.g. ``mercociudades-org-es-miembros``."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    readable = re.sub(r"[./?=&:+#,()~]", " ", unquote(f"{host} {parts.path} {parts.query}"))
    return slugify(readable)[:120].strip("-") or "web-page"


class _Planner:
    """Validates every row against the database and decides what to write."""

    def __init__(self, network: Network, report: ImportReport):
        self.network = network
        self.report = report
        self.countries: dict[str, Country] = {}
        self.country_names: dict[str, list[Country]] = defaultdict(list)
        for country in Country.objects.all():
            self.countries[country.code.upper()] = country
            if country.iso3:
                self.countries[country.iso3.upper()] = country
            names = {getattr(country, f"name_{code}", None) for code in LANGUAGE_CODES}
            for name in {fold(name) for name in names if name}:
                self.country_names[name].append(country)
        self.categories: dict[str, str] = {}
        for value, label in MembershipCategory.choices:
            self.categories[fold(value)] = value
            for code in ("en", *LANGUAGE_CODES):
                with override(code):
                    self.categories.setdefault(fold(str(label)), value)
        self.url_validator = URLValidator(schemes=["http", "https"])
        self.new_cities: list[_NewCity] = []
        self.new_by_geonames: dict[int, _NewCity] = {}
        self.new_by_wikidata: dict[str, _NewCity] = {}
        self.new_by_name: dict[tuple, _NewCity] = {}
        self.sources: dict[str, Source | None] = {}  # url -> existing source, or None: to create

    def error(self, row: _Row, column: str | None, message) -> None:
        row.valid = False
        self.report.add(row.row, column, message)

    # Fields ---------------------------------------------------------------------------------

    def parse(self, raw: dict) -> _Row:
        row = _Row(row=raw.get("row"), raw=raw)
        value = {name: cell_text(raw.get(name)) for name in COLUMNS}

        row.city_name = " ".join(value["city"].split())
        if not row.city_name:
            self.error(row, "city", _("empty: the city's name is required."))
        elif len(row.city_name) > 200:
            self.error(row, "city", _message(_("longer than %(max)s characters."), max=200))

        if not value["country"]:
            self.error(row, "country", _("empty: the country (ISO code or name) is required."))
        else:
            text = value["country"]
            row.country = self.countries.get(text.upper()) if len(text) in (2, 3) else None
            if row.country is None:
                matches = self.country_names.get(fold(text), [])
                if len(matches) == 1:
                    row.country = matches[0]
                elif len(matches) > 1:
                    self.error(
                        row,
                        "country",
                        _message(
                            _("“%(value)s” names several countries (%(codes)s): use the ISO code."),
                            value=text,
                            codes=", ".join(country.code for country in matches),
                        ),
                    )
                else:
                    self.error(
                        row,
                        "country",
                        _message(_("“%(value)s” is not a known country (ISO code or name)."), value=text),
                    )

        row.latitude = self.coordinate(row, "latitude", value["latitude"], 90)
        row.longitude = self.coordinate(row, "longitude", value["longitude"], 180)
        if bool(value["latitude"]) != bool(value["longitude"]):
            missing = "longitude" if value["latitude"] else "latitude"
            self.error(row, missing, _("missing: give both the latitude and the longitude, or neither."))

        if value["geonames_id"]:
            text = value["geonames_id"]
            if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_GEONAMES_ID:
                row.geonames_id = int(text)
            else:
                self.error(
                    row,
                    "geonames_id",
                    _message(
                        _("“%(value)s” is not a GeoNames id (a whole number, e.g. 3441575 for Montevideo)."),
                        value=text,
                    ),
                )
        if value["wikidata_id"]:
            match = WIKIDATA_PATTERN.match(value["wikidata_id"])
            if match:
                row.wikidata_id = match.group(1).upper()
            else:
                self.error(
                    row,
                    "wikidata_id",
                    _message(_("“%(value)s” is not a Wikidata id (e.g. Q1489)."), value=value["wikidata_id"]),
                )

        if value["category"]:
            row.category = self.categories.get(fold(value["category"]))
            if row.category is None:
                self.error(
                    row,
                    "category",
                    _message(
                        _("“%(value)s” is not a membership category; use one of: %(choices)s."),
                        value=value["category"],
                        choices=", ".join(MembershipCategory.values),
                    ),
                )

        row.joined = self.date(row, "joined", value["joined"])
        row.left = self.date(row, "left", value["left"])
        if row.joined and row.left and row.left.upper < row.joined.lower:
            row.dates_valid = False
            self.error(
                row,
                "left",
                _message(
                    _("%(left)s is before the joined date %(joined)s."),
                    left=row.left.isoformat(),
                    joined=row.joined.isoformat(),
                ),
            )

        if value["source_url"]:
            url = value["source_url"]
            try:
                if len(url) > 1000:
                    raise ValidationError("too long")
                self.url_validator(url)
            except ValidationError:
                self.error(
                    row,
                    "source_url",
                    _message(
                        _("“%(value)s” is not a valid web address (it starts with http:// or https://)."), value=url
                    ),
                )
            else:
                row.source_url = url
        return row

    def coordinate(self, row: _Row, column: str, text: str, limit: int) -> Decimal | None:
        if not text:
            return None
        normalized = text.replace(",", ".") if "." not in text else text  # a decimal comma
        try:
            number = Decimal(normalized.replace("−", "-"))
            if not number.is_finite():
                raise decimal.InvalidOperation
        except decimal.InvalidOperation:
            self.error(
                row,
                column,
                _message(_("“%(value)s” is not a number (decimal degrees, e.g. -34.90328)."), value=text),
            )
            return None
        if not -limit <= number <= limit:
            self.error(
                row,
                column,
                _message(
                    _("%(value)s is out of range: the %(column)s lies between -%(limit)s and %(limit)s."),
                    value=text,
                    column=column,
                    limit=limit,
                ),
            )
            return None
        return number.quantize(COORDINATE_STEP, rounding=decimal.ROUND_HALF_EVEN)

    def date(self, row: _Row, column: str, text: str) -> PartialDate | None:
        if not text:
            return None
        try:
            return PartialDate.parse(text)
        except ValueError:
            row.dates_valid = False
            self.error(row, column, _message(INVALID_DATE_MESSAGE, value=text))
            return None

    # Cities -------------------------------------------------------------------------------

    def load_cities(self, rows: list[_Row]) -> None:
        geonames_ids = {row.geonames_id for row in rows if row.geonames_id}
        wikidata_ids = {row.wikidata_id for row in rows if row.wikidata_id}
        self.by_geonames = {
            city.geonames_id: city
            for city in City.objects.filter(geonames_id__in=geonames_ids).select_related("country")
        }
        self.by_wikidata = {
            city.wikidata_id: city
            for city in City.objects.filter(wikidata_id__in=wikidata_ids).select_related("country")
        }
        # Names: every city of the countries named in the file, compared in Python so that
        # accents and case are ignored the same way on every database.
        country_ids = {row.country.pk for row in rows if row.country}
        self.by_name: dict[tuple, list[int]] = defaultdict(list)
        self.city_ids: dict[int, dict] = {}
        fields = ["pk", "slug", "country_id", "native_name", "geonames_id", "wikidata_id"]
        fields += [f"name_{code}" for code in LANGUAGE_CODES]
        for values in City.objects.filter(country_id__in=country_ids).values(*fields).iterator(chunk_size=5000):
            names = {fold(values[name]) for name in fields if name.startswith(("name_", "native_")) and values[name]}
            for name in names:
                self.by_name[(values["country_id"], name)].append(values["pk"])
            self.city_ids[values["pk"]] = values

    def resolve_city(self, row: _Row) -> None:
        by_geonames = self.by_geonames.get(row.geonames_id) if row.geonames_id else None
        by_wikidata = self.by_wikidata.get(row.wikidata_id) if row.wikidata_id else None
        if by_geonames and by_wikidata and by_geonames.pk != by_wikidata.pk:
            self.error(
                row,
                "wikidata_id",
                _message(
                    _("Wikidata id %(qid)s is %(other)s, but GeoNames id %(gid)s is %(city)s."),
                    qid=row.wikidata_id,
                    other=by_wikidata,
                    gid=row.geonames_id,
                    city=by_geonames,
                ),
            )
            return
        city = by_geonames or by_wikidata
        if city is not None:
            column, identifier = ("geonames_id", row.geonames_id) if by_geonames else ("wikidata_id", row.wikidata_id)
            if city.country_id != row.country.pk:
                self.error(
                    row,
                    column,
                    _message(
                        _("%(identifier)s is %(city)s, in %(other)s, not in %(country)s."),
                        identifier=identifier,
                        city=city,
                        other=city.country or "?",
                        country=row.country,
                    ),
                )
                return
            if by_geonames and row.wikidata_id and city.wikidata_id and city.wikidata_id != row.wikidata_id:
                self.error(
                    row,
                    "wikidata_id",
                    _message(
                        _("%(city)s (GeoNames id %(gid)s) has the Wikidata id %(stored)s, not %(value)s."),
                        city=city,
                        gid=row.geonames_id,
                        stored=city.wikidata_id,
                        value=row.wikidata_id,
                    ),
                )
                return
            if by_wikidata and row.geonames_id and city.geonames_id and city.geonames_id != row.geonames_id:
                self.error(
                    row,
                    "geonames_id",
                    _message(
                        _("%(city)s (Wikidata id %(qid)s) has the GeoNames id %(stored)s, not %(value)s."),
                        city=city,
                        qid=row.wikidata_id,
                        stored=city.geonames_id,
                        value=row.geonames_id,
                    ),
                )
                return
            row.city = city
            return

        new = (self.new_by_geonames.get(row.geonames_id) if row.geonames_id else None) or (
            self.new_by_wikidata.get(row.wikidata_id) if row.wikidata_id else None
        )
        if new is None:
            name = (row.country.pk, fold(row.city_name))
            candidates = [self.city_ids[pk] for pk in self.by_name.get(name, [])]
            candidates = [values for values in candidates if self.compatible(values, row)]
            if len(candidates) > 1:
                self.error(
                    row,
                    "city",
                    _message(
                        _(
                            "“%(value)s” matches %(count)s cities in %(country)s (%(slugs)s): "
                            "add the geonames_id to say which one."
                        ),
                        value=row.city_name,
                        count=len(candidates),
                        country=row.country,
                        slugs=", ".join(sorted(values["slug"] for values in candidates)),
                    ),
                )
                return
            if candidates:
                row.city = candidates[0]["pk"]  # a City instance once plan() has fetched them in bulk
                return
            new = self.new_by_name.get(name)
            if new is not None and not self.compatible(
                {"geonames_id": new.geonames_id, "wikidata_id": new.wikidata_id}, row
            ):
                new = None
        if new is not None:
            self.merge_new_city(row, new)
            return
        new = _NewCity(
            row=row.row,
            name=row.city_name,
            country=row.country,
            latitude=row.latitude,
            longitude=row.longitude,
            geonames_id=row.geonames_id,
            wikidata_id=row.wikidata_id,
        )
        self.new_cities.append(new)
        self.register_new_city(new)
        if row.source_url:
            new.source_urls.append(row.source_url)
        row.city = new

    @staticmethod
    def compatible(values: dict, row: _Row) -> bool:
        """A name match holds unless the row and the city carry different identifiers."""
        if row.geonames_id and values["geonames_id"] and values["geonames_id"] != row.geonames_id:
            return False
        if row.wikidata_id and values["wikidata_id"] and values["wikidata_id"] != row.wikidata_id:
            return False
        return True

    def register_new_city(self, new: _NewCity) -> None:
        if new.geonames_id:
            self.new_by_geonames.setdefault(new.geonames_id, new)
        if new.wikidata_id:
            self.new_by_wikidata.setdefault(new.wikidata_id, new)
        self.new_by_name.setdefault((new.country.pk, fold(new.name)), new)

    def merge_new_city(self, row: _Row, new: _NewCity) -> None:
        """A later row about a city an earlier row creates: its data must agree."""
        if new.country.pk != row.country.pk:
            column = "geonames_id" if row.geonames_id == new.geonames_id and row.geonames_id else "wikidata_id"
            self.error(
                row,
                column,
                _message(
                    _("row %(row)s gives the same id for a city in %(country)s."), row=new.row, country=new.country
                ),
            )
            return
        for column in ("latitude", "longitude", "geonames_id", "wikidata_id"):
            mine, theirs = getattr(row, column), getattr(new, column)
            if mine and theirs and mine != theirs:
                self.error(
                    row,
                    column,
                    _message(
                        _("differs from row %(row)s (%(value)s) for the same new city."), row=new.row, value=theirs
                    ),
                )
                return
        for column in ("latitude", "longitude", "geonames_id", "wikidata_id"):
            if getattr(row, column) and not getattr(new, column):
                setattr(new, column, getattr(row, column))
        self.register_new_city(new)
        if row.source_url and row.source_url not in new.source_urls:
            new.source_urls.append(row.source_url)
        row.city = new

    # Memberships ----------------------------------------------------------------------------

    def plan(self, raws: list[dict]) -> list[_Row]:
        rows = [self.parse(raw) for raw in raws]
        resolvable = [row for row in rows if row.country is not None and row.city_name]
        self.load_cities(resolvable)
        for row in resolvable:
            self.resolve_city(row)

        # Existing cities: fetch them once (for messages and foreign keys).
        city_pks = {row.city for row in rows if isinstance(row.city, int)}
        city_pks |= {row.city.pk for row in rows if isinstance(row.city, City)}
        cities = City.objects.in_bulk(city_pks)
        for row in rows:
            if isinstance(row.city, int):
                row.city = cities[row.city]
        self.report.matched_cities = len(city_pks)

        existing: dict[int, list[Membership]] = defaultdict(list)
        for membership in Membership.objects.filter(network=self.network, city_id__in=city_pks):
            existing[membership.city_id].append(membership)

        urls = {row.source_url for row in rows if row.source_url}
        found: dict[str, Source] = {}
        for source in Source.objects.filter(url__in=urls).order_by("pk"):
            found.setdefault(source.url, source)
        self.sources = {url: found.get(url) for url in urls}
        cited: set[tuple[int, int]] = set()
        if found:
            cited = set(
                MembershipCitation.objects.filter(
                    record__network=self.network,
                    record__city_id__in=city_pks,
                    source__in=found.values(),
                ).values_list("record_id", "source_id")
            )

        # Duplicates, matching and overlaps, city by city.
        first_row: dict[tuple, int] = {}
        by_city: dict[tuple, list[_Row]] = defaultdict(list)
        for row in rows:
            if row.country is None or not row.city_name:
                continue
            key = (row.city_key, int(row.joined) if row.joined else None)
            if key in first_row:
                self.error(
                    row,
                    "city",
                    _message(
                        _("the same city, country and joined date as row %(first)s (a duplicate row)."),
                        first=first_row[key],
                    ),
                )
                continue
            first_row[key] = row.row
            if row.city is not None:
                by_city[row.city_key].append(row)

        for city_rows in by_city.values():
            city = city_rows[0].city
            recorded = existing.get(city.pk, []) if isinstance(city, City) else []
            by_start = {int(m.start) if m.start else None: m for m in recorded}
            for row in city_rows:
                row.membership = by_start.get(int(row.joined) if row.joined else None)
            matched = {row.membership.pk for row in city_rows if row.membership is not None}
            untouched = [m for m in recorded if m.pk not in matched]
            checked: list[_Row] = []
            for row in city_rows:
                if not row.dates_valid:
                    continue  # its dates are reported already; an overlap would be a guess
                period = _bounds(row.joined, row.final_end)
                if row.membership is not None and row.left is not None and row.membership.start:
                    if row.left.upper < row.membership.start.lower:
                        self.error(
                            row,
                            "left",
                            _message(
                                _("%(left)s is before the joined date %(joined)s."),
                                left=row.left.isoformat(),
                                joined=row.membership.start.isoformat(),
                            ),
                        )
                        continue
                clash = next((m for m in untouched if _overlap(period, _bounds(m.start, m.end))), None)
                if clash is not None:
                    self.error(row, "joined", self.overlap_message(city, clash))
                    continue
                other = next((o for o in checked if _overlap(period, _bounds(o.joined, o.final_end))), None)
                if other is not None:
                    self.error(
                        row,
                        "joined",
                        _message(
                            _(
                                "this membership (%(period)s) overlaps the one in row %(other)s (%(other_period)s): "
                                "a city holds one membership of a network at a time."
                            ),
                            period=_period(row.joined, row.final_end),
                            other=other.row,
                            other_period=_period(other.joined, other.final_end),
                        ),
                    )
                    continue
                checked.append(row)

        # What each valid row will do.
        for row in rows:
            if not row.valid:
                continue
            source = self.sources.get(row.source_url) if row.source_url else None
            if row.membership is None:
                row.action = "create"
                row.cite = bool(row.source_url)
                continue
            membership = row.membership
            if row.left is not None and membership.end != row.left:
                row.changes["end"] = row.left
            if row.category is not None and membership.category != row.category:
                row.changes["category"] = row.category
            row.cite = bool(row.source_url) and (source is None or (membership.pk, source.pk) not in cited)
            row.action = "update" if row.changes or row.cite else "unchanged"

        self.report.created_cities = len(self.new_cities)
        self.report.created_memberships = sum(row.action == "create" for row in rows)
        self.report.updated_memberships = sum(row.action == "update" for row in rows)
        self.report.unchanged_memberships = sum(row.action == "unchanged" for row in rows)
        self.report.created_sources = sum(source is None for source in self.sources.values())
        return rows

    def overlap_message(self, city, membership: Membership):
        period = _period(membership.start, membership.end)
        if membership.start is None:
            return _message(
                _(
                    "%(city)s is already a member of %(network)s with no joined date recorded, which overlaps this "
                    "row; to update that membership, leave the joined date empty."
                ),
                city=city,
                network=self.network,
            )
        return _message(
            _(
                "%(city)s is already a member of %(network)s for an overlapping period (%(period)s); to update "
                "that membership, give its joined date, %(start)s."
            ),
            city=city,
            network=self.network,
            period=period,
            start=membership.start.isoformat(),
        )


# --- Writing -------------------------------------------------------------------------------


class _Rollback(Exception):
    """Raised to undo a dry run, or a write that the database refused."""


class _Writer:
    def __init__(self, planner: _Planner, rows: list[_Row], report: ImportReport, user=None):
        self.planner, self.rows, self.report, self.user = planner, rows, report, user
        self.reason = f"Member-list import ({report.filename or 'file'})"[:100]

    def stamp(self, instance):
        # Audit history (django-simple-history) reads these when the record is saved.
        if self.user is not None:
            instance._history_user = self.user
        instance._change_reason = self.reason
        return instance

    def save(self, instance, row: int, column_for_all: str | None = None) -> bool:
        try:
            save_record(self.stamp(instance))
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.report.add(row, MODEL_FIELD_COLUMNS.get(name, column_for_all), message)
            return False
        except IntegrityError as error:
            self.report.add(row, column_for_all, _message(_("refused by the database: %(error)s"), error=error))
            return False
        return True

    def cite(self, record, source: Source) -> None:
        citations = record.citations
        if not citations.filter(source=source).exists():
            self.stamp(citations.model(record=record, source=source)).save()

    def write(self) -> None:
        sources: dict[str, Source] = {}
        taken_keys: set[str] = set()
        for url, source in self.planner.sources.items():
            if source is None:
                first_row = next(row.row for row in self.rows if row.source_url == url)
                base = source_key(url)
                key, number = base, 2
                while key in taken_keys or Source.objects.filter(key=key).exists():
                    suffix = f"-{number}"
                    key, number = base[: 120 - len(suffix)].strip("-") + suffix, number + 1
                taken_keys.add(key)
                title = url.split("://", 1)[-1][:500]
                source = Source(key=key, url=url, title=title, kind=SourceKind.WEB_PAGE)
                if not self.save(source, first_row, "source_url"):
                    continue
            sources[url] = source

        taken_slugs: set[str] = set()
        for new in self.planner.new_cities:
            base = slugify(new.name)[:100].strip("-") or "city"
            base = f"{base}-{new.country.code.lower()}"
            candidates = [base] + ([f"{base}-{new.geonames_id}"] if new.geonames_id else [])
            candidates += [f"{base}-{number}" for number in range(2, 1000)]
            slug = next(
                slug for slug in candidates if slug not in taken_slugs and not City.objects.filter(slug=slug).exists()
            )
            taken_slugs.add(slug)
            city = City(
                slug=slug,
                name_en=new.name,
                native_name=new.name,
                country=new.country,
                latitude=new.latitude,
                longitude=new.longitude,
                geonames_id=new.geonames_id,
                wikidata_id=new.wikidata_id,
            )
            if self.save(city, new.row, "city"):
                new.instance = city
                for url in new.source_urls:
                    if url in sources:
                        self.cite(city, sources[url])

        for row in self.rows:
            city = row.city.instance if isinstance(row.city, _NewCity) else row.city
            if city is None:
                continue  # its creation failed, already reported
            if row.action == "create":
                membership = Membership(
                    network=self.planner.network,
                    city=city,
                    start=row.joined,
                    end=row.left,
                    category=row.category or MembershipCategory.FULL,
                )
                if not self.save(membership, row.row, "joined"):
                    continue
            elif row.action == "update":
                membership = row.membership
                for name, value in row.changes.items():
                    setattr(membership, name, value)
                if row.changes and not self.save(membership, row.row, "joined"):
                    continue
            else:
                continue
            if row.cite and row.source_url in sources:
                self.cite(membership, sources[row.source_url])


def import_members(
    network: Network, file_or_rows, *, dry_run: bool, user=None, filename: str | None = None
) -> ImportReport:
    """Import a member list into ``network``: every row, or nothing.

    ``file_or_rows`` is an uploaded or open file, bytes or a path (its format is taken from
    ``filename``, else from the file's ``name``), or rows already read by :func:`read_rows`.
    With ``dry_run`` everything is validated and written, then rolled back. ``user`` (the admin's
    request user) must be allowed to edit the network; the history records them as the author.
    """
    if user is not None:
        from core.ownership import can_edit

        if not can_edit(user, network):
            raise PermissionDenied(_("You may not edit this network's members."))
    if filename is None and not isinstance(file_or_rows, list):
        filename = (
            str(file_or_rows) if isinstance(file_or_rows, str | os.PathLike) else getattr(file_or_rows, "name", "")
        )
    report = ImportReport(dry_run=dry_run, filename=os.path.basename(filename or ""))
    try:
        if isinstance(file_or_rows, list):
            rows = [_normalized_row(raw, number) for number, raw in enumerate(file_or_rows, start=FIRST_DATA_ROW)]
            # Rows given directly: unknown columns refuse them; a missing value is a row error.
            header = sorted({name for row in rows for name in row if name != "row"})
            errors = check_columns(header + [name for name in REQUIRED_COLUMNS if name not in header])
            if errors:
                raise FileRefused(errors)
        else:
            rows = read_rows(file_or_rows, filename)
    except FileRefused as refused:
        report.errors.extend(refused.errors)
        return report

    report.rows = len(rows)
    with transaction.atomic():
        # Serialize imports into one network (a no-op on SQLite, which locks on write).
        list(Network.objects.select_for_update().filter(pk=network.pk).values_list("pk"))
        planner = _Planner(network, report)
        planned = planner.plan(rows)
        report.sort_errors()
        if not report.ok:
            return report
        try:
            with transaction.atomic():
                _Writer(planner, planned, report, user).write()
                if dry_run or not report.ok:
                    raise _Rollback
        except _Rollback:
            report.sort_errors()
    report.written = report.ok and not dry_run
    return report


def _normalized_row(raw: dict, number: int) -> dict:
    row = {normalize_header(name): cell_text(value) for name, value in raw.items() if name != "row"}
    row["row"] = raw.get("row", number)
    return row
