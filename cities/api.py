from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.views import RecordViewSet
from core.queries import citations_prefetch, name_coalesce
from networks.api import OfficeViewSet
from networks.serializers import OfficeSerializer

from .filters import CityFilter, CountryFilter, RegionalBlocFilter, TwinningFilter
from .models import BlocParticipation, City, Country, RegionalBloc, Twinning
from .serializers import CitySerializer, CountrySerializer, RegionalBlocSerializer, TwinningSerializer


def city_point(record):
    return record.get("longitude"), record.get("latitude")


class CountryViewSet(RecordViewSet):
    """Countries (ISO 3166-1), with their system of government and rules on subnational action."""

    serializer_class = CountrySerializer
    filterset_class = CountryFilter

    def get_queryset(self):
        return (
            Country.objects.annotate(sort_name=name_coalesce())
            .prefetch_related(citations_prefetch(Country))
            .order_by("code")
        )


class RegionalBlocViewSet(RecordViewSet):
    """Regional blocs and the countries taking part in them over time."""

    serializer_class = RegionalBlocSerializer
    filterset_class = RegionalBlocFilter

    def get_queryset(self):
        participations = Prefetch("participations", BlocParticipation.objects.select_related("country"))
        return RegionalBloc.objects.prefetch_related(participations, citations_prefetch(RegionalBloc)).order_by("slug")


class CityViewSet(RecordViewSet):
    """Cities and other subnational governments (any level), with GeoNames coordinates."""

    serializer_class = CitySerializer
    filterset_class = CityFilter

    @staticmethod
    def geojson_point(record):
        return city_point(record)

    def get_queryset(self):
        return (
            City.objects.select_related("country")
            .prefetch_related(citations_prefetch(City))
            .annotate(sort_name=name_coalesce())
            .order_by("slug")
        )

    @extend_schema(responses=OfficeSerializer(many=True))
    @action(detail=True, filterset_class=None, pagination_class=None)
    def offices(self, request, key=None):
        """Every office this city has held, across all networks, oldest first."""
        city = self.get_object()
        offices = OfficeViewSet().get_queryset().filter(city=city).order_by("start", "network__slug", "id")
        return Response(OfficeSerializer(offices, many=True, context=self.get_serializer_context()).data)


class TwinningViewSet(RecordViewSet):
    """Agreements between two cities."""

    serializer_class = TwinningSerializer
    filterset_class = TwinningFilter

    def get_queryset(self):
        return (
            Twinning.objects.select_related("city_a__country", "city_b__country")
            .prefetch_related(citations_prefetch(Twinning))
            .order_by("id")
        )
