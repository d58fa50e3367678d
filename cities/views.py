"""Public pages of cities, countries and regional blocs: indexes with filters, pagination and CSV,
and one page per record. Reads live in :mod:`cities.selectors`; every page runs a fixed number
of queries whatever the size of the tables."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from core import composition
from core.browse import BrowseListView
from core.records import WIKIDATA_URL

from . import selectors
from .filtersets import BlocBrowseFilter, CityBrowseFilter, CountryBrowseFilter
from .models import BlocStatus, City, CityLevel, Country, RegionalBloc

GEONAMES_URL = "https://www.geonames.org/{}"


def _country_code(record):
    country = getattr(record, "country", None)
    return country.code if country is not None else ""


def city_identifiers(city: City) -> list[dict]:
    """The city's external identifiers as links: [{label, value, url}]."""
    identifiers = []
    if city.wikidata_id:
        identifiers.append(
            {"label": "Wikidata", "value": city.wikidata_id, "url": WIKIDATA_URL.format(city.wikidata_id)}
        )
    if city.geonames_id:
        identifiers.append(
            {"label": "GeoNames", "value": city.geonames_id, "url": GEONAMES_URL.format(city.geonames_id)}
        )
    return identifiers


def looks_like_code(value: str) -> bool:
    """Whether a first-level area is a GeoNames admin1 code ("10", "ZH") rather than a name."""
    return bool(value) and len(value) <= 3 and value.isalnum() and (value.isdigit() or value.isupper())


# Cities ------------------------------------------------------------------------------------------


class CityListView(BrowseListView):
    """``/xx/cities/``: every city and other subnational government, filtered and paginated."""

    model = City
    filterset_class = CityBrowseFilter
    template_name = "cities/city_list.html"
    context_object_name = "cities"
    page_title = _("Cities and regions")
    csv_filename = "cities"
    csv_columns = [
        (_("slug"), "slug"),
        (_("name"), lambda city: str(city)),
        (_("official name"), "native_name"),
        (_("country code"), _country_code),
        (_("level"), "level"),
        (_("first-level area"), "admin_area"),
        (_("latitude"), "latitude"),
        (_("longitude"), "longitude"),
        (_("population"), "population"),
        (_("population year"), "population_year"),
        (_("GeoNames id"), "geonames_id"),
        (_("Wikidata id"), "wikidata_id"),
    ]

    def get_queryset(self):
        # The download streams every filtered row: no counts, no sources.
        return selectors.city_csv_rows() if self.wants_csv() else selectors.city_rows()


class CityDetailView(TemplateView):
    """``/xx/cities/<slug>/``: a city's profile: its networks over time, the offices it held, the
    summits it hosted, its projects and partners, its twinnings, its place on the map."""

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
            twinnings=selectors.city_twinnings(city),
            identifiers=city_identifiers(city),
            admin_area_is_code=looks_like_code(city.admin_area),
            map_points=self.map_points(city),
        )
        # memberships, current_memberships, offices, summits, secretariats (networks), projects
        context.update(composition.context("cities.city_profile", city))
        context["structured_data"] = self.place_data(city)
        return context

    def map_points(self, city: City) -> list[dict]:
        if not city.has_coordinates:
            return []
        return [{"name": str(city), "lat": float(city.latitude), "lon": float(city.longitude), "url": ""}]

    def place_data(self, city: City) -> dict:
        """schema.org ``City`` (a municipality or metropolitan government) or
        ``AdministrativeArea`` (a province, state, department or region), with its coordinates,
        country and external identifiers as ``sameAs``."""
        data = {
            "@context": "https://schema.org",
            "@type": "AdministrativeArea" if city.level == CityLevel.INTERMEDIATE else "City",
            "name": str(city),
            "url": self.request.build_absolute_uri(city.get_absolute_url()),
        }
        if city.native_name and city.native_name != str(city):
            data["alternateName"] = city.native_name
        if city.has_coordinates:
            data["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(city.latitude),
                "longitude": float(city.longitude),
            }
        if city.country_id:
            data["containedInPlace"] = {
                "@type": "Country",
                "name": str(city.country),
                "identifier": city.country.code,
                "url": self.request.build_absolute_uri(city.country.get_absolute_url()),
            }
        same_as = [identifier["url"] for identifier in city_identifiers(city)]
        if city.website:
            same_as.append(city.website)
        if same_as:
            data["sameAs"] = same_as
        return data


# Countries --------------------------------------------------------------------------------------


class CountryListView(BrowseListView):
    """``/xx/countries/``: countries, their cities recorded and their member cities today."""

    model = Country
    filterset_class = CountryBrowseFilter
    template_name = "cities/country_list.html"
    context_object_name = "countries"
    page_title = _("Countries")
    csv_filename = "countries"
    csv_columns = [
        (_("code"), "code"),
        (_("ISO 3166-1 alpha-3 code"), "iso3"),
        (_("name"), lambda country: str(country)),
        (_("world region"), "region"),
        (_("system of government"), "government_system"),
        (_("cities recorded"), "city_count"),
        (_("member cities today"), "member_city_count"),
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
        )
        context["structured_data"] = self.country_data(country)
        return context

    def country_data(self, country: Country) -> dict:
        data = {
            "@context": "https://schema.org",
            "@type": "Country",
            "name": str(country),
            "identifier": country.code,
            "url": self.request.build_absolute_uri(country.get_absolute_url()),
        }
        if country.geonames_id:
            data["sameAs"] = [GEONAMES_URL.format(country.geonames_id)]
        return data


# Regional blocs ---------------------------------------------------------------------------------


class BlocListView(BrowseListView):
    """``/xx/blocs/``: regional integration blocs and their member states today."""

    model = RegionalBloc
    filterset_class = BlocBrowseFilter
    template_name = "cities/bloc_list.html"
    context_object_name = "blocs"
    page_title = _("Regional blocs")
    csv_filename = "regional-blocs"
    csv_columns = [
        (_("slug"), "slug"),
        (_("acronym"), "acronym"),
        (_("name"), lambda bloc: bloc.name or ""),
        (_("founded"), "founded"),
        (_("member states today"), "current_members"),
        (_("countries recorded"), "countries_recorded"),
        (_("website"), "website"),
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
        context["structured_data"] = self.bloc_data(bloc, context["current"])
        return context

    def bloc_data(self, bloc: RegionalBloc, current) -> dict:
        data = {
            "@context": "https://schema.org",
            "@type": "GovernmentOrganization",
            "name": bloc.name or str(bloc),
            "url": self.request.build_absolute_uri(bloc.get_absolute_url()),
        }
        if bloc.acronym:
            data["alternateName"] = bloc.acronym
        if bloc.founded:
            data["foundingDate"] = bloc.founded.isoformat()
        if bloc.website:
            data["sameAs"] = bloc.website
        members = [row.country for row in current if row.status == BlocStatus.MEMBER]
        if members:
            data["member"] = [
                {
                    "@type": "Country",
                    "name": str(country),
                    "identifier": country.code,
                    "url": self.request.build_absolute_uri(country.get_absolute_url()),
                }
                for country in members
            ]
        return data
