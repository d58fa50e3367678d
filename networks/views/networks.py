"""Public pages of networks: the index, a network's profile, its member list and its members'
map points (GeoJSON). Reads live in :mod:`networks.selectors`; every page runs a fixed number of
queries whatever the size of the tables, and is cached per content version
(:mod:`core.pagecache`): the counts and the growth chart run once per version and language.

The index's *region* filter is the world region of the network's secretariat city (as in the
API's ``region`` filter): a network has no region field of its own, and the countries of its
members would put a global network such as C40 in every region.
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from core import composition, jsonld
from core.asof import AsOfMixin
from core.browse import BrowseListView, Column, linked, table_columns
from core.pagecache import CachedPageMixin, cached_page
from core.periods import AT_PARAMETER, parse_at
from core.templatetags.paradiplo import record_link, tr

from .. import selectors
from ..charts import country_chart, growth_chart
from ..filters import MembershipFilter, NetworkFilter
from ..forms import ChangesForm
from ..models import Membership, Network


def _code(country) -> str:
    return country.code if country is not None else ""


def _source_keys(record) -> str:
    return " ".join(citation.source.key for citation in record.citations.all())


def place(city, empty="—") -> str:
    """A city linked, with its country: "Montevideo (Uruguay)"; ``empty`` without one."""
    if city is None:
        return empty
    country = format_html(" <small>({})</small>", tr(city.country)) if city.country else ""
    return format_html("{}{}", record_link(city), country)


# Index -------------------------------------------------------------------------------------------


class NetworkListView(BrowseListView):
    """``/xx/networks/``: every city network, with its size and summits."""

    model = Network
    filterset_class = NetworkFilter
    context_object_name = "networks"
    page_title = _("City networks")
    csv_filename = "networks"
    columns = [
        Column(csv_header=_("slug"), value="slug"),
        Column(_("Network"), _("name"), str, cell="networks/cells/network_name.html", row_header=True),
        Column(csv_header=_("acronym"), value="acronym"),
        Column(_("Scope"), _("scope"), "scope", cell=lambda network: capfirst(network.get_scope_display())),
        Column(csv_header=_("status"), value="status"),
        Column(_("Founded"), _("founded"), "founded", cell="founded.display"),
        Column(csv_header=_("dissolved"), value="dissolved"),
        Column(csv_header=_("founding place"), value="founded_city.slug"),
        Column(
            _("Secretariat"),
            _("secretariat city"),
            "secretariat_city.slug",
            cell=lambda n: place(n.secretariat_city),
        ),
        Column(
            csv_header=_("secretariat country"),
            value=lambda network: _code(network.secretariat_city and network.secretariat_city.country),
        ),
        Column(_("Part of"), _("parent network"), "parent.slug", cell=linked("parent")),
        Column(
            _("Members recorded"),
            _("members recorded now"),
            "current_members",
            cell="networks/cells/current_members.html",
            numeric=True,
        ),
        Column(
            _("Latest reported size"),
            _("latest reported members"),
            "reported_members",
            cell="networks/cells/latest_figure.html",
        ),
        Column(csv_header=_("latest reported date"), value="reported_date"),
        Column(
            _("Summits"),
            _("summits"),
            "summit_count",
            numeric=True,
        ),
        Column(csv_header=_("website"), value="website"),
        Column(csv_header=_("Wikidata id"), value="wikidata_id"),
    ]

    def get_queryset(self):
        return selectors.network_csv_rows() if self.wants_csv() else selectors.network_rows()


# Profile -----------------------------------------------------------------------------------------


class NetworkDetailView(AsOfMixin, CachedPageMixin, TemplateView):
    """``/xx/networks/<slug>/``: a network's profile: identity, governing bodies and office
    holders, thematic units, members (recorded and reported, by country, on a map, over time),
    summits, projects and sources. The map's points are not in the page: the map script fetches
    them from :func:`network_members_geojson`, so the page stays small however many members
    the network has (it lists the first 25 and links to the full member list).

    ``?at=1995-11-11`` (or ``1995-11``, ``1995``) shows the network as of that date
    (:mod:`core.asof`): its members, office holders, counts and coverage then."""

    template_name = "networks/network_detail.html"

    def get_network(self) -> Network:
        try:
            return selectors.network_profile_queryset().get(slug=self.kwargs["slug"])
        except Network.DoesNotExist:
            raise Http404(gettext("No network found with this identifier.")) from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        network = self.get_network()
        as_of = self.as_of
        profile = selectors.network_profile(network, as_of or timezone.localdate())
        members_url = reverse("network-members", kwargs={"slug": network.slug})
        map_url = reverse("network-members-geojson", kwargs={"slug": network.slug})
        at_query = "?" + urlencode({AT_PARAMETER: as_of.isoformat()}) if as_of else ""
        context.update(
            profile,
            # projects, project_count, project_limit, from the projects app
            **composition.context("networks.network_profile", network),
            network=network,
            page_title=str(network),
            country_chart=country_chart(profile["country_rows"], profile["breakdown_figure"]),
            growth_chart=growth_chart(profile["growth_rows"], profile["growth"]["undated_members"]),
            members_url=members_url,
            members_map_url=map_url + at_query,
            changes_url=reverse("network-changes", kwargs={"slug": network.slug}),
            member_filter=MembershipFilter(network=network, request=self.request),
            projects_url=reverse("project-list") + "?network=" + network.slug,
            member_columns=table_columns(NetworkMembersView.columns),
            structured_data=jsonld.organization_data(
                network, profile["counts"]["current"], self.request.build_absolute_uri
            ),
        )
        if as_of:
            context["cite_title"] = gettext("%(network)s, as of %(date)s") % {
                "network": network,
                "date": as_of.display(),
            }
        return context


# What changed ------------------------------------------------------------------------------------


class NetworkChangesView(CachedPageMixin, TemplateView):
    """``/xx/networks/<slug>/changes/?from=2000&to=2010``: what changed in a network between two
    dates (:func:`networks.selectors.network_changes`): the members that joined and left, the
    offices taken and left, and the counted members at each end. Without dates, the form alone;
    a date that is not one, or a "to" before "from", is a 400 with the form's message."""

    template_name = "networks/network_changes.html"

    @cached_property
    def form(self) -> ChangesForm:
        bound = any(name in self.request.GET for name in ("from", "to"))
        return ChangesForm(self.request.GET if bound else None)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        network = get_object_or_404(Network.objects.select_related("parent"), slug=self.kwargs["slug"])
        form = self.form
        changes = None
        if form.is_bound and form.is_valid():
            changes = selectors.network_changes(network, form.cleaned_data["from"], form.cleaned_data["to"])
        context.update(
            network=network,
            form=form,
            changes=changes,
            member_columns=table_columns(NetworkMembersView.columns),
            page_title=gettext("What changed in %(network)s") % {"network": network},
        )
        if changes:
            context["cite_title"] = gettext("What changed in %(network)s, %(from)s – %(to)s") % {
                "network": network,
                "from": changes.since.display(),
                "to": changes.until.display(),
            }
        return context

    def render_to_response(self, context, **response_kwargs):
        if self.form.is_bound and not self.form.is_valid():
            response_kwargs["status"] = 400
        return super().render_to_response(context, **response_kwargs)


# Member list -------------------------------------------------------------------------------------


class NetworkMembersView(AsOfMixin, BrowseListView):
    """``/xx/networks/<slug>/members/``: every membership of the network, filtered, paginated,
    and downloadable as CSV with stable columns. Its ``at`` filter (members on a day, or at any
    time in a month or year) is the page's date (:mod:`core.asof`): the banner says so, and a
    value that is not a date is a 400 with the form's message."""

    # The filter form's "Members on" field is the picker.
    as_of_picker = False

    model = Membership
    filterset_class = MembershipFilter
    template_name = "networks/network_members.html"
    context_object_name = "memberships"
    columns = [
        Column(csv_header=_("network"), value="network.slug"),
        Column(csv_header=_("city"), value="city.slug"),
        Column(_("City"), _("city name"), lambda m: str(m.city), cell=linked("city"), row_header=True),
        Column(
            _("Country"),
            _("country code"),
            lambda membership: _code(membership.city.country),
            cell=linked("city.country"),
        ),
        Column(
            _("Category"),
            _("category"),
            "category",
            cell=lambda m: capfirst(m.get_category_display()),
        ),
        Column(csv_header=_("founding member"), value="founding"),
        Column(_("Joined"), _("joined"), "start", cell="networks/cells/joined.html"),
        Column(csv_header=_("first attested"), value="first_attested"),
        Column(_("Left"), _("left"), "end", cell="networks/cells/left.html"),
        Column(_("Founding member"), cell="networks/cells/founding.html"),
        Column(
            _("Admitted at"),
            _("admitted at"),
            "admitted_at.slug",
            cell=lambda membership: record_link(membership.admitted_at, year=True) if membership.admitted_at else "—",
        ),
        Column(_("Sources"), _("sources"), _source_keys, cell="browse/cite.html"),
    ]

    @cached_property
    def network(self) -> Network:
        # Looked up when the page is rendered, not in dispatch(): a cached page needs no query.
        return get_object_or_404(Network.objects.select_related("parent"), slug=self.kwargs["slug"])

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
        # The network's probable and uncertain members, apart, on the unfiltered list only.
        if not context.get("active_filters"):
            context["uncounted_members"] = selectors.uncounted_member_rows(self.network)
        context["page_title"] = gettext("Members of %(network)s") % {"network": self.network}
        return context


# Map points --------------------------------------------------------------------------------------

#: GeoJSON's media type (RFC 7946).
GEOJSON = "application/geo+json"


@cached_page(compress=True)
def network_members_geojson(request, slug: str) -> HttpResponse:
    """``/xx/networks/<slug>/members.geojson``: the member cities in force today (or as of
    ``?at=``, as the profile that links it) with known coordinates, as a GeoJSON
    FeatureCollection (:func:`networks.selectors.member_map`), for the profile's map. Under the
    language prefix because the names and the city page addresses are in the page's language.
    Two queries when not cached, gzipped once per content version."""
    try:
        at = parse_at(request.GET.get(AT_PARAMETER))
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages), content_type="text/plain; charset=utf-8")
    network = get_object_or_404(Network.objects.only("pk"), slug=slug)
    collection = selectors.member_map(network, at or timezone.localdate())
    return HttpResponse(json.dumps(collection, ensure_ascii=False, separators=(",", ":")), content_type=GEOJSON)
