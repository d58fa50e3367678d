"""One shape for each thing the API answers with (#15): a country is the country summary
wherever it appears, coordinates are JSON numbers (amounts of money stay exact text), an
ordering puts records without the value last in either direction, ``at`` has one meaning on
every endpoint, and the API's CSV writes cells as the pages' do (formula guard, text columns)."""

import csv
import io
import json
from decimal import Decimal

import pytest

from networks.models import Certainty

from .factories import (
    BlocParticipationFactory,
    CityFactory,
    CountryFactory,
    MembershipFactory,
    MembershipFigureFactory,
    NetworkFactory,
    OfficeFactory,
    OrganizationFactory,
    ProjectFactory,
    ProjectOrganizationFactory,
    SummitFactory,
    TwinningFactory,
)
from .helpers import body, csv_text

pytestmark = pytest.mark.django_db

COUNTRY_KEYS = ["key", "url", "code", "name"]


def countries_in(data, path=""):
    """Every value under a ``country`` member anywhere in ``data``, with where it was."""
    if isinstance(data, dict):
        for name, value in data.items():
            if name == "country":
                yield f"{path}.{name}", value
            else:
                yield from countries_in(value, f"{path}.{name}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from countries_in(value, f"{path}[{index}]")


@pytest.fixture
def world():
    """A synthetic network with a member, an office, a summit, a figure broken down by country,
    a twinning, an organization of the country and a bloc it takes part in."""
    from networks.models import MembershipFigureCountry

    country = CountryFactory(code="XQ", name_en="Synthetic country XQ")
    city = CityFactory(slug="synthetic-city-xq", country=country, latitude="-34.90328", longitude="-56.18816")
    other = CityFactory(slug="synthetic-town-xq", country=country, latitude=None, longitude=None)
    network = NetworkFactory(slug="synthetic-net", secretariat_city=city)
    MembershipFactory(network=network, city=city, start="1990", certainty=Certainty.STATED)
    MembershipFactory(network=network, city=other, start="1980", end="1995-03", certainty=Certainty.STATED)
    OfficeFactory(network=network, city=city)
    SummitFactory(network=network, host_city=city)
    figure = MembershipFigureFactory(network=network)
    MembershipFigureCountry.objects.create(figure=figure, country=country, members=2)
    TwinningFactory(city_a=city, city_b=other)
    OrganizationFactory(slug="synthetic-org", country=country)
    BlocParticipationFactory(country=country)
    return {"country": country, "city": city, "network": network}


SHOWN_COUNTRIES = [
    "/api/v1/cities/synthetic-city-xq/",
    "/api/v1/cities/?country=XQ",
    "/api/v1/memberships/?network=synthetic-net",
    "/api/v1/offices/?network=synthetic-net",
    "/api/v1/summits/?network=synthetic-net",
    "/api/v1/twinnings/?country=XQ",
    "/api/v1/networks/synthetic-net/",
    "/api/v1/membership-figures/?network=synthetic-net",
    "/api/v1/organizations/?country=XQ",
    "/api/v1/regional-blocs/?page_size=500",
    "/api/v1/networks/synthetic-net/members-by-country/",
    "/api/v1/cities/synthetic-city-xq/offices/",
    "/api/v1/graph/?network=synthetic-net",
]


@pytest.mark.usefixtures("world")
@pytest.mark.parametrize("address", SHOWN_COUNTRIES)
def test_a_country_has_one_shape_wherever_the_api_shows_one(api, address):
    response = api.get(address)
    assert response.status_code == 200, response.content[:300]
    found = [(path, value) for path, value in countries_in(response.json()) if value is not None]
    for path, country in found:
        assert list(country) == COUNTRY_KEYS, path
        assert country["key"] == country["code"], path
        assert country["url"] == f"http://testserver/api/v1/countries/{country['code']}/", path
    # Other tests' data may be there too: the synthetic country is among the countries shown.
    assert ("XQ", "Synthetic country XQ") in {(country["code"], country["name"]) for _path, country in found}


@pytest.mark.usefixtures("world")
def test_a_city_inside_another_record_keeps_its_country_column_in_the_csv(api):
    """The CSV keeps its flat columns: ``city.country`` is the country's code, as before."""
    response = api.get("/api/v1/memberships/", {"format": "csv", "network": "synthetic-net"})
    rows = list(csv.DictReader(io.StringIO(csv_text(response))))
    assert {row["city.country"] for row in rows} == {"XQ"}
    assert not any(column.startswith("city.country.") for column in rows[0])
    cities = csv_text(api.get("/api/v1/cities/", {"format": "csv", "country": "XQ"}))
    cities = list(csv.DictReader(io.StringIO(cities)))
    assert {(row["country.code"], row["country.name"]) for row in cities} == {("XQ", "Synthetic country XQ")}


# Coordinates ------------------------------------------------------------------------------------


@pytest.mark.usefixtures("world")
def test_coordinates_are_json_numbers_and_money_stays_exact_text(api):
    city = api.get("/api/v1/cities/synthetic-city-xq/").json()
    assert city["latitude"] == -34.90328 and city["longitude"] == -56.18816
    listed = api.get("/api/v1/memberships/", {"network": "synthetic-net"}).json()["results"]
    [membership] = [item for item in listed if item["city"]["key"] == city["key"]]
    assert membership["city"]["latitude"] == -34.90328
    town = api.get("/api/v1/cities/synthetic-town-xq/").json()
    assert town["latitude"] is None and town["longitude"] is None
    # In the text: a number, not a string.
    assert b'"latitude":-34.90328' in api.get("/api/v1/cities/synthetic-city-xq/").content
    ProjectOrganizationFactory(project=ProjectFactory(slug="synthetic-project"), amount=Decimal("1250000.00"))
    project = api.get("/api/v1/projects/synthetic-project/").json()
    assert project["organizations"][0]["amount"] == "1250000.00"


@pytest.mark.usefixtures("world")
def test_the_geojson_points_are_the_same_numbers(api):
    data = json.loads(body(api.get("/api/v1/cities/", {"format": "geojson"})))
    feature = next(f for f in data["features"] if f["id"] == "synthetic-city-xq")
    assert feature["geometry"]["coordinates"] == [-56.18816, -34.90328]
    assert feature["properties"]["latitude"] == -34.90328


def test_a_coordinate_is_written_as_a_number_or_as_text(api, admin_user):
    api.force_authenticate(admin_user)
    CountryFactory(code="XQ")
    for number, latitude in enumerate((-12.5, "-12.50000")):
        response = api.post(
            "/api/v1/cities/",
            {
                "slug": f"synthetic-{number}",
                "name_i18n": {"en": "Synthetic"},
                "country": "XQ",
                "latitude": latitude,
                "longitude": 10,
            },
            format="json",
        )
        assert response.status_code == 201, response.content
        assert response.json()["latitude"] == -12.5 and response.json()["longitude"] == 10.0


# Orderings --------------------------------------------------------------------------------------


@pytest.mark.parametrize("ordering", ["start", "-start"])
def test_an_ordering_puts_records_without_the_value_last_either_way(api, ordering):
    network = NetworkFactory(slug="synthetic-net")
    undated = MembershipFactory(network=network, start=None).city.slug
    for year in ("1990", "2000", "2010"):
        MembershipFactory(network=network, start=year)
    results = api.get("/api/v1/memberships/", {"network": "synthetic-net", "ordering": ordering}).json()["results"]
    starts = [item["start"] for item in results]
    assert starts[-1] is None and results[-1]["city"]["key"] == undated
    dated = starts[:-1]
    assert dated == sorted(dated, reverse=ordering.startswith("-"))


def test_cities_by_population_put_those_without_one_last(api):
    country = CountryFactory(code="XQ")
    CityFactory(slug="synthetic-unknown", country=country, population=None)
    CityFactory(slug="synthetic-small", country=country, population=1000)
    CityFactory(slug="synthetic-large", country=country, population=90000)
    for ordering, expected in (
        ("-population", ["synthetic-large", "synthetic-small", "synthetic-unknown"]),
        ("population", ["synthetic-small", "synthetic-large", "synthetic-unknown"]),
    ):
        results = api.get("/api/v1/cities/", {"country": "XQ", "ordering": ordering}).json()["results"]
        assert [item["slug"] for item in results] == expected, ordering


# at= -------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("world")
def test_members_by_country_reads_a_year_as_any_day_of_it(api):
    """The town left in March 1995: a member "in 1995" (as ?at= reads a year everywhere), not on
    the last day of 1995."""
    address = "/api/v1/networks/synthetic-net/members-by-country/"
    in_year = api.get(address, {"at": "1995"}).json()
    assert in_year["at"] == "1995" and in_year["members"] == 2
    on_last_day = api.get(address, {"at": "1995-12-31"}).json()
    assert on_last_day["at"] == "1995-12-31" and on_last_day["members"] == 1
    listed = api.get("/api/v1/memberships/", {"network": "synthetic-net", "at": "1995"}).json()
    assert listed["count"] == in_year["members"]


@pytest.mark.usefixtures("world")
def test_the_graph_reads_a_year_as_the_lists_do(api):
    data = api.get("/api/v1/graph/", {"network": "synthetic-net", "at": "1995"}).json()
    assert data["at"] == "1995"
    assert {node["key"] for node in data["nodes"] if node["kind"] == "city"} == {
        "synthetic-city-xq",
        "synthetic-town-xq",
    }


@pytest.mark.parametrize(
    "address",
    [
        "/api/v1/memberships/",
        "/api/v1/cities/?network=synthetic-net&member_at=",
        "/api/v1/graph/",
        "/api/v1/networks/synthetic-net/members-by-country/",
        "/api/v1/networks/synthetic-net/",
    ],
)
def test_every_at_refuses_a_bad_date_with_the_same_message(api, address):
    NetworkFactory(slug="synthetic-net")
    name = "member_at" if "member_at" in address else "at"
    address = address.replace("&member_at=", "")
    response = api.get(address, {name: "1995-13"})
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["attr"] == name
    assert error["detail"].startswith("“1995-13” is not a date we can show the state on.")


# The API's CSV -----------------------------------------------------------------------------------

FORMULAS = ["=HYPERLINK(1)", "+cmd", "-2+3", "@SUM(A1)"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_the_api_csv_neutralises_spreadsheet_formulas(api, formula):
    city = CityFactory(slug="synthetic-formula-xq", name_en=formula)
    MembershipFactory(network=NetworkFactory(slug="synthetic-net"), city=city)
    OfficeFactory(network=NetworkFactory(slug="synthetic-other"), city=city, person=formula)
    for address, params, column in (
        ("/api/v1/cities/", {"format": "csv", "q": "synthetic-formula"}, "name"),
        ("/api/v1/memberships/", {"format": "csv", "network": "synthetic-net"}, "city.name"),
        ("/api/v1/cities/synthetic-formula-xq/", {"format": "csv"}, "name"),
        ("/api/v1/cities/synthetic-formula-xq/offices/", {"format": "csv"}, "person"),
    ):
        response = api.get(address, params)
        assert response.status_code == 200, (address, response.content[:300])
        [row] = csv.DictReader(io.StringIO(csv_text(response)))
        assert row[column] == "'" + formula, address


@pytest.mark.usefixtures("world")
def test_the_csv_of_an_action_writes_text_never_python_dicts(api):
    """An action's answer (not the resource's records) as CSV: lists of objects are text, a
    record by its key, a citation as "Title (locator)", another object as its values."""
    from networks.models import Office, OfficeCitation

    from .factories import SourceFactory

    office = Office.objects.get(network__slug="synthetic-net")
    OfficeCitation.objects.create(record=office, source=SourceFactory(title="Synthetic report"), locator="p. 5")
    offices = csv_text(api.get("/api/v1/cities/synthetic-city-xq/offices/", {"format": "csv"}))
    [row] = csv.DictReader(io.StringIO(offices))
    assert row["citations"] == "Synthetic report (p. 5)"
    assert row["network.key"] == "synthetic-net" and row["city.country.code"] == "XQ"
    by_country = csv_text(api.get("/api/v1/networks/synthetic-net/members-by-country/", {"format": "csv"}))
    [row] = csv.DictReader(io.StringIO(by_country))
    assert row["countries"] == "country: XQ, members: 1, share: 1.0"
    for text in (offices, by_country):
        assert "{'" not in text and "True" not in text
