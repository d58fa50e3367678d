"""Filters of cities, countries, regional blocs and twinnings: one FilterSet per resource, for its
API endpoint and its index page (``page_filters``: the fields the page's form shows, in order;
see :class:`core.api.filters.RecordFilterSet`).

Membership of a network is reached through the relations Django gives City
(``memberships__network``): the cities app does not import the networks app."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.api.filters import (
    InForceFilter,
    KeyChoiceFilter,
    LinkCurrentFilter,
    LinkInForceFilter,
    RecordFilterSet,
    RelatedKeyFilter,
    TextFilter,
)
from core.records import LANGUAGE_CODES

from . import selectors
from .models import City, CityLevel, Country, GovernmentSystem, RegionalBloc, Twinning, TwinningKind, WorldRegion

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


class CountryFilter(RecordFilterSet):
    q = TextFilter(fields=("code", "iso3"), translated=("name",))
    region = django_filters.ChoiceFilter(choices=WorldRegion.choices)
    government_system = django_filters.CharFilter(max_length=10)
    ordering = django_filters.OrderingFilter(fields=(("code", "code"), ("sort_name", "name")))

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
    country = KeyChoiceFilter(to_field_name="code", queryset=Country.objects.all())
    level = django_filters.ChoiceFilter(choices=CityLevel.choices)
    network = RelatedKeyFilter(
        path="memberships__network", help_text=_("Cities that have ever been members of this network (its slug).")
    )
    member_at = LinkInForceFilter(
        of="network",
        help_text=_("Cities that were members of a network on this date (with network=, of that network)."),
    )
    ordering = django_filters.OrderingFilter(
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


class TwinningFilter(RecordFilterSet):
    city = KeyChoiceFilter(queryset=City.objects.all(), method="filter_city")
    kind = django_filters.ChoiceFilter(choices=TwinningKind.choices)
    at = InForceFilter()

    class Meta:
        model = Twinning
        fields = []

    def filter_city(self, queryset, name, city):
        return queryset.involving(city) if city is not None else queryset
