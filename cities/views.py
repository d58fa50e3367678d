"""Public pages of cities, countries and regional blocs: indexes with filters, pagination and CSV,
and one page per record. Reads live in :mod:`cities.selectors`; every page runs a fixed number
of queries whatever the size of the tables."""

from __future__ import annotations

from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from core import composition, jsonld
from core.asof import AsOfMixin
from core.browse import BrowseListView, Column, linked, sources_column
from core.records import WIKIDATA_URL
from core.templatetags.paradiplo import acronym, record_link
from sources.models import Certainty

from . import selectors
from .admin_areas import looks_like_code
from .filters import CityFilter, CountryFilter, RegionalBlocFilter, TwinningFilter
from .models import BlocStatus, City, CityLevel, Country, RegionalBloc, Twinning

GEONAMES_URL = "https://www.geonames.org/{}"


def _country_code(record):
    country = getattr(record, "country", None)
    return country.code if country is not None else ""


def city_identifiers(record: City | Country) -> list[dict]:
    """A city's or a country's external identifiers as links: [{label, value, url}]."""
    identifiers = []
    if record.wikidata_id:
        identifiers.append(
            {"label": "Wikidata", "value": record.wikidata_id, "url": WIKIDATA_URL.format(record.wikidata_id)}
        )
    if record.geonames_id:
        identifiers.append(
            {"label": "GeoNames", "value": record.geonames_id, "url": GEONAMES_URL.format(record.geonames_id)}
        )
    return identifiers


# Cities ------------------------------------------------------------------------------------------


def _city_name(city: City) -> str:
    other = city.native_name if city.native_name and city.native_name != city.name else ""
    return format_html(
        "{}{}", record_link(city), format_html(' <small class="other-names">{}</small>', other) if other else ""
    )


def _population(city: City) -> str:
    if not city.population:
        return "—"
    year = format_html(" <small>({})</small>", city.population_year) if city.population_year else ""
    return format_html("{}{}", intcomma(city.population), year)


class CityListView(BrowseListView):
    """``/xx/cities/``: every city and other subnational government, filtered and paginated."""

    model = City
    filterset_class = CityFilter
    context_object_name = "cities"
    page_title = _("Cities and regions")
    csv_filename = "cities"
    columns = [
        Column(csv_header=_("slug"), value="slug"),
        Column(_("Name"), _("name"), str, cell=_city_name, row_header=True),
        Column(csv_header=_("official name"), value="native_name"),
        Column(_("Country"), _("country code"), _country_code, cell=linked("country")),
        Column(_("Level"), _("level"), "level", cell="get_level_display"),
        Column(csv_header=_("first-level area"), value="admin_area"),
        Column(csv_header=_("latitude"), value="latitude"),
        Column(csv_header=_("longitude"), value="longitude"),
        Column(_("Population"), _("population"), "population", cell=_population, numeric=True),
        Column(csv_header=_("population year"), value="population_year"),
        Column(csv_header=_("GeoNames id"), value="geonames_id"),
        Column(csv_header=_("Wikidata id"), value="wikidata_id"),
        Column(_("Networks today"), value="current_networks", numeric=True),
        sources_column(),
    ]

    def get_queryset(self):
        # The download streams every filtered row: no counts, no sources.
        return selectors.city_csv_rows() if self.wants_csv() else selectors.city_rows()


class CityDetailView(AsOfMixin, TemplateView):
    """``/xx/cities/<slug>/``: a city's profile: its networks over time, the offices it held, the
    summits it hosted, its projects and partners, its twinnings, its place on the map.

    ``?at=1995-11-11`` (or ``1995-11``, ``1995``) shows its memberships and offices as of that
    date and the summits it hosted by then (:mod:`core.asof`; the networks app contributes
    them)."""

    template_name = "cities/city_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            city = selectors.city_profile(self.kwargs["slug"])
        except City.DoesNotExist:
            raise Http404(gettext("No city found with this identifier.")) from None
        context.update(
            city=city,
            page_title=str(city),
            twinnings=selectors.city_twinnings(city, self.as_of),
            identifiers=city_identifiers(city),
            admin_area_is_code=looks_like_code(city.admin_area),
            map_points=self.map_points(city),
        )
        # memberships, current_memberships, offices, summits, secretariats (networks), projects
        context.update(composition.context("cities.city_profile", city, at=self.as_of))
        if self.as_of:
            context["cite_title"] = gettext("%(city)s, as of %(date)s") % {"city": city, "date": self.as_of.display()}
        same_as = [identifier["url"] for identifier in city_identifiers(city)] + (
            [city.website] if city.website else []
        )
        context["structured_data"] = jsonld.city_data(
            city,
            self.request.build_absolute_uri,
            administrative_area=city.level == CityLevel.INTERMEDIATE,
            same_as=same_as,
        )
        return context

    def map_points(self, city: City) -> list[dict]:
        if not city.has_coordinates:
            return []
        return [{"name": str(city), "lat": float(city.latitude), "lon": float(city.longitude), "url": ""}]


# Twinnings --------------------------------------------------------------------------------------


def _twinned_city(side: str):
    """A twinning's city on ``side`` ("city_a" or "city_b") as a link, with its country."""

    def cell(twinning: Twinning) -> str:
        city = getattr(twinning, side)
        country = format_html(" <small>({})</small>", city.country.code) if city.country_id else ""
        return format_html("{}{}", record_link(city), country)

    return cell


def _certainty(twinning: Twinning) -> str:
    """The evidence level, said only when the agreement is not stated outright."""
    return "" if twinning.certainty == Certainty.STATED else twinning.get_certainty_display()


class TwinningListView(BrowseListView):
    """``/xx/twinnings/``: agreements between two cities (twinning, sister cities, friendship,
    cooperation), filtered by country, by a network both cities belong to, by decade and kind."""

    model = Twinning
    filterset_class = TwinningFilter
    context_object_name = "twinnings"
    page_title = _("Twinnings")
    csv_filename = "twinnings"
    columns = [
        Column(_("City"), _("city slug"), "city_a.slug", cell=_twinned_city("city_a"), row_header=True),
        Column(csv_header=_("city name"), value=lambda twinning: str(twinning.city_a)),
        Column(csv_header=_("city country code"), value=lambda twinning: _country_code(twinning.city_a)),
        Column(_("Partner city"), _("partner city slug"), "city_b.slug", cell=_twinned_city("city_b")),
        Column(csv_header=_("partner city name"), value=lambda twinning: str(twinning.city_b)),
        Column(csv_header=_("partner country code"), value=lambda twinning: _country_code(twinning.city_b)),
        Column(_("Kind"), _("kind"), "kind", cell=lambda twinning: capfirst(twinning.get_kind_display())),
        Column(_("Since"), _("since"), "start", cell="start.display"),
        Column(_("Until"), _("until"), "end", cell="end.display"),
        Column(_("Certainty"), _("certainty"), "certainty", cell=_certainty),
        sources_column(),
    ]

    def get_queryset(self):
        return selectors.twinning_rows()

    def csv_download(self, queryset):
        # The download streams every filtered row: no sources (a page with errors keeps them).
        return super().csv_download(selectors.twinning_csv_rows(queryset))


# Countries --------------------------------------------------------------------------------------


def _current_blocs(country: Country) -> str:
    parts = [
        format_html(
            '<a href="{}">{}</a>{}',
            participation.bloc.get_absolute_url(),
            participation.bloc,
            "" if participation.status == BlocStatus.MEMBER else f" ({participation.get_status_display()})",
        )
        for participation in country.current_blocs
    ]
    return format_html_join(", ", "{}", ((part,) for part in parts)) if parts else "—"


def _city_count(country: Country) -> str:
    if not country.city_count:
        return "0"
    return format_html(
        '<a href="{}?country={}">{}<span class="visually-hidden"> {}</span></a>',
        reverse("city-list"),
        country.code,
        intcomma(country.city_count),
        gettext("cities of %(name)s") % {"name": country.name},
    )


class CountryListView(BrowseListView):
    """``/xx/countries/``: countries, their cities recorded and their member cities today."""

    model = Country
    filterset_class = CountryFilter
    context_object_name = "countries"
    page_title = _("Countries")
    csv_filename = "countries"
    columns = [
        Column(_("Country"), cell=record_link, row_header=True),
        Column(_("Code"), _("code"), "code"),
        Column(csv_header=_("ISO 3166-1 alpha-3 code"), value="iso3"),
        Column(csv_header=_("name"), value=str),
        Column(_("World region"), _("world region"), "region", cell="get_region_display"),
        Column(
            _("System of government"),
            _("system of government"),
            "government_system",
            cell="get_government_system_display",
        ),
        Column(_("Regional blocs today"), cell=_current_blocs),
        Column(_("Cities recorded"), _("cities recorded"), "city_count", cell=_city_count, numeric=True),
        Column(
            _("Member cities today"),
            _("member cities today"),
            "member_city_count",
            numeric=True,
        ),
        sources_column(),
    ]

    def get_queryset(self):
        rows = selectors.country_rows()
        return selectors.country_csv_rows(rows) if self.wants_csv() else rows


class CountryDetailView(TemplateView):
    """``/xx/countries/<code>/``: a country's system of government and rules on subnational
    international action, its regional blocs over time, its cities and their networks. A
    lower-case code redirects to the upper-case address."""

    template_name = "cities/country_detail.html"

    def get(self, request, *args, **kwargs):
        code = self.kwargs["code"]
        if code != code.upper() and len(code) == 2 and code.isascii() and code.isalpha():
            return redirect(reverse("country-detail", kwargs={"code": code.upper()}), permanent=True)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            country = selectors.country_profile(self.kwargs["code"])
        except Country.DoesNotExist:
            raise Http404(gettext("No country found with this code.")) from None
        context.update(
            country=country,
            page_title=str(country),
            blocs=selectors.country_blocs(country),
            city_count=selectors.country_city_count(country),
            # cities, city_limit, member_city_total and networks, from the networks app
            **composition.context("cities.country_profile", country),
            city_list_url=f"{reverse('city-list')}?{urlencode({'country': country.code})}",
            identifiers=city_identifiers(country),
        )
        context["structured_data"] = jsonld.country_data(
            country,
            self.request.build_absolute_uri,
            same_as=[identifier["url"] for identifier in context["identifiers"]],
        )
        return context


# Regional blocs ---------------------------------------------------------------------------------


def _bloc_name(bloc: RegionalBloc) -> str:
    return format_html("{}{}", record_link(bloc), acronym(bloc))


class BlocListView(BrowseListView):
    """``/xx/blocs/``: regional integration blocs and their member states today."""

    model = RegionalBloc
    filterset_class = RegionalBlocFilter
    template_name = "cities/bloc_list.html"
    context_object_name = "blocs"
    page_title = _("Regional blocs")
    csv_filename = "regional-blocs"
    columns = [
        Column(csv_header=_("slug"), value="slug"),
        Column(csv_header=_("acronym"), value="acronym"),
        Column(_("Regional bloc"), _("name"), lambda bloc: bloc.name or "", cell=_bloc_name, row_header=True),
        Column(_("Founded"), _("founded"), "founded", cell="founded.display"),
        Column(_("Member states today"), _("member states today"), "current_members", numeric=True),
        Column(_("Countries recorded"), _("countries recorded"), "countries_recorded", numeric=True),
        Column(csv_header=_("website"), value="website"),
        sources_column(),
    ]

    def get_queryset(self):
        rows = selectors.bloc_rows()
        return selectors.bloc_csv_rows(rows) if self.wants_csv() else rows


class BlocDetailView(TemplateView):
    """``/xx/blocs/<slug>/``: a regional bloc and its member countries over time."""

    template_name = "cities/bloc_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            bloc = selectors.bloc_profile(self.kwargs["slug"])
        except RegionalBloc.DoesNotExist:
            raise Http404(gettext("No regional bloc found with this identifier.")) from None
        participations = selectors.bloc_participations(bloc)
        context.update(
            bloc=bloc,
            page_title=bloc.name or bloc.acronym or bloc.slug,
            participations=participations,
            current=[row for row in participations if row.in_force],
        )
        members = [row.country for row in context["current"] if row.status == BlocStatus.MEMBER]
        context["structured_data"] = jsonld.bloc_data(bloc, self.request.build_absolute_uri, members=members)
        return context
