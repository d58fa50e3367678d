"""``/xx/graph/``: the co-membership graph at a date (:mod:`networks.graph`): an interactive view
(Cytoscape.js, fed by the API's JSON), the most connected cities and networks, the pairs of
networks that share the most members, and the downloads (GEXF, GraphML, CSV edge list).

The page runs a fixed number of queries: the content version, the networks of the form, and
the memberships when the graph is not cached yet; the whole page is cached per content version
too (:class:`core.pagecache.CachedPageMixin`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from core import pagecache

from .. import graph
from ..forms import GraphForm

#: How many rows the ranked tables show.
RANKED_ROWS = 20
#: The page draws graphs up to this many edges; larger ones are for the downloads (a browser
#: lays out a few thousand edges in seconds, not tens of thousands).
MAX_DRAWN_EDGES = 5000


def ranked(nodes: list[dict], kind: str, limit: int = RANKED_ROWS) -> list[dict]:
    """The ``kind`` nodes, the most connected first: by degree, then eigenvector centrality,
    betweenness and name."""

    def key(node):
        centralities = node["centralities"]
        return (-node["degree"], -(centralities["eigenvector"] or 0), -centralities["betweenness"], node["label"])

    return sorted((node for node in nodes if node["kind"] == kind), key=key)[:limit]


class GraphView(pagecache.CachedPageMixin, TemplateView):
    """The co-membership graph's page; ``at``, ``network`` and ``projection`` as in the API
    (``/api/v1/graph/``). Invalid values answer 400 with the form's errors and no graph."""

    template_name = "networks/graph.html"
    page_title = _("Co-membership graph")

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        status = 400 if context["form"].errors else 200
        return self.render_to_response(context, status=status)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = GraphForm(self.request.GET)
        context.update(form=form, page_title=self.page_title, max_drawn_edges=MAX_DRAWN_EDGES)
        if not form.is_valid():
            return context
        query = form.graph_query()
        try:
            data = graph.graph_data(query, pagecache.version(self.request))
        except graph.TooLarge as error:
            form.add_error("projection", graph.too_large_message(error))
            return context
        context.update(
            query=query,
            graph=data,
            summary=data["summary"],
            cities=ranked(data["nodes"], graph.CITY),
            networks=ranked(data["nodes"], graph.NETWORK),
            network_pairs=data["network_pairs"][:RANKED_ROWS],
            downloads=self.downloads(query),
            graph_url=self.api_url(query, format="json", lang=get_language()),
            drawn=0 < data["summary"]["edges"] <= MAX_DRAWN_EDGES,
        )
        return context

    @staticmethod
    def api_url(query: graph.GraphQuery, **extra) -> str:
        params = [("at", query.at.isoformat())] if query.at else []
        params += [("network", slug) for slug in query.networks]
        params += [("projection", query.projection), *extra.items()]
        return f"{reverse('api:graph')}?{urlencode(params)}"

    def downloads(self, query: graph.GraphQuery) -> list[dict]:
        return [
            {"label": label, "url": self.api_url(query, format=file_format, lang=get_language())}
            for file_format, label in (
                ("gexf", _("GEXF (Gephi)")),
                ("graphml", _("GraphML (igraph, Cytoscape, yEd)")),
                ("csv", _("CSV edge list")),
            )
        ]
