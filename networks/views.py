"""Public pages of networks: the index, a network's profile and its member list. Reads live in
:mod:`networks.page_selectors`; every page runs a fixed number of queries whatever the size of
the tables.

The index's *region* filter is the world region of the network's secretariat city (as in the
API's ``region`` filter): a network has no region field of its own, and the countries of its
members would put a global network such as C40 in every region.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from cities.models import Country, WorldRegion
from paradiplo.api.filters import InForceFilter, YearFilter
from paradiplo.browse import BrowseListView
from paradiplo.records import LANGUAGE_CODES

from . import page_selectors as selectors
from .aggregates import membership_growth
from .models import Membership, MembershipCategory, Network, NetworkStatus, Scope

WIKIDATA_URL = "https://www.wikidata.org/wiki/{}"


def _choices(choices):
    return [(value, capfirst(label)) for value, label in choices]


def _code(country) -> str:
    return country.code if country is not None else ""


def _source_keys(record) -> str:
    return " ".join(citation.source.key for citation in record.citations.all())


def language_names(codes: list[str]) -> list[dict]:
    """ISO 639-1 codes with their names in the active language (the code alone when unknown)."""
    names = []
    for code in codes:
        try:
            name = get_language_info(code)["name_translated"]
        except KeyError:
            name = code
        names.append({"code": code, "name": name})
    return names


# Index -------------------------------------------------------------------------------------------


class NetworkBrowseFilter(django_filters.FilterSet):
    """Filters of the network index: scope, region of the secretariat and status."""

    scope = django_filters.ChoiceFilter(label=_("Scope"), choices=_choices(Scope.choices), empty_label=_("All scopes"))
    region = django_filters.ChoiceFilter(
        label=_("Region of the secretariat"),
        choices=_choices(WorldRegion.choices),
        field_name="secretariat_city__country__region",
        empty_label=_("All regions"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=_choices(NetworkStatus.choices), empty_label=_("Active or dissolved")
    )

    class Meta:
        model = Network
        fields = []


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
        network = self.network = self.get_network()
        today = timezone.localdate()
        context["network"] = network
        context["page_title"] = str(network)
        context["today"] = today
        context["languages"] = language_names(network.language_list)
        context["names"] = [
            {"code": item["code"], "language": item["name"], "name": getattr(network, f"name_{item['code']}")}
            for item in language_names(LANGUAGE_CODES)
            if getattr(network, f"name_{item['code']}", "")
        ]

        # Members: recorded, reported, by country, on a map, over time.
        context["counts"] = selectors.membership_counts(network, today)
        members = selectors.current_members(network, today)
        figures = selectors.membership_figures(network)
        latest = selectors.latest_figure(figures)
        broken_down = selectors.latest_figure(figures, with_breakdown=True)
        breakdown = selectors.figure_breakdown(broken_down)
        context["figures"] = figures
        context["latest_figure"] = latest
        context["breakdown_figure"] = broken_down
        context["country_rows"] = selectors.members_by_country(members, breakdown)
        context["country_chart"] = self.country_chart(context["country_rows"], broken_down)
        context["map_points"] = self.map_points(members)
        context["mapped_count"] = len(context["map_points"])
        growth = selectors.growth_rows(membership_growth(network, today), figures)
        context["growth_rows"] = growth
        context["growth_chart"] = self.growth_chart(growth)
        context["member_preview"] = selectors.member_preview(network)
        context["members_url"] = reverse("network-members", kwargs={"slug": network.slug})
        context["member_filter"] = NetworkMemberFilter(network=network, request=self.request)

        # Governance.
        offices = selectors.network_offices(network)
        bodies = selectors.governing_bodies(network)
        context["body_groups"] = selectors.offices_by_body(bodies, offices, today)
        context["lead_offices"] = selectors.lead_offices(offices)
        context["unit_groups"] = selectors.offices_by_unit(selectors.thematic_units(network), offices, today)

        # Activity.
        context["summits"] = selectors.network_summits(network)
        context["projects"], context["project_count"] = selectors.network_projects(network)
        context["project_limit"] = selectors.PROJECT_LIMIT
        context["projects_url"] = reverse("project-list") + "?network=" + network.slug

        context["structured_data"] = self.organization_data(network, context["counts"]["current"])
        return context

    def map_points(self, members) -> list[dict]:
        """Current member cities with coordinates: [{name, lat, lon, url}] for includes/map.html."""
        return [
            {
                "name": str(membership.city),
                "lat": float(membership.city.latitude),
                "lon": float(membership.city.longitude),
                "url": membership.city.get_absolute_url(),
                "founding": membership.founding,
            }
            for membership in members
            if membership.city.latitude is not None and membership.city.longitude is not None
        ]

    def country_chart(self, rows, figure) -> dict:
        """A bar chart of members by country: recorded now beside the reported breakdown."""
        labels = [str(row.country) if row.country else gettext("Country unknown") for row in rows]
        datasets = [{"label": gettext("Members recorded now"), "data": [row.recorded for row in rows]}]
        if figure is not None:
            when = figure.date.display() if figure.date else gettext("undated")
            datasets.append(
                {
                    "label": gettext("Reported (%(date)s)") % {"date": when},
                    "data": [row.reported for row in rows],
                }
            )
        return {"type": "bar", "labels": labels, "datasets": datasets, "horizontal": len(labels) > 8}

    def growth_chart(self, rows) -> dict:
        """A line chart of members year by year: recorded at the end of each year, and the
        largest size a source reported that year."""
        return {
            "type": "line",
            "labels": [row["year"] for row in rows],
            "datasets": [
                {"label": gettext("Members recorded"), "data": [row["recorded"] for row in rows], "stepped": True},
                {
                    "label": gettext("Size reported by sources"),
                    "data": [max((f.members for f in row["reported"]), default=None) for row in rows],
                    "showLine": False,
                    "pointRadius": 5,
                },
            ],
        }

    def organization_data(self, network: Network, members: int) -> dict:
        """schema.org ``Organization``: names, founding date (ISO 8601 at its precision) and
        place, Wikidata and website, parent and sections, and the members recorded now."""
        request = self.request
        url = request.build_absolute_uri(network.get_absolute_url())
        data = {"@context": "https://schema.org", "@type": "Organization", "@id": url, "name": str(network), "url": url}
        names = {getattr(network, f"name_{code}", "") for code in LANGUAGE_CODES} | {network.acronym}
        alternate = sorted(name for name in names if name and name != str(network))
        if alternate:
            data["alternateName"] = alternate
        if network.description:
            data["description"] = network.description
        if network.founded:
            data["foundingDate"] = network.founded.isoformat()
        if network.dissolved:
            data["dissolutionDate"] = network.dissolved.isoformat()
        if network.founded_city:
            data["foundingLocation"] = self.place(network.founded_city)
        if network.secretariat_city:
            data["location"] = self.place(network.secretariat_city)
        same_as = []
        if network.wikidata_id:
            same_as.append(WIKIDATA_URL.format(network.wikidata_id))
        if network.website:
            same_as.append(network.website)
        if same_as:
            data["sameAs"] = same_as
        if network.parent:
            data["parentOrganization"] = {
                "@type": "Organization",
                "name": str(network.parent),
                "url": request.build_absolute_uri(network.parent.get_absolute_url()),
            }
        sections = list(network.sections.all())
        if sections:
            data["subOrganization"] = [
                {
                    "@type": "Organization",
                    "name": str(section),
                    "url": request.build_absolute_uri(section.get_absolute_url()),
                }
                for section in sections
            ]
        if network.language_list:
            data["knowsLanguage"] = network.language_list
        # schema.org has no "number of members": an InteractionCounter of JoinAction is its way
        # of counting the people or organizations who joined.
        data["interactionStatistic"] = {
            "@type": "InteractionCounter",
            "interactionType": "https://schema.org/JoinAction",
            "userInteractionCount": members,
            "description": gettext("Member cities recorded in Paradiplo today"),
        }
        return data

    def place(self, city) -> dict:
        place = {"@type": "Place", "name": str(city), "url": self.request.build_absolute_uri(city.get_absolute_url())}
        if city.country:
            place["address"] = {
                "@type": "PostalAddress",
                "addressLocality": str(city),
                "addressCountry": city.country.code,
            }
        if city.latitude is not None and city.longitude is not None:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(city.latitude),
                "longitude": float(city.longitude),
            }
        return place


# Member list -------------------------------------------------------------------------------------


class CurrentFilter(django_filters.BooleanFilter):
    """A checkbox: ticked keeps the members of today only."""

    field_class = forms.BooleanField

    def __init__(self, **kwargs):
        super().__init__(widget=forms.CheckboxInput, **kwargs)

    def filter(self, queryset, value):
        return queryset.current() if value else queryset


class NetworkMemberFilter(django_filters.FilterSet):
    """Filters of a network's member list. ``at`` takes a date at any precision, as in the API:
    ``2003-05-11`` (members on that day), ``2003-05`` or ``2003`` (members at any time then).
    The joined years are those of the recorded joining dates."""

    country = django_filters.ModelChoiceFilter(
        label=_("Country"),
        field_name="city__country",
        to_field_name="code",
        queryset=Country.objects.none(),
        empty_label=_("All countries"),
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=_choices(MembershipCategory.choices), empty_label=_("All categories")
    )
    founding = django_filters.ChoiceFilter(
        label=_("Founding members"),
        choices=[("true", _("Founding members only")), ("false", _("Members that joined later"))],
        empty_label=_("Founding or not"),
        method="filter_founding",
    )
    at = InForceFilter(
        label=_("Members on (YYYY, YYYY-MM or YYYY-MM-DD)"),
        help_text=_("The cities that were members on this day, or at any time in this month or year."),
    )
    joined_from = YearFilter("start", "gte", label=_("Joined from (year)"))
    joined_to = YearFilter("start", "lte", label=_("Joined until (year)"))
    current = CurrentFilter(label=_("Current members only"))

    class Meta:
        model = Membership
        fields = []

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network
        self.filters["country"].queryset = selectors.member_countries(network)

    def filter_founding(self, queryset, name, value):
        return queryset.filter(founding=value == "true")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        first, last = (self.form.cleaned_data.get(name) for name in ("joined_from", "joined_to"))
        if first is not None and last is not None and first > last:
            self.form.add_error("joined_to", _("The end year cannot be before the start year."))
        return queryset


def _joined(membership) -> str:
    return membership.start.isoformat() if membership.start else ""


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
