"""A row as planned (what it names, what it will do) and a city the import will create."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from cities.models import City, Country
from core.partialdates import PartialDate
from core.text import fold

from ...models import Membership
from .report import ImportReport


@dataclass
class NewCity:
    """A city this import will create (first seen on ``row``)."""

    row: int
    name: str
    country: Country
    latitude: Decimal | None
    longitude: Decimal | None
    geonames_id: int | None
    wikidata_id: str
    source_urls: list[str] = field(default_factory=list)
    instance: City | None = None

    def __str__(self):
        return self.name


@dataclass
class Row:
    """One row of the file: its values once validated, the city and membership it matches and
    what writing it will do."""

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
    city: City | NewCity | int | None = None  # int: a matched city's pk until fetched
    membership: Membership | None = None  # the existing membership the row matches
    action: str = ""  # "create", "update" or "unchanged"
    changes: dict = field(default_factory=dict)
    cite: bool = False

    @property
    def city_key(self):
        """The same for every row about one city (matched, to create, or only named)."""
        if isinstance(self.city, City):
            return ("city", self.city.pk)
        if self.city is not None:
            return ("new", id(self.city))
        return ("name", self.country.pk if self.country else None, fold(self.city_name))

    @property
    def final_end(self) -> PartialDate | None:
        """When the membership ends once the row is written."""
        if self.left is not None:
            return self.left
        return self.membership.end if self.membership is not None else None

    @property
    def joined_key(self) -> int | None:
        return int(self.joined) if self.joined else None


def reject(report: ImportReport, row: Row, column: str | None, message) -> None:
    """Record a problem of ``row`` (in ``column``, or the row as a whole): it will not be written."""
    row.valid = False
    report.add(row.row, column, message)


def bounds(start: PartialDate | None, end: PartialDate | None) -> tuple[datetime.date, datetime.date]:
    """A period's first and last day as :mod:`core.periods` reads partial dates."""
    return (start.lower if start else datetime.date.min, end.upper if end else datetime.date.max)


def overlap(first: tuple, second: tuple) -> bool:
    return first[0] <= second[1] and second[0] <= first[1]


def period_text(start: PartialDate | None, end: PartialDate | None) -> str:
    return f"{start.isoformat() if start else '…'} – {end.isoformat() if end else '…'}"
