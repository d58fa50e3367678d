"""Filters of the bibliography: one FilterSet for the API's sources and for the bibliography page
and its downloads (``page_filters``: the fields the page's form shows, in order; see
:class:`core.api.filters.RecordFilterSet`)."""

import django_filters
from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from core.api.filters import OrderingFilter, RecordFilterSet, TextFilter, YearFilter
from core.browse import capitalized_choices, language_name

from . import selectors
from .models import Source, SourceKind

SORT_CHOICES = [
    ("title", _("Title")),
    ("-published", _("Newest first")),
    ("published", _("Oldest first")),
    ("-cited", _("Most cited first")),
]


def language_choices():
    """The languages the sources are in, named in the reader's language."""
    return [(code, language_name(code)) for code in selectors.source_languages()]


class SourceFilterForm(forms.Form):
    """The bibliography's filter form: a year range whose first year is after its last is an
    error on the form (so the exports refuse it), not a silently empty list."""

    def clean(self):
        cleaned_data = super().clean()
        first, last = cleaned_data.get("year_from"), cleaned_data.get("year_to")
        if first is not None and last is not None and first > last:
            self.add_error("year_to", _("The end year cannot be before the start year."))
        return cleaned_data


class SourceFilter(RecordFilterSet):
    q = TextFilter(fields=("title", "authors", "publisher", "doi", "url"))
    kind = django_filters.ChoiceFilter(choices=SourceKind.choices)
    language = django_filters.CharFilter(max_length=12)
    published_from = YearFilter("published", "gte", label=_("published from (year)"))
    published_to = YearFilter("published", "lte", label=_("published until (year)"))
    ordering = OrderingFilter(fields=(("title", "title"), ("published", "published"), ("updated_at", "updated_at")))

    # The bibliography (and its BibTeX and CSL-JSON downloads): text in the title, authors or
    # publisher (not the API's DOI and address), kind, one of the sources' languages, years of
    # publication and an order.
    page_filters = {
        "q": TextFilter(fields=("title", "authors", "publisher"), label=_("Title, author or publisher"), help_text=""),
        "kind": {"label": _("Kind"), "choices": capitalized_choices(SourceKind.choices), "empty_label": _("All kinds")},
        "language": django_filters.ChoiceFilter(
            label=_("Language"), choices=language_choices, empty_label=_("All languages")
        ),
        "year_from": YearFilter("published", "gte", label=_("Published from (year)")),
        "year_to": YearFilter("published", "lte", label=_("Published until (year)")),
        "sort": django_filters.ChoiceFilter(label=_("Order"), choices=SORT_CHOICES, method="sort_by", empty_label=None),
    }

    class Meta:
        model = Source
        fields = []
        form = SourceFilterForm

    def sort_by(self, queryset, name, value):
        if value == "-cited" and "citation_count" in queryset.query.annotations:
            return queryset.order_by("-citation_count", "title", "key")
        if value in ("published", "-published"):
            published = (
                F("published").asc(nulls_last=True) if value == "published" else F("published").desc(nulls_last=True)
            )
            # Undated sources come last either way.
            return queryset.order_by(published, "title", "key")
        return queryset
