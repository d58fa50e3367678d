"""Search on both databases: the service, the page, the typeahead, the API and ``?q=`` of the
lists, against names from the real data. PostgreSQL-only behaviour (stemming, misspellings,
index use) is in test_search_postgres.py."""

import json
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.urls import reverse
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cities.models import City, Country
from core.text import fold
from networks.models import Network, ThematicUnit
from search import services, text
from search.models import SearchEntry

from .factories import CityFactory, NetworkFactory, ProjectFactory, SourceFactory, ThematicUnitFactory
from .helpers import get_counting_queries, openapi_document, page_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]


def keys(query, **kwargs):
    kwargs.setdefault("page_size", 100)
    return [hit.key for hit in services.search(query, **kwargs).hits]


def first_key(query, **kwargs):
    hits = services.search(query, **kwargs).hits
    return hits[0].key if hits else None


# Matching --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("asuncion", "asuncion-py"),
        ("ASUNCIÓN", "asuncion-py"),
        ("Asunción", "asuncion-py"),
        ("sao paulo", "sao-paulo-br"),
        ("SAO PAULO", "sao-paulo-br"),
        ("brasilia", "brasilia-br"),
        ("  Brasília  ", "brasilia-br"),
        ("montevideo", "montevideo-uy"),
    ],
)
def test_accents_and_case_do_not_matter_and_the_exact_name_comes_first(query, key):
    assert first_key(query) == key


@pytest.mark.parametrize("query", ["Mercocidades", "Red de Mercociudades", "rede mercocidades", "MERCOCIUDADES"])
def test_a_name_in_another_language_finds_the_network_on_the_english_site(query):
    with translation.override("en"):
        results = services.search(query, page_size=100)
    hit = next(hit for hit in results.hits if hit.key == "mercociudades")
    assert hit.kind == "network" and hit.name == "Mercocities (Mercosur Cities Network)"


def test_a_quoted_phrase_must_appear_as_written():
    assert "integracion-fronteriza" in keys('"integración fronteriza"')
    assert "integracion-fronteriza" not in keys('"fronteriza integración"')


def test_a_minus_sign_excludes_a_word_and_or_gives_alternatives():
    # The network's description mentions Montevideo (its secretariat).
    assert "mercociudades" in keys("mercociudades")
    assert "mercociudades" not in keys("mercociudades -montevideo")
    assert {"montevideo-uy", "asuncion-py"} <= set(keys("montevideo or asuncion"))


def test_a_name_match_ranks_above_a_match_in_a_description():
    found = keys("Montevideo")
    assert found[0] == "montevideo-uy"
    assert "mercociudades" in found  # only its description says Montevideo
    assert found.index("montevideo-uy") < found.index("mercociudades")


def test_every_kind_is_searchable_by_a_name_from_the_real_data():
    hits = services.search("Mercociudades", page_size=100).hits
    assert {"network", "summit", "programme", "project", "source"} <= {hit.kind for hit in hits}
    assert "city" in {hit.kind for hit in services.search("Rosario").hits}
    assert "country" in {hit.kind for hit in services.search("Uruguay").hits}
    assert "organization" in {hit.kind for hit in services.search("AECID").hits}
    unit = ThematicUnit.objects.get(slug="autonomia-gestion-y-participacion")
    assert f"mercociudades~{unit.slug}" in keys("autonomia gestion participacion")


def test_when_no_record_has_every_word_records_with_some_of_them_are_shown():
    results = services.search("proyecto integración fronteriza zzzyyx")
    assert results.relaxed and "integracion-fronteriza" in [hit.key for hit in results.hits]


def test_filters_and_facet_counts():
    results = services.search("asuncion", page_size=100)
    facets = {name: {v.value: v.count for v in values} for name, values in results.facets.items()}
    assert facets["type"]["city"] == 1 and sum(facets["type"].values()) == results.total
    assert facets["network"]["mercociudades"] >= 1
    assert facets["country"]["PY"] >= 1
    assert facets["year"]
    only_cities = services.search("asuncion", filters=services.Filters(kind="city"))
    assert [hit.kind for hit in only_cities.hits] == ["city"] and only_cities.total == 1
    paraguay = services.search("asuncion", filters=services.Filters(country="PY"))
    assert paraguay.total == facets["country"]["PY"]
    # A facet is counted with the other filters, not its own: every type stays listed.
    assert {v.value for v in only_cities.facets["type"]} == set(facets["type"])


def test_snippets_show_where_the_match_is_and_escape_the_record_text():
    project = next(hit for hit in services.search("asuncion", page_size=100).hits if hit.kind == "project")
    assert "<mark>Asunción</mark>" in project.snippet
    NetworkFactory(name_en="Synthetic Network", description_en='Zanzibar <script>alert("x")</script> & Zanzibar')
    snippet = services.search("Zanzibar").hits[0].snippet
    assert "<mark>Zanzibar</mark>" in snippet and "<script>" not in snippet
    # Record text is escaped; only the highlighting is markup.
    assert text.marked_to_html(f"a < b & {text.START}c{text.STOP}") == "a &lt; b &amp; <mark>c</mark>"
    assert text.highlight("<i>São</i> Paulo", ["paulo"]) == "&lt;i&gt;São&lt;/i&gt; <mark>Paulo</mark>"


# The index stays current on every write path ---------------------------------------------


def admin_change_data(response) -> dict:
    """The admin change form as the browser would post it back, unchanged."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is not None and value is not False:
            data[name] = "on" if value is True else value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for inline_form in formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value is not None and value is not False:
                    data[inline_form.add_prefix(name)] = "on" if value is True else value
    return data


def test_an_admin_edit_is_found_by_the_next_search(superuser_client):
    city = City.objects.get(slug="curitiba-br")
    url = reverse("admin:cities_city_change", args=[city.pk])
    data = admin_change_data(superuser_client.get(url))
    data["name_pt"] = "Curitibazinha Sintética"
    response = superuser_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert first_key("curitibazinha sintetica") == "curitiba-br"
    hit = services.search("curitibazinha").hits[0]
    with translation.override("pt"):
        assert services.search("curitibazinha").hits[0].name == "Curitibazinha Sintética"
    assert hit.name == "Curitiba"  # English still shows the English name


def test_an_api_write_is_found_by_the_next_search(api, django_user_model):
    from networks.models import NetworkEditor

    user = django_user_model.objects.create_user("partner", password="a-long-password-1")
    user.user_permissions.add(Permission.objects.get(codename="add_city"))
    NetworkEditor.objects.create(user=user, network=Network.objects.get(slug="mercociudades"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    response = client.post(
        "/api/v1/cities/",
        {"slug": "tacuarembo-sintetico-uy", "name_i18n": {"es": "Tacuarembó Sintético"}, "country": "UY"},
        format="json",
    )
    assert response.status_code == 201, response.content
    data = api.get("/api/v1/search/", {"q": "tacuarembo sintetico"}).json()
    assert data["results"][0]["key"] == "tacuarembo-sintetico-uy"
    assert data["results"][0]["url"].endswith("/api/v1/cities/tacuarembo-sintetico-uy/")


def test_bulk_writes_updates_and_deletes_keep_the_index_current():
    uruguay = Country.objects.get(code="UY")
    # bulk_create and QuerySet.update() send no signals (the GeoNames import uses them).
    City.objects.bulk_create(
        [City(slug=f"synthetic-bulk-{n}-uy", name_en=f"Synthetic Bulktown {n}", country=uruguay) for n in range(30)]
    )
    assert first_key("synthetic bulktown 17") == "synthetic-bulk-17-uy"
    City.objects.filter(slug="synthetic-bulk-17-uy").update(name_en="Synthetic Renamedville")
    assert first_key("synthetic renamedville") == "synthetic-bulk-17-uy"
    assert "synthetic-bulk-17-uy" not in keys("bulktown")
    City.objects.filter(slug__startswith="synthetic-bulk-").delete()
    assert not SearchEntry.objects.filter(key__startswith="synthetic-bulk-").exists()


def test_changes_to_related_records_reach_the_entries_that_show_them():
    unit = ThematicUnitFactory(name_es="Unidad Sintética de Pruebas")
    network = unit.network
    network.slug = "synthetic-renamed-network"
    network.save()
    assert SearchEntry.objects.get(kind="thematic_unit", object_id=unit.pk).key == f"{network.slug}~{unit.slug}"
    # A city is found by its country's name; renaming the country reaches the city.
    country = Country.objects.create(code="XQ", name_en="Synthetic Republic")
    CityFactory(slug="synthetic-capital-xq", name_en="Synthetic Capital", country=country)
    country.name_en = "Synthetic Kingdom"
    country.save()
    assert "synthetic-capital-xq" in keys("synthetic capital kingdom")


def test_fixtures_loaded_with_raw_saves_are_indexed():
    # The real data is loaded with raw saves at the start of the session.
    counts = dict(SearchEntry.objects.values_list("kind").annotate(n=Count("id")))
    assert counts["network"] == Network.objects.count()
    assert counts["city"] == City.objects.count()
    assert counts["country"] == Country.objects.count()
    call_command("load_real_data", verbosity=0)  # idempotent: nothing written, nothing lost
    assert SearchEntry.objects.filter(kind="city").count() == City.objects.count()


def test_the_rebuild_command_restores_a_damaged_index():
    total = SearchEntry.objects.count()
    SearchEntry.objects.filter(kind="city").delete()
    SearchEntry.objects.filter(kind="network").update(names="", names_plain="", body="", body_plain="")
    call_command("rebuild_search_index", verbosity=0)
    assert SearchEntry.objects.count() == total
    assert first_key("asuncion") == "asuncion-py"
    assert "mercociudades" in keys("Mercocidades")


# The page --------------------------------------------------------------------------------


def search_url(language="en"):
    with translation.override(language):
        return reverse("search")


def test_the_page_without_a_query_shows_the_empty_state(client):
    page = page_of(client.get(search_url()))
    assert "Type a name the way you know it" in page and 'name="q"' in page


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", ["Type", "Network", "Country", "Year", "result"]), ("es", ["Tipo", "Red", "País", "Año", "resultado"])],
)
def test_the_page_shows_results_with_facets_in_each_language(client, language, words):
    page = page_of(client.get(search_url(language), {"q": "asuncion"}))
    assert f'<html lang="{language}">' in page
    for word in words:
        assert word in page, word
    assert "<mark>Asunción</mark>" in page
    # Results lead to the records' public pages in the page's language, never to the API.
    assert f'href="/{language}/cities/asuncion-py/"' in page and "/api/v1/" not in page
    assert "?q=asuncion&amp;type=city" in page  # facet links stay on this page
    filtered = client.get(search_url(language), {"q": "asuncion", "type": "city"}).content.decode()
    hits = filtered.split('class="search-hits"')[1].split("</ol>")[0]
    assert f'href="/{language}/cities/asuncion-py/"' in hits and "/projects/" not in hits


def first_result_link(page: str) -> str:
    """The address of the first result of a search page: the first hit, or, when nothing
    matched, the first of the closest names ("Did you mean")."""
    listed = re.search(r'<(?:ol class="search-hits"|ul class="search-suggestions")[^>]*>(.*?)</(?:ol|ul)>', page, re.S)
    assert listed, "no results on the page"
    return re.search(r'<a href="([^"]+)"', listed.group(1)).group(1)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # misspelt: a result on PostgreSQL, the first of the closest names on SQLite
        ("montevidoe", "/{language}/cities/montevideo-uy/"),
        ("sao paulo", "/{language}/cities/sao-paulo-br/"),
        # a word of names in Spanish: a record whose name has it, not a source citing one
        ("ciudades", None),
    ],
)
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_first_result_opens_the_records_public_page_in_the_same_language(client, query, expected, language):
    first = first_result_link(page_of(client.get(search_url(language), {"q": query})))
    if expected:
        assert first == expected.format(language=language)
    assert first.startswith(f"/{language}/") and "/sources/" not in first
    record = page_of(client.get(first))
    assert f'<html lang="{language}">' in record
    if not expected:  # the record is named so, in the page's language or among its other names
        names = re.search(r"<h1[^>]*>(.*?)</h1>\s*(<p class=\"other-names\">.*?</p>)?", record, re.S).group(0)
        assert "ciudades" in fold(re.sub(r"<[^>]+>", "", names)), names


def test_results_rank_records_above_the_sources_that_cite_them():
    kinds = [hit.kind for hit in services.search("sao paulo", page_size=100).hits]
    assert "source" in kinds and "summit" in kinds
    assert kinds.index("source") > max(index for index, kind in enumerate(kinds) if kind != "source")
    suggested = [hit.kind for hit in services.suggest("montev")]
    assert suggested[0] == "city" and "source" in suggested
    assert suggested.index("source") > max(index for index, kind in enumerate(suggested) if kind != "source")


def test_staff_get_links_to_the_admin(superuser_client):
    page = superuser_client.get(search_url(), {"q": "asuncion"}).content.decode()
    city = City.objects.get(slug="asuncion-py")
    assert reverse("admin:cities_city_change", args=[city.pk]) in page
    assert 'href="/en/cities/asuncion-py/"' in page  # the result itself is still the public page


def test_nothing_found_shows_the_closest_names(client):
    page = page_of(client.get(search_url(), {"q": '"Montevido"'}))
    assert "Nothing matches" in page and "Did you mean" in page and "Montevideo" in page


def test_pagination(client):
    for n in range(25):
        SourceFactory(title=f"Synthetic paginated report {n}")
    first = client.get(search_url(), {"q": "synthetic paginated"}).content.decode()
    assert "25 results" in first and "Page 1 of 2" in first and "page=2" in first
    second = client.get(search_url(), {"q": "synthetic paginated", "page": 2}).content.decode()
    assert "Page 2 of 2" in second and second.count('class="search-hit ') == 5


def test_a_too_long_query_is_a_400_with_a_message(client):
    response = client.get(search_url(), {"q": "x" * 10_000})
    assert response.status_code == 400
    assert "at most 200 characters" in response.content.decode()


# The typeahead ---------------------------------------------------------------------------


def test_the_typeahead_endpoint_returns_the_best_names_as_json(client):
    response = client.get(reverse("search-suggest"), {"q": "montev"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    first = data["results"][0]
    assert first["name"] == "Montevideo" and first["kind"] == "city"
    assert first["url"] == "/en/cities/montevideo-uy/" and first["api_url"] == "/api/v1/cities/montevideo-uy/"
    assert client.get(reverse("search-suggest"), {"q": "asunc"}).json()["results"][0]["key"] == "asuncion-py"
    assert client.get(reverse("search-suggest"), {"q": "m"}).json()["results"] == []
    spanish = client.get(reverse("search-suggest"), {"q": "mercociudades", "lang": "es"}).json()
    assert spanish["results"][0]["name"] == "Red de Mercociudades" and spanish["search_url"] == "/es/search/"
    assert spanish["results"][0]["url"] == "/es/networks/mercociudades/"
    assert client.get(reverse("search-suggest"), {"q": "x" * 10_000}).status_code == 400


def test_the_header_has_an_accessible_search_box(client):
    page = client.get(reverse("home")).content.decode()
    assert 'role="search"' in page and 'role="combobox"' in page and 'aria-controls="site-search-listbox"' in page
    assert 'role="listbox"' in page and "js/typeahead.js" in page and "css/search.css" in page
    assert 'data-suggest-url="/search/suggest/"' in page


# The API ---------------------------------------------------------------------------------


def test_the_search_api_returns_ranked_results_with_snippets_and_facets(api):
    response = api.get("/api/v1/search/", {"q": "asuncion", "lang": "es"})
    assert response.status_code == 200 and response["Content-Language"] == "es"
    data = response.json()
    first = data["results"][0]
    assert first["kind"] == "city" and first["key"] == "asuncion-py" and first["name"] == "Asunción"
    assert first["url"] == "http://testserver/api/v1/cities/asuncion-py/"
    assert first["page_url"] == "http://testserver/es/cities/asuncion-py/"
    assert "<mark>" in first["snippet"] and first["rank"] >= data["results"][1]["rank"]
    assert data["count"] == sum(value["count"] for value in data["facets"]["type"])
    assert set(data["facets"]) == {"type", "network", "country", "year"}
    cities = api.get("/api/v1/search/", {"q": "asuncion", "type": "city"}).json()
    assert [row["kind"] for row in cities["results"]] == ["city"]
    networks = api.get("/api/v1/search/", {"q": "asuncion", "network": "mercociudades"}).json()
    assert networks["results"] and networks["count"] < data["count"]


def test_search_api_pagination(api):
    data = api.get("/api/v1/search/", {"q": "mercociudades", "page_size": 5}).json()
    assert len(data["results"]) == 5 and data["next"] and data["previous"] is None
    second = api.get(data["next"]).json()
    assert second["page"] == 2 and second["previous"]
    assert not {row["key"] for row in second["results"]} & {row["key"] for row in data["results"]}


@pytest.mark.parametrize(
    ("params", "attr"),
    [
        ({"q": ""}, "q"),
        ({"q": "   "}, "q"),
        ({}, "q"),
        ({"q": "x" * 10_000}, "q"),
        ({"q": "asuncion", "type": "planet"}, "type"),
        ({"q": "asuncion", "network": "no-such-network"}, "network"),
        ({"q": "asuncion", "country": "ZZZ"}, "country"),
        ({"q": "asuncion", "year": "nineteen"}, "year"),
        ({"q": "asuncion", "page_size": "1000"}, "page_size"),
        ({"q": "asuncion", "lang": "de"}, "lang"),
    ],
)
def test_search_api_errors_have_the_api_error_shape(api, params, attr):
    response = api.get("/api/v1/search/", params)
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error" and body["errors"][0]["attr"] == attr


def test_the_search_api_is_in_the_schema():
    schema, _reported = openapi_document()  # (validated by tests/test_api.py)
    operation = schema["paths"]["/api/v1/search/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"q", "type", "network", "country", "page"}
    assert "400" in operation["responses"] and "200" in operation["responses"]
    components = schema["components"]["schemas"]
    assert {"url", "page_url"} <= set(components["SearchHit"]["properties"])
    # (Read here rather than in a schema of its own: the curators' notes are written, never read.)
    assert "notes" not in components["Membership"]["properties"]
    assert components["MembershipRequest"]["properties"]["notes"]["writeOnly"] is True


# ?q= on the API lists --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "query", "expected"),
    [
        ("/api/v1/cities/", "asuncion", "asuncion-py"),
        ("/api/v1/cities/", "SAO PAULO", "sao-paulo-br"),
        ("/api/v1/cities/", "montevideo-uy", "montevideo-uy"),
        ("/api/v1/networks/", "Mercocidades", "mercociudades"),
        ("/api/v1/countries/", "URY", "UY"),
        ("/api/v1/projects/", "integración fronteriza", "integracion-fronteriza"),
        ("/api/v1/memberships/", "asuncion", "mercociudades~asuncion-py~1995-11-11"),
        ("/api/v1/sdgs/", "energia asequible", "7"),
        ("/api/v1/offices/", "livingstone", None),
    ],
)
def test_the_q_parameter_of_lists_ignores_accents_and_languages(api, url, query, expected):
    response = api.get(url, {"q": query, "page_size": 500})
    assert response.status_code == 200
    found = [row["key"] for row in response.json()["results"]]
    assert found
    if expected is not None:
        assert expected in found


# Speed -----------------------------------------------------------------------------------


# The search page and the API's search: the matches (counted and faceted in Python), the page;
# with a filter, the filtered matches, and for the network filter its existence check; when
# nothing is found, the suggestions instead of the page.
SEARCH_QUERIES = 2
SEARCH_IN_NETWORK_QUERIES = 4
SEARCH_NOTHING_FOUND_QUERIES = 2
SUGGEST_QUERIES = 1
# ?q= on the cities list: the content version (the key of the cached count), the count (not
# cached yet for this filter and content version: each round writes), the page, its citations.
CITY_API_SEARCH_QUERIES = 4


def grow(size: int):
    for n in range(size):
        network = NetworkFactory(name_en=f"Synthetic Zorblax Network {n}", description_en="Synthetic growth record")
        CityFactory(name_en=f"Synthetic Zorblax City {n}")
        ProjectFactory(title_en=f"Synthetic Zorblax project {n}", network=network)
        ThematicUnitFactory(network=network, name_en=f"Synthetic Zorblax unit {n}")
        SourceFactory(title=f"Synthetic Zorblax source {n}")


def test_search_runs_a_fixed_number_of_queries_whatever_the_data_size(client, api, django_assert_num_queries):
    grow(3)
    network = Network.objects.filter(slug__startswith="synthetic-").first().slug
    sizes = []
    for _ in range(2):
        page = get_counting_queries(client, django_assert_num_queries, SEARCH_QUERIES, search_url(), {"q": "zorblax"})
        found = get_counting_queries(
            api, django_assert_num_queries, SEARCH_QUERIES, "/api/v1/search/", {"q": "zorblax", "page_size": 100}
        )
        get_counting_queries(
            api,
            django_assert_num_queries,
            SEARCH_IN_NETWORK_QUERIES,
            "/api/v1/search/",
            {"q": "zorblax", "network": network},
        )
        get_counting_queries(
            api, django_assert_num_queries, SEARCH_NOTHING_FOUND_QUERIES, "/api/v1/search/", {"q": '"zorblax zzz"'}
        )
        get_counting_queries(
            client, django_assert_num_queries, SUGGEST_QUERIES, reverse("search-suggest"), {"q": "zorbl"}
        )
        get_counting_queries(
            api, django_assert_num_queries, CITY_API_SEARCH_QUERIES, "/api/v1/cities/", {"q": "zorblax"}
        )
        assert page.status_code == 200
        sizes.append(found.json()["count"])
        grow(30)
    assert sizes[1] == sizes[0] + 30 * 5


@pytest.fixture
def quux_places():
    """Thirteen synthetic places whose names contain "quux": twelve "Synthetic Quux Town N" of
    growing population and one named exactly "Quux", the least populous."""
    country = Country.objects.get(code="UY")
    towns = [
        CityFactory(name_en=f"Synthetic Quux Town {n}", country=country, population=1000 * (n + 1)) for n in range(12)
    ]
    exact = CityFactory(slug="synthetic-quux-uy", name_en="Quux", country=country, population=10)
    return towns, exact


def test_more_matches_than_a_search_counts_are_said_so_and_ranked_from_bounded_candidates(
    quux_places, monkeypatch, api, client, django_assert_num_queries
):
    towns, exact = quux_places
    assert services.search("quux").total == 13 and services.search("quux").exact
    monkeypatch.setattr(services, "COUNT_LIMIT", 5)
    monkeypatch.setattr(services, "CANDIDATE_LIMIT", 4)
    results = services.search("quux", page_size=20)
    assert not results.exact and results.total == 5 and results.listed == 4 and results.num_pages == 1
    # The exact name first, however obscure; then the most prominent of the others.
    keys = [hit.key for hit in results.hits]
    assert keys[0] == exact.slug and len(keys) == 4
    assert set(keys[1:]) <= {town.slug for town in towns[-4:]}
    # Stable: the same order every time, pages that neither overlap nor skip.
    assert [hit.key for hit in services.search("quux", page_size=20).hits] == keys
    pages = [hit.key for page in (1, 2) for hit in services.search("quux", page=page, page_size=2).hits]
    assert pages == keys
    # The facets count the matches read: one more than the count, which says "more than five".
    assert sum(value.count for value in results.facets["type"]) == 6
    data = get_counting_queries(api, django_assert_num_queries, SEARCH_QUERIES, "/api/v1/search/", {"q": "quux"})
    assert data.json()["count"] == 5 and data.json()["count_exact"] is False
    filtered = get_counting_queries(
        api, django_assert_num_queries, SEARCH_IN_NETWORK_QUERIES - 1, "/api/v1/search/", {"q": "quux", "type": "city"}
    )
    assert filtered.json()["results"][0]["key"] == exact.slug
    page = page_of(client.get(search_url(), {"q": "quux"}))
    assert "More than 5 results" in page and "The 4 best matches are listed" in page


def test_the_typeahead_ranks_the_exact_name_and_the_most_prominent_names(quux_places, monkeypatch):
    towns, exact = quux_places
    monkeypatch.setattr(services, "SUGGESTION_CANDIDATES", 3)
    keys = [hit.key for hit in services.suggest("quux")]
    assert keys[0] == exact.slug
    assert set(keys[1:]) == {town.slug for town in towns[-3:]}


def test_the_sqlite_mode_is_documented_as_simpler():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    assert services.search("asuncion").mode == "sqlite"
    assert services.search("Montevido").total == 0  # no misspelling tolerance in the embedded mode
    assert json.dumps(services.search("Montevido").suggestions[0].name) == '"Montevideo"'


ODD_QUERIES = [
    "'",
    '"',
    "\\",
    "%",
    "_",
    "%_%",
    "a:b",
    "sao:* | paulo",
    "!!",
    "&|",
    "<b>x</b>",
    "()",
    "-",
    "--",
    '"-"',
    "or",
    "OR or",
    "-montevideo",
    "' OR 1=1 --",
    "ünïcödé ß æ",
    "🙂 city",
    "a\x00b",
    "x" * 200,
]


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_odd_queries_never_fail(client, query):
    for url in ["/api/v1/search/", reverse("search-suggest"), search_url(), "/api/v1/cities/", "/api/v1/offices/"]:
        response = client.get(url, {"q": query})
        assert response.status_code < 500, (url, response.status_code)
        if "\x00" not in query:
            assert response.status_code == 200, (url, response.content[:300])
