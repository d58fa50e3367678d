import django_filters
from django.utils.translation import gettext_lazy as _

from cities.models import City, Country, WorldRegion
from core.api.filters import InForceFilter, KeyChoiceFilter, RecordFilterSet, TextFilter, YearFilter

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
    ordering = django_filters.OrderingFilter(fields=(("slug", "slug"), ("founded", "founded"), *NAME_ORDERING))

    class Meta:
        model = Network
        fields = []

    def filter_member(self, queryset, name, city):
        return queryset.filter(pk__in=Membership.objects.filter(city=city).values("network")) if city else queryset


class MembershipFilter(RecordFilterSet):
    network = KeyChoiceFilter(queryset=Network.objects.all())
    city = KeyChoiceFilter(queryset=City.objects.all())
    country = KeyChoiceFilter(to_field_name="code", queryset=Country.objects.all(), field_name="city__country")
    category = django_filters.ChoiceFilter(choices=MembershipCategory.choices)
    founding = django_filters.BooleanFilter()
    at = InForceFilter(help_text=_("Who was a member on this date (YYYY-MM-DD), or at any time in this month or year."))
    joined_from = YearFilter("start", "gte", label=_("joined from (year)"))
    joined_to = YearFilter("start", "lte", label=_("joined until (year)"))
    left_from = YearFilter("end", "gte", label=_("left from (year)"))
    left_to = YearFilter("end", "lte", label=_("left until (year)"))
    q = TextFilter(fields=("city__slug", "city__native_name"), translated=("city__name",))
    ordering = django_filters.OrderingFilter(
        fields=(("start", "start"), ("end", "end"), ("city__slug", "city"), ("updated_at", "updated_at"))
    )

    class Meta:
        model = Membership
        fields = []


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
    ordering = django_filters.OrderingFilter(fields=(("slug", "slug"), *NAME_ORDERING))

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
    at = InForceFilter(
        help_text=_("Who held the office on this date (YYYY-MM-DD), or at any time in this month or year.")
    )
    q = TextFilter(fields=("person", "city__slug"), translated=("city__name",))
    ordering = django_filters.OrderingFilter(fields=(("start", "start"), ("end", "end"), ("updated_at", "updated_at")))

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
    ordering = django_filters.OrderingFilter(
        fields=(("start", "start"), ("number", "number"), ("updated_at", "updated_at"))
    )

    class Meta:
        model = Summit
        fields = []


class MembershipFigureFilter(RecordFilterSet):
    network = KeyChoiceFilter(queryset=Network.objects.all())
    year_from = YearFilter("date", "gte", label=_("from (year)"))
    year_to = YearFilter("date", "lte", label=_("until (year)"))

    class Meta:
        model = MembershipFigure
        fields = []
