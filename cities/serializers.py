from core.api.fields import IdentifierURLField, SummaryField
from core.api.serializers import RecordSerializer
from core.records import WIKIDATA_URL
from sources.serializers import CitationSerializer

from .models import BlocParticipation, City, Country, RegionalBloc, Twinning


class CountrySummarySerializer(RecordSerializer):
    """**The one shape of a country** wherever the API shows one (a city's, a summary city's, an
    organization's, a bloc participation's, a reported figure's breakdown, members by country,
    the graph's nodes): ``{"key": "UY", "url": "…/countries/UY/", "code": "UY", "name":
    "Uruguay"}``, null when no source states it. In a CSV it is dotted columns
    (``country.code``) or, inside another summary, one column of its key (``city.country``)."""

    class Meta:
        model = Country
        basename = "country"
        fields = ["code", "name"]


class CitySummarySerializer(RecordSerializer):
    country = SummaryField(CountrySummarySerializer, read_only=True, allow_null=True)

    class Meta:
        model = City
        basename = "city"
        fields = ["name", "country", "latitude", "longitude"]
        numbers = ("latitude", "longitude")


class RegionalBlocSummarySerializer(RecordSerializer):
    class Meta:
        model = RegionalBloc
        basename = "regional-bloc"
        fields = ["acronym", "name"]


class CountrySerializer(RecordSerializer):
    wikidata_url = IdentifierURLField(WIKIDATA_URL, source="wikidata_id")
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = Country
        basename = "country"
        translated = ("name", "foreign_action_note")
        fields = [
            "code",
            "iso3",
            "iso_numeric",
            "name",
            "region",
            "government_system",
            "foreign_action_note",
            "population",
            "geonames_id",
            "wikidata_id",
            "wikidata_url",
            "citations",
            "created_at",
            "updated_at",
        ]


class BlocParticipationSerializer(RecordSerializer):
    country = SummaryField(CountrySummarySerializer, queryset=Country.objects.all())

    class Meta:
        model = BlocParticipation
        fields = ["country", "status", "founding", "start", "end", "notes"]

    @staticmethod
    def csv_text(data: dict) -> str:
        """A participation in a CSV cell: ``UY (member, 1991–)``."""
        country = (data.get("country") or {}).get("code") or ""
        period = f"{data.get('start') or ''}–{data.get('end') or ''}"
        return f"{country} ({data['status']}, {period})"


class RegionalBlocSerializer(RecordSerializer):
    participations = BlocParticipationSerializer(many=True, read_only=True)
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = RegionalBloc
        basename = "regional-bloc"
        translated = ("name",)
        fields = [
            "slug",
            "name",
            "acronym",
            "founded",
            "website",
            "participations",
            "citations",
            "created_at",
            "updated_at",
        ]


class CitySerializer(RecordSerializer):
    country = SummaryField(CountrySummarySerializer, queryset=Country.objects.all(), required=False, allow_null=True)
    wikidata_url = IdentifierURLField(WIKIDATA_URL, source="wikidata_id")
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = City
        basename = "city"
        translated = ("name",)
        fields = [
            "slug",
            "name",
            "native_name",
            "level",
            "country",
            "admin_area",
            "population",
            "population_year",
            "latitude",
            "longitude",
            "geonames_id",
            "wikidata_id",
            "wikidata_url",
            "website",
            "citations",
            "created_at",
            "updated_at",
        ]
        numbers = ("latitude", "longitude")


class TwinningSerializer(RecordSerializer):
    """An agreement between two cities, one record for the pair (either city may be ``city_a``),
    with its evidence level (``certainty``) and sources."""

    city_a = SummaryField(CitySummarySerializer, queryset=City.objects.all())
    city_b = SummaryField(CitySummarySerializer, queryset=City.objects.all())
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = Twinning
        basename = "twinning"
        fields = [
            "city_a",
            "city_b",
            "kind",
            "start",
            "end",
            "certainty",
            "notes",
            "citations",
            "created_at",
            "updated_at",
        ]
