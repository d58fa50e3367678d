"""Public pages of networks: the index, a network's profile and its member list. Reads live in
:mod:`networks.selectors`; every page runs a fixed number of queries whatever the size of
the tables.

The index's *region* filter is the world region of the network's secretariat city (as in the
API's ``region`` filter): a network has no region field of its own, and the countries of its
members would put a global network such as C40 in every region.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from core import composition
from core.browse import BrowseListView

from .. import selectors
from ..charts import country_chart, growth_chart
from ..filtersets import NetworkBrowseFilter, NetworkMemberFilter
from ..models import Membership, Network
from ..structured_data import organization_data


def _code(country) -> str:
    return country.code if country is not None else ""


def _source_keys(record) -> str:
    return " ".join(citation.source.key for citation in record.citations.all())


# Index -------------------------------------------------------------------------------------------


class NetworkListView(BrowseListView):
    """``/xx/networks/``: every city network, with its size and summits."""

    model = Network
    filterset_class = NetworkBrowseFilter
    template_name = "networks/network_list.html"
    context_object_name = "networks"
    page_title = _("City networks")
    csv_filename = "networks"
    csv_columns = [
        (_("slug"), "slug"),
        (_("name"), lambda network: str(network)),
        (_("acronym"), "acronym"),
        (_("scope"), "scope"),
        (_("status"), "status"),
        (_("founded"), "founded"),
        (_("dissolved"), "dissolved"),
        (_("founding place"), "founded_city.slug"),
        (_("secretariat city"), "secretariat_city.slug"),
        (
            _("secretariat country"),
            lambda network: _code(network.secretariat_city and network.secretariat_city.country),
        ),
        (_("parent network"), "parent.slug"),
        (_("members recorded now"), "current_members"),
        (_("latest reported members"), "reported_members"),
        (_("latest reported date"), "reported_date"),
        (_("summits"), "summit_count"),
        (_("website"), "website"),
        (_("Wikidata id"), "wikidata_id"),
    ]

    def get_queryset(self):
        return selectors.network_csv_rows() if self.wants_csv() else selectors.network_rows()


# Profile -----------------------------------------------------------------------------------------


class NetworkDetailView(TemplateView):
    """``/xx/networks/<slug>/``: a network's profile: identity, governing bodies and office
    holders, thematic units, members (recorded and reported, by country, on a map, over time),
    summits, projects and sources."""

    template_name = "networks/network_detail.html"

    def get_network(self) -> Network:
        try:
            return selectors.network_profile_queryset().get(slug=self.kwargs["slug"])
        except Network.DoesNotExist:
            raise Http404(gettext("No network found with this identifier.")) from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        network = self.get_network()
        profile = selectors.network_profile(network, timezone.localdate())
        members_url = reverse("network-members", kwargs={"slug": network.slug})
        context.update(
            profile,
            # projects, project_count, project_limit, from the projects app
            **composition.context("networks.network_profile", network),
            network=network,
            page_title=str(network),
            country_chart=country_chart(profile["country_rows"], profile["breakdown_figure"]),
            growth_chart=growth_chart(profile["growth_rows"]),
            members_url=members_url,
            member_filter=NetworkMemberFilter(network=network, request=self.request),
            projects_url=reverse("project-list") + "?network=" + network.slug,
            structured_data=organization_data(network, profile["counts"]["current"], self.request.build_absolute_uri),
        )
        return context


# Member list -------------------------------------------------------------------------------------


class NetworkMembersView(BrowseListView):
    """``/xx/networks/<slug>/members/``: every membership of the network, filtered, paginated,
    and downloadable as CSV with stable columns."""

    model = Membership
    filterset_class = NetworkMemberFilter
    template_name = "networks/network_members.html"
    context_object_name = "memberships"
    csv_columns = [
        (_("network"), "network.slug"),
        (_("city"), "city.slug"),
        (_("city name"), lambda membership: str(membership.city)),
        (_("country code"), lambda membership: _code(membership.city.country)),
        (_("category"), "category"),
        (_("founding member"), "founding"),
        (_("joined"), "start"),
        (_("first attested"), "first_attested"),
        (_("left"), "end"),
        (_("admitted at"), "admitted_at.slug"),
        (_("sources"), _source_keys),
    ]

    def dispatch(self, request, *args, **kwargs):
        self.network = get_object_or_404(Network.objects.select_related("parent"), slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_csv_filename(self) -> str:
        return f"{self.network.slug}-members"

    def get_queryset(self):
        return selectors.member_rows(self.network)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["network"] = self.network
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["network"] = self.network
        context["page_title"] = gettext("Members of %(network)s") % {"network": self.network}
        return context
