"""Public pages of summits (the index of every network's summits and one summit's page) and of
thematic units. Reads live in :mod:`networks.summit_selectors`."""

from __future__ import annotations

import django_filters
from django import forms
from django.http import Http404
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from paradiplo.browse import BrowseListView

from . import summit_selectors as selectors
from .models import Summit, SummitFormat, SummitKind, ThematicUnit


def summit_title(summit: Summit) -> str:
    """A summit's plain-text title in the active language: its own name, else its kind, number
    and network ("Summit no. 20 of Mercociudades"), else its kind, network, place and year."""
    if summit.name:
        return summit.name
    values = {
        "kind": summit.get_kind_display(),
        "number": summit.number,
        "network": str(summit.network),
        "place": str(summit.host_city) if summit.host_city_id else "",
        "year": (summit.start or summit.end).year if (summit.start or summit.end) else "",
    }
    if summit.number:
        title = gettext("%(kind)s no. %(number)s of %(network)s") % values
    elif values["place"] and values["year"]:
        title = gettext("%(kind)s of %(network)s in %(place)s, %(year)s") % values
    elif values["year"]:
        title = gettext("%(kind)s of %(network)s, %(year)s") % values
    else:
        title = gettext("%(kind)s of %(network)s") % values
    return capfirst(title)


class YearNumberFilter(django_filters.NumberFilter):
    """A whole year (no decimals)."""

    field_class = forms.IntegerField


class SummitBrowseFilter(django_filters.FilterSet):
    """Filters of the summit index: network, host country, year range (by the summit's date, its
    start or else its end) and kind."""

    network = django_filters.ModelChoiceFilter(
        label=_("Network"),
        queryset=lambda request: selectors.networks_with_summits(),
        to_field_name="slug",
        empty_label=_("All networks"),
    )
    country = django_filters.ModelChoiceFilter(
        label=_("Host country"),
        field_name="host_city__country",
        queryset=lambda request: selectors.host_countries(),
        to_field_name="code",
        empty_label=_("All countries"),
    )
    year_from = YearNumberFilter(label=_("From (year)"), method="filter_year_from", min_value=1000, max_value=9999)
    year_to = YearNumberFilter(label=_("To (year)"), method="filter_year_to", min_value=1000, max_value=9999)
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=[(value, capfirst(label)) for value, label in SummitKind.choices],
        empty_label=_("All kinds"),
    )

    class Meta:
        model = Summit
        fields = []

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        first, last = (self.form.cleaned_data.get(name) for name in ("year_from", "year_to"))
        if first is not None and last is not None and first > last:
            self.form.add_error("year_to", _("The end year cannot be before the start year."))
        return queryset

    def filter_year_from(self, queryset, name, value):
        # Partial dates are stored as YYYYMMDD integers: 2003 starts at 20030000.
        return queryset.filter(date_key__gte=int(value) * 10000)

    def filter_year_to(self, queryset, name, value):
        return queryset.filter(date_key__lt=(int(value) + 1) * 10000)


def _country_code(summit):
    return summit.host_city.country.code if summit.host_city_id and summit.host_city.country_id else ""


def _iso(value) -> str:
    # ISO 8601 at the date's precision ("1995", "2016-11", "1995-11-11").
    return value.isoformat() if value else ""


def _absolute(request, summit):
    return request.build_absolute_uri(summit.get_absolute_url())


class SummitListView(BrowseListView):
    """``/xx/summits/``: every network's summits, newest first."""

    model = Summit
    filterset_class = SummitBrowseFilter
    template_name = "networks/summit_list.html"
    context_object_name = "summits"
    page_title = _("Summits")
    csv_filename = "summits"
    csv_columns = [
        (_("network"), "network.slug"),
        (_("network name"), lambda summit: str(summit.network)),
        (_("summit"), "slug"),
        (_("number"), "number"),
        (_("number inferred"), "number_inferred"),
        (_("kind"), "kind"),
        (_("name"), "name"),
        (_("start"), lambda summit: _iso(summit.start)),
        (_("end"), lambda summit: _iso(summit.end)),
        (_("host city"), "host_city.slug"),
        (_("host city name"), lambda summit: str(summit.host_city) if summit.host_city_id else ""),
        (_("host country"), _country_code),
        (_("format"), "format"),
        (_("motto"), "motto"),
        (_("declaration"), "declaration"),
    ]

    def get_queryset(self):
        return selectors.summit_rows()


class SummitDetailView(DetailView):
    """``/xx/networks/<network>/summits/<slug>/``: one summit, what it admitted and elected."""

    template_name = "networks/summit_detail.html"
    context_object_name = "summit"

    def get_object(self, queryset=None):
        try:
            return selectors.summit_detail_queryset().get(
                network__slug=self.kwargs["network"], slug=self.kwargs["slug"]
            )
        except Summit.DoesNotExist:
            raise Http404(gettext("No summit found with this identifier.")) from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summit = self.object
        context["page_title"] = summit_title(summit)
        # A summit without its own name is titled after its network already.
        context["document_title"] = (
            f"{context['page_title']} — {summit.network}" if summit.name else context["page_title"]
        )
        when = summit.start or summit.end
        context["summit_when"] = when.display() if when else ""
        context["admissions"] = list(selectors.summit_admissions(summit))
        context["elections"] = list(selectors.summit_elections(summit))
        context["previous_summit"], context["next_summit"] = selectors.neighbouring_summits(summit)
        if context["previous_summit"]:
            context["previous_title"] = summit_title(context["previous_summit"])
        if context["next_summit"]:
            context["next_title"] = summit_title(context["next_summit"])
        context["structured_data"] = self.event_data(summit, context["page_title"])
        return context

    ATTENDANCE_MODES = {
        SummitFormat.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
        SummitFormat.VIRTUAL: "https://schema.org/OnlineEventAttendanceMode",
        SummitFormat.HYBRID: "https://schema.org/MixedEventAttendanceMode",
    }

    def event_data(self, summit: Summit, title: str) -> dict:
        """schema.org ``Event``: dates at their precision (ISO 8601 "1995", "2016-11" or
        "1995-11-11"), the host city as a ``Place`` with its coordinates, the network as
        organizer."""
        network = summit.network
        data = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": title,
            "url": _absolute(self.request, summit),
            "organizer": {
                "@type": "Organization",
                "name": str(network),
                "url": self.request.build_absolute_uri(network.get_absolute_url()),
            },
        }
        if network.website:
            data["organizer"]["sameAs"] = network.website
        if summit.start:
            data["startDate"] = summit.start.isoformat()
        if summit.end:
            data["endDate"] = summit.end.isoformat()
        if summit.format in self.ATTENDANCE_MODES:
            data["eventAttendanceMode"] = self.ATTENDANCE_MODES[summit.format]
        if summit.summary:
            data["description"] = summit.summary
        city = summit.host_city
        if city is not None:
            place = {
                "@type": "Place",
                "name": str(city),
                "url": self.request.build_absolute_uri(city.get_absolute_url()),
            }
            if city.country_id:
                place["address"] = {"@type": "PostalAddress", "addressCountry": city.country.code}
                place["address"]["addressLocality"] = str(city)
            if city.latitude is not None and city.longitude is not None:
                place["geo"] = {
                    "@type": "GeoCoordinates",
                    "latitude": float(city.latitude),
                    "longitude": float(city.longitude),
                }
            data["location"] = place
        return data


class ThematicUnitDetailView(DetailView):
    """``/xx/networks/<network>/units/<slug>/``: a thematic unit, who coordinated it, its projects."""

    template_name = "networks/thematic_unit_detail.html"
    context_object_name = "unit"

    def get_object(self, queryset=None):
        try:
            return selectors.thematic_unit_queryset().get(
                network__slug=self.kwargs["network"], slug=self.kwargs["slug"]
            )
        except ThematicUnit.DoesNotExist:
            raise Http404(gettext("No thematic unit found with this identifier.")) from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = self.object
        context["page_title"] = str(unit)
        context["offices"] = list(selectors.unit_offices(unit))
        projects = selectors.unit_projects(unit)
        context["projects"] = projects
        context["project_limit"] = selectors.UNIT_PROJECT_LIMIT
        context["project_count"] = (
            selectors.unit_project_count(unit) if len(projects) >= selectors.UNIT_PROJECT_LIMIT else len(projects)
        )
        return context
