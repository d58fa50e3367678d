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
from search.database import DOCUMENT_INDEX, TRIGRAM_INDEX

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


def _captured(call) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        call()
    return [query["sql"] for query in ctx.captured_queries]


def _page_query(query: str) -> str:
    return next(sql for sql in _captured(lambda: services.search(query)) if "ts_headline" in sql)


def test_the_search_uses_the_gin_indexes():
    plan = _plan(_page_query("Montevido"))
    assert f"Bitmap Index Scan on {DOCUMENT_INDEX}" in plan, plan
    assert f"Bitmap Index Scan on {TRIGRAM_INDEX}" in plan, plan
    assert "Seq Scan on search_searchentry" not in plan, plan
    for sql in _captured(lambda: services.suggest("montev")):
        plan = _plan(sql)
        assert f"Index Scan on {TRIGRAM_INDEX}" in plan and "Seq Scan on search_searchentry" not in plan, plan


def _grow(count: int) -> None:
    country = Country.objects.get(code="UY")
    City.objects.bulk_create(
        [City(slug=f"synthetic-town-{n}-uy", name_en=f"Synthetic Town {n}", country=country) for n in range(count)],
        batch_size=2000,
    )


def test_on_a_larger_table_the_planner_chooses_the_indexes_by_itself():
    _grow(20000)
    for query in ("Montevido", "sao paulo", "Red de Mercociudades"):
        plan = _plan(_page_query(query), small_table=False)
        assert "BitmapOr" in plan and DOCUMENT_INDEX in plan and TRIGRAM_INDEX in plan, plan
        assert "Seq Scan on search_searchentry" not in plan, plan


def test_the_q_parameter_of_lists_uses_the_indexes():
    _grow(5000)
    client = APIClient()
    sql = next(
        sql for sql in _captured(lambda: client.get("/api/v1/cities/", {"q": "curitba"})) if "search_searchentry" in sql
    )
    plan = _plan(sql, small_table=False)
    assert DOCUMENT_INDEX in plan and TRIGRAM_INDEX in plan and "Seq Scan on search_searchentry" not in plan, plan
    assert [row["key"] for row in client.get("/api/v1/cities/", {"q": "curitba"}).json()["results"]] == ["curitiba-br"]
