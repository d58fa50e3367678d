"""Public pages of cities, countries and regional blocs: real facts in every language, filters,
CSV downloads, 404s, and a fixed number of queries whatever the data size."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import translation

from cities.models import (
    City,
    CityCitation,
    CityLevel,
    Country,
    CountryCitation,
    RegionalBloc,
    RegionalBlocCitation,
    TwinningCitation,
)
from networks.models import Membership, MembershipCitation, Network, OfficeCitation, SummitCitation
from projects.models import ProjectCitation

from .factories import (
    BlocFactory,
    BlocParticipationFactory,
    CityFactory,
    CountryFactory,
    MembershipFactory,
    NetworkFactory,
    OfficeFactory,
    ProjectCityFactory,
    ProjectFactory,
    SummitFactory,
    TwinningFactory,
)
from .facts import MERCOCIUDADES_FOUNDERS, MERCOSUR_COUNTRIES, URUGUAYAN_MEMBERS
from .helpers import LANGUAGES, cite, csv_rows, get_at_two_sizes, json_ld, page_of, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]


# City index ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_city_index_in_every_language(client, language):
    page = page_of(client.get(url("city-list", language), {"country": "UY"}))
    assert f'<html lang="{language}">' in page
    assert f'href="/{language}/cities/montevideo-uy/"' in page
    assert f'href="/{language}/cities/canelones-uy/"' in page
    assert "buenos-aires-ar" not in page
    assert "<caption" in page and 'scope="col"' in page
    assert "format=csv" in page


def test_city_index_paginates_every_city(client):
    response = client.get(url("city-list"))
    page = page_of(response)
    assert response.context["paginator"].count == City.objects.count()
    assert len(response.context["cities"]) == 50
    assert 'rel="next"' in page


def test_city_index_filters(client):
    def slugs(**params):
        cache.clear()  # rendered afresh, with its context (a cached copy has none)
        response = client.get(url("city-list"), params)
        assert response.status_code == 200
        return {city.slug for city in response.context["paginator"].object_list}

    assert slugs(level=CityLevel.INTERMEDIATE) >= {"canelones-uy"}
    assert "montevideo-uy" not in slugs(level=CityLevel.INTERMEDIATE)
    assert slugs(q="Montevideo") == {"montevideo-uy"}
    members = slugs(network="mercociudades")
    assert MERCOCIUDADES_FOUNDERS <= members
    assert "tokyo-jp" not in members
    # Maldonado, Salto and Rocha: members the second research pass states
    assert slugs(network="mercociudades", country="UY") == URUGUAYAN_MEMBERS


def test_city_index_network_filter_says_current_or_ever(client):
    mercociudades = Network.objects.get(slug="mercociudades")
    former = MembershipFactory(network=mercociudades, start="2001", end="2010").city

    def slugs(**params):
        response = client.get(url("city-list"), params)
        return {city.slug for city in response.context["paginator"].object_list}

    assert former.slug in slugs(network="mercociudades")
    assert former.slug in slugs(network="mercociudades", membership="ever")
    current = slugs(network="mercociudades", membership="current")
    assert former.slug not in current and "montevideo-uy" in current
    page = page_of(client.get(url("city-list"), {"network": "mercociudades"}))
    assert "at any time" in page and "today (current members)" in page


@pytest.mark.parametrize(
    "params",
    [{"country": "ZZZ"}, {"level": "galactic"}, {"network": "no-such-network"}, {"membership": "sometimes"}],
)
def test_city_index_bad_filter_value_gives_the_page_with_an_error(client, params):
    response = client.get(url("city-list"), params)
    page = page_of(response)
    assert 'class="field-error"' in page
    # The invalid field is left out: the list is the unfiltered one.
    assert response.context["paginator"].count == City.objects.count()


def test_city_index_empty_state(client):
    page = page_of(client.get(url("city-list"), {"q": "zzqqxx-no-such-place"}))
    assert "No city matches these filters." in page


def test_city_csv_download(client):
    rows = csv_rows(client.get(url("city-list"), {"format": "csv"}))
    assert rows[0] == [
        "slug",
        "name",
        "official name",
        "country code",
        "level",
        "first-level area",
        "latitude",
        "longitude",
        "population",
        "population year",
        "GeoNames id",
        "Wikidata id",
    ]
    assert len(rows) == City.objects.count() + 1
    montevideo = next(row for row in rows if row[0] == "montevideo-uy")
    assert montevideo[1] == "Montevideo" and montevideo[3] == "UY" and montevideo[4] == "local"
    assert montevideo[6] == "-34.90328" and montevideo[7] == "-56.18816" and montevideo[10] == "3441575"


def test_city_csv_download_is_filtered(client):
    rows = csv_rows(client.get(url("city-list"), {"format": "csv", "country": "UY"}))
    # every Uruguayan city recorded is a member, but Lavalleja, recorded as a probable one (#11)
    assert {row[0] for row in rows[1:]} == URUGUAYAN_MEMBERS | {"lavalleja-uy"}
    assert {row[3] for row in rows[1:]} == {"UY"}


# City profile -------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_montevideo_profile_in_every_language(client, language):
    page = page_of(client.get(url("city-detail", language, slug="montevideo-uy")))
    assert f'<html lang="{language}">' in page
    assert page.count("<h1>") == 1 and "Montevideo" in page
    assert f'href="/{language}/countries/UY/"' in page
    # Founding member of Mercociudades, since 11 Nov 1995, admitted at the 1st Summit.
    assert f'href="/{language}/networks/mercociudades/"' in page
    assert 'class="badge"' in page and "1995" in page
    assert f'href="/{language}/networks/mercociudades/summits/1-1995/"' in page
    # Offices: two executive secretariats (2000–2001, 2011–2012 with Ana Olivera), the
    # presidency (Dec 2022 – Nov 2023, Carolina Cosse), UCLG's presidency.
    assert "Ana Olivera" in page and "Carolina Cosse" in page
    assert f'href="/{language}/networks/uclg/"' in page
    # It hosts the Mercociudades secretariat and hosted the 16th (2011) and 27th (2022) summits.
    assert f'href="/{language}/networks/mercociudades/summits/16-2011/"' in page
    assert f'href="/{language}/networks/mercociudades/summits/27-2022/"' in page
    # Projects and their partners: "Nuevos aires para niños" with Lima.
    assert f'href="/{language}/projects/ssc-2021-nuevos-aires/"' in page
    assert f'href="/{language}/cities/lima-pe/"' in page
    # External identifier, map, sources, cite this page.
    assert 'href="https://www.geonames.org/3441575"' in page
    assert 'id="city-map-data"' in page and "-34.90328" in page
    assert 'class="references"' in page and 'class="cite-page"' in page
    # Twinnings: Córdoba (1997), Curitiba, Paraná; nothing is empty.
    assert f'href="/{language}/cities/cordoba-ar/"' in page
    assert page.count('class="empty"') == 0


def test_montevideo_profile_context_and_structured_data(client):
    response = client.get(url("city-detail", slug="montevideo-uy"))
    page = page_of(response)
    memberships = {
        (m.network.slug, m.founding, str(m.start or m.first_attested)) for m in response.context["memberships"]
    }
    # Metropolis: co-president and regional secretary from the June 2017 Board (page of Nov 2017)
    assert memberships == {("mercociudades", True, "1995-11-11"), ("metropolis", False, "2017-11")}
    roles = {(o.network.slug, o.role, o.start.isoformat()) for o in response.context["offices"]}
    assert ("mercociudades", "executive_secretariat", "2011") in roles
    assert ("mercociudades", "president", "2022-12") in roles
    assert [s.slug for s in response.context["summits"]] == ["16-2011", "27-2022"]
    assert [n.slug for n in response.context["secretariats"]] == ["mercociudades"]
    data = json_ld(page)
    assert data["@type"] == "City" and data["name"] == "Montevideo"
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": -34.90328, "longitude": -56.18816}
    assert "https://www.geonames.org/3441575" in data["sameAs"]
    assert data["containedInPlace"]["identifier"] == "UY"


def test_city_profile_shows_twinnings_from_both_sides_and_wikidata(client):
    city = CityFactory(wikidata_id="Q999999991", population=12345, population_year=2020)
    a_side = TwinningFactory(city_a=city)
    b_side = TwinningFactory(city_b=city, kind="friendship")
    page = page_of(client.get(url("city-detail", slug=city.slug)))
    assert a_side.city_b.get_absolute_url() in page and b_side.city_a.get_absolute_url() in page
    assert 'href="https://www.wikidata.org/wiki/Q999999991"' in page
    assert "12,345" in page and "(2020)" in page
    assert "No network membership recorded yet." in page
    assert "No office recorded yet." in page


def test_city_profile_of_an_unknown_city_is_404(client):
    assert client.get(url("city-detail", slug="no-such-city-zz")).status_code == 404


# Countries ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_country_index_in_every_language(client, language):
    page = page_of(client.get(url("country-list", language)))
    assert f'<html lang="{language}">' in page
    for code in ("AR", "BR", "CL"):
        assert f'href="/{language}/countries/{code}/"' in page
    assert f'href="/{language}/blocs/mercosur/"' in page


def test_country_index_filters(client):
    def codes(**params):
        cache.clear()  # rendered afresh, with its context (a cached copy has none)
        response = client.get(url("country-list"), params)
        assert response.status_code == 200
        return {country.code for country in response.context["paginator"].object_list}

    assert codes(bloc="mercosur") == MERCOSUR_COUNTRIES
    in_mercociudades = codes(network="mercociudades")
    assert {"AR", "BR", "PY", "UY"} <= in_mercociudades and "JP" not in in_mercociudades
    assert codes(region="SA") >= {"AR", "UY"} and "FR" not in codes(region="SA")
    assert codes(government_system="unitary") >= {"UY", "PY"}
    found = codes(q="Uruguay")  # the search's matching: Paraguay's note names Uruguay too
    assert "UY" in found and "FR" not in found


def test_country_index_bad_filter_value_gives_the_page_with_an_error(client):
    page = page_of(client.get(url("country-list"), {"bloc": "no-such-bloc", "region": "XX"}))
    assert page.count('class="field-error"') == 2


def test_country_csv_download(client):
    rows = csv_rows(client.get(url("country-list"), {"format": "csv", "bloc": "mercosur"}))
    assert rows[0] == [
        "code",
        "ISO 3166-1 alpha-3 code",
        "name",
        "world region",
        "system of government",
        "cities recorded",
        "member cities today",
    ]
    uruguay = next(row for row in rows if row[0] == "UY")
    assert uruguay[1:5] == ["URY", "Uruguay", "SA", "unitary"]
    assert int(uruguay[5]) >= 2 and int(uruguay[6]) >= 2
    assert {row[0] for row in rows[1:]} == MERCOSUR_COUNTRIES


@pytest.mark.parametrize("language", LANGUAGES)
def test_uruguay_page_in_every_language(client, language):
    response = client.get(url("country-detail", language, code="UY"))
    page = page_of(response)
    assert f'<html lang="{language}">' in page
    assert "strictest regulation" in page  # the note on subnational international action
    assert f'href="/{language}/blocs/mercosur/"' in page and "1991" in page
    assert f'href="/{language}/cities/montevideo-uy/"' in page
    assert f'href="/{language}/networks/mercociudades/"' in page
    assert f"/{language}/cities/?country=UY" in page
    assert response.context["country"].get_government_system_display() == translation.gettext("unitary")
    assert json_ld(page)["@type"] == "Country"


def test_argentina_is_federal_and_counts_its_member_cities(client):
    response = client.get(url("country-detail", code="AR"))
    page_of(response)
    assert response.context["country"].government_system == "federal"
    networks = {network.slug: network for network in response.context["networks"]}
    argentine_founders = {slug for slug in MERCOCIUDADES_FOUNDERS if slug.endswith("-ar")}
    assert networks["mercociudades"].current_members >= len(argentine_founders)
    expected = Membership.objects.counted().current().filter(network__slug="mercociudades", city__country__code="AR")
    assert networks["mercociudades"].current_members == expected.values("city").distinct().count()


def test_lower_case_country_code_redirects(client):
    response = client.get("/en/countries/uy/")
    assert response.status_code == 301 and response["Location"] == "/en/countries/UY/"


@pytest.mark.parametrize("code", ["ZZ", "USA", "u1"])
def test_unknown_country_is_404(client, code):
    assert client.get(f"/en/countries/{code}/").status_code == 404


# Regional blocs -----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_bloc_index_in_every_language(client, language):
    page = page_of(client.get(url("bloc-list", language)))
    assert f'<html lang="{language}">' in page
    assert f'href="/{language}/blocs/mercosur/"' in page and "1991" in page


def test_bloc_index_filter_and_csv(client):
    response = client.get(url("bloc-list"), {"q": "zzqqxx"})
    assert "No regional bloc matches these filters." in page_of(response)
    rows = csv_rows(client.get(url("bloc-list"), {"format": "csv"}))
    assert rows[0] == ["slug", "acronym", "name", "founded", "member states today", "countries recorded", "website"]
    mercosur = next(row for row in rows if row[0] == "mercosur")
    # the Treaty of Asunción, 26 March 1991; four member states; twelve countries recorded (the
    # founders, Venezuela suspended, Bolivia acceding, six associated states)
    assert mercosur[3] == "1991-03-26" and mercosur[4] == "4" and mercosur[5] == str(len(MERCOSUR_COUNTRIES))


@pytest.mark.parametrize("language", LANGUAGES)
def test_mercosur_page_in_every_language(client, language):
    response = client.get(url("bloc-detail", language, slug="mercosur"))
    page = page_of(response)
    assert f'<html lang="{language}">' in page
    for code in ("AR", "BR", "PY", "UY", "VE"):
        assert f'href="/{language}/countries/{code}/"' in page
    rows = {row.country.code: row for row in response.context["participations"]}
    assert {code for code, row in rows.items() if row.founding} == {"AR", "BR", "PY", "UY"}
    assert rows["VE"].status == "suspended" and rows["VE"].start.isoformat() == "2017-08"
    data = json_ld(page)
    assert {member["identifier"] for member in data["member"]} == {"AR", "BR", "PY", "UY"}


def test_unknown_bloc_is_404(client):
    assert client.get(url("bloc-detail", slug="no-such-bloc")).status_code == 404


# A fixed number of queries whatever the data size -------------------------------------------------

# Each filter given by key costs one lookup: the count is for the most filtered page. The
# indexes read the content version first (1, the key of their cached copy: core.pagecache).
CITY_INDEX_QUERIES = 8
CITY_PROFILE_QUERIES = 14
COUNTRY_INDEX_QUERIES = 7
COUNTRY_PAGE_QUERIES = 7
# One more, the country's member-city total, once its city list stops at 50.
COUNTRY_PAGE_CAPPED_QUERIES = 8
BLOC_INDEX_QUERIES = 4
BLOC_PAGE_QUERIES = 4
CITY_CSV_QUERIES = 1  # one chunked query, no prefetch per row


def test_city_index_queries(client, django_assert_num_queries):
    network = NetworkFactory()
    country = CountryFactory()

    def grow():
        for _ in range(60):
            city = CityFactory(country=country)
            MembershipFactory(city=city, network=network)
            cite(CityCitation, city)

    target = f"{url('city-list')}?network={network.slug}&country={country.code}&level=local&q=Synthetic"
    for _ in range(3):
        MembershipFactory(network=network, city=CityFactory(country=country))
    small, large = get_at_two_sizes(client, django_assert_num_queries, CITY_INDEX_QUERIES, target, grow)
    assert small.context["paginator"].count == 3 and large.context["paginator"].count == 63


def test_city_profile_queries(client, django_assert_num_queries):
    city = CityFactory()

    def add(n):
        for _ in range(n):
            membership = MembershipFactory(city=city)
            cite(MembershipCitation, membership)
            office = OfficeFactory(city=city, network=membership.network)
            cite(OfficeCitation, office)
            summit = SummitFactory(host_city=city, network=membership.network)
            cite(SummitCitation, summit)
            project = ProjectFactory()
            cite(ProjectCitation, project)
            ProjectCityFactory(project=project, city=city)
            ProjectCityFactory(project=project)
            twinning = TwinningFactory(city_a=city)
            cite(TwinningCitation, twinning)
            cite(TwinningCitation, TwinningFactory(city_b=city))
            network = NetworkFactory(secretariat_city=city)
            MembershipFactory(city=city, network=network)
        cite(CityCitation, city)

    add(1)
    address = url("city-detail", slug=city.slug)
    small, large = get_at_two_sizes(client, django_assert_num_queries, CITY_PROFILE_QUERIES, address, lambda: add(12))
    assert len(large.context["memberships"]) == 26 and len(large.context["twinnings"]) == 26


def test_montevideo_profile_queries(client, django_assert_num_queries):
    montevideo = City.objects.get(slug="montevideo-uy")

    def grow():
        for _ in range(10):
            MembershipFactory(city=montevideo)
            OfficeFactory(city=montevideo)
            TwinningFactory(city_a=montevideo)

    TwinningFactory(city_a=montevideo)  # the real data records none: one, so that the section shows
    address = url("city-detail", slug="montevideo-uy")
    get_at_two_sizes(client, django_assert_num_queries, CITY_PROFILE_QUERIES, address, grow)


def test_country_index_queries(client, django_assert_num_queries):
    def grow():
        bloc = BlocFactory()
        for _ in range(12):
            country = CountryFactory()
            cite(CountryCitation, country)
            BlocParticipationFactory(country=country, bloc=bloc)
            MembershipFactory(city=CityFactory(country=country))

    address = url("country-list")
    small, large = get_at_two_sizes(client, django_assert_num_queries, COUNTRY_INDEX_QUERIES, address, grow)
    assert large.context["paginator"].count > small.context["paginator"].count


def test_country_page_queries(client, django_assert_num_queries):
    country = Country.objects.get(code="UY")

    def grow():
        bloc = BlocFactory()
        cite(RegionalBlocCitation, bloc)
        BlocParticipationFactory(country=country, bloc=bloc)
        for _ in range(60):
            city = CityFactory(country=country)
            MembershipFactory(city=city)
            MembershipFactory(city=city, network=Network.objects.get(slug="mercociudades"))

    address = url("country-detail", code="UY")
    queries = (COUNTRY_PAGE_QUERIES, COUNTRY_PAGE_CAPPED_QUERIES)
    small, large = get_at_two_sizes(client, django_assert_num_queries, queries, address, grow)
    real = len(URUGUAYAN_MEMBERS)
    assert len(large.context["cities"]) == 50 and large.context["member_city_total"] == 60 + real
    assert large.context["city_count"] == small.context["city_count"] + 60


def test_bloc_pages_queries(client, django_assert_num_queries):
    bloc = RegionalBloc.objects.get(slug="mercosur")

    def grow():
        for _ in range(20):
            participation = BlocParticipationFactory(bloc=bloc)
            cite(CountryCitation, participation.country)
            BlocParticipationFactory()

    address = url("bloc-detail", slug="mercosur")
    get_at_two_sizes(client, django_assert_num_queries, BLOC_PAGE_QUERIES, address, grow)
    small, large = get_at_two_sizes(client, django_assert_num_queries, BLOC_INDEX_QUERIES, url("bloc-list"), grow)
    assert large.context["paginator"].count == small.context["paginator"].count + 20


def test_city_csv_download_queries(client, django_assert_num_queries):
    def grow():
        for _ in range(40):
            CityFactory()

    address = url("city-list") + "?format=csv"
    small, large = get_at_two_sizes(client, django_assert_num_queries, CITY_CSV_QUERIES, address, grow)
    assert len(csv_rows(large)) == len(csv_rows(small)) + 40


# Review fixes: the same order on every database, one rule for "current", forgiving pages ------


def test_city_profile_lists_undated_offices_twinnings_and_projects_last_on_every_database(client):
    city = CityFactory()
    undated_office = OfficeFactory(city=city, start=None)
    dated_office = OfficeFactory(city=city, start="2000")
    undated_twinning = TwinningFactory(city_a=city, start=None)
    dated_twinning = TwinningFactory(city_b=city, start="1990")
    undated_project = ProjectCityFactory(city=city, project=ProjectFactory(start=None))
    dated_project = ProjectCityFactory(city=city, project=ProjectFactory(start="2010"))
    context = client.get(url("city-detail", slug=city.slug)).context
    assert [office.pk for office in context["offices"]] == [dated_office.pk, undated_office.pk]
    assert [twinning.pk for twinning in context["twinnings"]] == [dated_twinning.pk, undated_twinning.pk]
    assert [role.pk for role in context["projects"]] == [dated_project.pk, undated_project.pk]


def test_country_page_lists_an_undated_bloc_participation_first_on_every_database(client):
    country = CountryFactory()
    bloc = BlocFactory()
    dated = BlocParticipationFactory(country=country, bloc=bloc, start="2000")
    undated = BlocParticipationFactory(country=country, bloc=bloc, start=None, end="1999", status="observer")
    context = client.get(url("country-detail", code=country.code)).context
    assert [row.pk for row in context["blocs"]] == [undated.pk, dated.pk]


def test_city_profile_counts_current_memberships_by_the_rule_of_the_network_pages(client):
    city = CityFactory()
    next_year = str(datetime.date.today().year + 1)
    # Joining date unknown, first attested next year: not a member today by the SQL rule.
    MembershipFactory(city=city, start=None, first_attested=next_year)
    attested = MembershipFactory(city=city, start=None, first_attested="2005")
    undated = MembershipFactory(city=city, start=None)
    MembershipFactory(city=city, start="2001", end="2003")
    response = client.get(url("city-detail", slug=city.slug))
    current = {membership.pk for membership in response.context["current_memberships"]}
    assert (
        current
        == {attested.pk, undated.pk}
        == set(Membership.objects.filter(city=city).current().values_list("pk", flat=True))
    )
    assert "Member of 2 networks today (memberships a source states)." in page_of(response)
    index = client.get(url("city-list"), {"q": city.name_en}).context["cities"]
    assert [row.current_networks for row in index] == [2]


@pytest.mark.parametrize("name", ["city-list", "country-list", "bloc-list"])
@pytest.mark.parametrize("number", ["abc", "0", "-1", "99999", "1.5"])
def test_a_bad_page_number_shows_the_nearest_page_not_a_404(client, name, number):
    response = client.get(url(name), {"page": number})
    assert response.status_code == 200
    page_obj = response.context["page_obj"]
    assert page_obj.number in (1, page_obj.paginator.num_pages)
