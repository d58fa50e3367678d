import django_filters
from django.utils.translation import gettext_lazy as _

from core.api.filters import InForceFilter, KeyChoiceFilter, PartialDateFilter, RecordFilterSet, TextFilter
from core.records import LANGUAGE_CODES
from networks.models import Membership, Network

from .models import City, CityLevel, Country, RegionalBloc, Twinning, TwinningKind, WorldRegion

NAME_ORDERING = tuple((f"name_{code}", f"name_{code}") for code in LANGUAGE_CODES)


class CountryFilter(RecordFilterSet):
    q = TextFilter(fields=("code", "iso3"), translated=("name",))
    region = django_filters.ChoiceFilter(choices=WorldRegion.choices)
    government_system = django_filters.CharFilter(max_length=10)
    ordering = django_filters.OrderingFilter(fields=(("code", "code"), ("sort_name", "name")))

    class Meta:
        model = Country
        fields = []


class RegionalBlocFilter(RecordFilterSet):
    q = TextFilter(fields=("slug", "acronym"), translated=("name",))

    class Meta:
        model = RegionalBloc
        fields = []


class CityFilter(RecordFilterSet):
    q = TextFilter(fields=("slug", "native_name"), translated=("name",))
    country = KeyChoiceFilter(to_field_name="code", queryset=Country.objects.all())
    level = django_filters.ChoiceFilter(choices=CityLevel.choices)
    network = KeyChoiceFilter(
        queryset=Network.objects.all(),
        method="filter_network",
        help_text=_("Cities that have ever been members of this network (its slug)."),
    )
    member_at = PartialDateFilter(
        method="filter_member_at",
        help_text=_("Cities that were members of a network on this date (with network=, of that network)."),
    )
    ordering = django_filters.OrderingFilter(
        fields=(("slug", "slug"), ("sort_name", "name"), ("population", "population"), ("updated_at", "updated_at"))
    )

    class Meta:
        model = City
        fields = []

    def filter_network(self, queryset, name, network):
        if network is None or self.form.cleaned_data.get("member_at"):
            return queryset  # combined with member_at below
        return queryset.filter(pk__in=Membership.objects.filter(network=network).values("city"))

    def filter_member_at(self, queryset, name, value):
        if value is None:
            return queryset
        memberships = Membership.objects.all()
        network = self.form.cleaned_data.get("network")
        if network is not None:
            memberships = memberships.filter(network=network)
        if value.precision == "day":
            memberships = memberships.as_of(value.lower)
        else:
            memberships = memberships.during(value.lower, value.upper)
        return queryset.filter(pk__in=memberships.values("city"))


class TwinningFilter(RecordFilterSet):
    city = KeyChoiceFilter(queryset=City.objects.all(), method="filter_city")
    kind = django_filters.ChoiceFilter(choices=TwinningKind.choices)
    at = InForceFilter()

    class Meta:
        model = Twinning
        fields = []

    def filter_city(self, queryset, name, city):
        return queryset.involving(city) if city is not None else queryset
