from rest_framework import serializers

from cities.models import City
from cities.serializers import CitySummarySerializer
from core.api.fields import SummaryField
from core.api.serializers import RecordSerializer
from sources.serializers import CitationSerializer

from .models import (
    GoverningBody,
    Membership,
    MembershipFigure,
    MembershipFigureCountry,
    Network,
    Office,
    Summit,
    ThematicUnit,
)
from .selectors import network_coverage


class NetworkSummarySerializer(RecordSerializer):
    class Meta:
        model = Network
        basename = "network"
        fields = ["name", "acronym"]


class SummitSummarySerializer(RecordSerializer):
    class Meta:
        model = Summit
        basename = "summit"
        fields = ["number", "name", "start"]


class GoverningBodySummarySerializer(RecordSerializer):
    class Meta:
        model = GoverningBody
        basename = "governing-body"
        fields = ["name"]


class ThematicUnitSummarySerializer(RecordSerializer):
    class Meta:
        model = ThematicUnit
        basename = "thematic-unit"
        fields = ["name", "acronym"]


class NetworkSerializer(RecordSerializer):
    coverage = serializers.SerializerMethodField(
        help_text="How many members are recorded (counted: stated and in force today) of the latest size a "
        "source reported: recorded, reported (null without a figure), reported_at_least (the source said "
        "'over'), reported_on (its date), reported_sources (key and URL), percent."
    )
    founded_city = SummaryField(CitySummarySerializer, queryset=City.objects.all(), required=False, allow_null=True)
    secretariat_city = SummaryField(CitySummarySerializer, queryset=City.objects.all(), required=False, allow_null=True)
    parent = SummaryField(NetworkSummarySerializer, queryset=Network.objects.all(), required=False, allow_null=True)
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = Network
        basename = "network"
        translated = ("name", "description")
        fields = [
            "slug",
            "name",
            "description",
            "acronym",
            "founded",
            "founded_city",
            "scope",
            "secretariat_city",
            "official_languages",
            "website",
            "status",
            "dissolved",
            "wikidata_id",
            "parent",
            "coverage",
            "citations",
            "created_at",
            "updated_at",
        ]

    def get_coverage(self, network) -> dict | None:
        # The viewset annotates the counted members and prefetches the latest figure
        # (networks.selectors.network_coverage); a network just written has neither.
        if not hasattr(network, "current_members"):
            return None
        return network_coverage(network).as_dict()


class MembershipSerializer(RecordSerializer):
    network = SummaryField(NetworkSummarySerializer, queryset=Network.objects.all())
    city = SummaryField(CitySummarySerializer, queryset=City.objects.all())
    admitted_at = SummaryField(SummitSummarySerializer, queryset=Summit.objects.all(), required=False, allow_null=True)
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = Membership
        basename = "membership"
        fields = [
            "network",
            "city",
            "category",
            "founding",
            "start",
            "end",
            "first_attested",
            "admitted_at",
            "certainty",
            "notes",
            "citations",
            "created_at",
            "updated_at",
        ]


class GoverningBodySerializer(RecordSerializer):
    network = SummaryField(NetworkSummarySerializer, queryset=Network.objects.all())
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = GoverningBody
        basename = "governing-body"
        translated = ("name", "description")
        fields = [
            "network",
            "slug",
            "name",
            "kind",
            "description",
            "start",
            "end",
            "citations",
            "created_at",
            "updated_at",
        ]


class ThematicUnitSerializer(RecordSerializer):
    network = SummaryField(NetworkSummarySerializer, queryset=Network.objects.all())
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = ThematicUnit
        basename = "thematic-unit"
        translated = ("name", "description")
        fields = [
            "network",
            "slug",
            "name",
            "acronym",
            "kind",
            "description",
            "start",
            "end",
            "citations",
            "created_at",
            "updated_at",
        ]


class OfficeSerializer(RecordSerializer):
    network = SummaryField(NetworkSummarySerializer, queryset=Network.objects.all())
    city = SummaryField(CitySummarySerializer, queryset=City.objects.all())
    body = SummaryField(
        GoverningBodySummarySerializer, queryset=GoverningBody.objects.all(), required=False, allow_null=True
    )
    thematic_unit = SummaryField(
        ThematicUnitSummarySerializer, queryset=ThematicUnit.objects.all(), required=False, allow_null=True
    )
    elected_at = SummaryField(SummitSummarySerializer, queryset=Summit.objects.all(), required=False, allow_null=True)
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = Office
        basename = "office"
        translated = ("title",)
        fields = [
            "network",
            "city",
            "role",
            "title",
            "body",
            "thematic_unit",
            "person",
            "start",
            "end",
            "certainty",
            "elected_at",
            "notes",
            "citations",
            "created_at",
            "updated_at",
        ]


class SummitSerializer(RecordSerializer):
    network = SummaryField(NetworkSummarySerializer, queryset=Network.objects.all())
    host_city = SummaryField(CitySummarySerializer, queryset=City.objects.all(), required=False, allow_null=True)
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = Summit
        basename = "summit"
        translated = ("name", "motto", "declaration", "summary")
        fields = [
            "network",
            "slug",
            "number",
            "number_inferred",
            "kind",
            "name",
            "start",
            "end",
            "host_city",
            "format",
            "motto",
            "declaration",
            "summary",
            "citations",
            "created_at",
            "updated_at",
        ]


class FigureCountrySerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code", read_only=True)
    share = serializers.FloatField(read_only=True)

    class Meta:
        model = MembershipFigureCountry
        fields = ["country", "members", "share"]

    @staticmethod
    def csv_text(data: dict) -> str:
        """A country's line in a CSV cell: ``AR: 142``."""
        return f"{data['country']}: {data['members']}"


class MembershipFigureSerializer(RecordSerializer):
    network = SummaryField(NetworkSummarySerializer, queryset=Network.objects.all())
    by_country = FigureCountrySerializer(many=True, read_only=True)
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = MembershipFigure
        basename = "membership-figure"
        translated = ("unit",)
        fields = [
            "network",
            "date",
            "members",
            "at_least",
            "countries",
            "unit",
            "notes",
            "by_country",
            "citations",
            "created_at",
            "updated_at",
        ]
