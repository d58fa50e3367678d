"""A network of 20,000 members (synthetic: "Synthetic scale city N" in user-assigned countries,
written with bulk_create as an import would): its profile stays under 300 KB, lists a bounded
preview, and its map's GeoJSON holds every point, in a fixed number of queries."""

import contextlib
import json
import re
import time

import pytest
from django.db import connection

from cities.models import City
from core import contentversion
from networks.models import Membership
from networks.selectors import MEMBER_PREVIEW_LIMIT

from .factories import USER_ASSIGNED_CODES, CountryFactory, NetworkFactory
from .helpers import get_counting_queries, page_of, url

pytestmark = pytest.mark.django_db

MEMBERS = 20_000
SMALL = 20
LARGE = 2_000
PROFILE_LIMIT = 300 * 1024
COUNTRIES = 10
# The content version, the network, the points (as tests/test_pages_networks.py).
MEMBER_MAP_QUERIES = 3


def add_members(network, count: int, start: int = 0) -> None:
    """``count`` synthetic member cities with coordinates, spread over ten synthetic countries,
    written in bulk (no signals: the content version is bumped as bulk writers must)."""
    countries = [CountryFactory(code=code) for code in USER_ASSIGNED_CODES[:COUNTRIES]]
    cities = City.objects.bulk_create(
        [
            City(
                slug=f"synthetic-scale-city-{n}",
                name_en=f"Synthetic scale city {n}",
                country=countries[n % COUNTRIES],
                latitude=f"{-60 + (n * 7919 % 12000) / 100:.5f}",
                longitude=f"{-180 + (n * 104729 % 36000) / 100:.5f}",
            )
            for n in range(start, start + count)
        ],
        batch_size=2000,
    )
    with overlap_checks_by_city(start + count):
        Membership.objects.bulk_create(
            [
                Membership(network=network, city=city, start=f"{1990 + n % 35}", founding=n < 12)
                for n, city in enumerate(cities, start=start)
            ],
            batch_size=2000,
        )
    contentversion.bump()


@contextlib.contextmanager
def overlap_checks_by_city(rows: int):
    """SQLite: the membership_no_overlap trigger looks for another membership of the new row's
    city in its network. With no statistics, SQLite's planner reads it through an index on the
    network, i.e. every membership of the network for each new one: 20,000 x 20,000 rows, minutes
    of a test. Statistics saying that a network has thousands of memberships and a city one make
    it read the city's index instead; the trigger still checks every row. They are removed
    afterwards, so no other test's queries are planned with them."""
    if connection.vendor != "sqlite":
        yield
        return
    table = Membership._meta.db_table
    with connection.cursor() as cursor:
        stats = []
        for name, index in connection.introspection.get_constraints(cursor, table).items():
            columns = index["columns"] or []
            if index["index"] and not index["primary_key"] and columns and columns[0] in {"city_id", "network_id"}:
                first = "1" if columns[0] == "city_id" else str(rows)
                stats.append((table, name, " ".join([str(rows), first, *["1"] * (len(columns) - 1)])))
        cursor.execute("ANALYZE sqlite_master")  # creates sqlite_stat1 if missing
        cursor.executemany("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (%s, %s, %s)", stats)
        cursor.execute("ANALYZE sqlite_master")  # the planner reads sqlite_stat1 again
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = %s", [table])
            cursor.execute("ANALYZE sqlite_master")


def test_a_profile_of_20000_members_stays_small_and_its_map_holds_every_point(client):
    network = NetworkFactory(slug="synthetic-scale-network", name_en="Synthetic scale network")
    address = url("network-detail", slug=network.slug)

    started = time.perf_counter()
    add_members(network, MEMBERS)
    print(f"\n{MEMBERS} synthetic members written in {time.perf_counter() - started:.1f}s")
    started = time.perf_counter()
    cold = client.get(address)
    cold_seconds = time.perf_counter() - started
    page = page_of(cold)
    started = time.perf_counter()
    warm = client.get(address)
    warm_seconds = time.perf_counter() - started
    print(f"profile, {MEMBERS} members: {len(cold.content)} B, cold {cold_seconds:.3f}s, warm {warm_seconds:.4f}s")

    assert len(cold.content) < PROFILE_LIMIT, len(cold.content)
    assert warm["X-Paradiplo-Cache"] == "hit" and warm.content == cold.content
    assert re.search(r"Members recorded today</dt>\s*<dd>20,000[\s<]", page)  # then the dated count
    # A bounded preview of the members, a link to all of them, no point in the page.
    preview = page[page.index('id="member-preview-heading"') :]
    preview = preview[: preview.index("</table>")]
    assert preview.count("Synthetic scale city") == MEMBER_PREVIEW_LIMIT
    assert url("network-members", slug=network.slug) in page
    assert 'id="members-map-data"' not in page and page.count("Synthetic scale city") < 100

    collection = client.get(url("network-members-geojson", slug=network.slug)).json()
    assert len(collection["features"]) == MEMBERS
    names = {feature["properties"]["name"] for feature in collection["features"]}
    assert len(names) == MEMBERS and "Synthetic scale city 19999" in names
    assert f"The {MEMBERS} member cities recorded today with known coordinates" in page
    zipped = client.get(url("network-members-geojson", slug=network.slug), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert zipped["Content-Encoding"] == "gzip"
    size = len(json.dumps(collection))
    print(f"GeoJSON, {MEMBERS} members: about {size} B, gzipped {len(zipped.content)} B")
    assert len(zipped.content) < size / 4


def test_the_map_points_take_the_same_queries_for_20_and_2000_members(client, django_assert_num_queries):
    network = NetworkFactory(slug="synthetic-scale-network", name_en="Synthetic scale network")
    add_members(network, SMALL)
    address = url("network-members-geojson", slug=network.slug)
    small = get_counting_queries(client, django_assert_num_queries, MEMBER_MAP_QUERIES, address)
    add_members(network, LARGE - SMALL, start=SMALL)
    large = get_counting_queries(client, django_assert_num_queries, MEMBER_MAP_QUERIES, address)
    assert len(small.json()["features"]) == SMALL and len(large.json()["features"]) == LARGE
    assert large["Content-Type"] == "application/geo+json"
