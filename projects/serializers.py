from rest_framework import serializers

from cities.models import Country
from cities.serializers import CitySummarySerializer, CountrySummarySerializer
from core.api.fields import SummaryField
from core.api.serializers import RecordSerializer
from networks.models import Network, ThematicUnit
from networks.serializers import NetworkSummarySerializer, ThematicUnitSummarySerializer
from sources.serializers import CitationSerializer

from .models import SDG, Organization, Programme, Project, ProjectCity, ProjectOrganization


class SDGSummarySerializer(RecordSerializer):
    class Meta:
        model = SDG
        basename = "sdg"
        fields = ["number", "short_name"]


class OrganizationSummarySerializer(RecordSerializer):
    class Meta:
        model = Organization
        basename = "organization"
        fields = ["name", "acronym"]


class ProgrammeSummarySerializer(RecordSerializer):
    class Meta:
        model = Programme
        basename = "programme"
        fields = ["name"]


class SDGSerializer(RecordSerializer):
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = SDG
        basename = "sdg"
        translated = ("short_name", "title")
        fields = ["number", "short_name", "title", "citations", "created_at", "updated_at"]


class OrganizationSerializer(RecordSerializer):
    country = SummaryField(CountrySummarySerializer, queryset=Country.objects.all(), required=False, allow_null=True)
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = Organization
        basename = "organization"
        translated = ("name",)
        fields = ["slug", "name", "acronym", "kind", "country", "website", "citations", "created_at", "updated_at"]


class ProgrammeSerializer(RecordSerializer):
    network = SummaryField(NetworkSummarySerializer, queryset=Network.objects.all())
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = Programme
        basename = "programme"
        translated = ("name", "description")
        fields = ["slug", "network", "name", "description", "start", "end", "citations", "created_at", "updated_at"]


class ParticipantSerializer(serializers.ModelSerializer):
    city = CitySummarySerializer(read_only=True)

    class Meta:
        model = ProjectCity
        fields = ["city", "role"]

    @staticmethod
    def csv_text(data: dict) -> str:
        """A participating city in a CSV cell: ``Montevideo (lead)``."""
        return f"{(data.get('city') or {}).get('name') or ''} ({data['role']})"


class OrganizationRoleSerializer(serializers.ModelSerializer):
    organization = OrganizationSummarySerializer(read_only=True)

    class Meta:
        model = ProjectOrganization
        fields = ["organization", "role", "amount", "currency"]

    @staticmethod
    def csv_text(data: dict) -> str:
        """An organization's part in a CSV cell: ``European Commission (funder)``."""
        return f"{(data.get('organization') or {}).get('name') or ''} ({data['role']})"


class ProjectSerializer(RecordSerializer):
    network = SummaryField(NetworkSummarySerializer, queryset=Network.objects.all(), required=False, allow_null=True)
    programme = SummaryField(
        ProgrammeSummarySerializer, queryset=Programme.objects.all(), required=False, allow_null=True
    )
    thematic_unit = SummaryField(
        ThematicUnitSummarySerializer, queryset=ThematicUnit.objects.all(), required=False, allow_null=True
    )
    sdgs = SummaryField(SDGSummarySerializer, queryset=SDG.objects.all(), many=True, required=False)
    participants = ParticipantSerializer(many=True, read_only=True)
    organizations = OrganizationRoleSerializer(source="organization_roles", many=True, read_only=True)
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = Project
        basename = "project"
        translated = ("title", "summary", "results")
        fields = [
            "slug",
            "title",
            "summary",
            "results",
            "network",
            "programme",
            "thematic_unit",
            "status",
            "modality",
            "planned_start",
            "planned_end",
            "start",
            "end",
            "budget",
            "currency",
            "sdgs",
            "participants",
            "organizations",
            "notes",
            "citations",
            "created_at",
            "updated_at",
        ]
