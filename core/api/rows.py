"""A serializer's representation worked out once, then applied to every row.

DRF builds a serializer's fields on each serializer instance (``get_fields``: model
introspection, field kwargs, labels), and a summary made of a serializer per related object
pays that for every object; then every field of every row goes through the generic
``get_attribute``/``to_representation`` machinery. Here:

- :func:`plan_of` works out a serializer class's fields once per process (its *plan*): which
  attribute each field reads and how it turns it into JSON, nested serializers and summaries
  included. Only fields whose representation needs nothing from the request are taken into a
  plan as they are (DRF's primitive fields and Paradiplo's own); any other field is resolved
  per request, on a serializer built with the request's context (see :attr:`Plan.unplanned`).
- :meth:`Plan.bind` turns a plan into a row function for one request: a record's detail URL
  built from one ``reverse()`` per resource (a template with the quoted key put in its place),
  method fields bound to a serializer of that request. Binding is done once per request,
  whatever the number of rows or related objects.

The output is exactly what the serializers' own ``to_representation`` gives (the API's tests
compare the two on every list endpoint in every language).
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models.manager import BaseManager
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation
from rest_framework import ISO_8601, relations, serializers
from rest_framework import fields as drf_fields
from rest_framework.fields import SkipField
from rest_framework.settings import api_settings

from core.records import LANGUAGE_CODES

from .keys import record_key

Row = Callable[[object], dict]

#: Keys put into a URL template as they are: ``quote()`` leaves these characters alone and
#: they cannot make a ``.``/``..`` path segment. Any other key goes through ``reverse()``.
PLAIN_KEY = re.compile(r"(?!\.{1,2}\Z)[-A-Za-z0-9_.~]+\Z")
_MARK = "PARADIPLOKEY"


def identity(value):
    return value


def _exactly(kind: type, convert: Callable) -> Callable:
    """``convert``, skipped for values already of type ``kind`` (which it returns unchanged)."""

    def converted(value):
        return value if value.__class__ is kind else convert(value)

    converted.exact_kind = kind
    return converted


def _converter(field: drf_fields.Field) -> Callable:
    """The representation of a primitive field, or a cheaper one that returns the same."""
    kind = type(field)
    if kind in (drf_fields.CharField, drf_fields.SlugField, drf_fields.URLField, drf_fields.EmailField):
        return _exactly(str, field.to_representation)  # str(value)
    if kind is drf_fields.ChoiceField:
        return _exactly(str, field.to_representation)  # a text choice is its own key
    if kind is drf_fields.IntegerField:
        return _exactly(int, field.to_representation)  # int(value)
    if kind is drf_fields.BooleanField:
        return _exactly(bool, field.to_representation)
    if kind is drf_fields.DateTimeField:
        return _datetime_converter(field)
    if kind is drf_fields.DecimalField:
        return _decimal_converter(field)
    return field.to_representation


def _datetime_converter(field: drf_fields.DateTimeField) -> Callable:
    """DRF's ISO 8601 representation of an aware datetime in the current time zone
    (``DateTimeField.to_representation`` with ``enforce_timezone``), without its generic checks;
    anything else (a naive value, another format) goes through DRF itself. The time zone is
    looked up once per request (:func:`for_request`)."""
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    if not isinstance(output_format, str) or output_format.lower() != ISO_8601 or hasattr(field, "timezone"):
        return field.to_representation

    def per_request():
        zone = timezone.get_current_timezone() if settings.USE_TZ else None

        def convert(value):
            if zone is None or value.__class__ is not datetime.datetime or value.utcoffset() is None:
                return field.to_representation(value)
            try:
                text = value.astimezone(zone).isoformat()
            except OverflowError:
                return field.to_representation(value)
            return text[:-6] + "Z" if text.endswith("+00:00") else text

        return convert

    def convert(value):
        return per_request()(value)

    convert.per_request = per_request
    return convert


def _decimal_converter(field: drf_fields.DecimalField) -> Callable:
    """DRF's text of a decimal that already has the field's places and digits (as the database
    gives it): quantizing it changes nothing, so it is formatted as it is; any other value goes
    through DRF itself."""
    places, digits = field.decimal_places, field.max_digits
    plain = (
        getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
        and not field.localize
        and places is not None
        and digits is not None
    )
    if not plain:
        return field.to_representation

    def convert(value):
        if value.__class__ is Decimal and value.is_finite():
            sign, numerals, exponent = value.as_tuple()
            if exponent == -places and len(numerals) <= digits:
                return f"{value:f}"
        return field.to_representation(value)

    return convert


def for_request(convert: Callable) -> Callable:
    """``convert`` as it stands for the current request (a converter may look up something
    per request, such as the time zone, once instead of per value)."""
    per_request = getattr(convert, "per_request", None)
    return per_request() if per_request is not None else convert


@dataclass
class Step:
    """How one field of a plan reads a record: ``kind`` says what :meth:`Plan.bind` does."""

    name: str
    kind: str  # "value", "key", "url", "method", "nested", "many", "unplanned"
    get: Callable = identity
    convert: Callable = identity
    child: type | None = None  # the serializer of a nested object or list
    basename: str = ""
    field: drf_fields.Field | None = None


#: Fields whose representation needs nothing but the value (no request, no parent serializer).
#: Subclasses of other fields, and fields not listed, are resolved per request.
def _context_free(field) -> bool:
    from . import fields as api_fields
    from . import serializers as api_serializers

    if isinstance(field, serializers.SerializerMethodField | serializers.HiddenField):
        return False
    own = (
        api_fields.DecimalNumberField,
        api_fields.IdentifierURLField,
        api_fields.PartialDateSerializerField,
        api_fields.PrecisionField,
        api_fields.TranslationsField,
        api_serializers.KeyField,
    )
    return type(field) in own or type(field).__module__ == drf_fields.__name__


@dataclass
class Plan:
    """The fields of a serializer class, worked out once (see the module's docstring)."""

    serializer_class: type
    steps: list[Step] = dataclasses.field(default_factory=list)

    @property
    def unplanned(self) -> list[str]:
        """Fields resolved per request by the serializer's own machinery (slower)."""
        return [step.name for step in self.steps if step.kind == "unplanned"]

    def bind(self, context: dict, memo: dict | None = None) -> Row:
        """This plan's row function for one request (``context``: the serializer context)."""
        memo = {} if memo is None else memo
        if self.serializer_class in memo:
            return memo[self.serializer_class]
        steps: list[tuple[str, Callable, Callable]] = []
        rows: list = []
        memo[self.serializer_class] = lambda record: rows[0](record)  # a serializer nested in itself
        serializer = None  # one serializer of this request, built only for method or unplanned fields
        for step in self.steps:
            get, convert = step.get, for_request(step.convert)
            if step.kind == "url":
                convert = url_builder(step.basename, context.get("request"))
            elif step.kind in ("nested", "many"):
                child = plan_of(step.child).bind(context, memo)
                convert = _list_of(child) if step.kind == "many" else child
            elif step.kind in ("method", "unplanned"):
                if serializer is None:
                    serializer = self.serializer_class(context=context)
                if step.kind == "method":
                    convert = getattr(serializer, step.field.method_name)
                else:
                    bound = serializer.fields[step.name]
                    get, convert = bound.get_attribute, bound.to_representation
            steps.append((step.name, get, convert))
        steps = tuple(steps)

        def row(record) -> dict:
            data = {}
            for name, get, convert in steps:
                try:
                    value = get(record)
                except SkipField:
                    continue
                data[name] = None if value is None else convert(value)
            return data

        rows.append(row)
        memo[self.serializer_class] = row
        return row


def _list_of(child: Row) -> Callable:
    def items(related) -> list:
        if isinstance(related, BaseManager):  # a related manager (its prefetched rows, if any)
            related = related.all()
        return [child(item) for item in related]

    return items


@functools.cache
def plan_of(serializer_class: type) -> Plan:
    """The plan of ``serializer_class``, worked out on its first use in this process."""
    from .fields import SummaryField
    from .serializers import KeyField, RecordURLField

    template = serializer_class()  # no context: only its fields' declaration is read
    plan = Plan(serializer_class)
    for name, field in template.fields.items():
        if field.write_only:
            continue
        if isinstance(field, KeyField):
            plan.steps.append(Step(name, "key", convert=record_key))
        elif isinstance(field, RecordURLField):
            plan.steps.append(Step(name, "url", basename=field.basename))
        elif isinstance(field, SummaryField):
            plan.steps.append(Step(name, "nested", get=field.get_attribute, child=field.summary_class))
        elif isinstance(field, relations.ManyRelatedField) and isinstance(field.child_relation, SummaryField):
            plan.steps.append(Step(name, "many", get=field.get_attribute, child=field.child_relation.summary_class))
        elif isinstance(field, serializers.ListSerializer):
            plan.steps.append(Step(name, "many", get=field.get_attribute, child=type(field.child)))
        elif isinstance(field, serializers.BaseSerializer):
            plan.steps.append(Step(name, "nested", get=field.get_attribute, child=type(field)))
        elif isinstance(field, serializers.SerializerMethodField):
            plan.steps.append(Step(name, "method", get=field.get_attribute, field=field))
        elif _context_free(field):
            plan.steps.append(Step(name, "value", get=_getter(template, field), convert=_converter(field)))
        else:
            plan.steps.append(Step(name, "unplanned", field=field))
    return plan


def _getter(serializer, field) -> Callable:
    """Reads the field's value: a plain attribute getter for a concrete model field (what DRF's
    ``get_attribute`` would do, without its generic checks), DRF's own otherwise."""
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    attrs = field.source_attrs
    plain = type(field).get_attribute is drf_fields.Field.get_attribute
    if plain and model is not None and len(attrs) == 1 and attrs[0] in _concrete_names(model):
        return operator.attrgetter(attrs[0])
    return field.get_attribute


@functools.cache
def _concrete_names(model) -> frozenset[str]:
    names = set()
    for model_field in model._meta.concrete_fields:
        names.add(model_field.attname)
        if not model_field.is_relation:
            names.add(model_field.name)
    return frozenset(names)


class RecordURLs:
    """``record -> its detail URL`` for one request: one ``reverse()`` for the resource, then the
    key put in its place; a key with characters that need quoting (or that make a ``.`` path
    segment) goes through ``reverse()`` itself, so every URL is the one ``reverse()`` and
    ``build_absolute_uri`` give."""

    def __init__(self, basename: str, request):
        self.name = f"api:{basename}-detail"
        self.request = request
        path = _template_path(self.name)
        template = None
        if path is not None:
            template = self.request.build_absolute_uri(path) if self.request is not None else path
        self.template = tuple(template.split(_MARK)) if template and template.count(_MARK) == 1 else None

    def for_key(self, key: str, fast: bool = True) -> str | None:
        if fast and self.template is not None and PLAIN_KEY.match(key):
            return self.template[0] + key + self.template[1]
        try:
            path = reverse(self.name, kwargs={"key": key})
        except NoReverseMatch:
            return None
        return self.request.build_absolute_uri(path) if self.request is not None else path

    def __call__(self, record) -> str | None:
        return self.for_key(record_key(record))


#: reverse(name, key=_MARK) by (name, URL configuration, script prefix, language): the same for
#: every request of a process (the host and scheme are added per request).
_template_paths: dict[tuple, str | None] = {}
TEMPLATE_PATHS_KEPT = 1024


def _template_path(name: str) -> str | None:
    """The path of ``name``'s detail URL with :data:`_MARK` for its key, reversed once per URL
    configuration, script prefix and language rather than once per resource and request."""
    cache_key = (name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), translation.get_language())
    if cache_key in _template_paths:
        return _template_paths[cache_key]
    try:
        path = reverse(name, kwargs={"key": _MARK})
    except NoReverseMatch:
        path = None
    if len(_template_paths) >= TEMPLATE_PATHS_KEPT:
        _template_paths.clear()
    _template_paths[cache_key] = path
    return path


def url_builder(basename: str, request) -> RecordURLs:
    return RecordURLs(basename, request)


# CSV ------------------------------------------------------------------------------------------


def csv_columns(serializer_class: type, *, nested: bool = False) -> list[tuple[str, Callable[[dict], object]]]:
    """The CSV columns of a serializer's data, from its declaration (stable, whatever the data):
    ``(column, value)`` pairs, ``value(record data)`` giving the cell's value. A summary or
    nested object becomes dotted columns (``network.key``, ``country.name``), and a record
    inside it one column of its key (a membership's ``city.country``: ``UY``); translations one
    column per language (``name_i18n.es``), a list one column of text (see :func:`list_text`)."""
    from .fields import TranslationsField

    template = serializer_class()
    columns = []
    for step in plan_of(serializer_class).steps:
        name = step.name
        if step.kind == "nested" and nested:
            columns.append((name, _inside(name, _key_text)))
        elif step.kind == "nested":
            for column, value in csv_columns(step.child, nested=True):
                columns.append((f"{name}.{column}", _inside(name, value)))
        elif step.kind == "many":
            columns.append((name, _listed(name, list_text(step.child))))
        elif isinstance(template.fields.get(name), TranslationsField):
            columns += [(f"{name}.{code}", _inside(name, operator.itemgetter(code))) for code in LANGUAGE_CODES]
        else:
            columns.append((name, operator.itemgetter(name)))
    return columns


def _inside(name: str, value: Callable) -> Callable:
    def inner(record):
        nested = record[name]
        return None if nested is None else value(nested)

    return inner


def _listed(name: str, text: Callable) -> Callable:
    return lambda record: text(record[name])


def list_text(serializer_class: type) -> Callable[[list], str]:
    """A list of records as the text of one CSV cell: each item as its serializer's
    ``csv_text`` says (a citation: ``Title (p. 5)``), else its key, joined with ``"; "``."""
    item_text = getattr(serializer_class, "csv_text", None) or _key_text

    def text(items) -> str:
        return "; ".join(item_text(item) or "" for item in items or ())

    return text


def _key_text(item: dict) -> str | None:
    key = item.get("key")
    return None if key is None else str(key)
