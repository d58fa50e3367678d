"""The co-membership graph (networks/graph.py): /api/v1/graph/ and the page /xx/graph/ — the graph
on Mercociudades' founding day has exactly the founders' edges, the GEXF, GraphML and CSV
downloads read back with networkx and the csv module with the page's counts, the projections and
centralities, bad parameters (400 in the API's error shape, form errors on the page), the cache
per content version, and a fixed number of queries at two sizes."""

import csv
import io
import re
from itertools import combinations

import networkx as nx
import pytest
from django.urls import path, reverse
from drf_spectacular.generators import SchemaGenerator

from networks import graph
from networks.api import GraphAPIView
from networks.models import Membership, Network

from .factories import CityFactory, MembershipFactory, NetworkFactory
from .facts import MERCOCIUDADES_FOUNDERS
from .helpers import body, get_at_two_sizes, get_counting_queries, url

pytestmark = pytest.mark.django_db

API = "/api/v1/graph/"
FOUNDING_DAY = {"at": "1995-11-11", "network": "mercociudades"}


def graph_of(api, **params) -> dict:
    response = api.get(API, params)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def edges_of(data) -> set[tuple[str, str]]:
    return {(edge["source"], edge["target"]) for edge in data["edges"]}


def page_counts(html: str) -> tuple[int, int]:
    """The node and edge counts the page shows."""
    nodes = re.search(r'id="graph-node-count">([\d,]+)<', html).group(1)
    edges = re.search(r'id="graph-edge-count">([\d,]+)<', html).group(1)
    return int(nodes.replace(",", "")), int(edges.replace(",", ""))


def download_links(html: str) -> dict[str, str]:
    """The page's download links by format."""
    links = re.findall(r'<a href="([^"]+)" download rel="nofollow">', html)
    return {re.search(r"format=(\w+)", link).group(1): link.replace("&amp;", "&") for link in links}


# The acceptance: the founders on the founding day ---------------------------------------------


@pytest.mark.usefixtures("real_data")
def test_the_graph_on_the_founding_day_has_exactly_the_founders_edges(api):
    data = graph_of(api, **FOUNDING_DAY)
    founders = {f"city:{slug}" for slug in MERCOCIUDADES_FOUNDERS}
    assert edges_of(data) == {(city, "network:mercociudades") for city in founders}
    assert {node["id"] for node in data["nodes"]} == founders | {"network:mercociudades"}
    assert data["summary"] | {"density": None} == {
        "nodes": 13,
        "edges": 12,
        "cities": 12,
        "networks": 1,
        "memberships": 12,
        "components": 1,
        "density": None,
        "betweenness_exact": True,
        "eigenvector_converged": True,
    }
    assert data["at"] == "1995-11-11" and data["projection"] == "bipartite" and data["networks"] == ["mercociudades"]
    # A star: the network lies on every path between two founders.
    network = data["nodes"][0]
    assert network["id"] == "network:mercociudades" and network["kind"] == "network" and network["degree"] == 12
    assert network["centralities"]["betweenness"] == 1.0 and network["centralities"]["degree"] == 1.0
    montevideo = next(node for node in data["nodes"] if node["key"] == "montevideo-uy")
    assert montevideo["label"] == "Montevideo" and montevideo["degree"] == 1
    assert montevideo["country"] == {
        "key": "UY",
        "url": "http://testserver/api/v1/countries/UY/",
        "code": "UY",
        "name": "Uruguay",
    }
    assert montevideo["centralities"]["betweenness"] == 0.0
    assert montevideo["centralities"]["eigenvector"] < network["centralities"]["eigenvector"]


@pytest.mark.usefixtures("real_data")
def test_the_downloads_read_back_with_the_counts_the_page_shows(client):
    response = client.get(url("graph"), FOUNDING_DAY)
    html = body(response)
    assert response.status_code == 200
    assert page_counts(html) == (13, 12)
    links = download_links(html)
    assert set(links) == {"gexf", "graphml", "csv"}

    gexf = client.get(links["gexf"])
    assert gexf["Content-Type"] == "application/gexf+xml"
    assert gexf["Content-Disposition"] == (
        'attachment; filename="paradiplo-graph-bipartite-1995-11-11-mercociudades.gexf"'
    )
    from_gexf = nx.read_gexf(io.BytesIO(gexf.content))
    assert (from_gexf.number_of_nodes(), from_gexf.number_of_edges()) == (13, 12)
    assert from_gexf.nodes["city:montevideo-uy"]["label"] == "Montevideo"
    assert from_gexf.nodes["network:mercociudades"]["kind"] == "network"

    graphml = client.get(links["graphml"])
    assert graphml["Content-Disposition"].endswith('-1995-11-11-mercociudades.graphml"')
    from_graphml = nx.read_graphml(io.BytesIO(graphml.content))
    assert (from_graphml.number_of_nodes(), from_graphml.number_of_edges()) == (13, 12)
    assert from_graphml.nodes["network:mercociudades"]["degree"] == 12
    assert from_graphml.nodes["city:asuncion-py"]["country"] == "PY"

    edge_list = client.get(links["csv"])
    assert edge_list["Content-Type"].startswith("text/csv")
    assert edge_list["Content-Disposition"].endswith('-1995-11-11-mercociudades.csv"')
    rows = list(csv.DictReader(io.StringIO(edge_list.content.decode())))
    assert list(rows[0]) == ["source", "target", "weight", "source_label", "target_label"]
    from_csv = nx.Graph((row["source"], row["target"], {"weight": int(row["weight"])}) for row in rows)
    assert (from_csv.number_of_nodes(), from_csv.number_of_edges()) == (13, 12)
    assert nx.utils.graphs_equal(nx.Graph(from_gexf.edges()), nx.Graph(from_csv.edges()))


@pytest.mark.usefixtures("real_data")
def test_the_projections_of_the_founders_and_of_today(api):
    founders = graph_of(api, **FOUNDING_DAY, projection="city")
    # Twelve cities that share one network: every pair linked once.
    assert founders["summary"]["nodes"] == 12 and founders["summary"]["edges"] == 66
    assert {edge["weight"] for edge in founders["edges"]} == {1}
    assert all(node["centralities"]["eigenvector"] == pytest.approx(12**-0.5, abs=1e-5) for node in founders["nodes"])

    # Networks today: each pair weighs the cities that are members of both.
    two_mode = graph_of(api)
    members: dict[str, set] = {}
    for source, target in edges_of(two_mode):
        members.setdefault(target, set()).add(source)
    expected = {
        tuple(sorted((a, b))): len(members[a] & members[b])
        for a, b in combinations(members, 2)
        if members[a] & members[b]
    }
    networks = graph_of(api, projection="network")
    assert {(edge["source"], edge["target"]): edge["weight"] for edge in networks["edges"]} == expected
    assert expected  # the real data has networks with members in common (C40 and Eurocities…)
    assert {node["kind"] for node in networks["nodes"]} == {"network"}


@pytest.mark.usefixtures("real_data")
def test_networks_are_repeated_or_comma_separated_alike(api):
    repeated = api.get(API + "?network=mercociudades&network=c40").json()
    separated = api.get(API + "?network=c40,mercociudades").json()
    assert repeated == separated and repeated["networks"] == ["c40", "mercociudades"]
    assert {node["key"] for node in repeated["nodes"] if node["kind"] == "network"} == {"c40", "mercociudades"}


# Centralities on synthetic graphs ----------------------------------------------------------------


def test_eigenvector_centrality_is_computed_per_component_of_a_disconnected_graph(api):
    big, small = NetworkFactory(), NetworkFactory()
    for _ in range(5):
        MembershipFactory(network=big)
    for _ in range(2):
        MembershipFactory(network=small)
    lonely = MembershipFactory(network=NetworkFactory())  # a network of one member
    networks = ",".join(network.slug for network in (big, small, lonely.network))
    data = graph_of(api, projection="city", network=networks)
    assert data["summary"]["components"] == 3 and data["summary"]["eigenvector_converged"] is True
    scores = {node["key"]: node["centralities"]["eigenvector"] for node in data["nodes"]}
    # Every node of a component of n cities scores 1/sqrt(n) within it, times sqrt(n / 8).
    for membership in Membership.objects.filter(network__in=[big, small]).select_related("city"):
        assert scores[membership.city.slug] == pytest.approx(8**-0.5, abs=1e-5)
    assert scores[lonely.city.slug] == 0.0


@pytest.mark.parametrize("projection", ["city", "network"])
def test_projected_eigenvector_centrality_is_networkx_s_on_the_projection(api, projection):
    grow(3)()  # two networks sharing a city: one component
    data = graph_of(api, projection=projection, **GROWN)
    assert data["summary"]["components"] == 1
    projected = nx.read_graphml(
        io.BytesIO(api.get(API, {"projection": projection, "format": "graphml", **GROWN}).content)
    )
    expected = nx.eigenvector_centrality(projected, weight="weight", max_iter=1000)
    for node in data["nodes"]:
        assert node["centralities"]["eigenvector"] == pytest.approx(expected[node["id"]], abs=1e-5)


def test_a_projection_too_large_to_compute_is_refused(api, monkeypatch):
    network = NetworkFactory()
    for _ in range(5):
        MembershipFactory(network=network)
    monkeypatch.setattr(graph, "MAX_PROJECTED_EDGES", 9)  # five members make ten pairs
    response = api.get(API, {"projection": "city", "network": network.slug})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "projection"
    assert api.get(API, {"projection": "bipartite", "network": network.slug}).status_code == 200


# Bad parameters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, attr",
    [
        ({"at": "bogus"}, "at"),
        ({"at": "١٩٩٥"}, "at"),
        ({"at": "1995-02-30"}, "at"),
        ({"at": "1995\x00"}, "at"),
        ({"network": "no-such-network"}, "network"),
        ({"projection": "tripartite"}, "projection"),
        ({"format": "xml"}, "format"),
        ({"lang": "de"}, "lang"),
        ({"at": "bogus", "format": "gexf"}, "at"),
    ],
)
def test_a_bad_parameter_is_a_400_in_the_api_error_shape(api, params, attr):
    NetworkFactory(slug="synthetic-network-kept")
    response = api.get(API, params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    error = response.json()
    assert error["type"] == "validation_error" and error["errors"][0]["attr"] == attr


def test_options_describes_the_endpoint_as_json_whatever_the_format(api):
    response = api.options(API, {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert response.json()["name"]


@pytest.mark.parametrize("params", [{"at": "1995-13"}, {"network": "nowhere"}, {"projection": "x"}, {"at": "²"}])
def test_bad_page_parameters_are_form_errors(client, params):
    response = client.get(url("graph"), params)
    assert response.status_code == 400
    html = body(response)
    assert 'class="field-error"' in html and 'id="graph-canvas"' not in html


def test_the_page_shows_an_empty_state_without_edges(client):
    membership = MembershipFactory(start="2000")
    html = body(client.get(url("graph"), {"at": "1990", "network": membership.network.slug}))
    assert page_counts(html) == (0, 0)
    assert "the graph is empty" in html and 'id="graph-canvas"' not in html


# Cache -------------------------------------------------------------------------------------------


def test_the_graph_is_cached_until_the_content_changes(api, django_assert_num_queries):
    network = NetworkFactory()
    MembershipFactory(network=network)
    assert graph_of(api, network=network.slug)["summary"]["memberships"] == 1
    # The content version and the networks of the form: the graph itself comes from the cache.
    with django_assert_num_queries(API_CACHED_QUERIES):
        assert graph_of(api, network=network.slug)["summary"]["memberships"] == 1
    MembershipFactory(network=network, city=CityFactory())
    assert graph_of(api, network=network.slug)["summary"]["memberships"] == 2


# Queries -----------------------------------------------------------------------------------------

# The content version, the networks (the form's choices, which also check the slugs) and the
# memberships (one query of plain values), whatever the number of members.
API_QUERIES = 3
API_CACHED_QUERIES = 2
# The page: the same three (the page's own cache reads the version once).
PAGE_QUERIES = 3


#: Two synthetic networks (the real data may be loaded too: the tests name their networks).
GROWN = {"network": "synthetic-grown-a,synthetic-grown-b"}


def grow(size: int):
    """Add ``size`` members to each of the two networks of :data:`GROWN`, one city in both."""

    def add():
        first = NetworkFactory.create(slug="synthetic-grown-a") if size == 3 else None
        second = NetworkFactory.create(slug="synthetic-grown-b") if size == 3 else None
        first = first or Network.objects.get(slug="synthetic-grown-a")
        second = second or Network.objects.get(slug="synthetic-grown-b")
        for _ in range(size):
            MembershipFactory(network=first)
            MembershipFactory(network=second)
        MembershipFactory(network=second, city=MembershipFactory(network=first).city)

    return add


@pytest.mark.parametrize("params", [{}, {"projection": "city", "format": "gexf"}])
def test_the_api_runs_a_fixed_number_of_queries(api, django_assert_num_queries, params):
    grow(3)()
    params = {**GROWN, **params}
    small, large = get_at_two_sizes(api, django_assert_num_queries, API_QUERIES, API, grow(15), params)
    assert len(large.content) > len(small.content)


def test_the_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    grow(3)()
    small, large = get_at_two_sizes(client, django_assert_num_queries, PAGE_QUERIES, url("graph"), grow(15), GROWN)
    # 3 + 3 members and one city in both; then 15 + 15 more and another city in both.
    assert page_counts(body(small)) == (2 + 7, 8) and page_counts(body(large)) == (2 + 38, 40)
    assert "Networks that share the most members" in body(large)


def test_a_cached_page_reads_only_the_content_version(client, django_assert_num_queries):
    grow(3)()
    first = client.get(url("graph"), GROWN)
    assert first["X-Paradiplo-Cache"] == "miss"
    again = get_counting_queries(client, django_assert_num_queries, 1, url("graph"), GROWN)
    assert again["X-Paradiplo-Cache"] == "hit" and again.content == first.content


# Where it is linked and documented ------------------------------------------------------------


def test_the_graph_is_in_the_navigation_the_sitemap_and_the_api_schema(client):
    assert f'href="{url("graph")}"' in body(client.get(url("home")))
    assert "http://testserver/es/graph/" in body(client.get("/sitemap-pages.xml"))
    # The endpoint's part of the OpenAPI document (the whole one takes seconds to build).
    endpoint = [path("api/v1/graph/", GraphAPIView.as_view())]
    schema = SchemaGenerator(patterns=endpoint).get_schema(request=None, public=True)
    operation = schema["paths"][API]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} >= {"at", "network", "projection", "format"}
    assert set(operation["responses"]["200"]["content"]) == {
        "application/json",
        "application/gexf+xml",
        "application/graphml+xml",
        "text/csv",
    }
    assert reverse("api:graph") == API
