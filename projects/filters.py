"""Filters of SDGs, organizations, programmes and projects: one FilterSet per resource, for its
API endpoint and its list page (``page_filters``: the fields the page's form shows, in order;
see :class:`core.api.filters.RecordFilterSet`).

On the pages related records are chosen by their stable keys (network and programme slugs, SDG
numbers, country codes, city identifiers), so that a filtered page's address can be cited and
shared."""

import django_filters
from django import forms
from django.db.models import Exists, IntegerField, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from cities.models import City, Country
from core.api.filters import IntegerFilter, KeyChoiceFilter, OrderingFilter, RecordFilterSet, TextFilter, YearFilter
from core.browse import capitalized_choices
from core.queries import name_coalesce
from networks.models import Network

from .models import (
    SDG,
    Modality,
    Organization,
    OrganizationKind,
    OrganizationRole,
    Programme,
    Project,
    ProjectCity,
    ProjectOrganization,
    ProjectStatus,
)

UNKNOWN_KEY = _("No record has the identifier “%(value)s”.")

# The choices of the pages' drop-downs (a FilterSet calls them with the request), by name.


def networks_with_projects(request=None):
    return (
        Network.objects.filter(Exists(Project.objects.filter(network=OuterRef("pk"))))
        .annotate(sort_name=name_coalesce())
        .order_by("sort_name", "slug")
    )


def programmes(request=None):
    return Programme.objects.annotate(sort_name=name_coalesce()).order_by("sort_name", "slug")


def sdgs(request=None):
    return SDG.objects.order_by("number")


def funders(request=None):
    funded = ProjectOrganization.objects.filter(organization=OuterRef("pk"), role=OrganizationRole.FUNDER)
    return Organization.objects.filter(Exists(funded)).annotate(sort_name=name_coalesce()).order_by("sort_name", "slug")


def countries(request=None):
    return Country.objects.annotate(sort_name=name_coalesce()).order_by("sort_name", "code")


def countries_with_organizations(request=None):
    return countries().filter(Exists(Organization.objects.filter(country=OuterRef("pk"))))


class SDGChoiceField(forms.ModelChoiceField):
    """An SDG shown as "11. Sustainable cities and communities"."""

    def label_from_instance(self, obj):
        return f"{obj.number}. {obj.short_name}"


class SDGChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = SDGChoiceField


class OrganizationChoiceField(forms.ModelChoiceField):
    """An organization shown as "Name (ACRONYM)"."""

    def label_from_instance(self, obj):
        if obj.acronym and obj.name and obj.acronym != obj.name:
            return f"{obj.name} ({obj.acronym})"
        return str(obj.name or obj)


def active_in_year_condition(year: int) -> Q:
    """Projects running at some time in ``year``, from their actual dates or else the planned ones
    (annotated as ``first`` and ``last``). A project with a start but no end counts for its start
    year, and for every later year only while it is recorded as ongoing; one with an end but no
    start counts for its end year; one with neither is left out."""
    lowest, highest = year * 10000, year * 10000 + 9999
    first_known, last_known = Q(first__isnull=False), Q(last__isnull=False)
    return (
        (first_known & last_known & Q(first__lte=highest, last__gte=lowest))
        | (first_known & ~last_known & Q(first__gte=lowest, first__lte=highest))
        | (first_known & ~last_known & Q(first__lte=highest, status=ProjectStatus.ONGOING))
        | (~first_known & last_known & Q(last__gte=lowest, last__lte=highest))
    )


class SDGFilter(RecordFilterSet):
    q = TextFilter(fields=(), translated=("short_name", "title"))

    class Meta:
        model = SDG
        fields = []


class OrganizationFilter(RecordFilterSet):
    q = TextFilter(fields=("slug", "acronym"), translated=("name",))
    kind = django_filters.ChoiceFilter(choices=OrganizationKind.choices)
    country = KeyChoiceFilter(to_field_name="code", queryset=Country.objects.all())

    page_filters = {
        "q": {"label": _("Name or acronym")},
        "kind": {
            "label": _("Kind"),
            "choices": capitalized_choices(OrganizationKind.choices),
            "empty_label": _("Any kind"),
        },
        "country": {"label": _("Country"), "queryset": countries_with_organizations, "empty_label": _("Any country")},
    }

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
    ordering = OrderingFilter(
        fields=(("start", "start"), ("slug", "slug"), ("budget", "budget"), ("updated_at", "updated_at"))
    )

    page_filters = {
        "q": {"label": _("Words in the title or summary")},
        "network": {"label": _("Network"), "queryset": networks_with_projects, "empty_label": _("Any network")},
        "programme": {"label": _("Programme"), "queryset": programmes, "empty_label": _("Any programme")},
        "sdg": SDGChoiceFilter(
            label=_("Sustainable Development Goal"),
            field_name="sdgs",
            queryset=sdgs,
            to_field_name="number",
            empty_label=_("Any goal"),
        ),
        "status": {
            "label": _("Status"),
            "choices": capitalized_choices(ProjectStatus.choices),
            "empty_label": _("Any status"),
        },
        "modality": {
            "label": _("Modality"),
            "choices": capitalized_choices(Modality.choices),
            "empty_label": _("Any modality"),
        },
        "year": IntegerFilter(
            label=_("Active in year"),
            method="filter_year",
            min_value=1000,
            max_value=9999,
            widget=forms.NumberInput(attrs={"placeholder": _("e.g. 2012"), "min": 1000, "max": 9999}),
        ),
        "funder": {
            "label": _("Funder"),
            "queryset": funders,
            "field_class": OrganizationChoiceField,
            "empty_label": _("Any funder"),
        },
        "country": {"label": _("Country"), "queryset": countries, "empty_label": _("Any country")},
        # 100,000 cities do not fit in a drop-down: the city is given by its identifier.
        "city": {
            "label": _("City (identifier, e.g. montevideo-uy)"),
            "widget": forms.TextInput(attrs={"size": 18, "maxlength": 100, "spellcheck": "false"}),
            "error_messages": {"invalid_choice": UNKNOWN_KEY},
        },
    }

    class Meta:
        model = Project
        fields = []

    def filter_year(self, queryset, name, year):
        first = Coalesce("start", "planned_start", output_field=IntegerField())
        last = Coalesce("end", "planned_end", output_field=IntegerField())
        return queryset.alias(first=first, last=last).filter(active_in_year_condition(year))

    def filter_funder(self, queryset, name, organization):
        if organization is None:
            return queryset
        funded = ProjectOrganization.objects.filter(
            project=OuterRef("pk"), organization=organization, role=OrganizationRole.FUNDER
        )
        return queryset.filter(Exists(funded))

    def filter_country(self, queryset, name, country):
        """Projects with a participating city or organization in the country."""
        if country is None:
            return queryset
        cities = ProjectCity.objects.filter(project=OuterRef("pk"), city__country=country)
        organizations = ProjectOrganization.objects.filter(project=OuterRef("pk"), organization__country=country)
        return queryset.filter(Exists(cities) | Exists(organizations))

    def filter_city(self, queryset, name, city):
        if city is None:
            return queryset
        return queryset.filter(Exists(ProjectCity.objects.filter(project=OuterRef("pk"), city=city)))
