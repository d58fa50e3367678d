"""Filters of the public index pages of cities, countries and regional blocs (the API's are in
:mod:`cities.filters`). An invalid value is reported on the form and left out of the filtering."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from core.api.filters import TextFilter

from . import selectors
from .models import BlocParticipation, City, CityLevel, Country, GovernmentSystem, RegionalBloc, WorldRegion


class MembershipChoice:
    EVER = "ever"
    CURRENT = "current"
    CHOICES = [(EVER, _("at any time")), (CURRENT, _("today (current members)"))]


def network_member_filters():
    """``network`` (a slug) and ``membership``: ``ever`` (the default) keeps the rows with a
    member city of the network at any time, ``current`` only those with a member today. Made
    afresh for each FilterSet, so that they come after its own filters on the form."""
    network = django_filters.ModelChoiceFilter(
        label=_("Member of network"),
        queryset=lambda request: selectors.networks_for_filter(),
        to_field_name="slug",
        empty_label=_("Any network"),
        method="filter_network",
    )
    membership = django_filters.ChoiceFilter(
        label=_("Membership"),
        choices=MembershipChoice.CHOICES,
        empty_label=None,
        method="filter_membership",
    )
    return network, membership


class NetworkMemberFilterMixin:
    #: what of the membership the filtered rows are ("city" for cities, "city__country")
    member_value = "city"

    def filter_network(self, queryset, name, network):
        if network is None:
            return queryset
        current = self.form.cleaned_data.get("membership") == MembershipChoice.CURRENT
        memberships = selectors.network_memberships(network, current=current)
        return queryset.filter(pk__in=memberships.values(self.member_value))

    def filter_membership(self, queryset, name, value):
        return queryset  # read by filter_network


class CityBrowseFilter(NetworkMemberFilterMixin, django_filters.FilterSet):
    q = TextFilter(label=_("Name"), help_text="", fields=("slug", "native_name"), translated=("name",))
    country = django_filters.ModelChoiceFilter(
        label=_("Country"),
        queryset=lambda request: selectors.city_countries(),
        to_field_name="code",
        empty_label=_("All countries"),
    )
    level = django_filters.ChoiceFilter(label=_("Level"), choices=CityLevel.choices, empty_label=_("All levels"))
    network, membership = network_member_filters()

    class Meta:
        model = City
        fields = []


class CountryBrowseFilter(NetworkMemberFilterMixin, django_filters.FilterSet):
    q = TextFilter(label=_("Name or code"), help_text="", fields=("code", "iso3"), translated=("name",))
    region = django_filters.ChoiceFilter(
        label=_("World region"), choices=WorldRegion.choices, empty_label=_("All regions")
    )
    government_system = django_filters.ChoiceFilter(
        label=_("System of government"), choices=GovernmentSystem.choices, empty_label=_("Any system")
    )
    bloc = django_filters.ModelChoiceFilter(
        label=_("Regional bloc (any status, at any time)"),
        queryset=lambda request: selectors.blocs_for_filter(),
        to_field_name="slug",
        empty_label=_("Any bloc"),
        method="filter_bloc",
    )
    network, membership = network_member_filters()

    member_value = "city__country"

    class Meta:
        model = Country
        fields = []

    def filter_bloc(self, queryset, name, bloc):
        if bloc is None:
            return queryset
        return queryset.filter(pk__in=BlocParticipation.objects.filter(bloc=bloc).values("country"))


class BlocBrowseFilter(django_filters.FilterSet):
    q = TextFilter(label=_("Name or acronym"), help_text="", fields=("slug", "acronym"), translated=("name",))

    class Meta:
        model = RegionalBloc
        fields = []
