"""The co-membership graph: cities and networks as a two-mode network at a date, its one-mode
projections and their centralities, computed with networkx and cached per content version.

**The graph.** One node per city and per network, one city–network edge per counted
membership in force at the date (:func:`networks.selectors.graph_memberships`: stated, and in
force as the API's ``?at=`` reads it — a day: that day; a month or a year: at any time in it;
no date: today). Only cities and networks with at least one such edge are nodes. The
projections (:data:`PROJECTIONS`):

- ``bipartite`` (the default): the two-mode graph itself; every edge weighs 1;
- ``city``: city–city, an edge between two cities that share a network, weighted by how many
  they share;
- ``network``: network–network, an edge between two networks that share a member, weighted by
  how many members they share.

A projection keeps every node of its kind, so a city alone in its network is an isolated node.
A projection that would have more than :data:`MAX_PROJECTED_EDGES` edges is refused
(:class:`TooLarge`): the members of one network are all linked to each other in the city
projection, so 17,000 members would make 144 million edges.
Node identifiers are ``city:<slug>`` and ``network:<slug>``.

**Centralities** (networkx, on the graph of the chosen projection), for each node:

- ``degree``: the number of neighbours (in the two-mode graph, a city's networks and a
  network's members), ``strength``: the sum of the weights of its edges (in a projection, the
  shared networks or members over all its neighbours), and ``centralities.degree``: networkx's
  normalised degree centrality (degree / (nodes − 1));
- ``centralities.betweenness``: normalised betweenness, unweighted (the weights count shared
  ties, they are not distances). Exact while nodes × edges stays within
  :data:`BETWEENNESS_BUDGET`; on larger graphs (the city projection of the real data: 371
  cities, 32,000 edges) estimated from as many pivot nodes as that budget allows, drawn with a
  fixed seed, so the same data gives the same figures (``summary.betweenness_exact`` says
  which);
- ``centralities.eigenvector``: eigenvector centrality (weighted in the projections), computed
  **per connected component**. On a disconnected graph (the usual case: networks with no member
  in common) the leading eigenvector of the whole adjacency matrix sits on one component and
  gives every other node zero, and networkx's power iteration may fail to converge while the
  others decay. So each component of two or more nodes gets networkx's eigenvector centrality
  (unit Euclidean norm within it), scaled by √(component size / nodes), so that a larger
  component weighs more and the whole vector keeps unit norm over the components; an isolated
  node scores 0. On a connected graph this is networkx's eigenvector centrality. In the
  projections the same power iteration runs through the two-mode graph
  (:func:`projected_power_iteration`), whose memberships are far fewer than the projection's
  pairs; the result is networkx's on the projected graph (tested). Should a
  component still not converge, its nodes get ``None`` (JSON ``null``; the attribute is left
  out of GEXF and GraphML) and ``summary.eigenvector_converged`` is false.

**Caching.** :func:`graph_data` keeps its result in Django's cache under a key of the content
version (:mod:`core.contentversion`: any edit gives a new one, so the next request computes
afresh), the language (the labels), the date (today's date when none is given), the
projection and the networks; entries of old versions expire after
``PARADIPLO_PAGE_CACHE_SECONDS`` (0: nothing is cached). One query for the memberships on a
miss, none on a hit (the caller reads the content version once per request).

**Files**: :func:`gexf`, :func:`graphml` (networkx's writers, read back by
``networkx.read_gexf``/``read_graphml``, Gephi and igraph) and :func:`csv_edge_list`.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import networkx as nx
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from networkx.algorithms import bipartite

from core import exports, pagecache
from core.partialdates import PartialDate

from . import selectors

BIPARTITE, CITY, NETWORK = "bipartite", "city", "network"
#: ``?projection=``: the graph drawn, with its label.
PROJECTIONS = (
    (BIPARTITE, _("Cities and networks (two-mode)")),
    (CITY, _("Cities linked by shared networks")),
    (NETWORK, _("Networks linked by shared members")),
)
PROJECTION_VALUES = tuple(value for value, _label in PROJECTIONS)
#: ``?format=`` of the API: what each download is, and its file extension.
FILE_FORMATS = {
    "gexf": ("application/gexf+xml", "gexf"),
    "graphml": ("application/graphml+xml", "graphml"),
    "csv": (exports.CONTENT_TYPE, "csv"),
}
#: Betweenness is exact while nodes × edges (the work of Brandes' algorithm) stays within this
#: budget; beyond it, it is estimated from as many pivots as the budget allows (at least
#: BETWEENNESS_MIN_SAMPLE).
BETWEENNESS_BUDGET = 2_000_000
BETWEENNESS_MIN_SAMPLE = 50
#: A projection with more edges than this is refused (cities of big networks are all linked to
#: each other: 17,000 members would make 144 million pairs); choose fewer networks.
MAX_PROJECTED_EDGES = 200_000
#: The seed of that sample: the same data always gives the same estimate.
BETWEENNESS_SEED = 0
EIGENVECTOR_MAX_ITER = 1000
#: Centralities are rounded to this many decimals (stable JSON and files).
DECIMALS = 6
#: How many pairs of networks the summary keeps ("networks that share the most members").
NETWORK_PAIRS = 50
#: The prefix of the cached graphs (".2": the data gained ``countries``; graphs cached in the
#: earlier shape are not read).
CACHE_PREFIX = "paradiplo.graph.2"


@dataclass(frozen=True)
class GraphQuery:
    """What to draw: the date (``None``: today), the networks (slugs; none: every network) and
    the projection."""

    at: PartialDate | None = None
    networks: tuple[str, ...] = ()
    projection: str = BIPARTITE

    def __post_init__(self):
        if self.projection not in PROJECTION_VALUES:
            raise ValueError(f"unknown projection: {self.projection!r}")
        # One order for one graph: the cache key and the file names do not depend on how the
        # networks were listed.
        object.__setattr__(self, "networks", tuple(sorted(dict.fromkeys(self.networks))))

    def date_text(self, today: datetime.date | None = None) -> str:
        """The date drawn, at its precision ("1995", "1995-11-11"); today's without one."""
        return self.at.isoformat() if self.at else (today or timezone.localdate()).isoformat()

    def filename(self, extension: str) -> str:
        """``paradiplo-graph-<projection>-<date>[-<networks>].<extension>``: the date is in every
        download's name (the networks too while the name stays short)."""
        name = f"paradiplo-graph-{self.projection}-{self.date_text()}"
        networks = "_".join(self.networks)
        if networks and len(networks) <= 80:
            name += f"-{networks}"
        return f"{name}.{extension}"


# --- building the graph ---------------------------------------------------------------------


def node_id(kind: str, slug: str) -> str:
    return f"{kind}:{slug}"


def two_mode_graph(rows: Iterable[tuple]) -> nx.Graph:
    """The two-mode graph of :func:`networks.selectors.graph_rows`' rows: nodes with ``kind``
    (``city``, ``network``), ``key`` (the slug), ``label``, ``country`` (a city's ISO code) and
    ``country_name``, one edge of weight 1 per city–network pair."""
    graph = nx.Graph()
    for city, city_label, country, network, network_label, country_name in rows:
        city_node, network_node = node_id(CITY, city), node_id(NETWORK, network)
        graph.add_node(
            city_node, kind=CITY, key=city, label=city_label, country=country or "", country_name=country_name or ""
        )
        graph.add_node(network_node, kind=NETWORK, key=network, label=network_label, country="")
        graph.add_edge(city_node, network_node, weight=1)
    return graph


def nodes_of(graph: nx.Graph, kind: str) -> list[str]:
    return [node for node, data in graph.nodes(data=True) if data["kind"] == kind]


def onto(graph: nx.Graph, kind: str) -> nx.Graph:
    """The weighted projection of the two-mode ``graph`` onto its ``kind`` nodes (networkx's
    ``weighted_projected_graph``, which refuses an empty graph: the empty graph's is empty)."""
    if not graph:
        return nx.Graph()
    return bipartite.weighted_projected_graph(graph, nodes_of(graph, kind))


def projected(graph: nx.Graph, projection: str) -> nx.Graph:
    """The graph of ``projection``: the two-mode graph itself, or its weighted projection onto
    the cities or the networks (weights: shared networks, shared members)."""
    return graph if projection == BIPARTITE else onto(graph, projection)


def betweenness_sample(graph: nx.Graph) -> int | None:
    """How many pivots estimate the betweenness of ``graph``: None (exact) within
    :data:`BETWEENNESS_BUDGET`."""
    nodes, edges = graph.number_of_nodes(), graph.number_of_edges()
    if nodes * max(edges, 1) <= BETWEENNESS_BUDGET:
        return None
    return min(nodes, max(BETWEENNESS_MIN_SAMPLE, BETWEENNESS_BUDGET // max(edges, 1)))


def betweenness(graph: nx.Graph) -> dict:
    """Normalised, unweighted betweenness: exact within :data:`BETWEENNESS_BUDGET`, else
    estimated from a seeded sample of pivots (:func:`betweenness_sample`)."""
    sample = betweenness_sample(graph)
    if sample is None:
        return nx.betweenness_centrality(graph)
    return nx.betweenness_centrality(graph, k=sample, seed=BETWEENNESS_SEED)


class TooLarge(ValueError):
    """The projection asked for would have more than :data:`MAX_PROJECTED_EDGES` edges."""

    def __init__(self, edges: int):
        super().__init__(edges)
        self.edges = edges


def too_large_message(error: TooLarge) -> str:
    return gettext(
        "This graph would have up to %(edges)s edges (at most %(limit)s are drawn): choose fewer networks or the "
        "two-mode graph."
    ) % {"edges": f"{error.edges:,}", "limit": f"{MAX_PROJECTED_EDGES:,}"}


def projected_edges_bound(graph: nx.Graph, projection: str) -> int:
    """At most how many edges ``projection`` of the two-mode ``graph`` has: the pairs of
    neighbours of each node of the other kind."""
    if projection == BIPARTITE:
        return graph.number_of_edges()
    other = NETWORK if projection == CITY else CITY
    return sum(graph.degree(node) * (graph.degree(node) - 1) // 2 for node in nodes_of(graph, other))


EIGENVECTOR_TOL = 1.0e-6


def projected_power_iteration(two_mode: nx.Graph, component: set, start: dict) -> dict:
    """networkx's eigenvector centrality of a component of a weighted projection, computed
    through the two-mode graph: the same power iteration on (W + I) — W the projection's weights,
    the shared neighbours — from the same start, normalisation and stopping rule as
    ``nx.eigenvector_centrality``, but each step costs the memberships (W·x = B(Bᵀx) − d·x, d a
    node's two-mode degree) instead of the projection's pairs, which grow as the square of a
    network's members (the city projection of the real data: 417 memberships, 32,000 pairs).
    Raises ``nx.PowerIterationFailedConvergence`` as networkx does."""
    total = sum(start.values()) or 1
    x = {node: start[node] / total for node in component}
    others = {other for node in component for other in two_mode[node]}
    tolerance = len(component) * EIGENVECTOR_TOL
    for _iteration in range(EIGENVECTOR_MAX_ITER):
        last = x
        sums = {other: sum(last[node] for node in two_mode[other]) for other in others}
        x = {node: last[node] + sum(sums[other] - last[node] for other in two_mode[node]) for node in component}
        norm = math.hypot(*x.values()) or 1
        x = {node: value / norm for node, value in x.items()}
        if sum(abs(x[node] - last[node]) for node in component) < tolerance:
            return x
    raise nx.PowerIterationFailedConvergence(EIGENVECTOR_MAX_ITER)


def eigenvector(graph: nx.Graph, weight: str | None, two_mode: nx.Graph | None = None) -> tuple[dict, bool]:
    """Eigenvector centrality per connected component (see the module docstring) and whether
    every component converged. For a projection, ``two_mode`` is the graph it projects: the
    power iteration then runs through it (:func:`projected_power_iteration`)."""
    values: dict = dict.fromkeys(graph, 0.0)
    total = graph.number_of_nodes()
    converged = True
    for component in nx.connected_components(graph):
        if len(component) < 2:
            continue
        subgraph = graph.subgraph(component)
        # Started from the strengths, which are close to the result in the projections'
        # cliques: fewer iterations than from a uniform vector.
        start = dict(subgraph.degree(weight=weight))
        try:
            if two_mode is None:
                scores = nx.eigenvector_centrality(
                    subgraph, max_iter=EIGENVECTOR_MAX_ITER, tol=EIGENVECTOR_TOL, weight=weight, nstart=start
                )
            else:
                scores = projected_power_iteration(two_mode, component, start)
        except nx.PowerIterationFailedConvergence:
            converged = False
            values.update(dict.fromkeys(component))
            continue
        scale = math.sqrt(len(component) / total)
        values.update((node, score * scale) for node, score in scores.items())
    return values, converged


def _rounded(value):
    return None if value is None else round(value, DECIMALS)


def network_pairs(graph: nx.Graph, limit: int = NETWORK_PAIRS) -> list[dict]:
    """The pairs of networks that share the most members (of the two-mode ``graph``), most
    first: ``{"first", "second", "shared"}``, each network as ``{"id", "key", "label"}``."""
    projection = onto(graph, NETWORK)
    pairs = sorted(
        (sorted((a, b)) + [data["weight"]] for a, b, data in projection.edges(data=True)),
        key=lambda pair: (-pair[2], pair[0], pair[1]),
    )

    def network(node):
        return {"id": node, "key": graph.nodes[node]["key"], "label": graph.nodes[node]["label"]}

    return [{"first": network(a), "second": network(b), "shared": shared} for a, b, shared in pairs[:limit]]


def compute(rows: Iterable[tuple], query: GraphQuery, today: datetime.date | None = None) -> dict:
    """The graph of ``query`` from the membership ``rows``, as plain data (the API's JSON, see
    :func:`public`): ``nodes`` (id, key, label, kind, country code, degree, strength,
    centralities), ``edges`` (source, target, weight) and a ``summary``; and, apart,
    ``network_pairs`` and ``countries`` (code -> name). No query.
    Raises :class:`TooLarge` for a projection of more than :data:`MAX_PROJECTED_EDGES` edges."""
    two_mode = two_mode_graph(rows)
    bound = projected_edges_bound(two_mode, query.projection)
    if bound > MAX_PROJECTED_EDGES:
        raise TooLarge(bound)
    graph = projected(two_mode, query.projection)
    weight = None if query.projection == BIPARTITE else "weight"
    degree_centrality = nx.degree_centrality(graph) if graph.number_of_nodes() > 1 else dict.fromkeys(graph, 0.0)
    between = betweenness(graph)
    eigen, converged = eigenvector(graph, weight, None if query.projection == BIPARTITE else two_mode)
    nodes = []
    for node in sorted(graph, key=lambda node: (graph.nodes[node]["kind"] != NETWORK, node)):
        data = graph.nodes[node]
        nodes.append(
            {
                "id": node,
                "key": data["key"],
                "label": data["label"],
                "kind": data["kind"],
                "country": data["country"] or None,
                "degree": graph.degree(node),
                "strength": graph.degree(node, weight="weight"),
                "centralities": {
                    "degree": _rounded(degree_centrality[node]),
                    "betweenness": _rounded(between[node]),
                    "eigenvector": _rounded(eigen[node]),
                },
            }
        )
    edges = sorted(
        ({"source": min(a, b), "target": max(a, b), "weight": data["weight"]} for a, b, data in graph.edges(data=True)),
        key=lambda edge: (edge["source"], edge["target"]),
    )
    kinds = [data["kind"] for _node, data in graph.nodes(data=True)]
    return {
        "at": query.date_text(today),
        "projection": query.projection,
        "networks": list(query.networks),
        "summary": {
            "nodes": graph.number_of_nodes(),
            "edges": graph.number_of_edges(),
            "cities": kinds.count(CITY),
            "networks": kinds.count(NETWORK),
            "memberships": two_mode.number_of_edges(),
            "components": nx.number_connected_components(graph) if graph else 0,
            "density": _rounded(nx.density(graph)) if graph.number_of_nodes() > 1 else 0.0,
            "betweenness_exact": betweenness_sample(graph) is None,
            "eigenvector_converged": converged,
        },
        "nodes": nodes,
        "edges": edges,
        "network_pairs": network_pairs(two_mode),
        "countries": {
            data["country"]: data["country_name"] or data["country"]
            for _node, data in two_mode.nodes(data=True)
            if data["kind"] == CITY and data["country"]
        },
    }


def cache_key(query: GraphQuery, version: str, today: datetime.date) -> str:
    """The key of ``query``'s graph under the content version ``version``: also the language
    (labels), the date drawn, the projection and the networks."""
    what = "|".join([get_language() or "", query.date_text(today), query.projection, ",".join(query.networks)])
    return f"{CACHE_PREFIX}:{version}:{hashlib.sha256(what.encode()).hexdigest()[:40]}"


def graph_data(query: GraphQuery, version: str) -> dict:
    """The graph of ``query`` (:func:`compute`), from the cache when it holds it for the content
    version ``version`` (:func:`core.pagecache.version` reads it once per request): one query
    (the memberships) on a miss, none on a hit."""
    today = timezone.localdate()
    seconds = pagecache.cache_seconds()
    key = cache_key(query, version, today)
    if seconds > 0:
        found = cache.get(key)
        if found is not None:
            return found
    data = compute(selectors.graph_rows(query.at, query.networks), query, today)
    if seconds > 0:
        cache.set(key, data, seconds)
    return data


def public(data: dict, country_url: Callable[[str], str | None]) -> dict:
    """What the API's JSON answers: the graph without the page's extras, each city's country
    in the API's one shape of a country (``{"key", "url", "code", "name"}``, as
    ``cities.serializers.CountrySummarySerializer`` gives it; ``country_url(code)`` its URL)."""
    countries = data["countries"]

    def country(code):
        return None if not code else {"key": code, "url": country_url(code), "code": code, "name": countries[code]}

    answer = {name: value for name, value in data.items() if name not in ("network_pairs", "countries")}
    answer["nodes"] = [{**node, "country": country(node["country"])} for node in data["nodes"]]
    return answer


# --- files ------------------------------------------------------------------------------------


def as_networkx(data: dict) -> nx.Graph:
    """A networkx graph of :func:`compute`'s data, with every node's label, kind, key, country
    (empty for a network), degree, strength and centralities as attributes (one left out when
    it is ``None``: the file formats have no null) and every edge's weight."""
    graph = nx.Graph()
    for node in data["nodes"]:
        attributes = {
            "label": node["label"],
            "kind": node["kind"],
            "key": node["key"],
            "country": node["country"] or "",
            "degree": node["degree"],
            "strength": node["strength"],
            "degree_centrality": node["centralities"]["degree"],
            "betweenness": node["centralities"]["betweenness"],
            "eigenvector": node["centralities"]["eigenvector"],
        }
        graph.add_node(node["id"], **{name: value for name, value in attributes.items() if value is not None})
    for edge in data["edges"]:
        graph.add_edge(edge["source"], edge["target"], weight=edge["weight"])
    return graph


def gexf(data: dict) -> bytes:
    """The graph as GEXF 1.2 (Gephi's format), written by networkx."""
    out = io.BytesIO()
    nx.write_gexf(as_networkx(data), out)
    return out.getvalue()


def graphml(data: dict) -> bytes:
    """The graph as GraphML, written by networkx (igraph, Cytoscape, yEd and Gephi read it)."""
    out = io.BytesIO()
    nx.write_graphml(as_networkx(data), out)
    return out.getvalue()


def csv_edge_list(data: dict) -> Iterator[str]:
    """The edges as CSV lines: ``source,target,weight,source_label,target_label`` (the header
    Gephi's spreadsheet import and igraph's readers expect first), written by :mod:`core.exports`.
    Isolated nodes (a projection's city alone in its network) have no line."""
    labels = {node["id"]: node["label"] for node in data["nodes"]}
    header = ["source", "target", "weight", "source_label", "target_label"]
    rows = (
        [edge["source"], edge["target"], edge["weight"], labels[edge["source"]], labels[edge["target"]]]
        for edge in data["edges"]
    )
    return exports.csv_lines(header, rows)


def file_content(data: dict, file_format: str) -> bytes:
    """The download of ``file_format`` (a key of :data:`FILE_FORMATS`)."""
    if file_format == "gexf":
        return gexf(data)
    if file_format == "graphml":
        return graphml(data)
    return "".join(csv_edge_list(data)).encode("utf-8")
