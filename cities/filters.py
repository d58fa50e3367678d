"""Filters of cities, countries, regional blocs and twinnings: one FilterSet per resource, for its
API endpoint and its index page (``page_filters``: the fields the page's form shows, in order;
see :class:`core.api.filters.RecordFilterSet`).

Membership of a network is reached through the relations Django gives City
(``memberships__network``): the cities app does not import the networks app."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.api.filters import (
    InForceFilter,
    KeyChoiceFilter,
    LinkCurrentFilter,
    LinkInForceFilter,
    OrderingFilter,
    RecordFilterSet,
    RelatedKeyFilter,
    TextFilter,
)
from core.queries import name_coalesce
from core.records import LANGUAGE_CODES
from sources.models import Certainty

from . import selectors
from .models import (
    City,
    CityLevel,
    Country,
    GovernmentSystem,
    RegionalBloc,
    Twinning,
    TwinningKind,
    WorldRegion,
    wikidata_validator,
)

NAME_ORDERING = tuple((f"name_{code}", f"name_{code}") for code in LANGUAGE_CODES)


def member_filters(path: str) -> dict:
    """The pages' ``network`` (a slug) and ``membership``: ``ever`` (the default) keeps the rows
    with a member city of the network at any time, ``current`` only those with a member today."""
    return {
        "network": RelatedKeyFilter(
            path=path,
            label=_("Member of network"),
            queryset=lambda request: selectors.networks_for_filter(),
            empty_label=_("Any network"),
        ),
        "membership": LinkCurrentFilter(
            of="network",
            label=_("Membership"),
            choices=[
                (LinkCurrentFilter.EVER, _("at any time")),
                (LinkCurrentFilter.CURRENT, _("today (current members)")),
            ],
        ),
    }


def wikidata_filter() -> django_filters.CharFilter:
    """``?wikidata_id=Q1489``: the record with this Wikidata identifier (validated: Q + digits)."""
    return django_filters.CharFilter(
        max_length=20,
        validators=[wikidata_validator],
        help_text=_("The record with this Wikidata identifier (e.g. Q1489)."),
    )


class NameOrderingFilter(OrderingFilter):
    """``?ordering=`` (nulls last: :class:`core.api.filters.OrderingFilter`), where ``name``
    sorts by the name in the active language with its fallbacks (``sort_name``,
    :func:`core.queries.name_coalesce`), annotated only when a request asks for it: building
    that annotation costs more than the rest of a list's query, on every request of the API's
    lists otherwise."""

    def filter(self, qs, value):
        by_name = any(part.lstrip("-") == "name" for part in value or ())
        if by_name and "sort_name" not in qs.query.annotations:
            qs = qs.annotate(sort_name=name_coalesce())
        return super().filter(qs, value)


class CountryFilter(RecordFilterSet):
    q = TextFilter(fields=("code", "iso3"), translated=("name",))
    wikidata_id = wikidata_filter()
    region = django_filters.ChoiceFilter(choices=WorldRegion.choices)
    government_system = django_filters.CharFilter(max_length=10)
    ordering = NameOrderingFilter(fields=(("code", "code"), ("sort_name", "name")))

    page_filters = {
        "q": {"label": _("Name or code")},
        "region": {"label": _("World region"), "empty_label": _("All regions")},
        # The page offers the systems as a choice: another value is an error on the form.
        "government_system": django_filters.ChoiceFilter(
            label=_("System of government"), choices=GovernmentSystem.choices, empty_label=_("Any system")
        ),
        "bloc": RelatedKeyFilter(
            path="bloc_participations__bloc",
            label=_("Regional bloc (any status, at any time)"),
            queryset=lambda request: selectors.blocs_for_filter(),
            empty_label=_("Any bloc"),
        ),
        **member_filters("cities__memberships__network"),
    }

    class Meta:
        model = Country
        fields = []


class RegionalBlocFilter(RecordFilterSet):
    q = TextFilter(fields=("slug", "acronym"), translated=("name",))

    page_filters = {"q": {"label": _("Name or acronym")}}

    class Meta:
        model = RegionalBloc
        fields = []


class CityFilter(RecordFilterSet):
    q = TextFilter(fields=("slug", "native_name"), translated=("name",))
    wikidata_id = wikidata_filter()
    country = KeyChoiceFilter(to_field_name="code", queryset=Country.objects.all())
    level = django_filters.ChoiceFilter(choices=CityLevel.choices)
    network = RelatedKeyFilter(
        path="memberships__network", help_text=_("Cities that have ever been members of this network (its slug).")
    )
    member_at = LinkInForceFilter(
        of="network",
        help_text=_("Cities that were members of a network on this date (with network=, of that network)."),
    )
    ordering = NameOrderingFilter(
        fields=(("slug", "slug"), ("sort_name", "name"), ("population", "population"), ("updated_at", "updated_at"))
    )

    page_filters = {
        "q": {"label": _("Name")},
        "country": {
            "label": _("Country"),
            "queryset": lambda request: selectors.city_countries(),
            "empty_label": _("All countries"),
        },
        "level": {"label": _("Level"), "empty_label": _("All levels")},
        **member_filters("memberships__network"),
    }

    class Meta:
        model = City
        fields = []


class DecadeField(forms.IntegerField):
    """A decade given by its first year: 1990 for 1990–1999."""

    default_error_messages = {"decade": _("Give a decade by its first year, a multiple of 10 (e.g. 1990).")}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1000)
        kwargs.setdefault("max_value", 9990)
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value is not None and value % 10:
            raise forms.ValidationError(self.error_messages["decade"], code="decade")


def in_decade(queryset, decade):
    """The twinnings signed in the decade starting in ``decade`` (an int, or its text); an
    undated one is in none."""
    if decade in (None, ""):
        return queryset
    decade = int(decade)
    return queryset.filter(start__year__gte=decade, start__year__lte=decade + 9)


@extend_schema_field(OpenApiTypes.INT)
class DecadeFilter(django_filters.NumberFilter):
    """``?decade=1990``: agreements signed from 1990 to 1999 (undated ones never match)."""

    field_class = DecadeField

    def filter(self, queryset, value):
        return in_decade(queryset, value)


class DecadeChoiceFilter(django_filters.ChoiceFilter):
    """The page's decade: a choice among the decades with a dated twinning ("1990–1999"), read
    once per request, when the form field is built."""

    @property
    def field(self):
        if not hasattr(self, "_field"):
            self.extra["choices"] = [(decade, f"{decade}–{decade + 9}") for decade in selectors.twinning_decades()]
        return super().field

    def filter(self, queryset, value):
        return in_decade(queryset, value)


class BothMembersFilter(RelatedKeyFilter):
    """``?network=<slug>``: twinnings of two cities that have both been members of that network
    (each at some time, not necessarily the same)."""

    def __init__(self, **kwargs):
        super().__init__(path="city_a__memberships__network", **kwargs)

    def linked(self, queryset, links):
        members = links.values("city")
        return queryset.filter(city_a__in=members, city_b__in=members)


class TwinningFilter(RecordFilterSet):
    city = KeyChoiceFilter(
        queryset=City.objects.all(),
        method="filter_city",
        help_text=_("Twinnings of this city (its slug), whichever side it is recorded on."),
    )
    country = KeyChoiceFilter(
        to_field_name="code",
        queryset=Country.objects.all(),
        method="filter_country",
        help_text=_("Twinnings with a city of this country (ISO 3166-1 code) on either side."),
    )
    network = BothMembersFilter(help_text=_("Twinnings whose two cities have both been members of this network."))
    decade = DecadeFilter(help_text=_("Twinnings signed in this decade, given by its first year (e.g. 1990)."))
    kind = django_filters.ChoiceFilter(choices=TwinningKind.choices)
    certainty = django_filters.ChoiceFilter(choices=Certainty.choices)
    at = InForceFilter()

    page_filters = {
        "country": {
            "label": _("Country (either city)"),
            "queryset": lambda request: selectors.twinning_countries(),
            "empty_label": _("All countries"),
        },
        "network": {
            "label": _("Both cities members of"),
            "queryset": lambda request: selectors.networks_for_filter(),
            "empty_label": _("Any network"),
        },
        "decade": DecadeChoiceFilter(label=_("Signed in the decade"), empty_label=_("Any decade")),
        "kind": {"label": _("Kind"), "empty_label": _("All kinds")},
    }

    class Meta:
        model = Twinning
        fields = []

    def filter_city(self, queryset, name, city):
        return queryset.involving(city) if city is not None else queryset

    def filter_country(self, queryset, name, country):
        if country is None:
            return queryset
        return queryset.filter(Q(city_a__country=country) | Q(city_b__country=country))
