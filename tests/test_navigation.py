"""Pages a researcher can find their way in and take data from (issue 12, item 2): CSV files
that Excel opens as UTF-8, acronyms written once, the curators' internal notes kept off every
public page, API response and search, names sorted as the language sorts them, a favicon, API
documentation served without another host, and the network profile's table of contents,
"cite this page" with copy buttons and a member table that fits a phone."""

import html
import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from rest_framework.authtoken.models import Token

from networks.models import Membership
from search import services as search
from sources.models import Certainty

from .factories import (
    CityFactory,
    CountryFactory,
    MembershipFactory,
    NetworkFactory,
    OfficeFactory,
    ProjectCityFactory,
    ProjectFactory,
    ProjectOrganizationFactory,
    SourceFactory,
    TwinningFactory,
)
from .helpers import body, page_of, url

pytestmark = pytest.mark.django_db

BOM = b"\xef\xbb\xbf"


# CSV downloads that Excel opens as UTF-8 ---------------------------------------------------------


@pytest.fixture
def asuncion_like(db):
    """A synthetic city whose name has an accent (Excel without a BOM shows "AsunciÃ³n")."""
    return CityFactory(slug="synthetic-asuncion-xq", name_en="Synthetic Asunción", country=CountryFactory(code="XQ"))


def download(response) -> bytes:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/csv")
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_every_csv_download_starts_with_a_byte_order_mark(client, api, superuser_client, asuncion_like):
    downloads = {
        "page": client.get(url("city-list"), {"format": "csv", "country": "XQ"}),
        "api list": api.get("/api/v1/cities/", {"format": "csv", "country": "XQ"}),
        "api record": api.get(f"/api/v1/cities/{asuncion_like.slug}/", {"format": "csv"}),
        "api by Accept": api.get("/api/v1/cities/", {"country": "XQ"}, HTTP_ACCEPT="text/csv"),
        "admin": superuser_client.post(
            reverse("admin:cities_city_changelist"), {"action": "export_csv", "_selected_action": [asuncion_like.pk]}
        ),
    }
    for name, response in downloads.items():
        content = download(response)
        assert content.startswith(BOM) and not content[3:].startswith(BOM), name
        assert "Synthetic Asunción" in content.decode("utf-8-sig"), name
        assert "Ã³" not in content.decode("utf-8-sig"), name


# Acronyms written once ---------------------------------------------------------------------------


def test_an_acronym_the_name_already_holds_is_not_written_again(client):
    # As UCLG's sections are named ("Middle East and West Asia (UCLG-MEWA)").
    held = NetworkFactory(slug="synthetic-held", name_en="Synthetic Region (SYN-MEWA)", acronym="SYN-MEWA")
    added = NetworkFactory(slug="synthetic-added", name_en="Synthetic Region Network", acronym="SYN-RN")
    # A word that merely starts like the acronym does not hold it.
    NetworkFactory(slug="synthetic-prefix", name_en="Synthetic SYN-PXL Region", acronym="SYN-P")
    profile = page_of(client.get(url("network-detail", slug=held.slug)))
    assert re.search(r"<h1[^>]*>Synthetic Region \(SYN-MEWA\)</h1>", profile)
    assert "(SYN-MEWA) (SYN-MEWA)" not in profile
    index = page_of(client.get(url("network-list")))
    home = page_of(client.get(url("home")))
    for page in (index, profile):
        assert "(SYN-MEWA) (SYN-MEWA)" not in page
    assert "Synthetic Region Network</a> (SYN-RN)" in index
    assert "Synthetic SYN-PXL Region</a> (SYN-P)" in index
    assert "(SYN-MEWA) (SYN-MEWA)" not in home
    member = MembershipFactory(network=added, start="2001")
    city_page = page_of(client.get(member.city.get_absolute_url()))
    assert "Synthetic Region Network</a> (SYN-RN)" in city_page


# Internal notes never public -----------------------------------------------------------------------


NOTE = "Synthetic curator note: checked by phone, do not publish"


@pytest.fixture
def noted(db):
    """Synthetic records of every kind with internal notes, stated and probable memberships."""
    network = NetworkFactory(slug="synthetic-noted", name_en="Synthetic Noted Network")
    city = CityFactory(slug="synthetic-noted-xq", name_en="Synthetic Noted City", country=CountryFactory(code="XQ"))
    source = SourceFactory(key="synthetic-noted-source", title="Synthetic noted report", notes=NOTE)
    stated = MembershipFactory(network=network, city=city, start="2001", notes=NOTE)
    stated.citations.create(source=source)
    probable = MembershipFactory(
        network=network, city=CityFactory(country=city.country), start=None, certainty=Certainty.PROBABLE, notes=NOTE
    )
    OfficeFactory(network=network, city=city, start="2005", notes=NOTE)
    project = ProjectFactory(slug="synthetic-noted-project", network=network, notes=NOTE)
    ProjectCityFactory(project=project, city=city, notes=NOTE)
    ProjectOrganizationFactory(project=project, notes=NOTE)
    TwinningFactory(city_a=city, notes=NOTE)
    return {"network": network, "city": city, "source": source, "stated": stated, "probable": probable}


def test_internal_notes_are_on_no_public_page(client, noted):
    pages = [
        url("network-detail", slug="synthetic-noted"),
        url("network-members", slug="synthetic-noted"),
        noted["city"].get_absolute_url(),
        noted["probable"].city.get_absolute_url(),
        url("project-detail", slug="synthetic-noted-project"),
        noted["source"].get_absolute_url(),
        url("twinning-list"),
    ]
    for address in pages:
        assert NOTE not in page_of(client.get(address)), address
    assert NOTE not in body(client.get(url("network-members", slug="synthetic-noted"), {"format": "csv"}))


@pytest.mark.parametrize(
    "resource", ["memberships", "offices", "projects", "sources", "twinnings", "membership-figures"]
)
def test_internal_notes_are_in_no_api_response(api, noted, resource):
    for fmt in ("json", "csv"):
        response = api.get(f"/api/v1/{resource}/", {"format": fmt, "page_size": 500})
        assert response.status_code == 200
        assert NOTE not in body(response) and '"notes"' not in body(response), (resource, fmt)


def test_editors_still_write_internal_notes_through_the_api_without_reading_them_back(api, django_user_model, noted):
    user = django_user_model.objects.create_superuser("synthetic-curator", "curator@example.org", "a-long-password-1")
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    key = "synthetic-noted~synthetic-noted-xq~2001"
    response = api.patch(f"/api/v1/memberships/{key}/", {"notes": "Synthetic: checked again"}, format="json")
    assert response.status_code == 200, response.content
    assert "notes" not in response.json()
    assert Membership.objects.get(pk=noted["stated"].pk).notes == "Synthetic: checked again"


def test_internal_notes_are_not_searched(noted):
    assert not search.search("checked by phone").total
    assert search.search("Synthetic noted report").hits[0].key == "synthetic-noted-source"


# A favicon, and API docs from our own host --------------------------------------------------------


def test_pages_link_a_favicon_and_favicon_ico_is_served(client):
    page = page_of(client.get(url("home")))
    assert 'rel="icon" href="/static/favicon.svg" type="image/svg+xml"' in page
    assert 'rel="icon" href="/static/favicon.ico"' in page
    assert finders.find("favicon.svg") and finders.find("favicon.ico")
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert response.content == Path(finders.find("favicon.ico")).read_bytes()


@pytest.mark.parametrize("address", ["/api/docs/", "/api/redoc/"])
def test_the_api_docs_reference_no_other_host(client, address):
    """Every script, style sheet, icon and font of the documentation pages is one of our static
    files (drf-spectacular-sidecar's copies of Swagger UI and Redoc): no address in the HTML
    names another host."""
    page = page_of(client.get(address))
    assert not re.search(r"(?:https?:)?//[\w.-]+\.\w", page), re.search(r"(?:https?:)?//[\w.-]+\.\w", page)
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert len(assets) >= 1
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), asset


# Names sorted as people sort them, on both databases ---------------------------------------------


@pytest.mark.usefixtures("real_data")
def test_sao_paulo_sorts_before_sydney_in_the_api_and_on_the_pages(api, client):
    listed = api.get("/api/v1/cities/", {"ordering": "name", "page_size": 500}).json()["results"]
    names = [row["name"] for row in listed]
    assert names.index("São Paulo") < names.index("Sydney")  # by code point, "ã" comes after "y"
    assert names.index("Santo André") < names.index("São Paulo") < names.index("Sarajevo")
    reverse_names = [
        row["name"] for row in api.get("/api/v1/cities/", {"ordering": "-name", "page_size": 500}).json()["results"]
    ]
    assert reverse_names.index("Sydney") < reverse_names.index("São Paulo")
    page = page_of(client.get(url("city-list"), {"country": "BR", "page_size": 100}))
    listed = re.findall(r'<a href="/en/cities/([a-z-]+)/">', page)
    assert listed.index("santo-andre-br") < listed.index("sao-paulo-br") < listed.index("varzea-paulista-br")


def test_accents_and_case_do_not_decide_the_order_of_names(api):
    country = CountryFactory(code="XQ")
    for name in ["Synthetic Zeta", "synthetic émile", "Synthetic Sydville", "Synthetic Sãoville", "Synthetic Eagle"]:
        CityFactory(name_en=name, country=country)
    names = [row["name"] for row in api.get("/api/v1/cities/", {"country": "XQ", "ordering": "name"}).json()["results"]]
    assert names == ["Synthetic Eagle", "synthetic émile", "Synthetic Sãoville", "Synthetic Sydville", "Synthetic Zeta"]


# The network profile: contents, no section twice, citation at the top, a table for phones -------


@pytest.fixture
def profile(client, real_data):
    return page_of(client.get(url("network-detail", slug="mercociudades")))


def test_the_profile_has_a_table_of_contents_whose_every_link_reaches_a_section(profile):
    toc = re.search(r'<nav class="toc" aria-label="On this page">(.*?)</nav>', profile, re.S).group(1)
    targets = re.findall(r'href="#([\w-]+)"', toc)
    assert len(targets) >= 10
    for target in targets:
        assert profile.count(f'id="{target}"') == 1, target
    # Each section has an id of its own, for links from elsewhere.
    for section in ("members", "presidency", "bodies", "units", "summits", "projects"):
        assert f'<section id="{section}" aria-labelledby="{section}-heading">' in profile
    # The table of contents comes before the sections and sticks (CSS only: no inline script).
    assert profile.index('class="toc"') < profile.index('id="identity-heading"')
    css = Path(finders.find("css/site.css")).read_text()
    assert re.search(r"\.toc \{ position: sticky;", css)
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(ld\+)?json\")[^>]*>", profile)


@pytest.mark.usefixtures("real_data")
def test_a_city_page_has_a_table_of_contents_too(client):
    page = page_of(client.get(url("city-detail", slug="montevideo-uy")))
    toc = re.search(r'<nav class="toc" aria-label="On this page">(.*?)</nav>', page, re.S).group(1)
    targets = re.findall(r'href="#([\w-]+)"', toc)
    assert len(targets) >= 7
    for target in targets:
        assert page.count(f'id="{target}"') == 1, target


def test_office_holders_are_listed_once_per_governing_body(profile):
    bodies = profile[profile.index('id="bodies-heading"') : profile.index('id="units-heading"')]
    # Rodrigo Neves (Niterói) presides the network in December 2025 – December 2026: he is a
    # current office holder of the Executive Directorate, listed there once.
    directorate = bodies[bodies.index("Executive Directorate") :]
    directorate = directorate[: directorate.index("</section>")]
    assert directorate.count("Rodrigo Neves") == 1
    assert "Current office holders" in directorate and "Earlier office holders" in directorate
    # Earlier presidents are listed once too.
    assert directorate.count("Miguel Lunghi") == 1
    assert "All office holders over time" not in bodies
    units = profile[profile.index('id="units-heading"') : profile.index('id="summits-heading"')]
    assert "Coordinators now" in units and "Earlier coordinators" in units and "over time" not in units


def test_cite_this_page_comes_near_the_top_with_apa_bibtex_and_csl_json_to_copy(profile):
    cite = profile.index('class="cite-page"')
    assert profile.index("<h1") < cite < profile.index('id="identity-heading"')
    block = profile[cite : profile.index("</details>", cite)]
    for target in ("cite-apa", "cite-bibtex", "cite-csl-json"):
        assert f'data-copy="{target}"' in block and f'id="{target}"' in block
    csl = re.search(r'<code id="cite-csl-json">(.*?)</code>', block, re.S).group(1)
    [item] = json.loads(html.unescape(csl))
    assert item["type"] == "webpage" and item["URL"] == "http://testserver/en/networks/mercociudades/"
    assert item["title"] == "Mercocities (Mercosur Cities Network)" and item["author"] == [{"literal": "Paradiplo"}]
    assert "@misc{paradiplo-networks-mercociudades," in html.unescape(block)
    assert '<script src="/static/js/cite.js" defer></script>' in profile
    assert finders.find("js/cite.js")


def test_the_member_table_stacks_its_cells_with_their_headings_on_a_phone(profile, client):
    table = profile[profile.index('<table class="members">') :]
    table = table[: table.index("</table>")]
    headings = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', table)
    labels = set(re.findall(r'<td[^>]* data-label="([^"]+)"', table))
    assert labels and labels <= set(headings)
    members = page_of(client.get(url("network-members", slug="mercociudades")))
    assert 'data-label="Joined"' in members
    css = Path(finders.find("css/site.css")).read_text()
    assert "table.members td[data-label]::before" in css
