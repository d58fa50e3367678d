"""The licence of Paradiplo's compilation (#11): CC BY 4.0, defined once (core.licence) and
stated on the about page, in the API root, in the Dataset JSON-LD and in every export (a
``Link: <…>; rel="license"`` header on CSV, GeoJSON, BibTeX and CSL-JSON downloads and API
answers; a ``license`` member in GeoJSON), with the upstream credits. And sources fit for a
bibliography: supplied titles in brackets, the archived copy, access date, publisher and
language in BibTeX, CSL-JSON, the source page and the references list."""

import datetime
import json

import pytest
from django.urls import reverse

from cities.models import CityCitation
from core import licence

from .factories import CityFactory, CountryFactory, SourceFactory
from .helpers import body, csv_rows, json_ld, page_of, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]

CC_BY = "https://creativecommons.org/licenses/by/4.0/"
LINK = f'<{CC_BY}>; rel="license"'


def assert_credits(credits: list[dict]):
    by_name = {credit["name"]: credit for credit in credits}
    assert by_name["GeoNames"]["licence"] == "CC BY 4.0"
    assert by_name["Wikidata"]["licence"] == "CC0 1.0"
    assert by_name["dr5hn/countries-states-cities-database"]["licence"] == "ODbL 1.0"


# Where the licence is stated ----------------------------------------------------------------


def test_the_licence_is_defined_once():
    assert licence.URL == CC_BY and licence.NAME == "CC BY 4.0"
    assert licence.link_header() == LINK
    assert_credits(licence.data()["credits"])


def test_about_page_states_the_licence_and_the_credits(client):
    page = page_of(client.get(url("about")))
    assert f'<a href="{CC_BY}" rel="license">CC BY 4.0</a>' in page
    assert "has no licence chosen yet" not in page
    for credit in (
        "https://creativecommons.org/publicdomain/zero/1.0/",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ):
        assert credit in page
    data = json_ld(page)
    assert data["@type"] == "Dataset" and data["license"] == CC_BY
    assert {work["name"]: work["license"] for work in data["isBasedOn"]} == {
        "GeoNames": CC_BY,
        "Wikidata": "https://creativecommons.org/publicdomain/zero/1.0/",
        "dr5hn/countries-states-cities-database": "https://opendatacommons.org/licenses/odbl/1-0/",
    }


def test_api_root_states_the_licence(api):
    response = api.get("/api/v1/")
    assert response.status_code == 200 and response["Link"] == LINK
    data = response.json()
    assert data["license"]["url"] == CC_BY and data["license"]["name"] == "CC BY 4.0"
    assert_credits(data["license"]["credits"])
    assert data["twinnings"].endswith("/api/v1/twinnings/")


def test_api_answers_carry_the_licence_link(api):
    assert api.get("/api/v1/cities/").headers["Link"] == LINK
    assert api.get("/api/v1/cities/montevideo-uy/").headers["Link"] == LINK


# Every export -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["city-list", "country-list", "twinning-list", "source-list"])
def test_page_csv_downloads_carry_the_licence(client, name):
    response = client.get(url(name), {"format": "csv"})
    assert response["Link"] == LINK
    header = csv_rows(response)[0]
    assert header[0] and not header[0].startswith("#")  # no comment line: every line is a row


def test_download_links_say_the_licence(client):
    page = page_of(client.get(url("twinning-list")))
    assert f'(data under <a href="{CC_BY}" rel="license">CC BY 4.0</a>)' in page


def test_api_csv_and_geojson_exports_carry_the_licence(api):
    response = api.get("/api/v1/twinnings/", {"format": "csv"})
    assert response["Link"] == LINK and csv_rows(response)[0][0] == "key"
    country = CountryFactory(code="XQ")
    CityFactory(country=country)
    response = api.get("/api/v1/cities/", {"format": "geojson", "country": "XQ"})
    assert response["Link"] == LINK
    collection = json.loads(body(response))
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 1
    assert collection["license"]["url"] == CC_BY
    assert_credits(collection["license"]["credits"])
    single = json.loads(api.get("/api/v1/cities/montevideo-uy/", {"format": "geojson"}).content)
    assert single["license"]["url"] == CC_BY and single["features"][0]["id"] == "montevideo-uy"


def test_admin_export_carries_the_licence(superuser_client):
    city = CityFactory()
    response = superuser_client.post(
        reverse("admin:cities_city_changelist"), {"action": "export_csv", "_selected_action": [city.pk]}
    )
    assert response["Link"] == LINK and csv_rows(response)[0][0] == "id"


@pytest.mark.parametrize("name", ["source-bibtex", "source-csl-json"])
def test_bibliography_downloads_carry_the_licence(client, name):
    assert client.get(url(name), {"q": "Mercocities"})["Link"] == LINK


# Sources fit for a bibliography -------------------------------------------------------------


@pytest.fixture
def supplied_source(db):
    """A synthetic web page with a title Paradiplo derived, read on a mirror."""
    return SourceFactory(
        key="synthetic-supplied-title",
        title="Page about twinnings of example.org",
        title_supplied=True,
        url="https://example.org/twinnings",
        archived_url="https://mirror.example.net/example.org/twinnings",
        publisher="example.org",
        language="es",
        accessed=datetime.date(2026, 12, 2),
    )


def test_bibtex_brackets_a_supplied_title_and_gives_the_archived_copy(client, supplied_source):
    text = body(client.get(url("source-bibtex"), {"q": "synthetic-supplied"}))
    assert "title = {[Page about twinnings of example.org]}" in text
    assert "urldate = {2026-12-02}" in text and "organization = {example.org}" in text
    assert "langid = {spanish}" in text
    assert r"addendum = {Archived copy: \url{https://mirror.example.net/example.org/twinnings}}" in text


def test_csl_json_brackets_a_supplied_title_and_gives_the_archived_copy(client, supplied_source):
    [item] = json.loads(body(client.get(url("source-csl-json"), {"q": "synthetic-supplied"})))
    assert item["title"] == "[Page about twinnings of example.org]"
    assert item["archive_location"] == "https://mirror.example.net/example.org/twinnings"
    assert item["accessed"] == {"date-parts": [[2026, 12, 2]]}
    assert item["container-title"] == "example.org" and item["language"] == "es"


def test_a_printed_title_is_not_bracketed(client):
    response = client.get(url("source-detail", key="alibalaev-kuznetsov-2022"), {"format": "csl-json"})
    [item] = json.loads(response.content)
    assert item["title"] == "Latin American experience of paradiplomacy: The case of Mercocities"


def test_source_page_shows_the_archived_copy_access_date_and_supplied_title(client, supplied_source):
    page = page_of(client.get(url("source-detail", key=supplied_source.key)))
    assert 'href="https://mirror.example.net/example.org/twinnings"' in page
    assert "title supplied by Paradiplo" in page and "[Page about twinnings of example.org]" in page
    assert 'datetime="2026-12-02"' in page
    assert json_ld(page)["archivedAt"] == "https://mirror.example.net/example.org/twinnings"
    undated = SourceFactory(title="Synthetic undated source")
    page = page_of(client.get(url("source-detail", key=undated.key)))
    assert "Accessed</dt>" in page and "not recorded" in page


def test_references_list_brackets_a_supplied_title_and_links_the_archived_copy(client, supplied_source):
    city = CityFactory()
    CityCitation.objects.create(record=city, source=supplied_source)
    page = page_of(client.get(url("city-detail", slug=city.slug)))
    references = page[page.index('id="references-heading"') :]
    assert "[Page about twinnings of example.org]</a>" in references
    assert 'href="https://mirror.example.net/example.org/twinnings"' in references


def test_the_real_mirrors_are_archived_copies_of_the_original(client):
    """The Wikipedia mirror the audit names is the archived copy; the original is the URL."""
    key = "en-wikipedia-on-ipfs-org-wiki-eurocities"
    [item] = json.loads(client.get(url("source-detail", key=key), {"format": "csl-json"}).content)
    assert item["URL"] == "https://en.wikipedia.org/wiki/Eurocities"
    assert item["archive_location"] == "https://en.wikipedia-on-ipfs.org/wiki/Eurocities"
