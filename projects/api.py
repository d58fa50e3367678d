from django.db.models import Prefetch

from core.api.views import RecordViewSet
from core.queries import citations_prefetch, name_coalesce

from .filters import OrganizationFilter, ProgrammeFilter, ProjectFilter, SDGFilter
from .models import SDG, Organization, Programme, Project, ProjectCity, ProjectOrganization
from .serializers import OrganizationSerializer, ProgrammeSerializer, ProjectSerializer, SDGSerializer


class SDGViewSet(RecordViewSet):
    """The 17 Sustainable Development Goals, in four languages."""

    serializer_class = SDGSerializer
    filterset_class = SDGFilter

    def get_queryset(self):
        return SDG.objects.prefetch_related(citations_prefetch(SDG)).order_by("number")


class OrganizationViewSet(RecordViewSet):
    """Funders and partners that are not member cities."""

    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter

    def get_queryset(self):
        return (
            Organization.objects.select_related("country")
            .prefetch_related(citations_prefetch(Organization))
            .annotate(sort_name=name_coalesce())
            .order_by("slug")
        )


class ProgrammeViewSet(RecordViewSet):
    """Networks' funding lines."""

    serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilter

    def get_queryset(self):
        return (
            Programme.objects.select_related("network").prefetch_related(citations_prefetch(Programme)).order_by("slug")
        )


class ProjectViewSet(RecordViewSet):
    """Cooperation projects with their cities, organizations, funding and SDGs."""

    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter

    def get_queryset(self):
        return (
            Project.objects.select_related("network", "programme", "thematic_unit__network")
            .prefetch_related(
                "sdgs",
                Prefetch("participants", ProjectCity.objects.select_related("city__country")),
                Prefetch("organization_roles", ProjectOrganization.objects.select_related("organization")),
                citations_prefetch(Project),
            )
            .order_by("slug")
        )
