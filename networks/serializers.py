from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cities.models import City
from cities.serializers import CitySummarySerializer, CountrySummarySerializer
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
    country = SummaryField(CountrySummarySerializer, read_only=True)
    share = serializers.FloatField(read_only=True)

    class Meta:
        model = MembershipFigureCountry
        fields = ["country", "members", "share"]

    @staticmethod
    def csv_text(data: dict) -> str:
        """A country's line in a CSV cell: ``AR: 142``."""
        return f"{(data.get('country') or {}).get('code') or ''}: {data['members']}"


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


# --- the co-membership graph (documentation of /api/v1/graph/'s JSON; built by networks.graph) --


class GraphCentralitiesSerializer(serializers.Serializer):
    degree = serializers.FloatField(help_text=_("Normalised degree centrality: degree / (nodes - 1)."))
    betweenness = serializers.FloatField(
        help_text=_("Normalised betweenness centrality, unweighted (estimated from a seeded sample on large graphs).")
    )
    eigenvector = serializers.FloatField(
        allow_null=True,
        help_text=_(
            "Eigenvector centrality per connected component, scaled by the square root of the component's share "
            "of the nodes (0 for an isolated node; null if the component did not converge)."
        ),
    )


class GraphNodeSerializer(serializers.Serializer):
    id = serializers.CharField(help_text=_("city:<key> or network:<key>."))
    key = serializers.CharField(help_text=_("The city's or the network's key (slug)."))
    label = serializers.CharField(help_text=_("The name in the requested language, with fallbacks."))
    kind = serializers.ChoiceField(choices=["city", "network"])
    country = CountrySummarySerializer(allow_null=True, help_text=_("A city's country; null for a network."))
    degree = serializers.IntegerField(help_text=_("Neighbours: a city's networks, a network's members (two-mode)."))
    strength = serializers.IntegerField(help_text=_("The sum of the weights of the node's edges."))
    centralities = GraphCentralitiesSerializer()


class GraphEdgeSerializer(serializers.Serializer):
    source = serializers.CharField()
    target = serializers.CharField()
    weight = serializers.IntegerField(
        help_text=_(
            "1 in the two-mode graph; shared networks (city projection) or shared members (network projection)."
        )
    )


class GraphSummarySerializer(serializers.Serializer):
    nodes = serializers.IntegerField()
    edges = serializers.IntegerField()
    cities = serializers.IntegerField()
    networks = serializers.IntegerField()
    memberships = serializers.IntegerField(help_text=_("Counted memberships in force drawn (two-mode edges)."))
    components = serializers.IntegerField(help_text=_("Connected components."))
    density = serializers.FloatField()
    betweenness_exact = serializers.BooleanField(help_text=_("False when betweenness was estimated from a sample."))
    eigenvector_converged = serializers.BooleanField()


class GraphSerializer(serializers.Serializer):
    at = serializers.CharField(help_text=_("The date drawn, at its precision (today's date when none was given)."))
    projection = serializers.ChoiceField(choices=["bipartite", "city", "network"])
    networks = serializers.ListField(child=serializers.CharField(), help_text=_("The networks asked for (empty: all)."))
    summary = GraphSummarySerializer()
    nodes = GraphNodeSerializer(many=True)
    edges = GraphEdgeSerializer(many=True)
