import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cities.models import City, Country
from core.api.filters import KeyChoiceFilter, RecordFilterSet, TextFilter, YearFilter
from networks.models import Network

from .models import SDG, Modality, Organization, OrganizationKind, Programme, Project, ProjectStatus


class SDGFilter(RecordFilterSet):
    q = TextFilter(fields=(), translated=("short_name", "title"))

    class Meta:
        model = SDG
        fields = []


class OrganizationFilter(RecordFilterSet):
    q = TextFilter(fields=("slug", "acronym"), translated=("name",))
    kind = django_filters.ChoiceFilter(choices=OrganizationKind.choices)
    country = KeyChoiceFilter(to_field_name="code", queryset=Country.objects.all())

    class Meta:
        model = Organization
        fields = []


class ProgrammeFilter(RecordFilterSet):
    network = KeyChoiceFilter(queryset=Network.objects.all())
    q = TextFilter(fields=("slug",), translated=("name",))

    class Meta:
        model = Programme
        fields = []


class ProjectFilter(RecordFilterSet):
    q = TextFilter(fields=("slug",), translated=("title", "summary"))
    network = KeyChoiceFilter(queryset=Network.objects.all())
    programme = KeyChoiceFilter(queryset=Programme.objects.all())
    thematic_unit = django_filters.CharFilter(field_name="thematic_unit__slug", max_length=80)
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices)
    modality = django_filters.ChoiceFilter(choices=Modality.choices)
    sdg = django_filters.NumberFilter(
        field_name="sdgs__number", min_value=1, max_value=17, help_text=_("Projects towards this SDG (1–17).")
    )
    city = KeyChoiceFilter(queryset=City.objects.all(), method="filter_city")
    country = KeyChoiceFilter(to_field_name="code", queryset=Country.objects.all(), method="filter_country")
    funder = KeyChoiceFilter(
        queryset=Organization.objects.all(),
        method="filter_funder",
        help_text=_("Projects this organization (its slug) funded."),
    )
    year_from = YearFilter("start", "gte", label=_("started from (year)"))
    year_to = YearFilter("start", "lte", label=_("started until (year)"))
    ordering = django_filters.OrderingFilter(
        fields=(("start", "start"), ("slug", "slug"), ("budget", "budget"), ("updated_at", "updated_at"))
    )

    class Meta:
        model = Project
        fields = []

    def filter_city(self, queryset, name, city):
        return (
            queryset.filter(pk__in=Project.objects.filter(participants__city=city).values("pk")) if city else queryset
        )

    def filter_country(self, queryset, name, country):
        if country is None:
            return queryset
        involved = Project.objects.filter(
            Q(participants__city__country=country) | Q(organization_roles__organization__country=country)
        )
        return queryset.filter(pk__in=involved.values("pk"))

    def filter_funder(self, queryset, name, organization):
        if organization is None:
            return queryset
        funded = Project.objects.filter(
            organization_roles__organization=organization, organization_roles__role="funder"
        )
        return queryset.filter(pk__in=funded.values("pk"))
