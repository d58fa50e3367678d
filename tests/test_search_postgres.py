"""Search on PostgreSQL: stemming in four languages, misspelt names, ranking, ts_headline
snippets, statement-level index triggers and index use (EXPLAIN). Skipped on SQLite; CI runs
the suite on both databases."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework.test import APIClient

from cities.models import City, Country
from search import services
from search.database import DOCUMENT_INDEX, EXACT_NAMES_INDEX, PROMINENCE_INDEX, TRIGRAM_INDEX

from .factories import NetworkFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("real_data"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text and trigram search"),
]


def keys(query, **kwargs):
    kwargs.setdefault("page_size", 100)
    return [hit.key for hit in services.search(query, **kwargs).hits]


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("asuncion", "asuncion-py"),
        ("Asuncion", "asuncion-py"),
        ("assuncao", "asuncion-py"),
        ("sao paulo", "sao-paulo-br"),
        ("Sao Paulo", "sao-paulo-br"),
        ("brasilia", "brasilia-br"),
        ("Brasilia", "brasilia-br"),
    ],
)
def test_names_typed_without_accents_find_the_record_first(query, key):
    if query == "assuncao" and not City.objects.filter(slug=key, name_pt__isnull=False).exists():
        City.objects.filter(slug=key).update(name_pt="Assunção")
    assert keys(query)[0] == key


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("Montevido", "montevideo-uy"),
        ("Montevidoe", "montevideo-uy"),
        ("Curitba", "curitiba-br"),
        ("Curitbia", "curitiba-br"),
        ("Sao Paolo", "sao-paulo-br"),
        ("Buenos Aries", "buenos-aires-ar"),
        ("Rosaio", "rosario-ar"),
        ("Mercocidade", "mercociudades"),
    ],
)
def test_misspelt_names_find_the_record_first(query, key):
    assert keys(query)[0] == key


@pytest.mark.parametrize("query", ["Mercocidades", "Red de Mercociudades", "Rede Mercocidades", "mercociudades"])
def test_a_name_in_another_language_finds_the_network_first_on_the_english_site(query):
    with translation.override("en"):
        hit = services.search(query).hits[0]
    assert hit.key == "mercociudades" and hit.name == "Mercocities (Mercosur Cities Network)"


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("integración fronteriza", "integracion-fronteriza"),
        ("integraciones fronterizas", "integracion-fronteriza"),  # the Spanish stemmer
        ("gobernanza fronteriza de los gobiernos locales", "gobernanza-fronteriza"),
        ("proyecto de integración fronteriza del Mercosur", "integracion-fronteriza"),
    ],
)
def test_a_spanish_phrase_finds_the_project_on_the_english_site(query, key):
    with translation.override("en"):
        assert keys(query)[0] == key


def test_english_words_are_stemmed():
    assert "mercociudades-south-south-cooperation" in keys("cooperating programmes")


def test_phrases_exclusions_and_alternatives():
    assert keys('"red de mercociudades"')[0] == "mercociudades"
    assert "mercociudades" in keys('"cities network"')  # Mercocities (Mercosur Cities Network)
    assert "mercociudades" not in keys('"network cities"')
    assert "mercociudades" in keys("mercociudades")
    assert "mercociudades" not in keys("mercociudades -montevideo")
    assert "sao-paulo-br" not in keys("sao -paulo")  # similarity must not bring it back
    assert {"montevideo-uy", "asuncion-py"} <= set(keys("montevideo or asuncion"))


def test_ranking_exact_name_then_names_then_descriptions():
    found = keys("Montevideo")
    assert found[0] == "montevideo-uy"
    assert found.index("montevideo-uy") < found.index("mercociudades")
    results = services.search("asuncion").hits
    assert results[0].rank > 1 > results[1].rank  # exact-name bonus
    NetworkFactory(slug="synthetic-quokka", name_en="Synthetic Quokka Alliance")
    NetworkFactory(slug="synthetic-other", name_en="Synthetic Other", description_en="About the Quokka Alliance.")
    assert keys("quokka alliance")[:2] == ["synthetic-quokka", "synthetic-other"]


def test_snippets_highlight_the_match_with_ts_headline():
    hits = services.search("asuncion").hits
    project = next(hit for hit in hits if hit.kind == "project")
    assert "<mark>Asunción</mark>" in project.snippet
    network = services.search("Mercocidades").hits[0]
    assert "<mark>Mercocidades</mark>" in network.snippet  # the Portuguese name, where it matched
    NetworkFactory(name_en="Synthetic Network", description_en="<b>bold</b> wombat <script>x</script> & co")
    snippet = services.search("wombat").hits[0].snippet
    assert "<mark>wombat</mark>" in snippet and "<b>" not in snippet and "<script>" not in snippet


def test_statement_level_triggers_index_bulk_imports():
    country = Country.objects.get(code="UY")
    cities = [
        City(slug=f"synthetic-bulk-{n}-uy", name_en=f"Synthetic Bulkville {n:03d}", country=country) for n in range(500)
    ]
    with CaptureQueriesContext(connection) as ctx:
        City.objects.bulk_create(cities, batch_size=500)
    assert len(ctx.captured_queries) == 1  # one INSERT; the trigger indexes all 500 rows
    assert keys("synthetic bulkville 321")[0] == "synthetic-bulk-321-uy"
    City.objects.filter(slug__startswith="synthetic-bulk-").update(native_name="Pueblo Sintético")
    assert len(keys("pueblo sintetico", page_size=100)) == 100


def test_relaxed_search_when_no_record_has_every_word():
    results = services.search("proyecto de integración fronteriza zzzyyxx")
    assert results.relaxed and results.hits[0].key == "integracion-fronteriza"


def _plan(sql: str, *, small_table: bool = True) -> str:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchentry")
        if small_table:
            # A few hundred rows: reading them all is cheaper, so the planner would scan the
            # table (or a whole unrelated index); forbid both to see whether the GIN indexes serve.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = on")
        cursor.execute("SET LOCAL enable_indexscan = on")
    return plan


def _analyzed(sql: str) -> str:
    """The plan of ``sql`` as it ran (EXPLAIN ANALYZE)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchentry")
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def _captured(call) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        call()
    return [query["sql"] for query in ctx.captured_queries]


def _query_with(call, marker: str) -> str:
    return next(sql for sql in _captured(call) if marker in sql)


def _sample_query(query: str) -> str:
    """The query that reads the matches (their ids and facets), capped at COUNT_LIMIT + 1."""
    return _query_with(lambda: services.search(query), "network__slug")


def _page_query(query: str) -> str:
    return _query_with(lambda: services.search(query), "ts_headline")


def test_the_search_uses_the_gin_indexes():
    plan = _plan(_sample_query("Montevido"))
    assert f"Bitmap Index Scan on {DOCUMENT_INDEX}" in plan, plan
    assert f"Bitmap Index Scan on {TRIGRAM_INDEX}" in plan, plan
    assert "Seq Scan on search_searchentry" not in plan, plan
    # The page ranks the matches read, by their ids.
    plan = _plan(_page_query("Montevido"))
    assert "search_searchentry_pkey" in plan and "Seq Scan on search_searchentry" not in plan, plan
    for sql in _captured(lambda: services.suggest("montev")):
        plan = _plan(sql)
        assert f"Index Scan on {TRIGRAM_INDEX}" in plan and f"Index Scan on {EXACT_NAMES_INDEX}" in plan, plan
        assert "Seq Scan on search_searchentry" not in plan, plan


def _grow(count: int, name: str = "Synthetic Town") -> None:
    country = Country.objects.get(code="UY")
    City.objects.bulk_create(
        [
            City(slug=f"synthetic-town-{n}-uy", name_en=f"{name} {n}", country=country, population=n)
            for n in range(count)
        ],
        batch_size=2000,
    )


def test_on_a_larger_table_the_planner_chooses_the_indexes_by_itself():
    _grow(20000)
    for query in ("Montevido", "sao paulo", "Red de Mercociudades"):
        plan = _plan(_sample_query(query), small_table=False)
        assert f"Bitmap Index Scan on {DOCUMENT_INDEX}" in plan, plan
        assert f"Bitmap Index Scan on {TRIGRAM_INDEX}" in plan, plan
        assert "Seq Scan on search_searchentry" not in plan, plan


def test_a_common_word_ranks_the_exact_names_and_the_most_prominent_matches():
    """20,000 synthetic towns: "synthetic" matches far more than a search counts. The page ranks
    the exact names (the exact-names index) and the most prominent matches (the prominence
    B-tree, walked from the top), not every match."""
    _grow(20000)
    results = services.search("synthetic")
    assert not results.exact and results.total == services.COUNT_LIMIT
    prominent = {f"synthetic-town-{n}-uy" for n in range(20000 - services.CANDIDATE_LIMIT, 20000)}
    assert len(results.hits) == services.PAGE_SIZE and {hit.key for hit in results.hits} <= prominent
    plan = _plan(_page_query("synthetic"), small_table=False)
    assert f"Index Scan using {PROMINENCE_INDEX}" in plan and EXACT_NAMES_INDEX in plan, plan
    assert "Seq Scan on search_searchentry" not in plan, plan
    # The typeahead: the most prominent names starting with the text; similar names (whose test
    # costs ten times more) are not even looked for, since enough names start with it.
    for sql in _captured(lambda: services.suggest("synth")):
        plan = _analyzed(sql)
        assert f"Index Scan using {PROMINENCE_INDEX}" in plan, plan
        lines = plan.splitlines()
        similarity = [n for n, line in enumerate(lines) if "names_plain %> " in line]
        assert similarity, plan
        for n in similarity:
            node = next(line for line in reversed(lines[:n]) if "->" in line)
            assert "never executed" in node, plan


def test_the_q_parameter_of_lists_uses_the_indexes():
    """The matching ids are read once from the search indexes and the cities by their primary
    key: never a walk of the whole cities table in the list's order (which PostgreSQL chose
    when it overestimated the matches of a misspelt name, 2.5 s at 235,000 places)."""
    _grow(20000)
    client = APIClient()
    queries = _captured(lambda: client.get("/api/v1/cities/", {"q": "curitba"}))
    page = next(sql for sql in queries if "search_searchentry" in sql and "ORDER BY" in sql)
    plan = _plan(page, small_table=False)
    assert DOCUMENT_INDEX in plan and TRIGRAM_INDEX in plan and "Seq Scan on search_searchentry" not in plan, plan
    assert "Seq Scan on cities_city" not in plan and "cities_city_slug_key" not in plan, plan
    assert "cities_city_pkey" in plan and "(id = ANY (" in plan, plan
    assert [row["key"] for row in client.get("/api/v1/cities/", {"q": "curitba"}).json()["results"]] == ["curitiba-br"]
    memberships = _captured(lambda: client.get("/api/v1/memberships/", {"q": "curitba"}))
    page = next(sql for sql in memberships if "search_searchentry" in sql and "ORDER BY" in sql)
    plan = _plan(page, small_table=False)
    assert "Seq Scan on search_searchentry" not in plan and "= ANY" in plan, plan
