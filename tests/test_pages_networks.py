"""The public pages of networks (index, profile, member list) on the real data: Mercociudades'
12 founders at their real coordinates, its 2022 size (366 cities, with a per-country
breakdown and its source), its presidencies and summits; filters, CSV downloads and a fixed
number of queries whatever the data size."""

import datetime
import re

import pytest

from cities.models import City
from networks.models import (
    BodyKind,
    GoverningBody,
    GoverningBodyCitation,
    Membership,
    MembershipCitation,
    MembershipFigureCitation,
    MembershipFigureCountry,
    Network,
    OfficeCitation,
    Role,
    SummitCitation,
)
from networks.selectors import counted_memberships
from projects.models import ProjectCitation

from .factories import (
    CityFactory,
    CountryFactory,
    MembershipFactory,
    MembershipFigureFactory,
    NetworkFactory,
    OfficeFactory,
    ProjectFactory,
    SourceFactory,
    SummitFactory,
    ThematicUnitFactory,
)
from .facts import MERCOCIUDADES_FOUNDERS
from .helpers import LANGUAGES, csv_rows, get_at_two_sizes, json_ld, json_script, page_of, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]

MEMBER_CSV_HEADER = [
    "network",
    "city",
    "city name",
    "country code",
    "category",
    "founding member",
    "joined",
    "first attested",
    "left",
    "admitted at",
    "sources",
]
NETWORK_CSV_HEADER = [
    "slug",
    "name",
    "acronym",
    "scope",
    "status",
    "founded",
    "dissolved",
    "founding place",
    "secretariat city",
    "secretariat country",
    "parent network",
    "members recorded now",
    "latest reported members",
    "latest reported date",
    "summits",
    "website",
    "Wikidata id",
]
CASE_STUDY = "Latin American experience of paradiplomacy: The case of Mercocities"
# The 2022-04-13 breakdown of Mercociudades' 366 member cities (the case study).
BREAKDOWN_2022 = {"Argentina": 142, "Brazil": 89, "Peru": 29, "Paraguay": 28, "Chile": 26, "Uruguay": 20}


def section(page: str, heading_id: str) -> str:
    """The HTML of the <section> labelled by ``heading_id``."""
    start = page.index(f'aria-labelledby="{heading_id}"')
    return page[start : page.index("</section>", start)]


def rows(page: str) -> list[str]:
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    return body.split("<tr>")[1:]


# Index -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_network_index_in_every_language(client, language):
    page = page_of(client.get(url("network-list", language)))
    assert f'<html lang="{language}">' in page
    assert page.count("<h1>") == 1
    assert url("network-detail", language, slug="mercociudades") in page
    assert url("network-detail", language, slug="c40") in page
    assert "Montevideo" in page  # Mercociudades' secretariat
    assert 'class="download"' in page


def test_network_index_filters_by_scope_and_region_of_the_secretariat(client):
    page = client.get(url("network-list"), {"scope": "regional", "region": "SA"}).content.decode()
    assert "/en/networks/mercociudades/" in page
    assert "/en/networks/c40/" not in page
    assert "/en/networks/eurocities/" not in page
    page = client.get(url("network-list"), {"region": "EU"}).content.decode()
    assert "/en/networks/eurocities/" in page and "/en/networks/mercociudades/" not in page


def test_network_index_with_a_bad_filter_value_shows_an_error_not_a_500(client):
    page = page_of(client.get(url("network-list"), {"scope": "galactic", "region": "??"}))
    assert 'class="field-error"' in page
    assert "/en/networks/mercociudades/" in page  # the invalid fields are ignored


def test_network_index_orders_networks_of_the_same_name_by_slug(client):
    # Created in reverse order: without a unique tie-break the database may return either first.
    for slug in ("zz-twin-network", "aa-twin-network"):
        NetworkFactory(slug=slug, name_en="Twin network")
    page = client.get(url("network-list")).content.decode()
    assert page.index("/en/networks/aa-twin-network/") < page.index("/en/networks/zz-twin-network/")


def test_network_index_empty_state(client):
    page = client.get(url("network-list"), {"region": "AN"}).content.decode()
    assert "No network matches these filters." in page


def test_network_index_csv(client):
    lines = csv_rows(client.get(url("network-list"), {"format": "csv", "scope": "regional"}))
    assert lines[0] == NETWORK_CSV_HEADER
    by_slug = {line[0]: dict(zip(NETWORK_CSV_HEADER, line, strict=True)) for line in lines[1:]}
    assert "c40" not in by_slug
    merco = by_slug["mercociudades"]
    assert merco["founded"] == "1995-11-11"
    assert merco["founding place"] == "asuncion-py"
    assert merco["secretariat city"] == "montevideo-uy" and merco["secretariat country"] == "UY"
    assert int(merco["members recorded now"]) >= 12


# Profile -----------------------------------------------------------------------------------------


@pytest.fixture
def profile(client):
    def get(language="en"):
        response = client.get(url("network-detail", language, slug="mercociudades"))
        assert response.status_code == 200
        return response.content.decode()

    return get


@pytest.mark.parametrize("language", LANGUAGES)
def test_profile_in_every_language(profile, language):
    page = profile(language)
    assert f'<html lang="{language}">' in page
    h1 = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)
    assert page.count("<h1>") == 1
    assert "Mercocities" in h1 or "Mercociudades" in h1 or "Mercocidades" in h1
    assert 'property="og:title"' in page and "Mercoc" in re.search(r'og:title" content="([^"]*)"', page).group(1)
    # The 2022 figure and its source; the presidency of Tandil (Miguel Lunghi) in 2021.
    assert "366" in page and CASE_STUDY in page
    assert "Miguel Lunghi" in page and "Tandil" in page
    # Links to the member list, a thematic unit page, a summit page.
    assert url("network-members", language, slug="mercociudades") in page
    assert f"/{language}/networks/mercociudades/units/" in page
    assert f"/{language}/networks/mercociudades/summits/" in page
    assert 'id="references-heading"' in page and "cite-page" in page


def test_profile_identity_and_structured_data(profile):
    page = profile()
    identity = section(page, "identity-heading")
    for name in ("Red de Mercociudades", "Rede Mercocidades"):
        assert name in identity
    assert 'lang="es"' in identity and 'lang="pt"' in identity
    assert "Asunción" in identity and "Montevideo" in identity
    assert '<time datetime="1995-11-11">' in identity
    data = json_ld(page)
    assert data["@type"] == "Organization"
    assert data["foundingDate"] == "1995-11-11"
    assert data["foundingLocation"]["name"] == "Asunción"
    assert "Red de Mercociudades" in data["alternateName"]
    assert data["url"].endswith("/en/networks/mercociudades/")
    members = counted_memberships().filter(network__slug="mercociudades").count()
    assert data["interactionStatistic"]["userInteractionCount"] == members


def test_profile_shows_the_12_founders_marked(profile):
    page = profile()
    members = section(page, "members-heading")
    founders = City.objects.filter(slug__in=MERCOCIUDADES_FOUNDERS)
    assert founders.count() == 12
    assert re.search(r"Founding members</dt>\s*<dd>12</dd>", members)
    preview = members[members.index('id="member-preview-heading"') :]
    assert preview.count('<span class="badge">founding member</span>') == 12
    for city in founders:
        assert city.get_absolute_url() in preview, city.slug
    # The filter form on the profile is sent to the member list.
    action = url("network-members", slug="mercociudades")
    assert f'action="{action}"' in members
    for name in ("country", "founding", "at", "current"):
        assert f'name="{name}"' in members


def test_profile_compares_recorded_members_with_the_2022_breakdown_and_cites_it(profile):
    page = profile()
    members = section(page, "members-heading")
    assert "366" in members and '<time datetime="2022-04-13">' in members
    table = members[members.index('id="members-by-country-table"') :]
    table = table[: table.index("</table>")]
    assert "April 13, 2022" in table
    for country, count in BREAKDOWN_2022.items():
        cells = r"</a></th>\s*<td[^>]*>\d+</td>\s*<td[^>]*>[^<]*</td>\s*<td[^>]*>"
        assert re.search(rf">{country}{cells}{count}</td>", table), country
    # The reported column cites the case study: its mark leads to the numbered reference.
    mark = re.search(r'Reported \(April 13, 2022\) <sup class="cite"><a href="#ref-(\d+)"', table).group(1)
    references = section(page, "references-heading")
    entry = re.search(rf'<li id="ref-{mark}" value="{mark}">(.*?)</li>', references, re.S).group(1)
    assert CASE_STUDY in entry
    chart = json_script(page, "members-by-country-data")
    assert chart["type"] == "bar"
    reported = dict(zip(chart["labels"], chart["datasets"][1]["data"], strict=True))
    assert reported["Argentina"] == 142 and reported["Brazil"] == 89


def map_points(client, page: str) -> list[dict]:
    """The points of the profile's map: the page names the GeoJSON address that the map fetches."""
    address = re.search(r'data-points-url="([^"]+)"', page).group(1)
    response = client.get(address)
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    return [
        {"lon": feature["geometry"]["coordinates"][0], "lat": feature["geometry"]["coordinates"][1]}
        | feature["properties"]
        for feature in collection["features"]
    ]


def test_profile_maps_the_founders_at_their_real_coordinates(client, profile):
    page = profile()
    assert 'id="members-map-data"' not in page  # the points are not in the page
    points = map_points(client, page)
    for city in City.objects.filter(slug__in=MERCOCIUDADES_FOUNDERS):
        assert any(
            abs(point["lat"] - float(city.latitude)) < 1e-4 and abs(point["lon"] - float(city.longitude)) < 1e-4
            for point in points
        ), city.slug
    montevideo = next(point for point in points if point["url"] == "/en/cities/montevideo-uy/")
    assert montevideo["name"] == "Montevideo" and montevideo["founding"] is True
    assert all(isinstance(point["lat"], float) for point in points)
    assert f"The {len(points)} member cities recorded today with known coordinates" in page


def test_map_points_are_named_and_linked_in_the_page_language(client):
    response = client.get(url("network-members-geojson", "es", slug="mercociudades"))
    features = response.json()["features"]
    assert features and all(f["properties"]["url"].startswith("/es/cities/") for f in features)
    assert client.get(url("network-members-geojson", slug="no-such-network")).status_code == 404


def test_profile_charts_membership_growth_with_a_table(profile):
    page = profile()
    chart = json_script(page, "membership-growth-data")
    years = chart["labels"]
    recorded = dict(zip(years, chart["datasets"][0]["data"], strict=True))
    reported = dict(zip(years, chart["datasets"][1]["data"], strict=True))
    assert years[0] == 1995 and recorded[1995] == 12 and reported[1995] == 12
    assert reported[2022] == 366 and reported[1996] is None
    table = page[page.index('id="membership-growth-table"') :]
    table = table[: table.index("</table>")]
    assert re.search(r"<th scope=\"row\">1995</th>\s*<td class=\"num\">12</td>", table)
    assert "366" in table and '<sup class="cite">' in table


def test_profile_shows_presidencies_and_summits_on_timelines(profile):
    page = profile()
    presidencies = section(page, "presidency-heading")
    assert '<ol class="timeline presidencies">' in presidencies
    # Tandil (Miguel Lunghi) was president from December 2020 to December 2021 (it took office at
    # the 25th summit; no source names the summit that elected it). Santa Fe was elected at the 20th.
    tandil = next(item for item in presidencies.split("<li>") if "Miguel Lunghi" in item)
    assert "December 2020" in tandil and "Tandil" in tandil
    santa_fe = next(item for item in presidencies.split("<li>") if "José Corral" in item)
    assert "/summits/" in santa_fe
    assert presidencies.index("Fernando Haddad") < presidencies.index("Miguel Lunghi")  # in order of time
    summits = section(page, "summits-heading")
    assert '<ol class="timeline summits">' in summits
    first = summits.split("<li>")[1]
    assert '<time datetime="1995-11-11">' in first and "Asunción" in first
    assert summits.count("<li>") == 23  # 22 rows of mercociudades_summits.csv and Summit VIII (2002)


def test_profile_governing_bodies_units_and_projects(profile):
    page = profile()
    # Each body is a nested section: take everything up to the next top-level section.
    bodies = page[page.index('id="bodies-heading"') : page.index('id="units-heading"')]
    assert "Executive Directorate" in bodies and "Executive Secretariat" in bodies
    assert "Current office holders" in bodies
    units = section(page, "units-heading")
    assert "Environment and Sustainable Development" in units and "Canelones" in units
    projects = section(page, "projects-heading")
    assert "/en/projects/" in projects


@pytest.mark.parametrize("slug", ["uclg-africa", "cemr", "c40"])
def test_profiles_with_little_data_show_empty_states(client, slug):
    page = page_of(client.get(url("network-detail", slug=slug)))
    assert "recorded yet" in page


def test_a_section_links_its_parent(client):
    page = client.get(url("network-detail", slug="uclg-africa")).content.decode()
    assert "/en/networks/uclg/" in page
    page = client.get(url("network-detail", slug="uclg")).content.decode()
    assert "/en/networks/uclg-africa/" in page
    assert "subOrganization" in page


def test_unknown_network_is_a_404(client):
    assert client.get(url("network-detail", slug="no-such-network")).status_code == 404
    assert client.get(url("network-members", slug="no-such-network")).status_code == 404
    assert client.get(url("network-members", slug="no-such-network") + "?format=csv").status_code == 404


def test_profile_growth_counts_partial_dates_for_their_whole_period(client):
    network = NetworkFactory(slug="growth-network", founded="2000")
    today = datetime.date.today()
    spans = [
        ("2001", None, "2003"),  # a member on every day of 2003: counted at the end of 2003
        ("2001-06", None, "2003-06"),  # left in June 2003: not a member at the end of 2003
        ("2002-12-31", None, "2003-12-31"),
        (None, "2002-05", None),  # first attested in May 2002
        (None, None, None),  # undated evidence: counted today, apart from the curve (never a jump)
    ]
    for start, attested, end in spans:
        MembershipFactory(network=network, start=start, first_attested=attested, end=end)
    page = client.get(url("network-detail", slug="growth-network")).content.decode()
    chart = json_script(page, "membership-growth-data")
    recorded = dict(zip(chart["labels"], chart["datasets"][0]["data"], strict=True))
    assert [recorded[year] for year in range(2000, 2005)] == [0, 2, 4, 3, 1]
    assert recorded[today.year] == 1
    assert chart["datasets"][-1]["data"][-1] == 1  # the undated member, a point of its own
    api = client.get("/api/v1/networks/growth-network/growth/").json()
    assert {row["year"]: row["recorded_members"] for row in api["years"]} == recorded
    assert api["undated_members"] == 1


def test_profile_builds_no_model_object_per_member(client):
    """Members by country are counted in SQL and the map takes plain values: beyond the
    preview's 25 rows, no Membership object is built, however big the network."""
    from django.db.models.signals import post_init

    network = Network.objects.get(slug="mercociudades")
    no_country = CityFactory(country=None, latitude=None, longitude=None)
    MembershipFactory(network=network, city=no_country, start="2001")
    built = {"memberships": 0}

    def count(sender, **kwargs):
        built["memberships"] += 1

    post_init.connect(count, sender=Membership)
    try:
        page = client.get(url("network-detail", slug="mercociudades")).content.decode()
    finally:
        post_init.disconnect(count, sender=Membership)
    current = counted_memberships().filter(network=network).count()
    assert current > 25
    # the preview, and the probable and uncertain members listed apart (a short list)
    assert built["memberships"] <= 25 + Membership.objects.filter(network=network).exclude(certainty="stated").count()
    # The counts, the country table (with the member whose country is unknown) and the map.
    table = page[page.index('id="members-by-country-table"') :]
    table = table[: table.index("</table>")]
    assert re.search(r"Country unknown</th>\s*<td class=\"num\">1</td>", table)
    assert re.search(rf"Total</th>\s*<td class=\"num\">{current:,}</td>", table)
    points = map_points(client, page)
    located = counted_memberships().filter(network=network, city__latitude__isnull=False).count()
    assert len(points) == located < current
    assert set(points[0]) == {"name", "lat", "lon", "url", "founding"}


# Member list -------------------------------------------------------------------------------------


def member_page(client, language="en", **params):
    response = client.get(url("network-members", language, slug="mercociudades"), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_member_list_in_every_language(client, language):
    page = member_page(client, language)
    assert f'<html lang="{language}">' in page and page.count("<h1>") == 1
    assert f"/{language}/cities/montevideo-uy/" in page
    assert 'class="download"' in page and "format=csv" in page
    assert '<sup class="cite">' in page


def test_member_list_filters_by_country(client):
    page = member_page(client, country="UY")
    cities = set(re.findall(r'href="/en/cities/([\w-]+)/"', page[page.index("<tbody>") :]))
    # the second research pass states three more Uruguayan members (Maldonado, Salto, Rocha)
    assert cities == {"montevideo-uy", "canelones-uy", "maldonado-uy", "salto-uy", "rocha-uy"}


def test_member_list_filters_founders(client):
    page = member_page(client, founding="true")
    assert len(rows(page)) == 12
    assert set(re.findall(r'<th scope="row"><a href="/en/cities/([\w-]+)/"', page)) == MERCOCIUDADES_FOUNDERS
    later = member_page(client, founding="false")
    assert "founding member</span>" not in later


def test_member_list_at_a_date_accepts_every_precision(client):
    # Before La Paz joined (1999), the members were the 12 founders.
    for at in ("1996", "1998-06", "1998-06-30"):
        page = member_page(client, at=at)
        assert len(rows(page)) == 12, at
    assert "/en/cities/la-paz-bo/" in member_page(client, at="1999")
    assert "/en/cities/la-paz-bo/" not in member_page(client, at="1998")


def test_member_list_joined_years_and_current(client):
    page = member_page(client, joined_from="1999", joined_to="1999")
    assert len(rows(page)) == 1 and "/en/cities/la-paz-bo/" in page
    current = counted_memberships().filter(network__slug="mercociudades").count()
    page = member_page(client, current="on")
    assert f"of {current}" in page or len(rows(page)) == current


def test_member_list_at_today_counts_undated_members_as_the_profile_does(client):
    network = Network.objects.get(slug="mercociudades")
    undated = MembershipFactory(network=network, start=None, first_attested=None, city=CityFactory(slug="undated-uy"))
    today = datetime.date.today()
    current = counted_memberships().filter(network=network).count()
    profile = client.get(url("network-detail", slug="mercociudades")).content.decode()
    assert f"{current} of about" in profile
    link = f"/en/cities/{undated.city.slug}/"
    # The real list is longer than a page and lists undated members last: look for the undated
    # member among its country's.
    country = undated.city.country.code
    for at in (today.isoformat(), f"{today:%Y-%m}", str(today.year), str(today.year + 1)):
        page = member_page(client, at=at)
        assert link in member_page(client, at=at, country=country), at
        assert re.search(rf"\b{current}\b", page), at  # the same count as the profile's
    # Undated evidence says nothing about the past.
    assert link not in member_page(client, at=str(today.year - 1), country=country)
    assert link not in member_page(client, at="2000", country=country)


@pytest.mark.parametrize(
    "params",
    # A bad ``at`` is the page's date: a 400 with the same message (tests/test_as_of.py).
    [
        {"country": "ZZ"},
        {"founding": "perhaps"},
        {"category": "royal"},
        {"joined_from": "abc"},
        {"joined_from": "2010", "joined_to": "2000"},
    ],
)
def test_member_list_bad_filter_values_show_an_error_not_a_500(client, params):
    page = member_page(client, **params)
    assert 'class="field-error"' in page


def test_member_list_empty_state(client):
    page = member_page(client, at="1990")
    assert "No membership matches these filters." in page


def test_member_list_csv_has_stable_columns(client):
    response = client.get(
        url("network-members", slug="mercociudades"), {"format": "csv", "founding": "true", "country": "UY"}
    )
    assert response["Content-Disposition"] == 'attachment; filename="mercociudades-members.csv"'
    lines = csv_rows(response)
    assert lines[0] == MEMBER_CSV_HEADER
    assert len(lines) == 2
    row = dict(zip(MEMBER_CSV_HEADER, lines[1], strict=True))
    assert row["city"] == "montevideo-uy" and row["country code"] == "UY"
    assert row["founding member"] == "true" and row["joined"] == "1995-11-11" and row["left"] == ""
    assert row["sources"]  # source keys
    all_lines = csv_rows(client.get(url("network-members", slug="mercociudades"), {"format": "csv"}))
    # the stated memberships (probable and uncertain ones are listed apart, not in the table)
    assert len(all_lines) - 1 == Membership.objects.filter(network__slug="mercociudades", certainty="stated").count()


# A fixed number of queries -----------------------------------------------------------------------

# Measured on the real data; the same whatever is added. Every page first reads the content
# version (1, core.pagecache: the key of its cached copy). Profile: the network, its sources and
# sections (3), memberships counted by country (1, with how many are on the map: the points
# themselves are fetched from the GeoJSON address), figures and their sources (2), the reported
# breakdown (1), the countries of both (1), growth (1: the figures are reused), the member
# preview and its sources (2), offices (2), bodies (2), units (2), summits (2), projects (2), the
# countries of the filter form (1), and the project count, as the project list is full (on the
# real data since the second research pass added Mercociudades' projects), and its probable and
# uncertain members with their sources (2, #11).
PROFILE_QUERIES = 26
# The version, the network, the count, the rows and their sources, the countries of the filter
# form, and on the unfiltered list the probable and uncertain members with their sources (2,
# #11); a filtered list: one more for ?at= with a country (the country lookup).
MEMBER_LIST_QUERIES = 8
MEMBER_LIST_AT_COUNTRY_QUERIES = 7
# The version, the rows with their counts, the paginator's count, their sources, latest figures
# and their sources.
INDEX_QUERIES = 6
# A cached page: the content version only.
CACHED_PAGE_QUERIES = 1


def grow_mercociudades(size: int):
    """Add ``size`` of everything the profile shows to Mercociudades, all cited."""
    network = Network.objects.get(slug="mercociudades")
    source = SourceFactory()
    unit = ThematicUnitFactory(network=network)
    body = GoverningBody.objects.create(network=network, slug=f"synthetic-body-{size}", name_en="Synthetic body")
    GoverningBodyCitation.objects.create(record=body, source=source)
    figure = MembershipFigureFactory(network=network, date=f"{2000 + size}-02", members=500 + size)
    MembershipFigureCitation.objects.create(record=figure, source=source)
    for _ in range(size):
        country = CountryFactory()
        city = CityFactory(country=country)
        membership = MembershipFactory(network=network, city=city, start="2001-05")
        MembershipCitation.objects.create(record=membership, source=source)
        MembershipFigureCountry.objects.get_or_create(figure=figure, country=country, defaults={"members": 1})
        office = OfficeFactory(network=network, city=city, role=Role.COUNCIL_MEMBER, body=body, start="2020")
        OfficeCitation.objects.create(record=office, source=source)
        coordinator = OfficeFactory(network=network, city=city, role=Role.COORDINATOR, thematic_unit=unit)
        OfficeCitation.objects.create(record=coordinator, source=source)
        summit = SummitFactory(network=network, host_city=city, number=None)
        SummitCitation.objects.create(record=summit, source=source)
        project = ProjectFactory(network=network, thematic_unit=unit)
        ProjectCitation.objects.create(record=project, source=source)
        ThematicUnitFactory(network=network)
    assert body.kind == BodyKind.OTHER


def test_profile_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    address = url("network-detail", slug="mercociudades")
    grow_mercociudades(2)
    small, large = get_at_two_sizes(
        client, django_assert_num_queries, PROFILE_QUERIES, address, lambda: grow_mercociudades(40)
    )
    assert large.content.count(b"Synthetic City") > small.content.count(b"Synthetic City")


@pytest.mark.parametrize(
    "params, queries",
    [({}, MEMBER_LIST_QUERIES), ({"country": "AR", "at": "2020", "page": "1"}, MEMBER_LIST_AT_COUNTRY_QUERIES)],
)
def test_member_list_runs_a_fixed_number_of_queries(client, django_assert_num_queries, params, queries):
    address = url("network-members", slug="mercociudades")
    grow_mercociudades(2)
    small, large = get_at_two_sizes(
        client, django_assert_num_queries, queries, address, lambda: grow_mercociudades(60), params
    )
    if not params:
        assert len(rows(large.content.decode())) == 50  # paginated


def test_network_index_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    def grow():
        for _ in range(30):
            network = NetworkFactory()
            MembershipFigureFactory(network=network)
            SummitFactory(network=network)
            MembershipFactory(network=network)

    small, large = get_at_two_sizes(client, django_assert_num_queries, INDEX_QUERIES, url("network-list"), grow)
    assert large.content.decode().count("Synthetic Network") >= 30


# The version, the network, the points.
MEMBER_MAP_QUERIES = 3


def test_member_map_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    address = url("network-members-geojson", slug="mercociudades")
    small, large = get_at_two_sizes(
        client, django_assert_num_queries, MEMBER_MAP_QUERIES, address, lambda: grow_mercociudades(40)
    )
    assert len(large.json()["features"]) == len(small.json()["features"]) + 40


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("network-detail", {"slug": "mercociudades"}),
        ("network-members", {"slug": "mercociudades"}),
        ("network-members-geojson", {"slug": "mercociudades"}),
        ("network-list", {}),
        ("summit-list", {}),
    ],
)
def test_a_cached_network_page_reads_only_the_content_version(client, django_assert_num_queries, name, kwargs):
    address = url(name, **kwargs)
    first = client.get(address)
    assert first["X-Paradiplo-Cache"] == "miss"
    with django_assert_num_queries(CACHED_PAGE_QUERIES):
        again = client.get(address)
    assert again["X-Paradiplo-Cache"] == "hit"
    assert again.content == first.content and again["Content-Type"] == first["Content-Type"]
