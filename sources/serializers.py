from rest_framework import serializers

from core.api.serializers import RecordSerializer

from .models import Source


class SourceSummarySerializer(RecordSerializer):
    """A source in brief. ``link`` is the document's own address; ``url`` its API record."""

    link = serializers.URLField(source="url", read_only=True)

    class Meta:
        model = Source
        basename = "source"
        fields = ["title", "link"]


class CitationSerializer(serializers.Serializer):
    """One source cited by a record, with its locator (page, section)."""

    source = SourceSummarySerializer(read_only=True)
    locator = serializers.CharField(read_only=True)

    @staticmethod
    def csv_text(data: dict) -> str:
        """A citation in a CSV cell: ``Source title (locator)``."""
        title = (data.get("source") or {}).get("title") or ""
        return f"{title} ({data['locator']})" if data.get("locator") else title


class SourceSerializer(RecordSerializer):
    link = serializers.URLField(source="url", required=False, allow_blank=True, max_length=1000)

    class Meta:
        model = Source
        basename = "source"
        # "key" is the source's own stable identifier (a model field), so it is written on
        # creation: without it no source could be created through the API.
        fields = [
            "key",
            "kind",
            "title",
            "authors",
            "publisher",
            "published",
            "link",
            "doi",
            "accessed",
            "language",
            "licence",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
