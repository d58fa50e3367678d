import django_filters
from django.utils.translation import gettext_lazy as _

from core.api.filters import RecordFilterSet, TextFilter, YearFilter

from .models import Source, SourceKind


class SourceFilter(RecordFilterSet):
    q = TextFilter(fields=("title", "authors", "publisher", "doi", "url"))
    kind = django_filters.ChoiceFilter(choices=SourceKind.choices)
    language = django_filters.CharFilter(max_length=12)
    published_from = YearFilter("published", "gte", label=_("published from (year)"))
    published_to = YearFilter("published", "lte", label=_("published until (year)"))
    ordering = django_filters.OrderingFilter(
        fields=(("title", "title"), ("published", "published"), ("updated_at", "updated_at"))
    )

    class Meta:
        model = Source
        fields = []
