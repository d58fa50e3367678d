"""Filter building blocks shared by every resource's FilterSet (django-filter).

A resource has one FilterSet (``<app>/filters.py``), used by its API endpoint and by its list
page: see :class:`RecordFilterSet`. The API validates strictly (an invalid value is a 400 with
the error shape); a page reports an invalid value on its form and leaves it out (see
:class:`core.browse.BrowseListView`).
"""

from __future__ import annotations

import copy
import datetime
import functools
import re
from dataclasses import dataclass

import django_filters
from django import forms
from django.conf import settings
from django.core.signals import setting_changed
from django.db.models import F, Model, Q
from django.dispatch import receiver
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.asof import AtField
from core.records import LANGUAGE_CODES
from core.validation import has_control_characters

Q_MAX_LENGTH = 200


def in_force(queryset, value):
    """The records of a period queryset in force on a day, or at any time in a month or year
    (``value``, a PartialDate)."""
    return queryset.at(value)


@extend_schema_field({"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$", "example": "1995-11-11"})
class AtFilter(django_filters.Filter):
    """A date as ``?at=`` takes it (:class:`core.asof.AtField`, :func:`core.periods.parse_at`):
    ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, standing for that day, month or year."""

    field_class = AtField


class InForceFilter(AtFilter):
    """``?at=1995-11-11``: records in force on that day; ``?at=1995`` or ``?at=1995-11``: at any
    time in that year or month (the one meaning of ``at``: :mod:`core.periods`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text", _("Records in force on this date (YYYY-MM-DD), or at any time in this month or year.")
        )
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        return queryset if value is None else in_force(queryset, value)


class OrderingFilter(django_filters.OrderingFilter):
    """``?ordering=start`` or ``?ordering=-start`` (several, comma-separated): records without
    the value (an unknown date, no population) come last in either direction, and records that
    tie are in the order of their primary key, so a list pages alike on SQLite and PostgreSQL
    (whose defaults put nulls first in one direction each)."""

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        name = param[1:] if descending else param
        column = F(self.param_map.get(name, name))
        return column.desc(nulls_last=True) if descending else column.asc(nulls_last=True)

    def filter(self, queryset, value):
        if value in EMPTY_VALUES:
            return queryset
        ordering = [self.get_ordering_value(param) for param in value if param not in EMPTY_VALUES]
        return queryset.order_by(*ordering, "pk") if ordering else queryset


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(django_filters.NumberFilter):
    """A whole number (no decimals)."""

    field_class = forms.IntegerField


class YearFilter(IntegerFilter):
    """A year bound on a partial date: ``joined_from=2000`` keeps starts in 2000 or later."""

    def __init__(self, field_name: str, lookup_expr: str, **kwargs):
        super().__init__(
            field_name=f"{field_name}__year", lookup_expr=lookup_expr, min_value=1000, max_value=9999, **kwargs
        )


def plain_text_condition(model, value: str | None, *, fields=(), translated=(), languages=LANGUAGE_CODES) -> Q | None:
    """The text matcher when ``PARADIPLO_TEXT_MATCHER`` is empty: the records whose fields
    contain the text, case ignored (``translated`` fields in each of ``languages``); None when
    there is nothing to filter by."""
    value = (value or "").strip()
    if not value:
        return None
    columns = [*fields, *(f"{name}_{code}" for name in translated for code in languages)]
    condition = Q()
    for column in columns:
        condition |= Q(**{f"{column}__icontains": value})
    return condition if columns else None


@functools.cache
def text_matcher():
    """The function behind ``?q=``: ``settings.PARADIPLO_TEXT_MATCHER``, a dotted path (as
    ``AUTHENTICATION_BACKENDS`` are named), read once; :func:`plain_text_condition` when the
    setting is empty. It takes ``(model, value, *, fields, translated, languages)`` and returns
    a ``Q`` (a subquery, never an extra query) or None."""
    path = getattr(settings, "PARADIPLO_TEXT_MATCHER", "")
    return import_string(path) if path else plain_text_condition


@receiver(setting_changed)
def _forget_text_matcher(setting, **kwargs):
    """Tests that override the setting get the matcher they name."""
    if setting == "PARADIPLO_TEXT_MATCHER":
        text_matcher.cache_clear()


@extend_schema_field(OpenApiTypes.STR)
class TextFilter(django_filters.CharFilter):
    """``?q=``: case-insensitive text match across the languages of the given fields, by the
    configured :func:`text_matcher` (the site's: the search service's matching, as on /search/:
    accents and case ignored, every language at once, full text and similar names on
    PostgreSQL)."""

    def __init__(self, fields: tuple[str, ...], translated: tuple[str, ...] = (), **kwargs):
        self.fields = fields
        self.translated = translated
        kwargs.setdefault("max_length", Q_MAX_LENGTH)
        kwargs.setdefault("help_text", _("Text to look for in names and identifiers."))
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        condition = text_matcher()(
            queryset.model, value, fields=self.fields, translated=self.translated, languages=LANGUAGE_CODES
        )
        return queryset if condition is None else queryset.filter(condition)


@extend_schema_field(OpenApiTypes.STR)
class KeyChoiceFilter(django_filters.ModelChoiceFilter):
    """A related record given by its key (slug or code); an unknown key is a 400, not an
    empty list."""

    def __init__(self, to_field_name: str = "slug", **kwargs):
        super().__init__(to_field_name=to_field_name, **kwargs)


@dataclass(frozen=True)
class Relation:
    """A relation path of a model, ``memberships__network`` on City: the records that hold the
    links (Membership), the field of the key (``network``) and its model (Network), and the way
    back from the links to the model (``city``)."""

    link_model: type[Model]
    key_name: str
    key_model: type[Model]
    back: str


@functools.cache
def relation(model: type[Model], path: str) -> Relation:
    """The :class:`Relation` of ``path``, from the models' ``_meta`` (no import of their app)."""
    hops = []
    for name in path.split("__"):
        hops.append(model._meta.get_field(name))
        model = hops[-1].related_model
    *links, key = hops
    back = "__".join(hop.remote_field.name for hop in reversed(links)) or "pk"
    return Relation(key.model, key.name, key.related_model, back)


class RelatedKeyFilter(KeyChoiceFilter):
    """``?network=<slug>`` on cities: the rows linked to that record through ``path``, a relation
    path of the filtered model (``memberships__network``), at any time, or at the time given to
    the FilterSet's :class:`LinkTimeMixin` filters that name it (``member_at``,
    ``membership=current``). A lower app filters by a higher app's records without importing it."""

    def __init__(self, path: str, to_field_name: str = "slug", **kwargs):
        self.path = path
        super().__init__(to_field_name=to_field_name, **kwargs)

    @property
    def relation(self) -> Relation:
        return relation(self.model, self.path)

    def get_queryset(self, request):
        if self.queryset is None:
            return self.relation.key_model._default_manager.all()
        return super().get_queryset(request)

    def links(self, key=None):
        """The links (of ``key``, or of any record), narrowed by the time filters that name this
        filter and have a value."""
        links = self.relation.link_model._default_manager.all()
        # A link model whose rows may not all be links in fact (memberships graded probable or
        # uncertain) says which count through its queryset's ``counted()``.
        if hasattr(links, "counted"):
            links = links.counted()
        if key is not None:
            links = links.filter(**{self.relation.key_name: key})
        filters, cleaned_data = self.parent.filters, self.parent.form.cleaned_data
        for name, time_filter in filters.items():
            value = cleaned_data.get(name)
            if isinstance(time_filter, LinkTimeMixin) and filters.get(time_filter.of) is self and value:
                links = time_filter.narrow(links, value)
        return links

    def linked(self, queryset, links):
        """The rows of ``queryset`` that hold one of ``links``."""
        return queryset.filter(pk__in=links.values(self.relation.back))

    def filter(self, queryset, value):
        return queryset if value is None else self.linked(queryset, self.links(value))


class LinkTimeMixin:
    """A time condition on the links of the FilterSet's :class:`RelatedKeyFilter` named ``of``
    (the related model's default manager has the period methods ``as_of``, ``during`` and
    ``current``). With a key, that filter applies it; alone, it filters by itself when
    ``alone``."""

    alone = True

    def __init__(self, *, of: str, **kwargs):
        self.of = of
        super().__init__(**kwargs)

    def narrow(self, links, value):
        raise NotImplementedError

    def filter(self, queryset, value):
        key_filter = self.parent.filters[self.of]
        if not value or not self.alone or self.parent.form.cleaned_data.get(self.of) is not None:
            return queryset
        return key_filter.linked(queryset, key_filter.links())


class LinkInForceFilter(LinkTimeMixin, AtFilter):
    """``?member_at=2003-05-11``: linked on that day; ``2003`` or ``2003-05``: at any time then."""

    def narrow(self, links, value):
        return in_force(links, value)


class LinkCurrentFilter(LinkTimeMixin, django_filters.ChoiceFilter):
    """``?membership=current``: with its key, the links in force today; ``ever`` (the default):
    at any time. Alone it filters nothing. The caller labels the two ``choices``."""

    EVER, CURRENT = "ever", "current"
    alone = False

    def __init__(self, *, of: str, **kwargs):
        kwargs.setdefault("empty_label", None)
        super().__init__(of=of, **kwargs)

    def narrow(self, links, value):
        return links.current() if value == self.CURRENT else links


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


#: what a yes/no parameter takes (as django-filter's widget reads it)
BOOLEAN_VALUES = ("true", "false", "True", "False")
WHOLE_NUMBER = re.compile(r"^-?[0-9]{1,18}$", re.ASCII)


def allowed_values(field: forms.ChoiceField) -> str:
    """The values a choice field takes, for its error message ("full, associate, …")."""
    values = []
    for value, label in field.choices:
        if isinstance(label, list | tuple):  # a group of choices
            values.extend(str(inner) for inner, _label in label if inner not in ("", None))
        elif value not in ("", None):
            values.append(str(value))
    return ", ".join(values)


class StrictFilterForm(forms.Form):
    """The form of every FilterSet (API and pages): a value is parsed strictly or refused with a
    message naming what the parameter takes, never ignored and never handed to the database.

    - no parameter takes NUL or other control characters;
    - a parameter that is not free text (numbers, dates, keys, choices, booleans) takes ASCII
      only: "١٩٩٥" and "²" are not numbers here;
    - whole numbers have at most 18 digits (the database's integers);
    - a yes/no parameter takes ``true`` or ``false``, not anything else as "unset";
    - an unknown choice names the allowed values."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
                # Choices given by a callable (a query) are read once per form, not at each of
                # the message, the validation and the rendering.
                field.choices = list(field.choices)
                message = _("“%(value)s” is not one of the allowed values: {allowed}.").format(
                    allowed=allowed_values(field).replace("%", "%%")
                )
                field.error_messages = {**field.error_messages, "invalid_choice": message}

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        for name, field in self.fields.items():
            raw = self.data.get(self.add_prefix(name))
            if not isinstance(raw, str) or raw == "":
                continue
            message = self.strict_error(field, raw)
            if message is not None:
                self._errors.pop(name, None)  # this one says what the parameter takes
                self.add_error(name, forms.ValidationError(message, code="invalid"))

    @staticmethod
    def strict_error(field: forms.Field, raw: str):
        if has_control_characters(raw):
            return _("Remove the control characters (such as NUL) from this value.")
        free_text = type(field) is forms.CharField
        if not free_text and not raw.isascii():
            return _("Write this value with ASCII characters only (digits 0-9).")
        if isinstance(field, forms.IntegerField) and not WHOLE_NUMBER.match(raw.strip()):
            return _("Give a whole number (digits 0-9, at most 18).")
        if isinstance(field, forms.NullBooleanField) and raw not in BOOLEAN_VALUES:
            return _("“%(value)s” is not one of the allowed values: true, false.") % {"value": raw}
        return None


class RecordFilterSet(django_filters.FilterSet):
    """A resource's filters, for its API endpoint and its list page.

    The API takes the declared filters (its OpenAPI schema lists them, with their help texts),
    ``updated_since`` (for incremental sync) on every resource. A list page takes the filters
    named in ``page_filters``, in that order: its form shows exactly these. Each name maps to the
    options with which the page shows the declared filter of that name (``label``,
    ``empty_label``, the ``queryset`` or ``choices`` its drop-down offers, ``widget``; no help
    text unless given), or, where the page means something else by the name, to a filter of
    its own. :class:`FilterBackend` makes the API's FilterSets (``api=True``)."""

    #: the list page's filters: name -> {option: value} or a Filter
    page_filters: dict[str, dict | django_filters.Filter] = {}
    #: pairs of the page's year filters of which the first may not be after the second: the
    #: filtered list is empty, and the form says why
    year_ranges: tuple[tuple[str, str], ...] = ()

    updated_since = UTCDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_("Only records created or changed at or after this time (ISO 8601); switches to cursor pagination."),
    )

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, api: bool = False):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.api = api
        if not api:
            self.filters = {name: self.page_filter(name, shown) for name, shown in self.page_filters.items()}

    def get_form_class(self):
        form_class = super().get_form_class()
        return type(form_class.__name__, (StrictFilterForm, form_class), {})

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        cleaned_data = self.form.cleaned_data
        for first_name, last_name in () if self.api else self.year_ranges:
            first, last = cleaned_data.get(first_name), cleaned_data.get(last_name)
            if first is not None and last is not None and first > last:
                self.form.add_error(last_name, _("The end year cannot be before the start year."))
        return queryset

    def page_filter(self, name: str, shown: dict | django_filters.Filter) -> django_filters.Filter:
        """The page's filter ``name``: this FilterSet's copy of the declared one with the page's
        options, or a copy of the page's own."""
        if isinstance(shown, django_filters.Filter):
            page_filter = copy.deepcopy(shown)
            page_filter.field_name = page_filter.field_name or name
        else:
            page_filter = self.filters[name]
            page_filter.extra["help_text"] = ""
            for option, value in shown.items():
                if hasattr(page_filter, option):
                    setattr(page_filter, option, value)
                else:
                    page_filter.extra[option] = value
            page_filter.__dict__.pop("_field", None)
        page_filter.model, page_filter.parent = self.queryset.model, self
        return page_filter


class FilterBackend(DjangoFilterBackend):
    """The API's filtering (``DEFAULT_FILTER_BACKENDS``): the resource's FilterSet with the API's
    filters, an invalid value answered with a 400.

    A request that gives none of the FilterSet's parameters gets the queryset as it is, without
    building the FilterSet and its form (a millisecond of a list page): every filter leaves the
    queryset alone when its value is empty, which ``tests/test_api_performance.py`` checks for
    every resource."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not names_a_filter(request.query_params, filterset_class):
            return queryset
        return super().filter_queryset(request, queryset, view)

    def get_filterset_kwargs(self, request, queryset, view):
        return {**super().get_filterset_kwargs(request, queryset, view), "api": True}


def names_a_filter(params, filterset_class) -> bool:
    """Whether a query parameter is one of the FilterSet's, or one of its widgets' (a range's
    ``year_min``)."""
    names = filterset_class.base_filters
    return any(param in names or param.split("_")[0] in _prefixes(filterset_class) for param in params)


@functools.cache
def _prefixes(filterset_class) -> frozenset[str]:
    return frozenset(name.split("_")[0] for name in filterset_class.base_filters)
