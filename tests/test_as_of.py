"""Pages and the API as of a date (``?at=``) and "what changed" between two dates: Mercociudades
on its founding day (11 November 1995: its 12 founders, on the real data), members who left
(synthetic, from the factories), dates that are not dates, and a fixed number of queries at two
data sizes."""

import pytest
from django.urls import include, path
from drf_spectacular.generators import SchemaGenerator

from core.periods import at_bounds, parse_at
from networks.models import MembershipCitation, Network, OfficeCitation, Role
from paradiplo.api_urls import router

from .factories import CityFactory, MembershipFactory, NetworkFactory, OfficeFactory, SourceFactory
from .facts import MERCOCIUDADES_FOUNDERS
from .helpers import get_at_two_sizes, url

pytestmark = pytest.mark.django_db

FOUNDING_DAY = "1995-11-11"
#: Dates that are not dates: a month 13, 30 February, year 0, letters, other scripts' digits, a
#: time, and a value long enough to be cut in the message.
NOT_DATES = ["1995-13-01", "1995-02-30", "0000", "19", "abc", "١٩٩٥", "1995-11-11T10:00", "1" * 200]


def members(response) -> set[str]:
    return {membership.city.slug for membership in response.context["member_preview"]}


# --- parse_at: the one reader of ?at= -----------------------------------------------------------


@pytest.mark.parametrize(
    "value, first, last",
    [
        ("1995", "1995-01-01", "1995-12-31"),
        ("1996-02", "1996-02-01", "1996-02-29"),
        ("1995-11-11", "1995-11-11", "1995-11-11"),
    ],
)
def test_at_stands_for_its_day_month_or_year(value, first, last):
    assert [day.isoformat() for day in at_bounds(parse_at(value))] == [first, last]


@pytest.mark.parametrize("value", NOT_DATES)
def test_at_that_is_not_a_date_is_refused_with_what_to_write(value):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        parse_at(value)
    assert error.value.code == "invalid_at"
    assert "1995-11-11" in error.value.messages[0]


# --- Mercociudades on its founding day (real data) ---------------------------------------------


@pytest.mark.usefixtures("real_data")
def test_mercociudades_as_of_its_founding_day_shows_exactly_its_12_founders(client):
    response = client.get(url("network-detail", slug="mercociudades"), {"at": FOUNDING_DAY})
    assert response.status_code == 200
    assert members(response) == MERCOCIUDADES_FOUNDERS
    assert response.context["counts"]["current"] == len(MERCOCIUDADES_FOUNDERS) == 12
    assert response.context["coverage"].recorded == 12
    assert not response.context["uncounted_members"]
    page = response.content.decode()
    assert "As of Nov. 11, 1995" in page
    assert 'href="/en/networks/mercociudades/">see today\'s state</a>' in page
    assert 'type="date" name="at" value="1995-11-11"' in page
    # The permanent address is the one cited, and the map's points are those of that day.
    assert "http://testserver/en/networks/mercociudades/?at=1995-11-11</a>" in page
    assert "<i>Mercocities (Mercosur Cities Network), as of Nov. 11, 1995</i>" in page
    points = client.get(response.context["members_map_url"]).json()["features"]
    assert len(points) == 12


@pytest.mark.usefixtures("real_data")
def test_mercociudades_today_counts_more_than_its_founders(client):
    response = client.get(url("network-detail", slug="mercociudades"))
    assert response.context["as_of"] is None
    assert response.context["counts"]["current"] > 12
    assert "As of" not in response.content.decode()


@pytest.mark.usefixtures("real_data")
def test_mercociudades_member_list_as_of_its_founding_day_lists_its_founders(client):
    response = client.get(url("network-members", slug="mercociudades"), {"at": FOUNDING_DAY})
    assert response.status_code == 200
    assert {membership.city.slug for membership in response.context["memberships"]} == MERCOCIUDADES_FOUNDERS
    assert "As of Nov. 11, 1995" in response.content.decode()


@pytest.mark.usefixtures("real_data")
def test_montevideo_as_of_the_founding_day_is_member_of_mercociudades(client):
    response = client.get(url("city-detail", slug="montevideo-uy"), {"at": FOUNDING_DAY})
    assert response.status_code == 200
    assert "mercociudades" in {m.network.slug for m in response.context["current_memberships"]}
    before = client.get(url("city-detail", slug="montevideo-uy"), {"at": "1995-11-10"})
    assert "mercociudades" not in {m.network.slug for m in before.context["memberships"]}


@pytest.mark.usefixtures("real_data")
def test_api_network_coverage_as_of_the_founding_day(api):
    detail = api.get("/api/v1/networks/mercociudades/", {"at": FOUNDING_DAY}).json()
    # The founding act's size: 12 cities (mercociudades_membership_counts.csv).
    assert (detail["coverage"]["recorded"], detail["coverage"]["reported"]) == (12, 12)
    assert detail["coverage"]["reported_on"] == FOUNDING_DAY
    memberships = api.get("/api/v1/memberships/", {"network": "mercociudades", "at": FOUNDING_DAY}).json()
    assert {row["city"]["key"] for row in memberships["results"]} == MERCOCIUDADES_FOUNDERS


# --- members who left, offices (synthetic) -----------------------------------------------------


@pytest.fixture
def history():
    """A network with a city that joined in 2000 and left in 2005-06, one that joined in 2000
    and stayed, one that joined in 2008; a president 2001–2004 and one from 2009."""
    network = NetworkFactory()
    left, stayed, late = CityFactory(), CityFactory(), CityFactory()
    MembershipFactory(network=network, city=left, start="2000", end="2005-06")
    MembershipFactory(network=network, city=stayed, start="2000-03-01")
    MembershipFactory(network=network, city=late, start="2008")
    OfficeFactory(network=network, city=left, role=Role.PRESIDENT, start="2001", end="2004")
    OfficeFactory(network=network, city=stayed, role=Role.PRESIDENT, start="2009")
    return network, left, stayed, late


@pytest.mark.parametrize(
    "at, expected",
    [
        ("2003-05-01", {"left", "stayed"}),
        ("2005-06-30", {"left", "stayed"}),  # "left 2005-06" counts to the end of June
        ("2005-07-01", {"stayed"}),
        ("2005", {"left", "stayed"}),  # at any time in 2005
        ("2010", {"stayed", "late"}),
        ("1999", set()),
    ],
)
def test_member_who_left_is_not_listed_after_leaving(client, history, at, expected):
    network, left, stayed, late = history
    names = {left.slug: "left", stayed.slug: "stayed", late.slug: "late"}
    response = client.get(url("network-detail", slug=network.slug), {"at": at})
    assert {names[slug] for slug in members(response)} == expected
    assert response.context["counts"]["current"] == len(expected)
    listed = client.get(url("network-members", slug=network.slug), {"at": at})
    assert {names[m.city.slug] for m in listed.context["memberships"]} == expected
    city = client.get(url("city-detail", slug=left.slug), {"at": at})
    assert bool(city.context["current_memberships"]) == ("left" in expected)
    then = "Member of 1 network then" if "left" in expected else "No network membership in force then"
    assert then in city.content.decode()


def test_profile_as_of_shows_the_office_holders_of_then(client, history):
    network, left, stayed, _late = history
    response = client.get(url("network-detail", slug=network.slug), {"at": "2003"})
    holders = [office.city for group in response.context["body_groups"] for office in group.current]
    assert holders == [left]
    # Offices that began later are not in the history of then.
    assert [office.city for office in response.context["lead_offices"]] == [left]
    city = client.get(url("city-detail", slug=stayed.slug), {"at": "2003"})
    assert city.context["offices"] == []


# --- dates that are not dates --------------------------------------------------------------------


@pytest.mark.parametrize("value", NOT_DATES)
@pytest.mark.parametrize("page", ["network-detail", "network-members", "city-detail"])
def test_page_with_an_at_that_is_not_a_date_says_so_with_400(client, history, page, value):
    network, left, _stayed, _late = history
    slug = left.slug if page == "city-detail" else network.slug
    response = client.get(url(page, slug=slug), {"at": value})
    assert response.status_code == 400
    page_text = response.content.decode()
    assert 'class="field-error"' in page_text and 'role="alert"' in page_text
    assert response.context["as_of"] is None
    assert "As of" not in page_text  # today's state, without a banner


def test_geojson_with_an_at_that_is_not_a_date_is_a_400(client, history):
    response = client.get(url("network-members-geojson", slug=history[0].slug), {"at": "1995-13-01"})
    assert response.status_code == 400


def test_api_with_an_at_that_is_not_a_date_is_a_400(api, history):
    response = api.get(f"/api/v1/networks/{history[0].slug}/", {"at": "abc"})
    assert response.status_code == 400
    assert "at" in response.content.decode()


# --- what changed ---------------------------------------------------------------------------------


def test_changes_page_lists_who_joined_and_left_and_the_offices(client, history):
    network, left, stayed, late = history
    profile = client.get(url("network-detail", slug=network.slug)).content.decode()
    address = url("network-changes", slug=network.slug)
    assert f'href="{address}"' in profile
    response = client.get(address, {"from": "2004", "to": "2008"})
    assert response.status_code == 200
    changes = response.context["changes"]
    assert [m.city for m in changes.joined] == [late]
    assert [m.city for m in changes.left] == [left]
    assert changes.offices_taken == []
    assert [office.city for office in changes.offices_left] == [left]
    assert (changes.members_at_since, changes.members_at_until) == (2, 2)
    assert "What changed in" in response.content.decode()


def test_changes_page_without_dates_shows_the_form(client, history):
    response = client.get(url("network-changes", slug=history[0].slug))
    assert response.status_code == 200
    assert response.context["changes"] is None


@pytest.mark.parametrize(
    "params, message",
    [
        ({"from": "2010", "to": "2000"}, "is before"),
        ({"from": "2000-13", "to": "2010"}, "is not a date"),
        ({"from": "2000"}, "This field is required"),
    ],
)
def test_changes_with_bad_dates_say_so(client, api, history, params, message):
    network = history[0]
    response = client.get(url("network-changes", slug=network.slug), params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert api.get(f"/api/v1/networks/{network.slug}/changes/", params).status_code == 400


def test_changes_api(api, history):
    network, left, stayed, late = history
    data = api.get(f"/api/v1/networks/{network.slug}/changes/", {"from": "2000", "to": "2001"}).json()
    assert (data["from"], data["to"], data["members_at_from"], data["members_at_to"]) == ("2000", "2001", 2, 2)
    assert {row["city"]["key"] for row in data["joined"]} == {left.slug, stayed.slug}
    assert data["left"] == [] and data["offices_left"] == []
    assert [row["city"]["key"] for row in data["offices_taken"]] == [left.slug]


def test_changes_and_at_are_in_the_api_schema():
    # The networks' routes only: the whole schema takes half a minute (test_api checks it whole).
    routes = [route for route in router.urls if (route.name or "").startswith("network-")]
    schema = SchemaGenerator(patterns=[path("api/v1/", include(routes))]).get_schema(request=None, public=True)
    changes = schema["paths"]["/api/v1/networks/{key}/changes/"]["get"]
    assert {parameter["name"] for parameter in changes["parameters"]} >= {"from", "to"}
    detail = schema["paths"]["/api/v1/networks/{key}/"]["get"]
    assert "at" in {parameter["name"] for parameter in detail["parameters"]}


# --- a fixed number of queries at two data sizes -----------------------------------------------

# The version, the network, its sources and sections (3), members counted by country (1), the
# figures (1: none, so no sources query), the growth (1), the countries (1), the member preview
# and its sources (2), the uncounted members (1: none), offices and their sources (2), bodies
# (1), units (1), summits (1), projects (1), the filter form's countries (1).
PROFILE_AS_OF_QUERIES = 18
# The version, the network, the counts, the memberships and their sources, the offices and their
# sources.
CHANGES_PAGE_QUERIES = 7
# The network (with its sources and latest figure: 4), the counts, the memberships and their
# sources, the offices and their sources.
CHANGES_API_QUERIES = 9


def grow(network, size: int):
    """``size`` more cities that joined in 2002 and left in 2006, each with a cited office."""
    source = SourceFactory()
    for _ in range(size):
        city = CityFactory()
        membership = MembershipFactory(network=network, city=city, start="2002", end="2006")
        MembershipCitation.objects.create(record=membership, source=source)
        office = OfficeFactory(network=network, city=city, role=Role.COUNCIL_MEMBER, start="2003", end="2005")
        OfficeCitation.objects.create(record=office, source=source)


@pytest.mark.parametrize(
    ("page", "queries", "params", "grown"),
    [
        ("network-detail", PROFILE_AS_OF_QUERIES, {"at": "2004"}, lambda context: context["counts"]["current"]),
        ("network-changes", CHANGES_PAGE_QUERIES, {"from": "2002", "to": "2006"}, lambda c: len(c["changes"].joined)),
    ],
    ids=["profile-as-of", "changes"],
)
def test_a_page_of_a_date_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, history, page, queries, params, grown
):
    network = history[0]
    grow(network, 2)
    small, large = get_at_two_sizes(
        client, django_assert_num_queries, queries, url(page, slug=network.slug), lambda: grow(network, 12), params
    )
    assert grown(large.context) == grown(small.context) + 12


def test_changes_api_runs_a_fixed_number_of_queries(api, django_assert_num_queries, history):
    network = history[0]
    grow(network, 2)
    small, large = get_at_two_sizes(
        api,
        django_assert_num_queries,
        CHANGES_API_QUERIES,
        f"/api/v1/networks/{network.slug}/changes/",
        lambda: grow(network, 12),
        {"from": "2002", "to": "2006"},
    )
    assert len(large.json()["left"]) == len(small.json()["left"]) + 12
    assert Network.objects.filter(pk=network.pk).exists()
