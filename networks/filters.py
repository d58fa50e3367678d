"""Filters of networks, memberships, governing bodies, thematic units, offices, summits and
membership figures: one FilterSet per resource, for its API endpoint and its page
(``page_filters``: the fields the page's form shows, in order; see
:class:`core.api.filters.RecordFilterSet`): the network index, a network's member list and the
summit index."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cities.models import City, Country, WorldRegion
from core.api.filters import (
    InForceFilter,
    IntegerFilter,
    KeyChoiceFilter,
    OrderingFilter,
    RecordFilterSet,
    TextFilter,
    YearFilter,
)
from core.browse import capitalized_choices
from sources.models import Certainty

from . import selectors
from .models import (
    BodyKind,
    GoverningBody,
    Membership,
    MembershipCategory,
    MembershipFigure,
    Network,
    NetworkStatus,
    Office,
    Role,
    Scope,
    Summit,
    SummitKind,
    ThematicUnit,
    UnitKind,
)

NAME_ORDERING = (("sort_name", "name"), ("updated_at", "updated_at"))


class NetworkFilter(RecordFilterSet):
    q = TextFilter(fields=("slug", "acronym"), translated=("name",))
    scope = django_filters.ChoiceFilter(choices=Scope.choices)
    status = django_filters.ChoiceFilter(choices=NetworkStatus.choices)
    region = django_filters.ChoiceFilter(
        choices=WorldRegion.choices,
        field_name="secretariat_city__country__region",
        help_text=_("World region of the network's secretariat."),
    )
    founded_from = YearFilter("founded", "gte", label=_("founded from (year)"))
    founded_to = YearFilter("founded", "lte", label=_("founded until (year)"))
    member = KeyChoiceFilter(
        queryset=City.objects.all(),
        method="filter_member",
        help_text=_("Networks that this city (its slug) has been a member of."),
    )
    parent = KeyChoiceFilter(queryset=Network.objects.all())
    ordering = OrderingFilter(fields=(("slug", "slug"), ("founded", "founded"), *NAME_ORDERING))

    # The index's region is that of the secretariat city, as in the API: a network has no region
    # of its own, and its members' would put a global network such as C40 in every region.
    page_filters = {
        "scope": {"label": _("Scope"), "choices": capitalized_choices(Scope.choices), "empty_label": _("All scopes")},
        "region": {
            "label": _("Region of the secretariat"),
            "choices": capitalized_choices(WorldRegion.choices),
            "empty_label": _("All regions"),
        },
        "status": {
            "label": _("Status"),
            "choices": capitalized_choices(NetworkStatus.choices),
            "empty_label": _("Active or dissolved"),
        },
    }

    class Meta:
        model = Network
        fields = []

    def filter_member(self, queryset, name, city):
        # Stated memberships only: a probable one does not make the city a member.
        members = selectors.stated_memberships().filter(city=city)
        return queryset.filter(pk__in=members.values("network")) if city else queryset


class CurrentFilter(django_filters.BooleanFilter):
    """A checkbox: ticked keeps the counted members of today only (stated and in force:
    :func:`networks.selectors.counted_memberships`)."""

    field_class = forms.BooleanField

    def __init__(self, **kwargs):
        super().__init__(widget=forms.CheckboxInput, **kwargs)

    def filter(self, queryset, value):
        return queryset.filter(selectors.COUNTED).current() if value else queryset


class MembershipFilter(RecordFilterSet):
    network = KeyChoiceFilter(queryset=Network.objects.all())
    city = KeyChoiceFilter(queryset=City.objects.all())
    country = KeyChoiceFilter(to_field_name="code", queryset=Country.objects.all(), field_name="city__country")
    category = django_filters.ChoiceFilter(choices=MembershipCategory.choices)
    founding = django_filters.BooleanFilter()
    certainty = django_filters.ChoiceFilter(
        choices=Certainty.choices,
        help_text=_(
            "Evidence level: stated (a source says so), probable or uncertain. Without it, every level is "
            "returned, each labelled in its certainty field."
        ),
    )
    at = InForceFilter(help_text=_("Who was a member on this date (YYYY-MM-DD), or at any time in this month or year."))
    joined_from = YearFilter("start", "gte", label=_("joined from (year)"))
    joined_to = YearFilter("start", "lte", label=_("joined until (year)"))
    left_from = YearFilter("end", "gte", label=_("left from (year)"))
    left_to = YearFilter("end", "lte", label=_("left until (year)"))
    q = TextFilter(fields=("city__slug", "city__native_name"), translated=("city__name",))
    ordering = OrderingFilter(
        fields=(("start", "start"), ("end", "end"), ("city__slug", "city"), ("updated_at", "updated_at"))
    )

    # A network's member list (its countries are set with the network). ``at`` takes a date at
    # any precision: 2003-05-11 (members on that day), 2003-05 or 2003 (at any time then). The
    # joined years are those of the recorded joining dates.
    page_filters = {
        "country": {"label": _("Country"), "empty_label": _("All countries")},
        "category": {
            "label": _("Category"),
            "choices": capitalized_choices(MembershipCategory.choices),
            "empty_label": _("All categories"),
        },
        "founding": django_filters.ChoiceFilter(
            label=_("Founding members"),
            choices=[("true", _("Founding members only")), ("false", _("Members that joined later"))],
            empty_label=_("Founding or not"),
            method="filter_founding",
        ),
        "at": {
            "label": _("Members on (YYYY, YYYY-MM or YYYY-MM-DD)"),
            "help_text": _("The cities that were members on this day, or at any time in this month or year."),
        },
        "joined_from": {"label": _("Joined from (year)")},
        "joined_to": {"label": _("Joined until (year)")},
        "current": CurrentFilter(label=_("Current members only")),
    }
    year_ranges = (("joined_from", "joined_to"),)

    class Meta:
        model = Membership
        fields = []

    def __init__(self, *args, network: Network | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network
        if network is not None and not self.api:
            self.filters["country"].queryset = selectors.member_countries(network)

    def filter_founding(self, queryset, name, value):
        return queryset.filter(founding=value == "true")


class GoverningBodyFilter(RecordFilterSet):
    network = KeyChoiceFilter(queryset=Network.objects.all())
    kind = django_filters.ChoiceFilter(choices=BodyKind.choices)
    at = InForceFilter()
    q = TextFilter(fields=("slug",), translated=("name",))

    class Meta:
        model = GoverningBody
        fields = []


class ThematicUnitFilter(RecordFilterSet):
    network = KeyChoiceFilter(queryset=Network.objects.all())
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices)
    at = InForceFilter()
    q = TextFilter(fields=("slug", "acronym"), translated=("name",))
    ordering = OrderingFilter(fields=(("slug", "slug"), *NAME_ORDERING))

    class Meta:
        model = ThematicUnit
        fields = []


class OfficeFilter(RecordFilterSet):
    network = KeyChoiceFilter(queryset=Network.objects.all())
    body = django_filters.CharFilter(field_name="body__slug", max_length=80, help_text=_("Governing body slug."))
    thematic_unit = django_filters.CharFilter(
        field_name="thematic_unit__slug", max_length=80, help_text=_("Thematic unit slug.")
    )
    city = KeyChoiceFilter(queryset=City.objects.all())
    role = django_filters.ChoiceFilter(choices=Role.choices)
    certainty = django_filters.ChoiceFilter(
        choices=Certainty.choices,
        help_text=_(
            "Evidence level: stated (a source says so), probable or uncertain. Without it, every level is "
            "returned, each labelled in its certainty field."
        ),
    )
    at = InForceFilter(
        help_text=_("Who held the office on this date (YYYY-MM-DD), or at any time in this month or year.")
    )
    q = TextFilter(fields=("person", "city__slug"), translated=("city__name",))
    ordering = OrderingFilter(fields=(("start", "start"), ("end", "end"), ("updated_at", "updated_at")))

    class Meta:
        model = Office
        fields = []


class SummitFilter(RecordFilterSet):
    network = KeyChoiceFilter(queryset=Network.objects.all())
    host_city = KeyChoiceFilter(queryset=City.objects.all())
    country = KeyChoiceFilter(to_field_name="code", queryset=Country.objects.all(), field_name="host_city__country")
    kind = django_filters.ChoiceFilter(choices=SummitKind.choices)
    year_from = YearFilter("start", "gte", label=_("from (year)"))
    year_to = YearFilter("start", "lte", label=_("until (year)"))
    q = TextFilter(fields=("slug",), translated=("name", "motto"))
    ordering = OrderingFilter(fields=(("start", "start"), ("number", "number"), ("updated_at", "updated_at")))

    # The summit index. Its years are not the API's start years: a summit is in the years from
    # year_from to year_to when its span (start to end; one of them when the other is unknown)
    # shares a day with them, so a summit from 2003-12-30 to 2004-01-02 is in 2003 and in 2004.
    page_filters = {
        "network": {
            "label": _("Network"),
            "queryset": lambda request: selectors.networks_with_summits(),
            "empty_label": _("All networks"),
        },
        "country": {
            "label": _("Host country"),
            "queryset": lambda request: selectors.host_countries(),
            "empty_label": _("All countries"),
        },
        "year_from": IntegerFilter(label=_("From (year)"), method="filter_span_from", min_value=1000, max_value=9999),
        "year_to": IntegerFilter(label=_("To (year)"), method="filter_span_to", min_value=1000, max_value=9999),
        "kind": {"label": _("Kind"), "choices": capitalized_choices(SummitKind.choices), "empty_label": _("All kinds")},
    }
    year_ranges = (("year_from", "year_to"),)

    class Meta:
        model = Summit
        fields = []

    # Partial dates are stored as YYYYMMDD integers, 00 for the unknown parts: 2003 starts at
    # 20030000 and every date of 2003 is below 20040000. Plain comparisons of the columns, so
    # that their indexes can be used.

    def filter_span_from(self, queryset, name, value):
        """Summits that end (or, with no known end, start) in ``value`` or later."""
        first = int(value) * 10000
        return queryset.filter(Q(end__gte=first) | Q(end__isnull=True, start__gte=first))

    def filter_span_to(self, queryset, name, value):
        """Summits that start (or, with no known start, end) in ``value`` or earlier."""
        after = (int(value) + 1) * 10000
        return queryset.filter(Q(start__lt=after) | Q(start__isnull=True, end__lt=after))


class MembershipFigureFilter(RecordFilterSet):
    network = KeyChoiceFilter(queryset=Network.objects.all())
    year_from = YearFilter("date", "gte", label=_("from (year)"))
    year_to = YearFilter("date", "lte", label=_("until (year)"))

    class Meta:
        model = MembershipFigure
        fields = []
