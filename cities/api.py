from django.db.models import Prefetch

from core.api.views import RecordViewSet
from core.queries import citations_prefetch

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
        # ?ordering=name annotates the name to sort by (cities.filters.NameOrderingFilter).
        return Country.objects.prefetch_related(citations_prefetch(Country)).order_by("code")


class RegionalBlocViewSet(RecordViewSet):
    """Regional blocs and the countries taking part in them over time."""

    serializer_class = RegionalBlocSerializer
    filterset_class = RegionalBlocFilter

    def get_queryset(self):
        participations = Prefetch("participations", BlocParticipation.objects.select_related("country"))
        return RegionalBloc.objects.prefetch_related(participations, citations_prefetch(RegionalBloc)).order_by("slug")


class CityViewSet(RecordViewSet):
    """Cities and other subnational governments (any level), with GeoNames coordinates. (The
    route serves :class:`networks.api.CityWithOfficesViewSet`, which adds the offices a city
    held.)"""

    serializer_class = CitySerializer
    filterset_class = CityFilter

    @staticmethod
    def geojson_point(record):
        return city_point(record)

    def get_queryset(self):
        # ?ordering=name annotates the name to sort by (cities.filters.NameOrderingFilter).
        return City.objects.select_related("country").prefetch_related(citations_prefetch(City)).order_by("slug")


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
