"""Twinnings (#11): the /xx/twinnings/ page and /api/v1/twinnings/ with their shared filters
(country of either city, a network both cities belonged to, decade), the city pages showing an
agreement from both sides with its certainty, Wikidata identifiers on pages and in the API, and
fixed query counts at two data sizes. Facts are the real data's (twinnings.csv, wikidata_ids.csv);
rows added to grow the tables are synthetic factory records."""

import pytest

from cities.models import City, Country, Twinning, TwinningCitation
from sources.models import Certainty

from .factories import CityFactory, CountryFactory, MembershipFactory, NetworkFactory, TwinningFactory
from .facts import COUNTRY_WIKIDATA_IDS, WIKIDATA_IDS
from .helpers import LANGUAGES, cite, csv_rows, get_at_two_sizes, get_counting_queries, json_ld, page_of, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]

#: Pairs of twinned cities that have both been Mercociudades members (twinnings.csv).
MERCOCIUDADES_PAIRS = {
    frozenset({"cordoba-ar", "montevideo-uy"}),
    frozenset({"curitiba-br", "asuncion-py"}),
    frozenset({"curitiba-br", "montevideo-uy"}),
}
#: Twinnings signed in the 1990s (twinnings.csv's dated rows).
PAIRS_OF_THE_1990S = {
    frozenset({"cordoba-ar", "montevideo-uy"}),  # 1997
    frozenset({"buenos-aires-ar", "berlin-de"}),  # 1994
    frozenset({"san-miguel-de-tucuman-ar", "erfurt-de"}),  # 1993
}

#: The twinnings page: the content version (page cache), the count, the rows (both cities and
#: their countries joined), their citations, and the filter form's three choice lists (countries,
#: networks, decades), whatever the number of twinnings; filtered by a country and a network, two
#: more (their keys checked).
TWINNING_INDEX_QUERIES = 7
TWINNING_INDEX_FILTERED_QUERIES = 9
#: The page's CSV download with a network: the network (its key checked), the decades (the form
#: validates every field) and one chunked query of rows, no prefetch per row.
TWINNING_CSV_QUERIES = 3
#: The API list filtered by network and country: content version, the network and the country
#: (their keys checked), rows, citations (+ the count the first time for a filter).
TWINNING_API_QUERIES = 5
TWINNING_API_COUNT_QUERY = 1


def pairs(rows) -> set[frozenset]:
    """The pairs of city slugs of API rows."""
    return {frozenset({row["city_a"]["key"], row["city_b"]["key"]}) for row in rows}


def page_pairs(response) -> set[frozenset]:
    return {frozenset({twinning.city_a.slug, twinning.city_b.slug}) for twinning in response.context["twinnings"]}


# The page -----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_twinning_index_in_every_language(client, language):
    response = client.get(url("twinning-list", language))
    page = page_of(response)
    assert response.context["paginator"].count == Twinning.objects.count() == 46
    assert url("city-detail", language, slug="cordoba-ar") in page
    assert 'name="network"' in page and 'name="decade"' in page and 'name="country"' in page


def test_twinning_index_filters_by_a_network_both_cities_belonged_to(client):
    response = client.get(url("twinning-list"), {"network": "mercociudades"})
    page_of(response)
    assert page_pairs(response) == MERCOCIUDADES_PAIRS


def test_twinning_index_filters_by_the_country_of_either_city(client):
    response = client.get(url("twinning-list"), {"country": "UY"})
    page_of(response)
    found = list(response.context["twinnings"])
    assert frozenset({"cordoba-ar", "montevideo-uy"}) in page_pairs(response)  # Uruguay on the b side
    assert all("UY" in {twinning.city_a.country.code, twinning.city_b.country.code} for twinning in found)
    assert (
        len(found)
        == Twinning.objects.filter(city_a__country__code="UY").count()
        + Twinning.objects.filter(city_b__country__code="UY").count()
    )


def test_twinning_index_filters_by_decade(client):
    response = client.get(url("twinning-list"), {"decade": "1990"})
    page = page_of(response)
    assert page_pairs(response) == PAIRS_OF_THE_1990S
    assert '<option value="1990" selected>1990–1999</option>' in page
    assert '<option value="1960">1960–1969</option>' in page  # Goya–Neustadt 1967, São Paulo–Milan 1962


def test_twinning_index_empty_states(client):
    page = page_of(client.get(url("twinning-list"), {"network": "mercociudades", "decade": "1960"}))
    assert "No twinning matches these filters." in page
    Twinning.objects.all().delete()
    page = page_of(client.get(url("twinning-list")))
    assert "No twinning recorded yet." in page


@pytest.mark.parametrize("params", [{"decade": "1995"}, {"country": "ZZ"}, {"network": "no-such-network"}])
def test_twinning_index_bad_filter_value_shows_the_error_and_the_csv_refuses(client, params):
    response = client.get(url("twinning-list"), params)
    assert response.status_code == 200 and response.context["filter"].errors
    assert client.get(url("twinning-list"), {**params, "format": "csv"}).status_code == 400


def test_twinning_index_csv_download(client):
    response = client.get(url("twinning-list"), {"network": "mercociudades", "format": "csv"})
    rows = csv_rows(response)
    assert rows[0] == [
        "city slug",
        "city name",
        "city country code",
        "partner city slug",
        "partner city name",
        "partner country code",
        "kind",
        "since",
        "until",
        "certainty",
    ]
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert {frozenset({row["city slug"], row["partner city slug"]}) for row in records} == MERCOCIUDADES_PAIRS
    cordoba = next(row for row in records if "cordoba-ar" in (row["city slug"], row["partner city slug"]))
    assert cordoba["since"] == "1997" and cordoba["kind"] == "twinning" and cordoba["certainty"] == "stated"
    assert response["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'


def test_twinning_index_shows_certainty_only_when_not_stated(client):
    probable = TwinningFactory(certainty=Certainty.PROBABLE, start="1955")
    page = page_of(client.get(url("twinning-list"), {"decade": "1950"}))
    assert probable.city_a.get_absolute_url() in page and "probable" in page
    page = page_of(client.get(url("twinning-list"), {"decade": "1990"}))
    assert ">stated<" not in page


def grow_twinnings(country, network, n=60):
    """``n`` synthetic twinnings of the 1990s between synthetic members of ``network`` in ``country``."""

    def grow():
        for number in range(n):
            city_a, city_b = CityFactory(country=country), CityFactory(country=country)
            MembershipFactory(city=city_a, network=network)
            MembershipFactory(city=city_b, network=network)
            cite(TwinningCitation, TwinningFactory(city_a=city_a, city_b=city_b, start=str(1990 + number % 10)))

    return grow


def test_twinning_index_queries(client, django_assert_num_queries):
    country, network = CountryFactory(), NetworkFactory()
    grow_twinnings(country, network, n=2)()
    target = f"{url('twinning-list')}?network={network.slug}&country={country.code}&decade=1990&kind=sister"
    grow = grow_twinnings(country, network)
    small, large = get_at_two_sizes(client, django_assert_num_queries, TWINNING_INDEX_FILTERED_QUERIES, target, grow)
    assert small.context["paginator"].count == 2 and large.context["paginator"].count == 62
    plain = get_at_two_sizes(client, django_assert_num_queries, TWINNING_INDEX_QUERIES, url("twinning-list"), grow)
    assert plain[1].context["paginator"].count == plain[0].context["paginator"].count + 60


def test_twinning_csv_queries(client, django_assert_num_queries):
    country, network = CountryFactory(), NetworkFactory()
    grow = grow_twinnings(country, network)
    address = f"{url('twinning-list')}?network={network.slug}&format=csv"
    small = get_counting_queries(client, django_assert_num_queries, TWINNING_CSV_QUERIES, address)
    grow()
    large = get_counting_queries(client, django_assert_num_queries, TWINNING_CSV_QUERIES, address)
    assert len(csv_rows(small)) == 1 and len(csv_rows(large)) == 61


def test_twinning_index_is_in_the_footer(client):
    assert f'href="{url("twinning-list")}"' in page_of(client.get(url("home")))


# The API ------------------------------------------------------------------------------------


def test_api_lists_twinnings_with_certainty_cities_and_citations(api):
    data = api.get("/api/v1/twinnings/", {"page_size": 100}).json()
    assert data["count"] == 46
    cordoba = next(row for row in data["results"] if pairs([row]) == {frozenset({"cordoba-ar", "montevideo-uy"})})
    assert cordoba["start"] == "1997" and cordoba["certainty"] == "stated" and cordoba["kind"] == "twinning"
    assert {cordoba["city_a"]["country"]["code"], cordoba["city_b"]["country"]["code"]} == {"AR", "UY"}
    assert cordoba["citations"] and cordoba["citations"][0]["source"]["title"]
    detail = api.get(cordoba["url"])
    assert detail.status_code == 200 and detail.json() == cordoba


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"network": "mercociudades"}, MERCOCIUDADES_PAIRS),
        ({"decade": "1990"}, PAIRS_OF_THE_1990S),
        ({"decade": "1990", "country": "UY"}, {frozenset({"cordoba-ar", "montevideo-uy"})}),
        (
            {"city": "montevideo-uy", "network": "mercociudades"},
            MERCOCIUDADES_PAIRS - {frozenset({"curitiba-br", "asuncion-py"})},
        ),
    ],
)
def test_api_twinning_filters(api, params, expected):
    rows = api.get("/api/v1/twinnings/", {**params, "page_size": 100}).json()["results"]
    assert pairs(rows) == expected


def test_api_twinnings_filter_by_certainty(api):
    probable = TwinningFactory(certainty=Certainty.PROBABLE)
    rows = api.get("/api/v1/twinnings/", {"certainty": "probable"}).json()["results"]
    assert [row["key"] for row in rows] == [api.get("/api/v1/twinnings/", {"city": probable.city_a.slug}).json()[
        "results"][0]["key"]]  # fmt: skip
    assert rows[0]["certainty"] == "probable"


@pytest.mark.parametrize(
    "params",
    [
        {"decade": "1995"},
        {"decade": "nineties"},
        {"decade": "99990"},
        {"country": "ZZ"},
        {"network": "no-such-network"},
        {"certainty": "rumoured"},
        {"city": "no-such-city"},
    ],
)
def test_api_twinnings_bad_filter_value_is_a_400(api, params):
    response = api.get("/api/v1/twinnings/", params)
    assert response.status_code == 400, response.content[:300]
    assert {error["attr"] for error in response.json()["errors"]} == set(params)


def test_api_twinnings_queries(api, django_assert_num_queries):
    country, network = CountryFactory(), NetworkFactory()
    grow_twinnings(country, network, n=3)()
    address = "/api/v1/twinnings/"
    params = {"network": network.slug, "country": country.code, "decade": "1990", "page_size": 100}
    expected = TWINNING_API_QUERIES + TWINNING_API_COUNT_QUERY
    cold = get_counting_queries(api, django_assert_num_queries, expected, address, params)
    warm = get_counting_queries(api, django_assert_num_queries, TWINNING_API_QUERIES, address, params)
    assert cold.json()["count"] == warm.json()["count"] == 3
    grow_twinnings(country, network)()
    cold = get_counting_queries(api, django_assert_num_queries, expected, address, params)
    warm = get_counting_queries(api, django_assert_num_queries, TWINNING_API_QUERIES, address, params)
    assert cold.json()["count"] == warm.json()["count"] == 63 and len(warm.json()["results"]) == 63


# City and country pages ---------------------------------------------------------------------


def test_city_pages_show_a_twinning_from_both_sides(client):
    """Córdoba–Montevideo (1997) is one record: Córdoba's page and Montevideo's both list it."""
    twinning = Twinning.objects.get(city_a__slug="cordoba-ar", city_b__slug="montevideo-uy")
    for slug, partner in (("cordoba-ar", "montevideo-uy"), ("montevideo-uy", "cordoba-ar")):
        response = client.get(url("city-detail", slug=slug))
        page = page_of(response)
        assert twinning in response.context["twinnings"]
        assert url("city-detail", slug=partner) in page and "1997" in page
        section = page[page.index('id="twinnings-heading"') :]
        assert '<sup class="cite">' in section.split("</section>")[0]  # its source
        assert url("twinning-list") in section


def test_city_page_labels_a_twinning_that_is_not_stated(client):
    city = CityFactory()
    TwinningFactory(city_b=city, certainty=Certainty.UNCERTAIN)
    TwinningFactory(city_a=city)
    page = page_of(client.get(url("city-detail", slug=city.slug)))
    section = page[page.index('id="twinnings-heading"') :].split("</section>")[0]
    assert section.count('class="badge certainty"') == 1 and "uncertain" in section


def test_city_and_country_pages_link_wikidata(client):
    page = page_of(client.get(url("city-detail", slug="montevideo-uy")))
    qid = WIKIDATA_IDS["montevideo-uy"]
    assert f'href="https://www.wikidata.org/wiki/{qid}"' in page
    assert f"https://www.wikidata.org/wiki/{qid}" in json_ld(page)["sameAs"]
    page = page_of(client.get(url("country-detail", code="UY")))
    qid = COUNTRY_WIKIDATA_IDS["UY"]
    assert f'href="https://www.wikidata.org/wiki/{qid}"' in page
    assert f"https://www.wikidata.org/wiki/{qid}" in json_ld(page)["sameAs"]


def test_network_page_links_wikidata(client):
    network = NetworkFactory(wikidata_id="Q999999977")  # synthetic: no network QID was found
    page = page_of(client.get(url("network-detail", slug=network.slug)))
    assert 'href="https://www.wikidata.org/wiki/Q999999977"' in page
    assert "https://www.wikidata.org/wiki/Q999999977" in json_ld(page)["sameAs"]


# Wikidata identifiers in the API ------------------------------------------------------------


def test_api_exposes_and_filters_by_wikidata_id(api):
    qid = WIKIDATA_IDS["montevideo-uy"]
    rows = api.get("/api/v1/cities/", {"wikidata_id": qid}).json()["results"]
    assert [row["key"] for row in rows] == ["montevideo-uy"]
    assert rows[0]["wikidata_id"] == qid and rows[0]["wikidata_url"] == f"https://www.wikidata.org/wiki/{qid}"
    qid = COUNTRY_WIKIDATA_IDS["AR"]
    rows = api.get("/api/v1/countries/", {"wikidata_id": qid}).json()["results"]
    assert [row["key"] for row in rows] == ["AR"] and rows[0]["wikidata_url"].endswith(f"/{qid}")
    without = City.objects.filter(wikidata_id="").order_by("slug").first()
    detail = api.get(f"/api/v1/cities/{without.slug}/").json()
    assert detail["wikidata_id"] == "" and detail["wikidata_url"] is None


@pytest.mark.parametrize("resource", ["cities", "countries"])
@pytest.mark.parametrize("value", ["1335", "Q", "Q01", "q1335", "Q12x"])
def test_api_refuses_a_malformed_wikidata_id(api, resource, value):
    response = api.get(f"/api/v1/{resource}/", {"wikidata_id": value})
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "code": "invalid_qid",
        "detail": "A Wikidata identifier is a Q followed by digits, e.g. Q1489.",
        "attr": "wikidata_id",
    }


def test_api_csv_has_the_wikidata_columns(api):
    response = api.get("/api/v1/countries/", {"format": "csv", "wikidata_id": "Q77"})
    header, values = csv_rows(response)
    row = dict(zip(header, values, strict=True))
    assert row["wikidata_id"] == "Q77" and row["wikidata_url"] == "https://www.wikidata.org/wiki/Q77"
    assert Country.objects.get(code="UY").wikidata_id == "Q77"
