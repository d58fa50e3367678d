"""Filter building blocks shared by every resource's FilterSet (django-filter)."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.partialdates import PartialDateFormField
from core.records import LANGUAGE_CODES

Q_MAX_LENGTH = 200


@extend_schema_field({"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$", "example": "1995-11-11"})
class PartialDateFilter(django_filters.Filter):
    """Takes ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; hands the method a PartialDate."""

    field_class = PartialDateFormField


class InForceFilter(PartialDateFilter):
    """``?at=1995-11-11``: records in force on that day; ``?at=1995`` or ``?at=1995-11``: at any
    time in that year or month."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text", _("Records in force on this date (YYYY-MM-DD), or at any time in this month or year.")
        )
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        if value is None:
            return queryset
        if value.precision == "day":
            return queryset.as_of(value.lower)
        return queryset.during(value.lower, value.upper)


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(django_filters.NumberFilter):
    """A year bound on a partial date: ``joined_from=2000`` keeps starts in 2000 or later."""

    field_class = forms.IntegerField

    def __init__(self, field_name: str, lookup_expr: str, **kwargs):
        super().__init__(
            field_name=f"{field_name}__year", lookup_expr=lookup_expr, min_value=1000, max_value=9999, **kwargs
        )


@extend_schema_field(OpenApiTypes.STR)
class TextFilter(django_filters.CharFilter):
    """``?q=``: case-insensitive text match across the languages of the given fields."""

    def __init__(self, fields: tuple[str, ...], translated: tuple[str, ...] = (), **kwargs):
        self.fields = fields
        self.translated = translated
        kwargs.setdefault("max_length", Q_MAX_LENGTH)
        kwargs.setdefault("help_text", _("Text to look for in names and identifiers."))
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        # The search service's matching (the same as /search/): accents and case ignored, every
        # language at once, full text and similar names on PostgreSQL. A subquery: the list
        # runs as many queries as without q.
        from search.services import text_condition

        condition: Q | None = text_condition(
            queryset.model, value, fields=self.fields, translated=self.translated, languages=LANGUAGE_CODES
        )
        return queryset if condition is None else queryset.filter(condition)


@extend_schema_field(OpenApiTypes.STR)
class KeyChoiceFilter(django_filters.ModelChoiceFilter):
    """A related record given by its key (slug or code); an unknown key is a 400, not an
    empty list."""

    def __init__(self, to_field_name: str = "slug", **kwargs):
        super().__init__(to_field_name=to_field_name, **kwargs)


class UTCDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, turned into UTC before it reaches the database: PostgreSQL refuses
    offsets beyond ±15:59 that Python accepts, and the comparison is the same in UTC."""

    def clean(self, value):
        value = super().clean(value)
        if value is None:
            return None
        try:
            return value.astimezone(datetime.UTC) if value.tzinfo else value.replace(tzinfo=datetime.UTC)
        except (OverflowError, ValueError):
            message = _("Give a date and time between the years 1 and 9999.")
            raise forms.ValidationError(message, code="invalid") from None


class UTCDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCDateTimeField


class RecordFilterSet(django_filters.FilterSet):
    """Every resource: ``updated_since`` (for incremental sync)."""

    updated_since = UTCDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_("Only records created or changed at or after this time (ISO 8601); switches to cursor pagination."),
    )
