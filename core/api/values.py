"""Rows read as plain values: a serializer's plan (:mod:`core.api.rows`) turned into the columns
of one ``values_list()`` query and a function that builds each record's JSON data from its
row, without making model instances.

A list page of 100 memberships makes some 800 model instances (each membership with its
network, city, country and summit, and its citations with their sources), each through
``__init__`` and its signals; that costs ten times the query. Here the same query reads only
the columns the serializer shows, and the related lists (citations, a project's cities…) are
read by one ``values_list()`` query each, as their prefetches would be, in the same order.

A serializer is read this way when every field of it is one of these (else its resource keeps
the instance plan, which gives the same data): a model field (a translated one with
modeltranslation's fallbacks, for the request's language), its key, URL, translations and date
precision; a field through forward relations (``country.code``); a summary or nested record
through a forward relation; and, on the top record only, lists through a reverse or
many-to-many relation. ``tests/test_api_performance.py`` compares the two paths on every list.

Exports read the rows the same way: the CSV cells straight from the rows (:meth:`ValuesPlan.csv`),
and the GeoJSON features straight from the rows as JSON text (:meth:`ValuesPlan.geojson`), by one
function compiled per plan that writes each record's JSON as ``json`` would write its data,
without building the data first.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models import BooleanField, Expression, F, Prefetch
from modeltranslation.fields import NONE as _NONE
from modeltranslation.fields import TranslationFieldDescriptor
from modeltranslation.utils import get_language, resolution_order

from core.partialdates import PartialDate
from core.records import LANGUAGE_CODES

from .fields import TranslationsField
from .keys import SEPARATOR, key_paths
from .rows import for_request, list_text, plan_of, url_builder


class NotPlannable(Exception):
    """A serializer that cannot be read from plain values (see the module's docstring)."""


@dataclass
class Columns:
    """The columns a values plan reads, by ORM lookup, each once."""

    names: list[str] = field(default_factory=list)

    def index(self, lookup: str) -> int:
        if lookup not in self.names:
            self.names.append(lookup)
        return self.names.index(lookup)


@dataclass
class Many:
    """A list read by a query of its own: ``name`` in the data, ``relation`` of the model."""

    name: str
    lookup: str  # the relation's name on the parent model
    child_model: type[models.Model]
    link: str  # the lookup from the child rows back to the parent's primary key
    plan: ValuesPlan


@dataclass
class ValuesPlan:
    """A serializer read from ``values_list()`` rows (see the module's docstring)."""

    serializer_class: type
    model: type[models.Model]
    columns: Columns
    readers: list[tuple[str, Callable]]  # (name, make(context) -> reader(row) -> value)
    many: list[Many] = field(default_factory=list)
    pk_index: int = 0
    updated_index: int | None = None
    #: make(context) -> (key -> URL), when the first two fields are the key and the URL
    url_of_key: Callable | None = None
    #: the compiled record function and its parameters (see :func:`_plan_code`), once made
    _code: tuple | None = None
    #: the same for the record's JSON text
    _json: tuple | None = None
    #: the CSV columns (as :func:`core.api.rows.csv_columns` names them), each read from the row:
    #: (column, make(context) -> reader(row) -> value), or (column, Many) for a list
    cells: list[tuple[str, Callable | Many]] = field(default_factory=list)

    def queryset(self, queryset):
        """``queryset`` (filtered, ordered, annotated) reading this plan's columns as tuples."""
        return _values_list(queryset.prefetch_related(None), self.columns.names)

    def bind(self, context: dict, queryset=None) -> Callable[[list[tuple]], list[dict]]:
        """For one request: ``rows -> the records' data`` (each list read by one query per
        call, the rows of ``queryset``'s own prefetch of it when it has one, in its order)."""
        record = self.record(context)
        lists = [(many, many.plan.bind(context), _related_queryset(queryset, many)) for many in self.many]
        pk_index = self.pk_index

        def build(rows: list[tuple]) -> list[dict]:
            data = [record(row) for row in rows]
            if lists and rows:
                ids = [row[pk_index] for row in rows]
                for many, build_child, related in lists:
                    grouped = _children(related, many, ids)
                    for item, pk in zip(data, ids, strict=True):
                        item[many.name] = build_child(grouped.get(pk, ()))
            return data

        return build

    def csv(self, context: dict, queryset=None) -> tuple[list[str], Callable[[list[tuple]], list[list]]]:
        """For one request: the CSV header and ``rows -> their cells``, read from the rows
        straight into the columns (no record data built and flattened)."""
        header = [column for column, _cell in self.cells]
        # Each list's cell texts of the current batch, by record.
        texts: dict[str, dict] = {many.name: {} for many in self.many}
        lists = [
            (
                many,
                many.plan.bind(context),
                _related_queryset(queryset, many),
                list_text(many.plan.serializer_class),
                texts[many.name],
            )
            for many in self.many
        ]
        pk_index = self.pk_index
        readers = []
        for _column, cell in self.cells:
            if isinstance(cell, Many):
                readers.append(functools.partial(_list_cell, texts[cell.name], pk_index))
            else:
                readers.append(cell(context))

        def cells(rows: list[tuple]) -> list[list]:
            if lists and rows:
                ids = [row[pk_index] for row in rows]
                for many, build_child, related, text, batch in lists:
                    batch.clear()
                    batch.update(
                        (pk, text(build_child(children))) for pk, children in _children(related, many, ids).items()
                    )
            return [[read(row) for read in readers] for row in rows]

        return header, cells

    def record(self, context: dict) -> Callable[[tuple], dict]:
        """For one request: ``row -> one record's data`` (its lists left empty): one function
        whose body is a single dict display of the row's columns (see :func:`_plan_code`),
        made from code compiled once per plan."""
        if self._code is None:
            self._code = _plan_code(self, _DictEmitter())
        code, parameters = self._code
        return code(*(parameter(context) for parameter in parameters))

    def json_record(self, context: dict, lists: dict | None = None) -> Callable[[tuple], str]:
        """For one request: ``row -> one record's data as JSON text``, exactly as
        ``json.JSONEncoder(ensure_ascii=False, default=str)`` writes :meth:`record`'s data, from
        code compiled once per plan (see :func:`_plan_code`). A list of the record is read from
        ``lists[name]`` (``primary key -> its JSON text``), ``[]`` when missing."""
        if self._json is None:
            self._json = _plan_code(self, _JSONEmitter())
        code, parameters = self._json
        lists = {} if lists is None else lists
        arguments = []
        for parameter in parameters:
            if isinstance(parameter, Many):
                texts = lists.setdefault(parameter.name, {})
                arguments.append(functools.partial(_list_json, texts, self.pk_index))
            else:
                arguments.append(parameter(context))
        return code(*arguments)

    def geojson(self, context: dict, queryset, point: Callable) -> Callable[[list[tuple]], str]:
        """For one request: ``rows -> their GeoJSON features, joined by ","``, each written as
        ``json.JSONEncoder(ensure_ascii=False, default=str)`` writes
        :func:`core.api.renderers.feature` of the record and ``point(record)``, byte for byte,
        without building the records: the record's JSON is written from the row
        (:meth:`json_record`), and ``point`` is given a record whose values are read from the
        row when asked for. Each list is read by one query per call, as :meth:`bind` reads it."""
        texts: dict[str, dict] = {}
        properties = self.json_record(context, texts)
        child_rows: dict[str, dict] = {many.name: {} for many in self.many}
        lists = [
            (many, many.plan.json_record(context), _related_queryset(queryset, many), texts.setdefault(many.name, {}))
            for many in self.many
        ]
        getters = self._getters(context, child_rows)
        pk_index = self.pk_index
        key = getters.get("key")

        def feature(row) -> str:
            lon, lat = point(_LazyRecord(getters, row))
            record_id = "null" if key is None else _json_value(key(row))
            geometry = _point_json(lon, lat)
            return f'{{"type": "Feature", "id": {record_id}, "geometry": {geometry}, "properties": {properties(row)}}}'

        def features(rows: list[tuple]) -> str:
            if lists and rows:
                ids = [row[pk_index] for row in rows]
                for many, child_json, related, batch in lists:
                    grouped = _children(related, many, ids)
                    child_rows[many.name] = grouped
                    batch.clear()
                    batch.update(
                        (pk, "[" + ", ".join(map(child_json, children)) + "]") for pk, children in grouped.items()
                    )
            return ",".join(map(feature, rows))

        return features

    def _getters(self, context: dict, child_rows: dict) -> dict[str, Callable]:
        """``name -> (row -> the record's value)`` for :class:`_LazyRecord`."""
        getters = {}
        for name, make in self.readers:
            many = next((many for many in self.many if many.name == name), None)
            if many is not None:
                build = many.plan.bind(context)
                getters[name] = functools.partial(_child_records, build, child_rows, name, self.pk_index)
            else:
                getters[name] = make(context)
        return getters


class _LazyRecord:
    """A record whose values are read from its row when asked for (what a view's
    ``geojson_point`` reads of it, usually two values)."""

    __slots__ = ("getters", "row")

    def __init__(self, getters: dict, row: tuple):
        self.getters, self.row = getters, row

    def get(self, name, default=None):
        getter = self.getters.get(name)
        return default if getter is None else getter(self.row)

    def __getitem__(self, name):
        return self.getters[name](self.row)

    def __contains__(self, name):
        return name in self.getters


def _child_records(build, child_rows: dict, name: str, pk_index: int, row) -> list[dict]:
    return build(child_rows[name].get(row[pk_index], []))


def _list_json(texts: dict, pk_index: int, row) -> str:
    return texts.get(row[pk_index], "[]")


# What json.JSONEncoder(ensure_ascii=False, default=str) writes, a value at a time.
_encode_string = json.encoder.encode_basestring
_encode = json.JSONEncoder(ensure_ascii=False, default=str).encode


def _json_value(value) -> str:
    kind = value.__class__
    if kind is str:
        return _encode_string(value)
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    if kind is bool:
        return "true" if value else "false"
    return _encode(value)


def _json_float(number: float) -> str:
    return float.__repr__(number) if math.isfinite(number) else _encode(number)


def _point_json(lon, lat) -> str:
    """:func:`core.api.renderers.feature`'s geometry as JSON text."""
    if lon is None or lat is None:
        return "null"
    return f'{{"type": "Point", "coordinates": [{_json_float(float(lon))}, {_json_float(float(lat))}]}}'


class _Emitter:
    """How :func:`_plan_code` writes one record's members as Python source: the record's data
    (:class:`_DictEmitter`) or its JSON text (:class:`_JSONEmitter`). Each method returns an
    expression; ``value`` wraps the expression of a value read from the row."""

    #: the name of the compiled row function (shown in tracebacks)
    function = "record"
    #: what a None column (or a missing nested record) gives
    null = "None"
    #: the names the generated code uses
    namespace: dict = {}

    def key(self, expression: str) -> str:
        return expression

    def value(self, expression: str) -> str:
        return expression

    def many(self, bind: Callable[[object], str], many: Many) -> str:
        """A list of the record (filled later by :meth:`ValuesPlan.bind`)."""
        return "None"

    def display(self, items: list[tuple[str, str]]) -> str:
        raise NotImplementedError


class _DictEmitter(_Emitter):
    """One dict display: ``{'key': (k := …), 'name': row[3], …}``."""

    def display(self, items):
        return "{" + ", ".join(f"{name!r}: {value}" for name, value in items) + "}"


class _JSONEmitter(_Emitter):
    """One string concatenation of the members' names (encoded once, here) and their values
    (``null`` for a None column, else the value through :func:`_json_value`); a list of the
    record (a :class:`Many`) is a parameter given by :meth:`ValuesPlan.json_record`."""

    function = "record_json"
    null = "'null'"

    @property
    def namespace(self):
        return {"J": _json_value, "S": _encode_string}

    def key(self, expression):
        return f"S({expression})"

    def value(self, expression):
        return f"J({expression})"

    def many(self, bind, many):
        return f"{bind(many)}(row)"

    def display(self, items):
        if not items:
            return "'{}'"
        parts = []
        for position, (name, value) in enumerate(items):
            prefix = ("{" if position == 0 else ", ") + _encode_string(name) + ": "
            parts.append(repr(prefix))
            parts.append(value)
        parts.append("'}'")
        return "(" + " + ".join(parts) + ")"


def _plan_code(plan: ValuesPlan, emit: _Emitter) -> tuple[Callable, list]:
    """Python source for ``plan``'s records, compiled once, written by ``emit``: a function of
    the request's bound readers returning the row function, whose body is one expression: plain
    columns read as ``row[i]``, converted ones through their converter, nested records inline,
    the key worked out once for the key and the URL. Returns the function and, for each of its
    parameters, what gives the argument for a request (``make(context)``, or a :class:`Many`
    for :meth:`ValuesPlan.json_record`)."""
    parameters: list = []

    def bind(make) -> str:
        parameters.append(make)
        return f"p{len(parameters) - 1}"

    def display(plan: ValuesPlan) -> str:
        items = []
        readers = list(plan.readers)
        if plan.url_of_key is not None:
            (key_name, key_make), (url_name, _url_make), *readers = readers
            key = f"k{len(parameters)}"
            items.append((key_name, emit.key(f"({key} := {bind(key_make)}(row))")))
            items.append((url_name, emit.value(f"{bind(plan.url_of_key)}({key})")))
        many_names = {many.name: many for many in plan.many}
        for name, make in readers:
            if name in many_names:
                items.append((name, emit.many(bind, many_names[name])))
            elif getattr(make, "nested", None) is not None:
                fk_index, child = make.nested
                items.append((name, f"({emit.null} if row[{fk_index}] is None else {display(child)})"))
            elif getattr(make, "plain", False):
                items.append((name, emit.value(f"row[{make.index}]")))
            elif getattr(make, "index", None) is not None:
                convert = bind(functools.partial(_bound_converter, make.convert))
                value = emit.value(f"{convert}(row[{make.index}])")
                items.append((name, f"({emit.null} if row[{make.index}] is None else {value})"))
            else:
                items.append((name, emit.value(f"{bind(make)}(row)")))
        return emit.display(items)

    body = display(plan)
    names = ", ".join(f"p{index}" for index in range(len(parameters)))
    function = emit.function
    source = f"def make({names}):\n    def {function}(row):\n        return {body}\n    return {function}\n"
    namespace = dict(emit.namespace)
    label = f"<values plan of {plan.serializer_class.__name__}, {function}>"
    exec(compile(source, label, "exec"), namespace)  # noqa: S102
    return namespace["make"], parameters


def _bound_converter(convert, context):
    return for_request(convert)


def _children(related, many: Many, ids: list) -> dict:
    """The rows of ``many`` of the records ``ids``, by record: one query."""
    grouped: dict = {}
    for child in _values_list(related.filter(AnyOf(many.link, ids)), [many.link, *many.plan.columns.names]):
        grouped.setdefault(child[0], []).append(child[1:])
    return grouped


class AnyOf(Expression):
    """``column IN (values)`` for a list of plain values (the primary keys of a batch of
    records), as one parameter on PostgreSQL (``= ANY(%s)``). Django's ``__in`` lookup prepares
    each value on its own, which costs more than the query for a batch of 2,000."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str, values: list):
        super().__init__()
        self.column, self.values = F(column), list(values)

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, expressions):
        (self.column,) = expressions

    def as_sql(self, compiler, connection):
        if not self.values:
            raise EmptyResultSet
        column, params = compiler.compile(self.column)
        return f"{column} IN ({', '.join(['%s'] * len(self.values))})", [*params, *self.values]

    def as_postgresql(self, compiler, connection):
        column, params = compiler.compile(self.column)
        return f"{column} = ANY(%s)", [*params, self.values]


def _values_list(queryset, columns: list[str]):
    """``queryset.values_list(*columns)`` as Django reads it. The columns name each language
    of a translated field (``name_es``), never the field itself, so modeltranslation has nothing
    to rewrite; its values iterator, which applies fallbacks through a dict per row, is skipped
    (the plan applies them itself)."""
    if hasattr(queryset, "rewrite"):
        queryset = queryset.rewrite(False)
    return queryset.values_list(*columns)


def _list_cell(texts: dict, pk_index: int, row) -> str:
    return texts.get(row[pk_index], "")


def _related_queryset(queryset, many: Many):
    """The queryset that ``queryset``'s prefetch of ``many`` would read (its ordering), or the
    related model's default one."""
    for lookup in getattr(queryset, "_prefetch_related_lookups", ()) if queryset is not None else ():
        if isinstance(lookup, Prefetch) and lookup.prefetch_to == many.lookup and lookup.queryset is not None:
            return lookup.queryset.prefetch_related(None)
    return many.child_model._default_manager.all()


@functools.cache
def values_plan(serializer_class: type) -> ValuesPlan | None:
    """The values plan of a serializer with a model, or None when it cannot have one."""
    model = getattr(getattr(serializer_class, "Meta", None), "model", None)
    if model is None:
        return None
    try:
        return _compile(serializer_class, model, lists=True)
    except NotPlannable:
        return None


def _compile(serializer_class, model, *, lists: bool, prefix: str = "", columns: Columns | None = None) -> ValuesPlan:
    columns = Columns() if columns is None else columns
    plan = ValuesPlan(serializer_class, model, columns, readers=[])
    if lists:
        plan.pk_index = columns.index(prefix + "pk")
    template_fields = serializer_class().fields
    for step in plan_of(serializer_class).steps:
        drf_field = template_fields[step.name]
        if step.kind == "key":
            plan.readers.append((step.name, _static(_key_reader(model, prefix, columns))))
        elif step.kind == "url":
            plan.readers.append((step.name, _url_reader(step.basename, _key_reader(model, prefix, columns))))
            if [kind for kind in (s.kind for s in plan_of(serializer_class).steps[:2])] == ["key", "url"]:
                plan.url_of_key = _url_of_key(step.basename)
        elif step.kind == "nested":
            relation = _forward(model, drf_field.source_attrs)
            child = _compile(
                step.child, relation.related_model, lists=False, prefix=prefix + relation.name + "__", columns=columns
            )
            fk_index = columns.index(prefix + relation.name)
            plan.readers.append((step.name, _nested_reader(fk_index, child)))
            if prefix:  # a record inside a nested one: one CSV column of its key (core.api.rows.csv_columns)
                key = _static(_key_reader(relation.related_model, prefix + relation.name + "__", columns))
                plan.cells.append((step.name, _nested_cell(fk_index, key)))
            else:
                plan.cells += [(f"{step.name}.{column}", _nested_cell(fk_index, cell)) for column, cell in child.cells]
            continue
        elif step.kind == "many":
            if not lists:
                raise NotPlannable(step.name)
            plan.many.append(_many(model, step, drf_field))
            plan.readers.append((step.name, _static(_unread)))  # keeps its place; filled by bind()
            plan.cells.append((step.name, plan.many[-1]))
            continue
        elif step.kind == "value":
            plan.readers.append((step.name, _value_reader(model, prefix, columns, step, drf_field)))
            if isinstance(drf_field, TranslationsField):
                plan.cells += [
                    (
                        f"{step.name}.{code}",
                        _static(_translation_cell(columns.index(f"{prefix}{drf_field.field}_{code}"))),
                    )
                    for code in LANGUAGE_CODES
                ]
                continue
        else:
            raise NotPlannable(step.name)
        plan.cells.append(plan.readers[-1])
    if prefix == "" and "updated_at" in {f.name for f in model._meta.concrete_fields}:
        plan.updated_index = columns.index("updated_at")
    return plan


def _forward(model, attrs) -> models.Field:
    """The forward relation (foreign key or one-to-one) named by a one-attribute source."""
    if len(attrs) != 1:
        raise NotPlannable(".".join(attrs))
    try:
        relation = model._meta.get_field(attrs[0])
    except Exception as error:  # noqa: BLE001 - FieldDoesNotExist: a property or method
        raise NotPlannable(attrs[0]) from error
    if not (relation.is_relation and (relation.many_to_one or relation.one_to_one) and relation.concrete):
        raise NotPlannable(attrs[0])
    return relation


def _many(model, step, drf_field) -> Many:
    attrs = drf_field.source_attrs
    if len(attrs) != 1:
        raise NotPlannable(step.name)
    try:
        relation = model._meta.get_field(attrs[0])
    except Exception as error:  # noqa: BLE001
        raise NotPlannable(step.name) from error
    if relation.many_to_many and relation.concrete:  # a many-to-many field of this model
        link = relation.related_query_name()
    elif relation.one_to_many or (relation.many_to_many and not relation.concrete):  # a reverse relation
        link = relation.field.name
    else:
        raise NotPlannable(step.name)
    child_model = relation.related_model
    child_class = step.child
    child_meta_model = getattr(getattr(child_class, "Meta", None), "model", None)
    if child_meta_model not in (None, child_model):
        raise NotPlannable(step.name)
    child = _compile(child_class, child_model, lists=False)
    return Many(step.name, attrs[0], child_model, link, child)


def _unread(row):
    return None


def _translated(model, name) -> TranslationFieldDescriptor | None:
    descriptor = getattr(model, name, None)
    return descriptor if isinstance(descriptor, TranslationFieldDescriptor) else None


def _value_reader(model, prefix, columns, step, drf_field):
    from .fields import PrecisionField, TranslationsField

    convert = step.convert
    attrs = drf_field.source_attrs
    if isinstance(drf_field, TranslationsField):
        indexes = [(code, columns.index(f"{prefix}{drf_field.field}_{code}")) for code in LANGUAGE_CODES]
        return _static(lambda row: {code: row[index] or None for code, index in indexes})
    if isinstance(drf_field, PrecisionField):
        index = columns.index(prefix + drf_field.date_field)
        return _static(lambda row: row[index].precision if isinstance(row[index], PartialDate) else None)
    if not attrs or type(drf_field).get_attribute is not _base_get_attribute():
        raise NotPlannable(step.name)
    owner, nullable = model, False
    for attr in attrs[:-1]:  # forward relations only; a None on the way gives None, as allow_null does
        relation = _forward(owner, [attr])
        owner, nullable = relation.related_model, nullable or relation.null
    if nullable and not drf_field.allow_null:  # DRF would leave the field out: not a column's doing
        raise NotPlannable(step.name)
    last = attrs[-1]
    path = prefix + "__".join(attrs)
    descriptor = _translated(owner, last)
    if descriptor is not None:
        return _translated_reader(
            descriptor, [(code, columns.index(f"{path}_{code}")) for code in LANGUAGE_CODES], convert
        )
    try:
        model_field = owner._meta.get_field(last)
    except Exception as error:  # noqa: BLE001 - a property or method
        raise NotPlannable(step.name) from error
    if not model_field.concrete or model_field.is_relation and not last.endswith("_id"):
        raise NotPlannable(step.name)
    index = columns.index(path)

    def make(context):
        bound = for_request(convert)

        def read(row):
            value = row[index]
            return None if value is None else bound(value)

        return read

    make.index, make.convert = index, convert
    # A text, whole number or boolean column whose converter returns such a value unchanged
    # (str(), int(), DRF's BooleanField) is its own representation.
    make.plain = (
        getattr(convert, "exact_kind", None)
        is _DATABASE_KINDS.get(model_field.get_internal_type() if not hasattr(model_field, "from_db_value") else None)
        is not None
    )
    return make


_DATABASE_KINDS = {
    **dict.fromkeys(["CharField", "TextField", "SlugField", "URLField", "EmailField"], str),
    **dict.fromkeys(
        [
            "IntegerField",
            "BigIntegerField",
            "SmallIntegerField",
            "PositiveIntegerField",
            "PositiveBigIntegerField",
            "PositiveSmallIntegerField",
        ],
        int,
    ),
    "BooleanField": bool,
}


@functools.cache
def _base_get_attribute():
    from rest_framework.fields import Field

    return Field.get_attribute


def _static(reader):
    return lambda context: reader


def _translated_reader(descriptor: TranslationFieldDescriptor, indexes, convert):
    """modeltranslation's fallbacks (``TranslationFieldDescriptor.__get__``) over the row's
    columns, in the language of the request the reader is made for."""
    position = dict(indexes)

    def make(context):
        bound = for_request(convert)
        order = [position[code] for code in resolution_order(get_language(), descriptor.fallback_languages)]
        undefined = descriptor.fallback_undefined
        if undefined is _NONE:
            undefined = descriptor.field.get_default()

        def read(row):
            for index in order:
                value = row[index]
                if value is not None and value != undefined:
                    return bound(value)
            # no language has a value: what the descriptor answers then (fallback value or default)
            value = descriptor.__get__(_Empty(), None)
            return None if value is None else bound(value)

        return read

    return make


class _Empty:
    """An object whose every translation is missing (for the descriptor's last resort)."""

    def __getattr__(self, name):
        return None


def _key_reader(model, prefix, columns):
    """The record's key (:func:`core.api.keys.record_key`) from its key columns (its stored key,
    or its natural key's: :func:`core.api.keys.key_paths`)."""
    indexes = []
    for path in key_paths(model):
        indexes.append(columns.index(prefix + path))

    def key(row) -> str:
        parts = []
        for index in indexes:
            value = row[index]
            if value is None:
                parts.append("")
            elif isinstance(value, PartialDate):
                parts.append(value.isoformat())
            else:
                parts.append(str(value))
        return SEPARATOR.join(parts)

    if not getattr(model, "NATURAL_KEY", ()):
        raise NotPlannable("key")
    return key


def _url_reader(basename, key):
    def make(context):
        urls = url_builder(basename, context.get("request"))
        return lambda row: urls.for_key(key(row))

    return make


def _nested_cell(fk_index, make):
    def make_cell(context):
        read = make(context)
        return lambda row: None if row[fk_index] is None else read(row)

    return make_cell


def _translation_cell(index):
    return lambda row: row[index] or None


def _url_of_key(basename):
    def make(context):
        return url_builder(basename, context.get("request")).for_key

    return make


def _nested_reader(fk_index, child: ValuesPlan):
    def make(context):
        record = child.record(context)

        def read(row):
            return None if row[fk_index] is None else record(row)

        return read

    make.nested = (fk_index, child)
    return make


def iter_chunks(rows: Iterable, size: int) -> Iterable[list]:
    """``rows`` in lists of ``size`` (the last one shorter)."""
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
