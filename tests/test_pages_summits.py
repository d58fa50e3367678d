"""The public pages of summits (index and detail) and thematic units, on the real data: the
founding summit of Mercociudades (Asunción, 11 Nov 1995, 12 founding members), later summits
with the offices they elected, and the thematic units with their coordinators."""

import re

import pytest

from networks.models import (
    MembershipCitation,
    Network,
    OfficeCitation,
    Role,
    Summit,
    SummitCitation,
    SummitKind,
    ThematicUnit,
    ThematicUnitCitation,
)
from projects.models import ProjectCitation

from .factories import (
    CityFactory,
    MembershipFactory,
    NetworkFactory,
    OfficeFactory,
    ProjectFactory,
    SourceFactory,
    SummitFactory,
    ThematicUnitFactory,
)
from .helpers import LANGUAGES, cite, csv_rows, get_at_two_sizes, json_ld, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]

CSV_HEADER = [
    "network",
    "network name",
    "summit",
    "number",
    "number inferred",
    "kind",
    "name",
    "start",
    "end",
    "host city",
    "host city name",
    "host country",
    "format",
    "motto",
    "declaration",
]


def summit_url(slug, network="mercociudades", language="en"):
    return url("summit-detail", language, network=network, slug=slug)


def unit_url(slug, network="mercociudades", language="en"):
    return url("thematic-unit-detail", language, network=network, slug=slug)


def get_page(client, address, **params):
    response = client.get(address, params)
    assert response.status_code == 200, address
    return response.content.decode()


def summit_links(page):
    """The summit detail links of a page, in order, as (network, slug)."""
    return re.findall(r'href="/[a-z]{2}/networks/([\w-]+)/summits/([\w-]+)/"', page)


# Summit index ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_summit_index_in_every_language(client, language):
    page = get_page(client, url("summit-list", language), network="mercociudades")
    assert f'<html lang="{language}">' in page
    assert page.count("<h1>") == 1
    links = summit_links(page)
    assert ("mercociudades", "1-1995") in links and ("mercociudades", "20-2015") in links
    assert {network for network, _slug in links} == {"mercociudades"}
    assert f'href="/{language}/networks/mercociudades/"' in page
    assert "Canelones" in page and "Niterói" in page
    assert "<caption" in page and 'scope="col"' in page
    assert "format=csv" in page


def test_summit_index_lists_every_network_newest_first_and_paginates(client):
    first = get_page(client, url("summit-list"))
    second = get_page(client, url("summit-list"), page=2)
    total = Summit.objects.count()
    links = summit_links(first) + summit_links(second)
    assert len(summit_links(first)) == 50
    assert len(set(links)) == total
    assert {network for network, _slug in links} >= {"mercociudades", "uclg", "c40", "metropolis", "eurocities"}
    # Newest first: the dates (start, else end) never increase down the list; undated last.
    by_key = {(s.network.slug, s.slug): s.start or s.end for s in Summit.objects.select_related("network")}
    dates = [by_key[link] for link in links]
    dated = [int(date) for date in dates if date is not None]
    assert dated == sorted(dated, reverse=True)
    assert dates[-1] is None  # C40's undated summit in Copenhagen comes last
    assert links[-1] == ("c40", "undated-copenhagen")


def test_summit_index_sorts_mercociudades_by_date_descending(client):
    links = [slug for _network, slug in summit_links(get_page(client, url("summit-list"), network="mercociudades"))]
    assert links[0] == "31-2026"
    assert links[-1] == "1-1995"
    # The 2006 summit is known only by its closing day: it sits between 2005 and 2008.
    assert links.index("13-2008") < links.index("12-2006") < links.index("11-2005")


def test_summit_index_marks_inferred_numbers_and_partial_dates(client):
    page = get_page(client, url("summit-list"), network="mercociudades")
    assert "inferred" in page  # 12th, 19th and 25th summits
    assert '<time datetime="2016-11">November 2016</time>' in page  # 21st summit, Santa Fe
    assert '<time datetime="1995-11-11">' in page
    # The 12th summit: only its end is known, shown as the date it was held.
    assert '<td><time datetime="2006-12-01">Dec. 1, 2006</time></td>' in page


@pytest.mark.parametrize(
    ("params", "expected", "absent"),
    [
        ({"network": "uclg"}, {("uclg", "1-2004"), ("uclg", "7-2022")}, {("mercociudades", "1-1995")}),
        ({"country": "PY"}, {("mercociudades", "1-1995"), ("mercociudades", "24-2019")}, {("uclg", "1-2004")}),
        ({"year_from": 1995, "year_to": 1995}, {("mercociudades", "1-1995")}, {("metropolis", "5-1996")}),
        # by its closing day when the start is unknown
        ({"year_from": 2006, "year_to": 2006}, {("mercociudades", "12-2006")}, {("mercociudades", "11-2005")}),
        ({"year_from": 2025}, {("mercociudades", "30-2025"), ("c40", "2025-rio-de-janeiro")}, {("uclg", "7-2022")}),
        ({"year_to": 1986}, {("eurocities", "1986-rotterdam"), ("metropolis", "1985-montreal")}, {("c40", "1-2005")}),
        (
            {"kind": SummitKind.CONGRESS},
            {("uclg", "1-2004"), ("metropolis", "10-2011")},
            {("mercociudades", "1-1995"), ("eurocities", "2016-milan")},
        ),
    ],
)
def test_summit_index_filters(client, params, expected, absent):
    links = set(summit_links(get_page(client, url("summit-list"), **params)))
    assert expected <= links
    assert not absent & links


@pytest.mark.parametrize(
    ("params", "kept"),
    [
        # A summit over the new year is in both years: the year range is tested against its span.
        ({"year_from": 2004}, {"new-year", "end-only"}),
        ({"year_to": 2003}, {"new-year", "start-only"}),
        ({"year_from": 2003, "year_to": 2003}, {"new-year", "start-only"}),
        ({"year_from": 2004, "year_to": 2004}, {"new-year", "end-only"}),
        ({"year_from": 2005}, set()),
        ({"year_to": 2002}, set()),
    ],
)
def test_summit_index_year_range_overlaps_the_summits_span(client, params, kept):
    network = NetworkFactory(slug="overlap-network")
    SummitFactory(network=network, slug="new-year", start="2003-12-30", end="2004-01-02")
    SummitFactory(network=network, slug="start-only", start="2003-12", end=None)
    SummitFactory(network=network, slug="end-only", start=None, end="2004")
    SummitFactory(network=network, slug="undated", start=None, end=None)
    links = summit_links(get_page(client, url("summit-list"), network="overlap-network", **params))
    assert {slug for _network, slug in links} == kept


def test_summit_index_filters_combine(client):
    links = summit_links(get_page(client, url("summit-list"), network="mercociudades", country="UY"))
    assert set(links) == {("mercociudades", "16-2011"), ("mercociudades", "27-2022"), ("mercociudades", "31-2026")}


def test_summit_index_filter_choices_are_translated_names(client):
    page = get_page(client, url("summit-list", "es"))
    assert '<label for="id_network">' in page and '<label for="id_country">' in page
    assert '<option value="mercociudades">Red de Mercociudades</option>' in page
    assert '<option value="PY">' in page  # a host country
    assert '<option value="summit">Cumbre</option>' in page


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year_from": "abc"}, "year_from"),
        ({"year_to": "19.5"}, "year_to"),
        ({"year_from": "99999"}, "year_from"),
        ({"network": "no-such-network"}, "network"),
        ({"country": "ZZ"}, "country"),
        ({"kind": "picnic"}, "kind"),
        ({"year_from": "2010", "year_to": "2000"}, "year_to"),
    ],
)
def test_summit_index_bad_filter_values_show_an_error_not_a_500(client, params, field):
    page = get_page(client, url("summit-list"), **params)
    # (filters.html names the message "<id>-error"; Django's aria-describedby says "<id>_error")
    assert re.search(rf'<p class="field-error" id="id_{field}[-_]error" role="alert">', page)
    assert "Clear filters" in page


def test_summit_index_ignores_a_bad_value_but_applies_the_good_ones(client):
    links = summit_links(get_page(client, url("summit-list"), network="uclg", year_from="abc"))
    assert links and {network for network, _slug in links} == {"uclg"}


def test_summit_index_empty_states(client):
    page = get_page(client, url("summit-list"), network="mercociudades", year_from=1980, year_to=1990)
    assert "No summit matches these filters." in page
    Summit.objects.all().delete()
    page = get_page(client, url("summit-list"))
    assert "No summits recorded yet." in page


def test_summit_index_cites_its_sources(client):
    page = get_page(client, url("summit-list"), network="mercociudades")
    assert '<sup class="cite"><a href="#ref-1"' in page
    assert 'id="ref-1"' in page and "Cite this page" in page


# Summit CSV -----------------------------------------------------------------------------


def test_summit_csv_has_the_documented_header_and_the_filtered_rows(client):
    response = client.get(url("summit-list"), {"network": "mercociudades", "format": "csv"})
    assert 'filename="summits.csv"' in response["Content-Disposition"]
    lines = csv_rows(response)
    assert lines[0] == CSV_HEADER
    rows = {line[2]: dict(zip(CSV_HEADER, line, strict=True)) for line in lines[1:]}
    assert len(rows) == Summit.objects.filter(network__slug="mercociudades").count() == len(lines) - 1
    founding = rows["1-1995"]
    assert founding["network"] == "mercociudades"
    assert founding["number"] == "1" and founding["number inferred"] == "false"
    assert founding["start"] == "1995-11-11" and founding["end"] == ""
    assert founding["host city"] == "asuncion-py" and founding["host country"] == "PY"
    assert founding["kind"] == "summit" and founding["format"] == "in_person"
    assert rows["21-2016"]["start"] == "2016-11"  # a partial date stays at its precision
    assert rows["12-2006"]["number inferred"] == "true"
    assert rows["12-2006"]["start"] == "" and rows["12-2006"]["end"] == "2006-12-01"


def test_summit_csv_keeps_every_filtered_row_beyond_one_page(client):
    lines = csv_rows(client.get(url("summit-list"), {"format": "csv"}))
    assert len(lines) - 1 == Summit.objects.count() > 50
    lines = csv_rows(client.get(url("summit-list"), {"format": "csv", "country": "PY"}))
    assert sorted(line[2] for line in lines[1:]) == ["1-1995", "24-2019", "8-2002"]


def test_summit_csv_with_a_bad_filter_is_refused_with_the_errors_not_the_whole_table(client):
    response = client.get(url("summit-list"), {"format": "csv", "country": "PY", "year_from": "bad"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert 'class="field-error"' in response.content.decode()


def test_summit_csv_link_keeps_the_filters(client):
    page = get_page(client, url("summit-list"), network="mercociudades", kind="summit")
    assert 'href="?network=mercociudades&amp;kind=summit&amp;format=csv"' in page


# Summit detail --------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_founding_summit_in_every_language(client, language):
    page = get_page(client, summit_url("1-1995", language=language))
    assert f'<html lang="{language}">' in page
    assert page.count("<h1>") == 1
    assert "I Cumbre de Alcaldes, Intendentes y Prefeitos" in page
    assert '<time datetime="1995-11-11">' in page
    assert f'href="/{language}/cities/asuncion-py/"' in page
    assert f'href="/{language}/networks/mercociudades/"' in page
    # Its 12 founding members, Montevideo among them.
    assert page.count(f'<th scope="row"><a href="/{language}/cities/') == 12
    assert f'href="/{language}/cities/montevideo-uy/"' in page
    assert "Acta Fundacional de Mercociudades" in page or "Founding Act" in page
    assert '<section class="references"' in page and 'class="cite-page"' in page


def test_founding_summit_facts_in_english(client):
    page = get_page(client, summit_url("1-1995"))
    assert "<title>I Cumbre de Alcaldes, Intendentes y Prefeitos — Mercocities" in page
    assert '<h1><span lang="es">I Cumbre de Alcaldes, Intendentes y Prefeitos</span></h1>' in page
    assert "11 November 1995" in page or "Nov. 11, 1995" in page
    assert "Founding Act" in page
    assert "Founding summit" in page  # summary
    assert "Members admitted at this summit" in page
    assert "No offices recorded yet as elected at this summit." in page
    # The first summit has a next one but no previous one.
    assert 'rel="next"' in page and 'rel="prev"' not in page
    assert "1999-belo-horizonte" in page
    assert "Breadcrumbs" in page and 'href="/en/summits/?network=mercociudades"' in page


def test_summit_json_ld_is_an_event_with_place_and_organizer(client):
    data = json_ld(get_page(client, summit_url("1-1995")))
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["name"] == "I Cumbre de Alcaldes, Intendentes y Prefeitos"
    assert data["startDate"] == "1995-11-11" and "endDate" not in data
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"]["@type"] == "Place" and data["location"]["name"] == "Asunción"
    assert data["location"]["address"]["addressCountry"] == "PY"
    geo = data["location"]["geo"]
    assert geo["@type"] == "GeoCoordinates"
    assert round(geo["latitude"]) == -25 and round(geo["longitude"]) == -58
    assert data["organizer"] == {
        "@type": "Organization",
        "name": "Mercocities (Mercosur Cities Network)",
        "url": "http://testserver/en/networks/mercociudades/",
        **({"sameAs": data["organizer"]["sameAs"]} if "sameAs" in data["organizer"] else {}),
    }


def test_summit_json_ld_keeps_partial_dates_at_their_precision(client):
    data = json_ld(get_page(client, summit_url("21-2016")))
    assert data["startDate"] == "2016-11"
    data = json_ld(get_page(client, summit_url("26-2021")))
    assert (data["startDate"], data["endDate"]) == ("2021-12-01", "2021-12-03")
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"


def test_summit_with_elections_and_neighbours(client):
    page = get_page(client, summit_url("20-2015"))
    # Santa Fe (José Corral) was elected to the presidency for 2016-17; São Paulo (Fernando
    # Haddad) took office at this summit, elected at an earlier one (not named by the sources).
    assert "José Corral" in page
    assert 'href="/en/cities/santa-fe-ar/"' in page
    assert "President" in page
    assert "Ciudades del futuro, desafíos del presente" in page  # motto, in Spanish
    assert '<a href="/en/networks/mercociudades/summits/19-2014/" rel="prev">' in page
    assert '<a href="/en/networks/mercociudades/summits/21-2016/" rel="next">' in page
    assert "No admissions recorded yet for this summit." in page


def test_summit_with_an_inferred_number_and_only_an_end_date(client):
    page = get_page(client, summit_url("12-2006"))
    assert "The number is deduced from the order of events, not stated by a source." in page
    assert '<dd><time datetime="2006-12-01">Dec. 1, 2006</time></dd>' in page  # only its end is known
    # Morón (Martín Sabbatella) took office here; no source names the summit that elected it.
    assert "<h1>Summit no. 12 of Mercocities (Mercosur Cities Network)</h1>" in page
    assert '<a href="/en/networks/mercociudades/summits/11-2005/" rel="prev">' in page
    assert '<a href="/en/networks/mercociudades/summits/13-2008/" rel="next">' in page
    data = json_ld(page)
    assert data["endDate"] == "2006-12-01" and "startDate" not in data


def test_undated_summit_has_no_neighbours(client):
    page = get_page(client, summit_url("undated-copenhagen", network="c40"))
    assert "dates not recorded" in page
    assert "No other summits of this network recorded yet." in page


@pytest.mark.parametrize(
    "address",
    [
        "/en/networks/mercociudades/summits/no-such-summit/",
        "/en/networks/c40/summits/1-1995/",  # a Mercociudades slug under another network
        "/es/networks/no-such-network/summits/1-1995/",
    ],
)
def test_unknown_summit_is_404(client, address):
    assert client.get(address).status_code == 404


# Thematic unit detail -------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_thematic_unit_in_every_language(client, language):
    page = get_page(client, unit_url("utds", language=language))
    assert f'<html lang="{language}">' in page
    assert page.count("<h1>") == 1
    assert "Desarrollo Social" in page or "Social Development" in page
    assert "(UTDS)" in page
    # Quilmes coordinated in 2012 with Zárate and Montevideo; Villa Carlos Paz in 2023–2024.
    for city in ("quilmes-ar", "zarate-ar", "montevideo-uy", "villa-carlos-paz-ar", "ayacucho-ar"):
        assert f'href="/{language}/cities/{city}/"' in page, city
    assert f'href="/{language}/networks/mercociudades/"' in page
    assert '<section class="references"' in page and 'class="cite-page"' in page


def test_thematic_unit_coordinators_in_order_of_time(client):
    page = get_page(client, unit_url("utds"))
    assert "Coordinator" in page and "Sub-coordinator" in page
    assert page.index("quilmes-ar") < page.index("villa-carlos-paz-ar")
    assert '<td><time datetime="2012">2012</time></td>' in page
    assert '<td><time datetime="2023">2023</time> – <time datetime="2024">2024</time></td>' in page
    assert "Social Development" in page
    assert "No projects recorded yet for this unit." in page


def test_thematic_unit_environment_coordinated_by_canelones(client):
    page = get_page(client, unit_url("utads", language="es"))
    assert "<h1>Ambiente y Desarrollo Sostenible (UTADS)</h1>" in page
    assert 'href="/es/cities/canelones-uy/"' in page
    assert '<td><time datetime="2011">2011</time></td>' in page


def test_thematic_vice_presidency_links_the_summit_that_elected_it(client):
    page = get_page(client, unit_url("desarrollo-urbano-sostenible-y-cambio-climatico"))
    assert "Fernando Gray" in page
    assert 'href="/en/networks/mercociudades/summits/24-2019/"' in page


def test_thematic_unit_with_nothing_recorded_shows_empty_states(client):
    page = get_page(client, unit_url("deporte"))
    assert "No coordinators recorded yet for this unit." in page
    assert "No projects recorded yet for this unit." in page


def test_thematic_unit_lists_its_projects_with_sources(client):
    unit = ThematicUnit.objects.get(network__slug="mercociudades", slug="utds")
    project = ProjectFactory(thematic_unit=unit, start="2019-03", status="completed")
    ProjectCitation.objects.create(record=project, source=SourceFactory(title="Synthetic project report"))
    page = get_page(client, unit_url("utds"))
    assert f'href="/en/projects/{project.slug}/"' in page
    assert project.title_en in page and "March 2019" in page and "Completed" in page
    assert "Synthetic project report" in page


def test_thematic_unit_caps_its_project_list(client):
    unit = ThematicUnitFactory(network=Network.objects.get(slug="mercociudades"))
    for _ in range(52):
        ProjectFactory(thematic_unit=unit)
    page = get_page(client, unit_url(unit.slug))
    assert page.count('href="/en/projects/synthetic-project-') == 50
    assert "The 50 most recent of 52 projects." in page
    assert "Unidad sintética" in page and 'lang="es"' in page  # name only in Spanish: marked


@pytest.mark.parametrize(
    "address",
    [
        "/en/networks/mercociudades/units/no-such-unit/",
        "/en/networks/uclg/units/utds/",
        "/pt/networks/no-such-network/units/utds/",
    ],
)
def test_unknown_thematic_unit_is_404(client, address):
    assert client.get(address).status_code == 404


# Queries --------------------------------------------------------------------------------


def grow_summits(networks: int, summits_each: int):
    for _ in range(networks):
        network = NetworkFactory()
        for _ in range(summits_each):
            summit = SummitFactory(network=network, start="2001-05")
            cite(SummitCitation, summit)


# The index: count, rows, their citations, the network and country choices; the network and
# country filters validate their value (one query each); the CSV: rows and their citations, per
# chunk of 2,000 rows.
# The index reads the content version first (1, the key of its cached copy: core.pagecache).
SUMMIT_INDEX_QUERIES = 6
SUMMIT_INDEX_FILTERED_QUERIES = 8
SUMMIT_CSV_QUERIES = 2
SUMMIT_PAGE_QUERIES = 8
THEMATIC_UNIT_PAGE_QUERIES = 6
# One more, the project total, once the unit's project list stops at 50.
THEMATIC_UNIT_PAGE_CAPPED_QUERIES = 7


def test_summit_index_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    address = url("summit-list")
    small, large = get_at_two_sizes(
        client, django_assert_num_queries, SUMMIT_INDEX_QUERIES, address, lambda: grow_summits(3, 20)
    )
    page = large.content.decode()
    assert len(summit_links(page)) == 50
    assert f"of {Summit.objects.count()}" in page
    assert "/en/networks/synthetic-network-" in page


def test_filtered_summit_index_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    filters = {"network": "mercociudades", "country": "BR", "year_from": 1990, "kind": "summit"}
    network = Network.objects.get(slug="mercociudades")

    def grow():
        for year in range(1980, 2050):
            summit = SummitFactory(network=network, number=None, start=str(year), host_city=CityFactory(country=None))
            cite(SummitCitation, summit)

    address = url("summit-list")
    small, large = get_at_two_sizes(
        client, django_assert_num_queries, SUMMIT_INDEX_FILTERED_QUERIES, address, grow, filters
    )
    assert summit_links(large.content.decode()) == summit_links(small.content.decode())


def test_summit_csv_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    address = url("summit-list") + "?format=csv"
    small, large = get_at_two_sizes(
        client, django_assert_num_queries, SUMMIT_CSV_QUERIES, address, lambda: grow_summits(5, 20)
    )
    assert len(csv_rows(large)) - 1 == Summit.objects.count()


def test_summit_detail_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    summit = Summit.objects.get(network__slug="mercociudades", slug="20-2015")

    def grow(admissions=15):
        for _ in range(admissions):
            membership = MembershipFactory(network=summit.network, admitted_at=summit, start="2015-11-14")
            cite(MembershipCitation, membership)
            office = OfficeFactory(network=summit.network, elected_at=summit, role=Role.COUNCIL_MEMBER, start="2016")
            cite(OfficeCitation, office)
        cite(SummitCitation, summit)

    grow(1)  # the real summit records no admission: one, so that the section shows
    address = summit_url("20-2015")
    small, large = get_at_two_sizes(client, django_assert_num_queries, SUMMIT_PAGE_QUERIES, address, grow)
    assert large.content.decode().count('href="/en/cities/synthetic-city-') == 32


def test_thematic_unit_detail_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    unit = ThematicUnit.objects.get(network__slug="mercociudades", slug="utds")
    summit = Summit.objects.get(network__slug="mercociudades", slug="20-2015")

    def grow(coordinators=15, projects=60):
        for _ in range(coordinators):
            office = OfficeFactory(
                network=unit.network, thematic_unit=unit, role=Role.COORDINATOR, city=CityFactory(), elected_at=summit
            )
            cite(OfficeCitation, office)
        for _ in range(projects):
            cite(ProjectCitation, ProjectFactory(thematic_unit=unit))
        cite(ThematicUnitCitation, unit)

    grow(1, 1)  # the real unit records neither: one of each, so that the sections show
    address = unit_url("utds")
    queries = (THEMATIC_UNIT_PAGE_QUERIES, THEMATIC_UNIT_PAGE_CAPPED_QUERIES)
    small, large = get_at_two_sizes(client, django_assert_num_queries, queries, address, grow)
    page = large.content.decode()
    assert page.count('href="/en/cities/synthetic-city-') == 16
    assert page.count('href="/en/projects/synthetic-project-') == 50
