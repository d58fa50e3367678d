"""Filters of the public browse pages of networks: the network index, a network's member list
and the summit index."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cities.models import Country, WorldRegion
from core.api.filters import InForceFilter, YearFilter
from core.browse import capitalized_choices

from . import selectors
from .models import Membership, MembershipCategory, Network, NetworkStatus, Scope, Summit, SummitKind

# Network index -----------------------------------------------------------------------------------


class NetworkBrowseFilter(django_filters.FilterSet):
    """Filters of the network index: scope, region of the secretariat and status."""

    scope = django_filters.ChoiceFilter(
        label=_("Scope"), choices=capitalized_choices(Scope.choices), empty_label=_("All scopes")
    )
    region = django_filters.ChoiceFilter(
        label=_("Region of the secretariat"),
        choices=capitalized_choices(WorldRegion.choices),
        field_name="secretariat_city__country__region",
        empty_label=_("All regions"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=capitalized_choices(NetworkStatus.choices), empty_label=_("Active or dissolved")
    )

    class Meta:
        model = Network
        fields = []


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
        label=_("Category"), choices=capitalized_choices(MembershipCategory.choices), empty_label=_("All categories")
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


# Summit index ------------------------------------------------------------------------------------


class YearNumberFilter(django_filters.NumberFilter):
    """A whole year (no decimals)."""

    field_class = forms.IntegerField


class SummitBrowseFilter(django_filters.FilterSet):
    """Filters of the summit index: network, host country, years and kind. A summit is in the
    years from ``year_from`` to ``year_to`` when its span (start to end; one of them when the
    other is unknown) shares a day with them: a summit from 2003-12-30 to 2004-01-02 is in
    2003 and in 2004."""

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
        label=_("Kind"), choices=capitalized_choices(SummitKind.choices), empty_label=_("All kinds")
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

    # Partial dates are stored as YYYYMMDD integers, 00 for the unknown parts: 2003 starts at
    # 20030000 and every date of 2003 is below 20040000. Plain comparisons of the columns, so
    # that their indexes can be used.

    def filter_year_from(self, queryset, name, value):
        """Summits that end (or, with no known end, start) in ``value`` or later."""
        first = int(value) * 10000
        return queryset.filter(Q(end__gte=first) | Q(end__isnull=True, start__gte=first))

    def filter_year_to(self, queryset, name, value):
        """Summits that start (or, with no known start, end) in ``value`` or earlier."""
        after = (int(value) + 1) * 10000
        return queryset.filter(Q(start__lt=after) | Q(start__isnull=True, end__lt=after))
