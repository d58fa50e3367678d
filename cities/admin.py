from django.contrib import admin
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import ownership
from core.admin import (
    RecordAdmin,
    ScopedInlineMixin,
    TranslatedAdmin,
    citation_inline,
    is_autocomplete,
    translated_search_fields,
    year_filter,
)
from core.admin_filters import CoordinatesFilter, EditableFilter, WithoutSourceFilter, missing_translation_filter

from . import selectors
from .forms import CityAdminForm
from .models import (
    BlocParticipation,
    BlocParticipationCitation,
    City,
    CityCitation,
    Country,
    CountryCitation,
    RegionalBloc,
    RegionalBlocCitation,
    Twinning,
    TwinningCitation,
)


@admin.register(Country)
class CountryAdmin(TranslatedAdmin):
    list_display = ["code", "name", "iso3", "region", "government_system", "wikidata_id"]
    list_filter = ["region", "government_system"]
    search_fields = ["code", "iso3", "wikidata_id", *translated_search_fields("name")]
    inlines = [citation_inline(CountryCitation)]


class BlocParticipationInline(ScopedInlineMixin, admin.TabularInline):
    model = BlocParticipation
    autocomplete_fields = ["country"]
    fields = ["country", "status", "founding", "start", "end"]
    extra = 0


@admin.register(RegionalBloc)
class RegionalBlocAdmin(TranslatedAdmin):
    list_display = ["acronym", "name", "founded"]
    search_fields = ["slug", "acronym", *translated_search_fields("name")]
    prepopulated_fields = {"slug": ["acronym"]}
    inlines = [BlocParticipationInline, citation_inline(RegionalBlocCitation)]


@admin.register(BlocParticipation)
class BlocParticipationAdmin(RecordAdmin):
    list_display = ["country", "bloc", "status", "founding", "start", "end"]
    list_filter = ["bloc", "status", "founding", year_filter("start", _("start year"))]
    list_select_related = ["country", "bloc"]
    autocomplete_fields = ["country", "bloc"]
    search_fields = ["country__code", *translated_search_fields("country__name")]
    inlines = [citation_inline(BlocParticipationCitation)]


@admin.register(City)
class CityAdmin(TranslatedAdmin):
    form = CityAdminForm
    list_display = [
        "name",
        "native_name",
        "country",
        "level",
        "admin_area_name",
        "admin_area",
        "population",
        "latitude",
        "longitude",
    ]
    list_filter = [
        "level",
        "country__region",
        ("country", admin.RelatedOnlyFieldListFilter),
        CoordinatesFilter,
        WithoutSourceFilter,
        missing_translation_filter("name"),
        EditableFilter,
    ]
    list_select_related = ["country"]
    search_fields = ["slug", "native_name", "wikidata_id", "=geonames_id", *translated_search_fields("name")]
    autocomplete_fields = ["country"]
    inlines = [citation_inline(CityCitation)]
    fieldsets = [
        (None, {"fields": ["name", "native_name", "slug", "level", "country", "admin_area_name", "admin_area"]}),
        (_("Population"), {"fields": ["population", "population_year"]}),
        (
            _("Location"),
            {
                "fields": ["latitude", "longitude"],
                "description": _("Coordinates from GeoNames (geonames.org, CC BY 4.0) where available."),
            },
        ),
        (_("Identifiers and web"), {"fields": ["geonames_id", "wikidata_id", "website"]}),
    ]

    def get_search_results(self, request, queryset, search_term):
        """The autocomplete ranks its candidates (exact names, the editor's network, the most
        populous first: :func:`cities.selectors.ranked_city_candidates`); the change list keeps
        its own order."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term and is_autocomplete(request):
            queryset = selectors.ranked_city_candidates(queryset, search_term, self.preferred_networks(request))
        return queryset, may_have_duplicates

    def preferred_networks(self, request) -> set[int]:
        """The networks whose member cities come first: ``?network=<id>`` when the page names
        one the user may see, else the networks the user edits (none for a curator)."""
        network = request.GET.get("network", "")
        if network.isascii() and network.isdigit():
            if ownership.is_curator(request.user) or int(network) in ownership.editable_network_ids(request.user):
                return {int(network)}
        return set(ownership.editable_network_ids(request.user))

    def autocomplete_label(self, city: City) -> str:
        """ "Santa Rosa — La Pampa, Argentina · 124,101 inhabitants": enough to tell homonyms apart."""
        place = ", ".join(str(part) for part in (city.admin_area_name, city.country) if part)
        label = f"{city} — {place}" if place else str(city)
        if city.population:
            population = gettext("%(population)s inhabitants") % {"population": intcomma(city.population)}
            label = f"{label} · {population}"
        return label


@admin.register(Twinning)
class TwinningAdmin(RecordAdmin):
    list_display = ["city_a", "city_b", "kind", "start", "end", "certainty"]
    list_filter = ["kind", "certainty", year_filter("start", _("start year"))]
    list_select_related = ["city_a", "city_b"]
    autocomplete_fields = ["city_a", "city_b"]
    search_fields = [*translated_search_fields("city_a__name"), *translated_search_fields("city_b__name")]
    inlines = [citation_inline(TwinningCitation)]
