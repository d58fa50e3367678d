"""Search latency at scale: the same searches on a database of about 200,000 places and on one
of about 10,000, side by side in one run, and ``?q=`` on ``/api/v1/cities/`` before and after
its index-driven plan.

Databases. Django is set up by the caller (``benchmarks/run.py``) against the big database,
``BENCH_DATABASE_URL`` (e.g. ``manage.py import_gazetteer``: ≈235,000 places). The small one
is ``BENCH_SMALL_DATABASE_URL`` (e.g. ``manage.py import_gazetteer --min-population 60000``:
≈10,400 places), both PostgreSQL with the real data loaded and migrated. This module opens the
small one as a second connection (a copy of the default connection's settings with the small
URL's name, host, port, user and password, under the alias ``bench_small``) and, while it times
the small database, puts that connection in the place of ``default`` (so the search service,
which reads ``connection`` and the default manager, runs unchanged against it). Without
``BENCH_SMALL_DATABASE_URL`` only the big database is measured (the ratios are left out).

What is timed, alternately on each database, ``rounds`` times (median reported):

- **search**: ``search.services.search(q)``, everything the search page and ``/api/v1/search/``
  ask of the database and of Python (matches, counts and facets, the ranked page with its
  snippets), for four kinds of query: a rare name ("curitiba"), a name typed without accents
  ("sao paulo"), a misspelt name ("montevidoe") and a common word ("san"). Target: at the big
  database at most 1.5× the small one's time;
- **typeahead**: ``search.services.suggest(q)`` for the same queries (reported, no target);
- **?q= on the cities list**: the count and the first page (at most 100 cities ordered by key,
  sliced to the count as the API's paginator does) of the cities matching ``q``, with the
  condition the API used before this change (:func:`old_condition`: ``id IN (SELECT … FROM
  search_searchentry …)``, the query in four configurations OR-ed) and with the one it uses now
  (``id = ANY(ARRAY(…))``, :func:`search.services.text_condition`), on the big database.

Before timing, the first result of each named query is checked at both sizes.
"""

from __future__ import annotations

import os
import statistics
import time
from contextlib import contextmanager

#: benchmarks/run.py runs this module on the big database only: it compares the sizes itself
SIZES = ("big",)
SMALL = "bench_small"
TARGET = 1.5
#: (kind, query, key of the expected first result or None)
QUERIES = (
    ("rare name", "curitiba", "curitiba-br"),
    ("accent-less name", "sao paulo", "sao-paulo-br"),
    ("misspelt name", "montevidoe", "montevideo-uy"),
    ("common word", "san", None),
)
LIST_QUERIES = ("montevidoe", "curitiba", "san")


def run(*, quick: bool = False) -> list[dict]:
    rounds = 9 if quick else 31
    small = small_connection()
    sizes = {"big": places()}
    if small is not None:
        with as_default(small):
            sizes["small"] = places()
    for _kind, query, key in QUERIES:
        check(query, key)
        if small is not None:
            with as_default(small):
                check(query, key)
    results = []
    for kind, query, _key in QUERIES:
        results += compare(f"search {kind} “{query}”", lambda q=query: search(q), small, sizes, rounds)
    for kind, query, _key in QUERIES:
        results += compare(f"typeahead {kind} “{query}”", lambda q=query: suggest(q), small, sizes, rounds, target="")
    for query in LIST_QUERIES:
        results.append(list_before_after(query, sizes["big"], rounds))
    return results


# The two databases ----------------------------------------------------------------------------


def small_connection():
    """The connection to ``BENCH_SMALL_DATABASE_URL`` (None without it)."""
    import dj_database_url
    from django.db import connections

    url = os.environ.get("BENCH_SMALL_DATABASE_URL")
    if not url:
        return None
    parsed = dj_database_url.parse(url)
    settings = dict(connections["default"].settings_dict)
    settings.update({key: parsed[key] for key in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT")})
    connections.settings[SMALL] = settings
    return connections[SMALL]


@contextmanager
def as_default(replacement):
    """``replacement`` in the place of the default connection (this thread) meanwhile."""
    from django.db import connections

    original = connections["default"]
    connections["default"] = replacement
    try:
        yield
    finally:
        connections["default"] = original


def places() -> int:
    from search.models import SearchEntry

    return SearchEntry.objects.filter(kind="city").count()


# What is timed ----------------------------------------------------------------------------------


def search(query: str):
    from search import services

    return services.search(query)


def suggest(query: str):
    from search import services

    return services.suggest(query)


def check(query: str, key: str | None) -> None:
    results = search(query)
    if not results.hits or (key is not None and results.hits[0].key != key):
        found = results.hits[0].key if results.hits else None
        raise AssertionError(f"search {query!r}: first result {found!r}, expected {key!r}")


def timed(call) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def compare(name: str, call, small, sizes: dict, rounds: int, *, target: str | None = None) -> list[dict]:
    call()
    if small is not None:
        with as_default(small):
            call()
    big_times, small_times = [], []
    for _ in range(rounds):
        big_times.append(timed(call))
        if small is not None:
            with as_default(small):
                small_times.append(timed(call))
    big = statistics.median(big_times)
    row = {
        "name": f"{name} at {sizes['big']:,} places",
        "value": round(big, 2),
        "unit": "ms",
        "floor_name": None,
        "floor_value": None,
        "ratio": None,
        "target": f"<= {TARGET:g}x the {sizes.get('small', 0):,}-place time" if target is None else target,
    }
    if small is not None:
        small_ms = statistics.median(small_times)
        row.update(
            floor_name=f"the same at {sizes['small']:,} places",
            floor_value=round(small_ms, 2),
            ratio=round(big / small_ms, 2),
        )
    return [row]


def list_before_after(query: str, size: int, rounds: int) -> dict:
    """The first page of ``/api/v1/cities/?q=query``'s cities and their count, the old condition
    vs the new."""
    from django.db.models import Q

    from cities.models import City
    from search import services
    from search.models import SearchEntry

    fields, translated = ("slug", "native_name"), ("name",)
    new = services.text_condition(City, query, fields=fields, translated=translated)
    old = Q(pk__in=SearchEntry.objects.filter(old_condition(query), kind="city").values("object_id"))

    def page(condition):
        # As the API's list reads them: the count, then the page (every column, the country
        # joined, in key order) sliced as Django's paginator does, at most to the count.
        matching = City.objects.select_related("country").filter(condition).order_by("slug")
        return [city.slug for city in matching[: min(100, matching.count())]]

    if sorted(page(old)) != sorted(page(new)):
        raise AssertionError(f"?q={query}: the two conditions list different cities")
    before = statistics.median(timed(lambda: page(old)) for _ in range(max(3, rounds // 3)))
    after = statistics.median(timed(lambda: page(new)) for _ in range(rounds))
    return {
        "name": f"/api/v1/cities/?q={query}: first 100 cities at {size:,} places (= ANY(ARRAY(…)))",
        "value": round(after, 2),
        "unit": "ms",
        "floor_name": "before: id IN (SELECT … search_searchentry …)",
        "floor_value": round(before, 2),
        "ratio": round(after / before, 3),
        "target": "index-driven plan (no walk of the cities table)",
    }


def old_condition(query: str):
    """The condition of ``?q=`` as the search app built it before this change: the query in the
    four configurations OR-ed (four copies of a lexeme the four stem alike), then similar names,
    then the names containing it; the list's ids taken ``IN`` that subquery."""
    from django.contrib.postgres.search import SearchQuery
    from django.db.models import F, Q
    from django.db.models.lookups import Contains

    from search import services
    from search.database import CONFIG_OF_LANGUAGE

    combined = None
    for config in CONFIG_OF_LANGUAGE.values():
        part = SearchQuery(query, config=config, search_type="websearch")
        combined = part if combined is None else combined | part
    whole = services.plain_expression(query)
    return (
        Q(document=combined) | Q(services.WordSimilarTo(F("names_plain"), whole)) | Q(Contains(F("names_plain"), whole))
    )
