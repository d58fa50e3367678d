"""Export rows/s vs a psycopg2 + csv floor, side by side in one run.

- **the API**: ``GET /api/v1/<resource>/?format=csv`` (and ``geojson`` for cities) through
  Django's test client, the whole streamed body read;
- **the floor**: the same rows and columns fetched with raw psycopg2 (a server-side cursor,
  2,000 rows at a time, the citations of each batch by one more query) and written with
  ``csv.writer``. Before timing, the floor's CSV of a filtered list is checked equal to the API's
  (every column the serializers give, ``certainty`` and ``wikidata_url`` included). The GeoJSON
  export has no floor of its own: it is set beside the CSV floor of the same rows (its
  ``license`` member and the features' JSON are the API's alone).

Whole tables are exported (all cities, all memberships); ``quick`` exports a country's cities
and a network's memberships of about 20,000 rows each (the same filter for both). Django must be
set up by the caller against a PostgreSQL database holding the data (see
``benchmarks/run.py``).
"""

from __future__ import annotations

import csv
import time

from benchmarks.bench_api import (
    HOST,
    MEMBERSHIPS_SELECT,
    first,
    number,
    partial,
    raw_connection,
    stamp,
    wikidata_url,
)

TARGET_ROWS_PER_SECOND = 10_000
#: Every downloaded file starts with a byte order mark, as the API's (core.exports.BOM).
BOM = "\ufeff"
BATCH = 2000
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def run(*, quick: bool = False) -> list[dict]:
    from django.db import connection
    from rest_framework.throttling import SimpleRateThrottle

    limit = 20_000 if quick else None
    raw = raw_connection(connection)
    rates = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = {"anon": "1000000/minute", "user": "1000000/minute"}
    try:
        check(raw)
        results = []
        for resource, floor in (("cities", cities_csv), ("memberships", memberships_csv)):
            results.append(measure(raw, resource, "csv", floor, limit))
        results.append(measure(raw, "cities", "geojson", cities_csv, limit))
    finally:
        SimpleRateThrottle.THROTTLE_RATES = rates
        raw.close()
    return results


def measure(raw, resource: str, fmt: str, floor, limit: int | None) -> dict:
    from django.test import Client

    params, condition, values = {"format": fmt}, "", []
    if limit is not None:
        params, condition, values = quick_filter(raw, resource, limit, fmt)
    start = time.perf_counter()
    response = Client().get(f"/api/v1/{resource}/", params)
    assert response.status_code == 200, response.status_code
    lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
    api_seconds = time.perf_counter() - start
    rows = lines - 1 if fmt == "csv" else api_rows(raw, resource, condition, values)

    start = time.perf_counter()
    floor_rows = sum(1 for _line in floor(raw, condition, values)) - 1
    floor_seconds = time.perf_counter() - start
    if floor_rows != rows:
        raise AssertionError(f"{resource}: the API exported {rows} rows, the floor {floor_rows}")
    api_rate, floor_rate = rows / api_seconds, floor_rows / floor_seconds
    return {
        "name": f"export {resource} as {fmt.upper()} ({rows:,} rows)",
        "value": round(api_rate),
        "unit": "rows/s",
        "floor_name": "psycopg2 + csv.writer, same rows and columns (CSV)",
        "floor_value": round(floor_rate),
        "ratio": round(floor_rate / api_rate, 2),
        "target": f">= {TARGET_ROWS_PER_SECOND:,} rows/s",
    }


def quick_filter(raw, resource: str, limit: int, fmt: str):
    """The API filter (and the floor's condition) of a country or network of about ``limit``
    rows."""
    with raw.cursor() as cursor:
        if resource == "cities":
            cursor.execute(
                "SELECT co.code, count(*) FROM cities_city c JOIN cities_country co ON co.id = c.country_id "
                "GROUP BY co.code ORDER BY abs(count(*) - %s) LIMIT 1",
                [limit],
            )
            code, _count = cursor.fetchone()
            return {"format": fmt, "country": code}, "WHERE co.code = %s", [code]
        cursor.execute(
            "SELECT n.slug, count(*) FROM networks_membership m JOIN networks_network n ON n.id = m.network_id "
            "GROUP BY n.slug ORDER BY abs(count(*) - %s) LIMIT 1",
            [limit],
        )
        slug, _count = cursor.fetchone()
        return {"format": fmt, "network": slug}, "WHERE n.slug = %s", [slug]


def api_rows(raw, resource: str, condition: str, values: list) -> int:
    sql = {"cities": CITIES_SQL, "memberships": MEMBERSHIPS_SQL}[resource]
    with raw.cursor() as cursor:
        alias = "c" if resource == "cities" else "m"
        cursor.execute(f"SELECT count(*) FROM ({sql.format(where=condition.format(alias=alias))}) t", values)  # noqa: S608
        return cursor.fetchone()[0]


def check(raw) -> None:
    """The floor writes what the API writes (a small filtered list of each)."""
    from django.test import Client

    for resource, floor, params, condition, values in (
        ("cities", cities_csv, {"country": "UY"}, "WHERE co.code = %s", ["UY"]),
        ("memberships", memberships_csv, {"network": "mercociudades"}, "WHERE n.slug = %s", ["mercociudades"]),
    ):
        response = Client().get(f"/api/v1/{resource}/", {"format": "csv", **params})
        api = b"".join(response.streaming_content).decode()
        if "".join(floor(raw, condition, values)) != api:
            raise AssertionError(f"the {resource} floor does not write what the API writes")


# The floor ------------------------------------------------------------------------------------


class Echo:
    def write(self, value):
        return value


def text(value) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    value = str(value)
    if value.startswith(FORMULA):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def cited(cursor, table: str, ids: list[int]) -> dict[int, str]:
    cursor.execute(
        f"SELECT c.record_id, s.title, c.locator FROM {table} c JOIN sources_source s ON s.id = c.source_id "  # noqa: S608
        "WHERE c.record_id = ANY(%s) ORDER BY c.id",
        [ids],
    )
    texts: dict[int, list] = {}
    for record_id, title, locator in cursor.fetchall():
        texts.setdefault(record_id, []).append(f"{title} ({locator})" if locator else title)
    return {record_id: "; ".join(items) for record_id, items in texts.items()}


def stream(raw, sql: str, values: list, citation_table: str, header: list[str], row_cells):
    writer = csv.writer(Echo(), lineterminator="\r\n")
    yield BOM + writer.writerow(header)
    with raw.cursor(name="floor", withhold=True) as rows, raw.cursor() as cursor:
        rows.itersize = BATCH
        rows.execute(sql, values)
        while batch := rows.fetchmany(BATCH):
            citations = cited(cursor, citation_table, [row[0] for row in batch])
            for row in batch:
                yield writer.writerow([text(value) for value in row_cells(row, citations.get(row[0], ""))])


CITIES_SQL = """
SELECT c.id, c.slug, c.name_en, c.name_es, c.name_pt, c.name_fr, c.native_name, c.level,
       co.code, co.name_en, co.name_es, co.name_pt, co.name_fr, c.admin_area, c.population,
       c.population_year, c.latitude, c.longitude, c.geonames_id, c.wikidata_id, c.website,
       c.created_at, c.updated_at
FROM cities_city c LEFT JOIN cities_country co ON co.id = c.country_id {where}
ORDER BY c.slug
"""
CITIES_HEADER = (
    "key,url,slug,name,native_name,level,country.key,country.url,country.code,country.name,admin_area,"
    "population,population_year,latitude,longitude,geonames_id,wikidata_id,wikidata_url,website,citations,created_at,"
    "updated_at,name_i18n.en,name_i18n.es,name_i18n.pt,name_i18n.fr"
).split(",")


def cities_csv(raw, condition: str, values: list):
    def cells(row, citations):
        (_pk, slug, en, es, pt, fr, native, level, code, cen, ces, cpt, cfr, area, population, year, lat, lon,
         geonames, wikidata, website, created, updated) = row  # fmt: skip
        country = (code, f"{HOST}/countries/{code}/", code, first(cen, ces, cpt, cfr)) if code else (None,) * 4
        return (
            slug, f"{HOST}/cities/{slug}/", slug, first(en, es, pt, fr), native, level, *country, area, population,
            year, number(lat), number(lon), geonames, wikidata, wikidata_url(wikidata), website, citations,
            stamp(created), stamp(updated),
            en or None, es or None, pt or None, fr or None,
        )  # fmt: skip

    sql = CITIES_SQL.format(where=condition.format(alias="c"))
    return stream(raw, sql, values, "cities_citycitation", CITIES_HEADER, cells)


MEMBERSHIPS_SQL = MEMBERSHIPS_SELECT  # every membership of the filter, in the API's order
MEMBERSHIPS_HEADER = (
    "key,url,network.key,network.url,network.name,network.acronym,city.key,city.url,city.name,city.country,"
    "city.latitude,city.longitude,category,founding,start,start_precision,end,end_precision,first_attested,"
    "first_attested_precision,admitted_at.key,admitted_at.url,admitted_at.number,admitted_at.name,"
    "admitted_at.start,admitted_at.start_precision,certainty,citations,created_at,updated_at"
).split(",")


def memberships_csv(raw, condition: str, values: list):
    def cells(row, citations):
        (_pk, network, nen, nes, npt, nfr, acronym, city, cen, ces, cpt, cfr, code, _coen, _coes, _copt, _cofr, lat,
         lon, category, founding, start, end, attested, summit, summit_key, summit_number, sen, ses, spt, sfr,
         summit_start, certainty, created, updated, key) = row  # fmt: skip
        start_text, start_precision = partial(start)
        admitted = (None,) * 6
        if summit is not None:
            admitted = (summit_key, f"{HOST}/summits/{summit_key}/", summit_number, first(sen, ses, spt, sfr),
                        *partial(summit_start))  # fmt: skip
        return (
            key, f"{HOST}/memberships/{key}/", network, f"{HOST}/networks/{network}/", first(nen, nes, npt, nfr),
            acronym, city, f"{HOST}/cities/{city}/", first(cen, ces, cpt, cfr), code, number(lat), number(lon),
            category, founding, start_text, start_precision, *partial(end), *partial(attested), *admitted, certainty,
            citations, stamp(created), stamp(updated),
        )  # fmt: skip

    sql = MEMBERSHIPS_SQL.format(where=condition.format(alias="m"))
    return stream(raw, sql, values, "networks_membershipcitation", MEMBERSHIPS_HEADER, cells)
