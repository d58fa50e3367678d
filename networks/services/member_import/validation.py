"""Validating a row's values: city name, country, coordinates, identifiers, category, dates and
source address. Every problem is reported against its column; the row is then not written."""

from __future__ import annotations

import decimal
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from cities.models import Country
from core.partialdates import INVALID_MESSAGE as INVALID_DATE_MESSAGE
from core.partialdates import PartialDate
from core.records import LANGUAGE_CODES
from core.text import fold

from ...models import MembershipCategory
from .columns import COLUMNS, COORDINATE_STEP, MAX_GEONAMES_ID
from .reading import cell_text
from .report import ImportReport, message
from .rows import Row, reject

WIKIDATA_PATTERN = re.compile(r"^(?:https?://(?:www\.)?wikidata\.org/(?:wiki|entity)/)?(Q[1-9]\d*)$", re.IGNORECASE)
MAX_CITY_NAME = 200
MAX_URL = 1000


@dataclass
class Vocabulary:
    """What a row's values are read against: countries by code and by folded name (in every
    language), categories by value and by label, the address validator."""

    countries: dict[str, Country] = field(default_factory=dict)
    country_names: dict[str, list[Country]] = field(default_factory=lambda: defaultdict(list))
    categories: dict[str, str] = field(default_factory=dict)
    url_validator: URLValidator = field(default_factory=lambda: URLValidator(schemes=["http", "https"]))


def load_vocabulary() -> Vocabulary:
    """The countries of the database and the membership categories, ready to match."""
    vocabulary = Vocabulary()
    for country in Country.objects.all():
        vocabulary.countries[country.code.upper()] = country
        if country.iso3:
            vocabulary.countries[country.iso3.upper()] = country
        names = {getattr(country, f"name_{code}", None) for code in LANGUAGE_CODES}
        for name in {fold(name) for name in names if name}:
            vocabulary.country_names[name].append(country)
    for value, label in MembershipCategory.choices:
        vocabulary.categories[fold(value)] = value
        for code in ("en", *LANGUAGE_CODES):
            with override(code):
                vocabulary.categories.setdefault(fold(str(label)), value)
    return vocabulary


def parse_row(raw: dict, vocabulary: Vocabulary, report: ImportReport) -> Row:
    """``raw`` (a row as read) validated: its values parsed, each problem reported."""
    row = Row(row=raw.get("row"), raw=raw)
    value = {name: cell_text(raw.get(name)) for name in COLUMNS}
    _parse_city_name(row, value["city"], report)
    _parse_country(row, value["country"], vocabulary, report)
    row.latitude = _coordinate(row, "latitude", value["latitude"], 90, report)
    row.longitude = _coordinate(row, "longitude", value["longitude"], 180, report)
    if bool(value["latitude"]) != bool(value["longitude"]):
        missing = "longitude" if value["latitude"] else "latitude"
        reject(report, row, missing, _("missing: give both the latitude and the longitude, or neither."))
    _parse_geonames_id(row, value["geonames_id"], report)
    _parse_wikidata_id(row, value["wikidata_id"], report)
    _parse_category(row, value["category"], vocabulary, report)
    _parse_dates(row, value["joined"], value["left"], report)
    _parse_source_url(row, value["source_url"], vocabulary, report)
    return row


def _parse_city_name(row: Row, text: str, report: ImportReport) -> None:
    row.city_name = " ".join(text.split())
    if not row.city_name:
        reject(report, row, "city", _("empty: the city's name is required."))
    elif len(row.city_name) > MAX_CITY_NAME:
        reject(report, row, "city", message(_("longer than %(max)s characters."), max=MAX_CITY_NAME))


def _parse_country(row: Row, text: str, vocabulary: Vocabulary, report: ImportReport) -> None:
    if not text:
        reject(report, row, "country", _("empty: the country (ISO code or name) is required."))
        return
    row.country = vocabulary.countries.get(text.upper()) if len(text) in (2, 3) else None
    if row.country is not None:
        return
    matches = vocabulary.country_names.get(fold(text), [])
    if len(matches) == 1:
        row.country = matches[0]
    elif matches:
        codes = ", ".join(country.code for country in matches)
        template = _("“%(value)s” names several countries (%(codes)s): use the ISO code.")
        reject(report, row, "country", message(template, value=text, codes=codes))
    else:
        reject(report, row, "country", message(_("“%(value)s” is not a known country (ISO code or name)."), value=text))


def _coordinate(row: Row, column: str, text: str, limit: int, report: ImportReport) -> Decimal | None:
    if not text:
        return None
    normalized = text.replace(",", ".") if "." not in text else text  # a decimal comma
    try:
        number = Decimal(normalized.replace("−", "-"))
        if not number.is_finite():
            raise decimal.InvalidOperation
    except decimal.InvalidOperation:
        template = _("“%(value)s” is not a number (decimal degrees, e.g. -34.90328).")
        reject(report, row, column, message(template, value=text))
        return None
    if not -limit <= number <= limit:
        template = _("%(value)s is out of range: the %(column)s lies between -%(limit)s and %(limit)s.")
        reject(report, row, column, message(template, value=text, column=column, limit=limit))
        return None
    return number.quantize(COORDINATE_STEP, rounding=decimal.ROUND_HALF_EVEN)


def _parse_geonames_id(row: Row, text: str, report: ImportReport) -> None:
    if not text:
        return
    if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_GEONAMES_ID:
        row.geonames_id = int(text)
        return
    template = _("“%(value)s” is not a GeoNames id (a whole number, e.g. 3441575 for Montevideo).")
    reject(report, row, "geonames_id", message(template, value=text))


def _parse_wikidata_id(row: Row, text: str, report: ImportReport) -> None:
    if not text:
        return
    match = WIKIDATA_PATTERN.match(text)
    if match:
        row.wikidata_id = match.group(1).upper()
        return
    reject(report, row, "wikidata_id", message(_("“%(value)s” is not a Wikidata id (e.g. Q1489)."), value=text))


def _parse_category(row: Row, text: str, vocabulary: Vocabulary, report: ImportReport) -> None:
    if not text:
        return
    row.category = vocabulary.categories.get(fold(text))
    if row.category is None:
        template = _("“%(value)s” is not a membership category; use one of: %(choices)s.")
        choices = ", ".join(MembershipCategory.values)
        reject(report, row, "category", message(template, value=text, choices=choices))


def _parse_dates(row: Row, joined: str, left: str, report: ImportReport) -> None:
    row.joined = _date(row, "joined", joined, report)
    row.left = _date(row, "left", left, report)
    if row.joined and row.left and row.left.upper < row.joined.lower:
        row.dates_valid = False
        reject(report, row, "left", left_before_joined(row.left, row.joined))


def left_before_joined(left: PartialDate, joined: PartialDate):
    """The message for a membership said to end before it starts."""
    return message(
        _("%(left)s is before the joined date %(joined)s."), left=left.isoformat(), joined=joined.isoformat()
    )


def _date(row: Row, column: str, text: str, report: ImportReport) -> PartialDate | None:
    if not text:
        return None
    try:
        return PartialDate.parse(text)
    except ValueError:
        row.dates_valid = False
        reject(report, row, column, message(INVALID_DATE_MESSAGE, value=text))
        return None


def _parse_source_url(row: Row, url: str, vocabulary: Vocabulary, report: ImportReport) -> None:
    if not url:
        return
    try:
        if len(url) > MAX_URL:
            raise ValidationError("too long")
        vocabulary.url_validator(url)
    except ValidationError:
        template = _("“%(value)s” is not a valid web address (it starts with http:// or https://).")
        reject(report, row, "source_url", message(template, value=url))
    else:
        row.source_url = url
