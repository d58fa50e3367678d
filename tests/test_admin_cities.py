"""Cities that cannot be confused, through the admin over HTTP: the autocomplete names each
candidate's province, country and population and ranks the likeliest first; the member import
takes the homonym that is already the network's member, and names the others by GeoNames id,
province and population."""

import pytest
from django.urls import reverse

from cities.admin_areas import admin_area_name
from cities.models import City, Country
from networks.models import Network
from networks.services import grant_editor
from networks.services.member_import import import_members

from .factories import CityFactory, CountryFactory, MembershipFactory, NetworkFactory
from .test_permissions import member_file

pytestmark = pytest.mark.django_db

# The autocomplete's queries, whatever the number of candidates: the session, the user, the
# editor's networks, the candidates' page with their countries, and the page count.
AUTOCOMPLETE_QUERIES = 5


def autocomplete(client, term, **extra):
    params = {"term": term, "app_label": "networks", "model_name": "membership", "field_name": "city", **extra}
    response = client.get(reverse("admin:autocomplete"), params)
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


@pytest.fixture
def santa_rosas():
    """Synthetic homonyms: three "Santa Rosa" in two countries, and a longer name."""
    north, south = CountryFactory(), CountryFactory()
    return {
        "big": CityFactory(name_en="Santa Rosa", country=north, admin_area_name="Province A", population=120000),
        "small": CityFactory(name_en="Santa Rosa", country=north, admin_area_name="Province B", population=9000),
        "other": CityFactory(name_en="Santa Rosa", country=south, admin_area_name="Province C", population=50000),
        "longer": CityFactory(
            name_en="Santa Rosa del Sur", country=south, admin_area_name="Province C", population=900000
        ),
    }


def test_santa_rosa_candidates_name_their_province_country_and_population(superuser_client, santa_rosas):
    texts = autocomplete(superuser_client, "Santa Rosa")
    big, small, other = santa_rosas["big"], santa_rosas["small"], santa_rosas["other"]
    assert texts == [
        f"Santa Rosa — Province A, {big.country} · 120,000 inhabitants",
        f"Santa Rosa — Province C, {other.country} · 50,000 inhabitants",
        f"Santa Rosa — Province B, {small.country} · 9,000 inhabitants",
        # a partial match after every exact one, however populous
        f"Santa Rosa del Sur — Province C, {other.country} · 900,000 inhabitants",
    ]


def test_an_editor_sees_their_networks_member_first(client, django_user_model, santa_rosas):
    network = NetworkFactory()
    MembershipFactory(network=network, city=santa_rosas["small"])
    editor = django_user_model.objects.create_user("editor", password="a-long-password-1")
    grant_editor(user=editor, network=network)
    client.force_login(editor)
    texts = autocomplete(client, "santa rosa")
    assert texts[0].startswith("Santa Rosa — Province B")
    assert texts[-1].startswith("Santa Rosa del Sur")


def test_the_forms_network_ranks_its_members_first_for_a_curator(superuser_client, santa_rosas):
    # The admin's script adds the network chosen in the form (static/admin/js/paradiplo-autocomplete.js).
    membership = MembershipFactory(city=santa_rosas["small"])
    texts = autocomplete(superuser_client, "Santa Rosa", network=membership.network_id)
    assert texts[0].startswith("Santa Rosa — Province B")
    assert autocomplete(superuser_client, "Santa Rosa", network="x")[0].startswith("Santa Rosa — Province A")


def test_the_autocomplete_runs_a_fixed_number_of_queries(superuser_client, django_assert_num_queries):
    country = CountryFactory()
    autocomplete(superuser_client, "Santa Rosa")  # the first request of a session reads what later ones have cached
    for size in (2, 12):
        while City.objects.filter(name_en="Santa Rosa").count() < size:
            CityFactory(name_en="Santa Rosa", country=country, admin_area_name="Province", population=1000)
        with django_assert_num_queries(AUTOCOMPLETE_QUERIES):
            assert len(autocomplete(superuser_client, "Santa Rosa")) == size


def test_geonames_admin1_codes_get_their_names():
    # GeoNames admin1 codes are not ISO 3166-2: AR 21 is Santa Fe, BR 27 São Paulo.
    assert admin_area_name("AR", "21") == "Santa Fe"
    assert admin_area_name("BR", "27") == "São Paulo"
    assert admin_area_name("AR", "Santa Fe") == "Santa Fe"  # already a name
    assert admin_area_name("ES", "ESYE31") == ""  # a code without a name


@pytest.mark.usefixtures("real_data")
def test_real_cities_have_their_province_by_name():
    assert City.objects.get(slug="san-justo-ar").admin_area_name == "Santa Fe"
    assert City.objects.get(slug="santo-andre-br").admin_area_name == "São Paulo"


@pytest.mark.usefixtures("real_data")
@pytest.mark.parametrize(
    ("slug", "name", "country"), [("san-justo-ar", "San Justo", "AR"), ("santo-andre-br", "Santo André", "BR")]
)
def test_importing_an_existing_member_matches_it_despite_a_homonym(mercociudades, slug, name, country):
    # A homonym in the same country, as the gazetteer loads them (San Justo, Buenos Aires).
    CityFactory(name_en=name, native_name=name, country=Country.objects.get(code=country), population=100)
    report = import_members(mercociudades, member_file([[name, country, "", "", ""]]), dry_run=True)
    assert report.ok, report.lines()
    assert (report.matched_cities, report.created_cities, report.unchanged_memberships) == (1, 0, 1)
    assert City.objects.get(slug=slug).memberships.filter(network=mercociudades).exists()


@pytest.mark.usefixtures("real_data")
def test_an_ambiguous_name_lists_geonames_ids_provinces_and_populations():
    homonym = CityFactory(
        name_en="San Justo", country=Country.objects.get(code="AR"), admin_area_name="Province X", population=100
    )
    c40 = Network.objects.get(slug="c40")  # no San Justo among its members
    report = import_members(c40, member_file([["San Justo", "AR", "", "", ""]]), dry_run=True)
    problem = str(report.errors[0])
    assert "GeoNames id 3837124: Santa Fe, 21,809 inhabitants" in problem
    assert "without a GeoNames id: Province X, 100 inhabitants" in problem
    assert "san-justo-ar" not in problem and homonym.slug not in problem
