import pytest
from django.urls import reverse

from networks.models import MembershipFigure

from .factories import MembershipFactory, MembershipFigureFactory, NetworkFactory, SummitFactory
from .helpers import LANGUAGES, get_at_two_sizes, page_of, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_lists_the_five_networks_in_every_language(client, language):
    page = page_of(client.get(url("home", language)))
    assert f'<html lang="{language}">' in page
    for name in ["Mercociudades", "C40", "Eurocities", "United Cities and Local Governments", "Metropolis"]:
        assert name in page or name.lower() in page.lower(), name
    assert "GeoNames" in page


def test_root_redirects_to_a_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="pt-BR,pt;q=0.9")
    assert response.status_code == 302 and response["Location"] == "/pt/"


# The content version (1, the key of the page's cached copy: core.pagecache), the networks with
# their counts and latest figures, and one count per kind of record. A cached copy: the version.
HOME_QUERIES = 14
CACHED_HOME_QUERIES = 1


def grow(networks: int, members_each: int):
    for _ in range(networks):
        network = NetworkFactory()
        MembershipFigureFactory(network=network)
        SummitFactory(network=network)
        for _ in range(members_each):
            MembershipFactory(network=network)


def test_home_runs_a_fixed_number_of_queries_whatever_the_data_size(client, django_assert_num_queries):
    grow(2, 3)
    small, large = get_at_two_sizes(client, django_assert_num_queries, HOME_QUERIES, url("home"), lambda: grow(20, 15))
    assert large.content.count(b"Synthetic Network") == small.content.count(b"Synthetic Network") + 20


@pytest.mark.parametrize("url_name", ["home", "network-list"])
def test_reported_sizes_are_shown_as_reported_and_cited(client, url_name):
    page = client.get(reverse(url_name)).content.decode()
    # UCLG's latest figure is "over 240,000" in the fixtures: the "over" is kept, and cited.
    figure = MembershipFigure.objects.filter(network__slug="uclg").order_by("-date").first()
    assert figure.at_least and figure.citations.exists()
    assert f"over {figure.members:,}" in page
    assert 'class="cite"' in page and 'id="ref-1"' in page


def test_the_home_counts_run_once_per_content_version(client, django_assert_num_queries):
    """The counts of whole tables run when the content changed, not on every request."""
    address = url("home")
    first = page_of(client.get(address))
    with django_assert_num_queries(CACHED_HOME_QUERIES):
        assert page_of(client.get(address)) == first
    NetworkFactory(name_en="Synthetic Network just added")
    assert "Synthetic Network just added" in page_of(client.get(address))
