"""API list page vs the psycopg2 floor vs stock DRF, side by side in one run.

For a page of 100 cities and a page of 100 memberships (the first page, default order, English):

- **the API**: ``GET /api/v1/<resource>/?page_size=100`` through Django's test client, the whole
  stack (middleware, throttling, filters, pagination, serializers, JSON renderer), count cached
  as it is in production after the first request;
- **the floor**: the same rows fetched with raw psycopg2 (hand-written SQL: the page and its
  citations, two queries) and rendered to the same JSON with ``json.dumps``; the count taken as
  known (the floor does not count). Before timing, the floor's JSON is checked equal to the
  API's, so that both do the same work: every field the serializers show, in their order (a
  membership's ``certainty``, a city's ``wikidata_id`` and ``wikidata_url``…). The response's
  headers (its ETag, the licence ``Link``) are the API's alone;
- **stock DRF**: a ``ListAPIView`` with plain nested ``ModelSerializer`` classes (the same
  fields, without keys, URLs and translations) and DRF's ``PageNumberPagination`` (which counts
  every page), over the viewset's own queryset, called directly (no middleware).

Each is timed alternately, ``rounds`` times; the median is reported. Django must be set up by
the caller against a PostgreSQL database holding the data (see ``benchmarks/run.py``).
"""

from __future__ import annotations

import json
import statistics
import time
from decimal import Decimal

PAGE = 100
TARGET_FLOOR = 3.0


def run(*, quick: bool = False) -> list[dict]:
    from rest_framework.throttling import SimpleRateThrottle

    rounds = 15 if quick else 60
    results = []
    # The anonymous rate limit stays in the path (its cache read and write are part of a
    # request's cost), high enough not to answer 429 to the benchmark's own requests.
    rates = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = {"anon": "1000000/minute", "user": "1000000/minute"}
    try:
        for resource, floor in (("cities", cities_floor), ("memberships", memberships_floor)):
            results += compare(resource, floor, rounds)
    finally:
        SimpleRateThrottle.THROTTLE_RATES = rates
    return results


# Timing ---------------------------------------------------------------------------------------


def compare(resource: str, floor, rounds: int) -> list[dict]:
    from django.db import connection
    from django.test import Client

    client = Client()
    address = f"/api/v1/{resource}/"
    params = {"page_size": PAGE}
    api_data = ok(client.get(address, params)).json()  # plans the serializers and caches the count
    raw = raw_connection(connection)
    floor_text = floor(raw, api_data["count"])
    if json.loads(floor_text) != api_data:
        raise AssertionError(f"the {resource} floor does not render what the API renders")
    stock = stock_view(resource)

    timings = {"api": [], "floor": [], "stock": []}
    for _ in range(rounds):
        timings["api"].append(timed(lambda: ok(client.get(address, params)).content))
        timings["floor"].append(timed(lambda: floor(raw, api_data["count"])))
        timings["stock"].append(timed(stock))
    raw.close()
    api, floor_ms, stock_ms = (statistics.median(timings[name]) for name in ("api", "floor", "stock"))
    places = count_of("cities_city", connection)
    name = f"API list page, {PAGE} {resource} ({places:,} places)"
    return [
        {
            "name": name,
            "value": round(api, 2),
            "unit": "ms",
            "floor_name": "psycopg2 + json.dumps, same JSON",
            "floor_value": round(floor_ms, 2),
            "ratio": round(api / floor_ms, 2),
            "target": f"<= {TARGET_FLOOR:g}x floor",
        },
        {
            "name": f"{name} vs stock DRF",
            "value": round(api, 2),
            "unit": "ms",
            "floor_name": "stock DRF ModelSerializer + PageNumberPagination",
            "floor_value": round(stock_ms, 2),
            "ratio": round(api / stock_ms, 2),
            "target": "< 1x stock DRF",
        },
    ]


def ok(response):
    if response.status_code != 200:
        raise AssertionError(f"the API answered {response.status_code}")
    return response


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return (time.perf_counter() - start) * 1000


def raw_connection(connection):
    import psycopg2

    connection.ensure_connection()
    raw = psycopg2.connect(**connection.get_connection_params())
    raw.autocommit = True
    with raw.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'UTC'")
    return raw


def count_of(table: str, connection) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - a constant table name
        return cursor.fetchone()[0]


# The floor: hand-written SQL and JSON ---------------------------------------------------------

HOST = "http://testserver/api/v1"
WIKIDATA = "https://www.wikidata.org/wiki/{}"  # a QID's page (core.records.WIKIDATA_URL)
FALLBACKS_EN = (0, 1, 2, 3)  # the English name, then Spanish, Portuguese, French (settings)


def first(*values):
    for value in values:
        if value is not None and value != "":
            return value
    return ""


def stamp(value) -> str:
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def number(value: Decimal | None) -> float | None:
    """A coordinate as the API gives it: a JSON number."""
    return None if value is None else float(value)


def country_summary(code: str | None, *names: str | None) -> dict | None:
    """A country as the API gives it wherever one appears (names: en, es, pt, fr)."""
    if code is None:
        return None
    return {"key": code, "url": f"{HOST}/countries/{code}/", "code": code, "name": first(*names)}


def wikidata_url(qid: str | None) -> str | None:
    return WIKIDATA.format(qid) if qid else None


def partial(value: int | None) -> tuple[str | None, str | None]:
    if value is None:
        return None, None
    year, rest = divmod(value, 10000)
    month, day = divmod(rest, 100)
    if day:
        return f"{year:04d}-{month:02d}-{day:02d}", "day"
    if month:
        return f"{year:04d}-{month:02d}", "month"
    return f"{year:04d}", "year"


def citations(cursor, table: str, ids: list[int]) -> dict[int, list]:
    cursor.execute(
        f"SELECT c.record_id, s.key, s.title, s.url, c.locator FROM {table} c "  # noqa: S608 - constant
        "JOIN sources_source s ON s.id = c.source_id WHERE c.record_id = ANY(%s) ORDER BY c.id",
        [ids],
    )
    cited: dict[int, list] = {}
    for record_id, key, title, link, locator in cursor.fetchall():
        source = {"key": key, "url": f"{HOST}/sources/{key}/", "title": title, "link": link}
        cited.setdefault(record_id, []).append({"source": source, "locator": locator})
    return cited


def envelope(resource: str, count: int, results: list) -> str:
    following = f"{HOST}/{resource}/?page=2&page_size={PAGE}" if count > PAGE else None
    data = {"count": count, "next": following, "previous": None, "results": results}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


CITIES_SQL = """
SELECT c.id, c.slug, c.name_en, c.name_es, c.name_pt, c.name_fr, c.native_name, c.level,
       co.code, co.name_en, co.name_es, co.name_pt, co.name_fr, c.admin_area, c.population,
       c.population_year, c.latitude, c.longitude, c.geonames_id, c.wikidata_id, c.website,
       c.created_at, c.updated_at
FROM cities_city c LEFT JOIN cities_country co ON co.id = c.country_id
ORDER BY c.slug LIMIT %s
"""


def cities_floor(raw, count: int) -> str:
    with raw.cursor() as cursor:
        cursor.execute(CITIES_SQL, [PAGE])
        rows = cursor.fetchall()
        cited = citations(cursor, "cities_citycitation", [row[0] for row in rows])
    results = []
    for row in rows:
        (pk, slug, en, es, pt, fr, native, level, code, cen, ces, cpt, cfr, area, population, year, lat, lon,
         geonames, wikidata, website, created, updated) = row  # fmt: skip
        country = country_summary(code, cen, ces, cpt, cfr)
        results.append(
            {
                "key": slug,
                "url": f"{HOST}/cities/{slug}/",
                "slug": slug,
                "name": first(en, es, pt, fr),
                "native_name": native,
                "level": level,
                "country": country,
                "admin_area": area,
                "population": population,
                "population_year": year,
                "latitude": number(lat),
                "longitude": number(lon),
                "geonames_id": geonames,
                "wikidata_id": wikidata,
                "wikidata_url": wikidata_url(wikidata),
                "website": website,
                "citations": cited.get(pk, []),
                "created_at": stamp(created),
                "updated_at": stamp(updated),
                "name_i18n": {"en": en or None, "es": es or None, "pt": pt or None, "fr": fr or None},
            }
        )
    return envelope("cities", count, results)


# The memberships with what their JSON and CSV show; {where} is the export's filter.
MEMBERSHIPS_SELECT = """
SELECT m.id, n.slug, n.name_en, n.name_es, n.name_pt, n.name_fr, n.acronym,
       c.slug, c.name_en, c.name_es, c.name_pt, c.name_fr, co.code,
       co.name_en, co.name_es, co.name_pt, co.name_fr, c.latitude, c.longitude,
       m.category, m.founding, m.start, m."end", m.first_attested,
       s.id, s.key, s.number, s.name_en, s.name_es, s.name_pt, s.name_fr, s.start,
       m.certainty, m.created_at, m.updated_at, m.key
FROM networks_membership m
JOIN networks_network n ON n.id = m.network_id
JOIN cities_city c ON c.id = m.city_id
LEFT JOIN cities_country co ON co.id = c.country_id
LEFT JOIN networks_summit s ON s.id = m.admitted_at_id
LEFT JOIN networks_network sn ON sn.id = s.network_id {where}
ORDER BY n.slug, m.start, c.slug, m.id
"""
MEMBERSHIPS_SQL = MEMBERSHIPS_SELECT.format(where="").rstrip() + " LIMIT %s\n"


def memberships_floor(raw, count: int) -> str:
    with raw.cursor() as cursor:
        cursor.execute(MEMBERSHIPS_SQL, [PAGE])
        rows = cursor.fetchall()
        cited = citations(cursor, "networks_membershipcitation", [row[0] for row in rows])
    results = []
    for row in rows:
        (pk, network, nen, nes, npt, nfr, acronym, city, cen, ces, cpt, cfr, code, coen, coes, copt, cofr, lat, lon,
         category, founding, start, end, attested, summit, summit_key, summit_number, sen, ses, spt, sfr,
         summit_start, certainty, created, updated, key) = row  # fmt: skip
        start_text, start_precision = partial(start)
        end_text, end_precision = partial(end)
        attested_text, attested_precision = partial(attested)
        country = country_summary(code, coen, coes, copt, cofr)
        admitted = None
        if summit is not None:
            summit_start_text, summit_precision = partial(summit_start)
            admitted = {
                "key": summit_key,
                "url": f"{HOST}/summits/{summit_key}/",
                "number": summit_number,
                "name": first(sen, ses, spt, sfr),
                "start": summit_start_text,
                "start_precision": summit_precision,
            }
        results.append(
            {
                "key": key,
                "url": f"{HOST}/memberships/{key}/",
                "network": {
                    "key": network,
                    "url": f"{HOST}/networks/{network}/",
                    "name": first(nen, nes, npt, nfr),
                    "acronym": acronym,
                },
                "city": {
                    "key": city,
                    "url": f"{HOST}/cities/{city}/",
                    "name": first(cen, ces, cpt, cfr),
                    "country": country,
                    "latitude": number(lat),
                    "longitude": number(lon),
                },
                "category": category,
                "founding": founding,
                "start": start_text,
                "start_precision": start_precision,
                "end": end_text,
                "end_precision": end_precision,
                "first_attested": attested_text,
                "first_attested_precision": attested_precision,
                "admitted_at": admitted,
                "certainty": certainty,
                "citations": cited.get(pk, []),
                "created_at": stamp(created),
                "updated_at": stamp(updated),
            }
        )
    return envelope("memberships", count, results)


# Stock DRF ------------------------------------------------------------------------------------


def stock_view(resource: str):
    """A callable that serves the first page of ``resource`` with stock DRF."""
    from django.test import RequestFactory
    from rest_framework import generics, pagination, serializers

    from cities.models import City, Country
    from networks.api import CityWithOfficesViewSet, MembershipViewSet
    from networks.models import Membership, Network, Summit
    from sources.models import Source

    class SourceSerializer(serializers.ModelSerializer):
        class Meta:
            model = Source
            fields = ["key", "title", "url"]

    class CitationSerializer(serializers.Serializer):
        source = SourceSerializer(read_only=True)
        locator = serializers.CharField(read_only=True)

    class CountrySerializer(serializers.ModelSerializer):
        class Meta:
            model = Country
            fields = ["code", "name"]

    class CitySerializer(serializers.ModelSerializer):
        country = CountrySerializer(read_only=True)
        wikidata_url = serializers.SerializerMethodField()
        citations = CitationSerializer(many=True, read_only=True)

        class Meta:
            model = City
            fields = [
                "slug", "name", "native_name", "level", "country", "admin_area", "population", "population_year",
                "latitude", "longitude", "geonames_id", "wikidata_id", "wikidata_url", "website", "citations",
                "created_at", "updated_at",
            ]  # fmt: skip

        def get_wikidata_url(self, city) -> str | None:
            return wikidata_url(city.wikidata_id)

    class CitySummarySerializer(serializers.ModelSerializer):
        country = serializers.CharField(source="country.code", read_only=True, allow_null=True)

        class Meta:
            model = City
            fields = ["slug", "name", "country", "latitude", "longitude"]

    class NetworkSerializer(serializers.ModelSerializer):
        class Meta:
            model = Network
            fields = ["slug", "name", "acronym"]

    class SummitSerializer(serializers.ModelSerializer):
        class Meta:
            model = Summit
            fields = ["slug", "number", "name", "start"]

    class MembershipSerializer(serializers.ModelSerializer):
        network = NetworkSerializer(read_only=True)
        city = CitySummarySerializer(read_only=True)
        admitted_at = SummitSerializer(read_only=True)
        citations = CitationSerializer(many=True, read_only=True)

        class Meta:
            model = Membership
            fields = [
                "network", "city", "category", "founding", "start", "end", "first_attested", "admitted_at",
                "certainty", "citations", "created_at", "updated_at",
            ]  # fmt: skip

    class Page(pagination.PageNumberPagination):
        page_size = PAGE

    viewset, serializer = {
        "cities": (CityWithOfficesViewSet, CitySerializer),
        "memberships": (MembershipViewSet, MembershipSerializer),
    }[resource]

    class StockList(generics.ListAPIView):
        serializer_class = serializer
        pagination_class = Page
        authentication_classes = permission_classes = throttle_classes = ()

        def get_queryset(self):
            return viewset().get_queryset()

    view = StockList.as_view()
    factory = RequestFactory()

    def serve():
        response = view(factory.get(f"/stock/{resource}/"))
        return response.render().content

    return serve
