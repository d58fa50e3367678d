from core.api.views import RecordViewSet

from .filters import SourceFilter
from .models import Source
from .serializers import SourceSerializer


class SourceViewSet(RecordViewSet):
    """Documents, articles, pages and datasets that facts come from."""

    serializer_class = SourceSerializer
    filterset_class = SourceFilter

    def get_queryset(self):
        return Source.objects.order_by("title", "id")
