"""The tables of the dataset: one CSV file per table, each with its Table Schema.

A table's columns are read off its model (:func:`model_table`): every concrete field but the
database id and the timestamps, a translated field as one column per language, a foreign key as
the stable key of the record it points to. So a field added to a model reaches the dataset
without touching this module, and a field of a type the dataset cannot describe stops the export
(:class:`UnknownField`) rather than leaving it out in silence.

Every table has a primary key made of stable keys, never database ids: ``key``, the record's key
as the API gives it (:func:`core.api.keys.record_key`: a slug, a code, or a stored key),
or, for the rows that link two records (a project's SDGs), the keys of the two records.

Rows are read with one ``values_list()`` query per table, streamed (``iterator()``), so the
export holds one chunk of rows at a time whatever the size of the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from modeltranslation.translator import NotRegistered, translator

from cities.models import BlocParticipation, City, Country, RegionalBloc, Twinning
from core.api.keys import SEPARATOR, key_paths
from core.partialdates import PartialDate, PartialDateField
from networks.models import (
    GoverningBody,
    Membership,
    MembershipFigure,
    MembershipFigureCountry,
    Network,
    Office,
    Summit,
    ThematicUnit,
)
from projects.models import SDG, Organization, Programme, Project, ProjectCity, ProjectOrganization
from sources.models import Source

LANGUAGES = [code for code, _name in settings.LANGUAGES]

#: How a partial date is written: the year, the year and month, or the full date (ISO 8601).
PARTIAL_DATE_PATTERN = r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"
PARTIAL_DATE_NOTE = (
    "A date at the precision the source gives: YYYY, YYYY-MM or YYYY-MM-DD (a year stands for the whole year)."
)

#: Rows are fetched from the database in chunks of this many.
CHUNK = 2000

#: Fields never exported: database ids, the timestamps of the records (they change with every
#: load of the data and say nothing about the facts) and the curators' internal notes (never
#: public: no page, API answer or search result shows them either).
SKIPPED_FIELDS = {"id", "created_at", "updated_at", "notes"}


class UnknownField(Exception):
    """A model field the dataset does not know how to describe."""


@dataclass(frozen=True)
class Column:
    """One column: its name, Table Schema type and description, the ORM lookups it reads, and
    ``value(*values)`` turning those values into the cell."""

    name: str
    type: str
    description: str
    lookups: tuple[str, ...]
    value: Callable = lambda value: value
    constraints: dict = field(default_factory=dict)
    #: the table this column points to (its primary key), for a foreign key
    reference: str | None = None

    def schema(self) -> dict:
        data = {"name": self.name, "type": self.type, "description": self.description}
        if self.type == "date":
            data["format"] = "%Y-%m-%d"
        if self.constraints:
            data["constraints"] = dict(self.constraints)
        return data


@dataclass(frozen=True)
class Table:
    """One table of the dataset: a resource of the data package and its CSV file."""

    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    rows_of: Callable[[str], Iterator[tuple]]  # database alias -> the rows' values (lookups' order)
    primary_key: tuple[str, ...] = ("key",)

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]

    def rows(self, using: str) -> Iterator[list]:
        """The table's rows as cell values, read by one query, in a stable order."""
        lookups = _lookups(self.columns)
        readers = [(column.value, [lookups.index(lookup) for lookup in column.lookups]) for column in self.columns]
        for row in self.rows_of(using):
            yield [value(*[row[index] for index in indexes]) for value, indexes in readers]

    def schema(self) -> dict:
        """The Table Schema of the CSV file."""
        schema = {
            "fields": [column.schema() for column in self.columns],
            "missingValues": [""],
            "primaryKey": list(self.primary_key),
        }
        foreign_keys = [
            {
                "fields": [column.name],
                # An empty resource name is the table itself (Table Schema).
                "reference": {"resource": "" if column.reference == self.name else column.reference, "fields": ["key"]},
            }
            for column in self.columns
            if column.reference
        ]
        if foreign_keys:
            schema["foreignKeys"] = foreign_keys
        return schema


def _lookups(columns) -> list[str]:
    lookups: list[str] = []
    for column in columns:
        for lookup in column.lookups:
            if lookup not in lookups:
                lookups.append(lookup)
    return lookups


# --- keys ---------------------------------------------------------------------------------------


def _key_part(value) -> str:
    if value is None:
        return ""
    if isinstance(value, PartialDate):
        return value.isoformat()
    return str(value)


def join_key(*parts) -> str:
    """A record's key from the values of its natural key (as :func:`core.api.keys.record_key`)."""
    return SEPARATOR.join(_key_part(part) for part in parts)


def natural_key(model) -> tuple[str, ...]:
    return tuple(getattr(model, "NATURAL_KEY", ()))


def key_type(model) -> str:
    """The Table Schema type of a model's ``key``: an integer for a key made of one integer field
    (an SDG's number), else a string."""
    paths = key_paths(model)
    if len(paths) == 1 and "__" not in paths[0]:
        model_field = model._meta.get_field(paths[0])
        if isinstance(model_field, models.IntegerField) and not isinstance(model_field, PartialDateField):
            return "integer"
    return "string"


def key_column(model, description: str) -> Column:
    paths = key_paths(model)
    if len(paths) == 1:
        return Column("key", key_type(model), description, paths, constraints={"required": True, "unique": True})
    return Column("key", "string", description, paths, join_key, constraints={"required": True, "unique": True})


def reference_column(name: str, description: str, target, prefix: str, table: str) -> Column:
    """A foreign key: the key of the record ``prefix`` points to (empty when it points nowhere)."""
    paths = key_paths(target)
    lookups = (prefix, *[f"{prefix}__{path}" for path in paths])
    if len(paths) == 1:

        def value(pk, part):
            return None if pk is None else part

    else:

        def value(pk, *parts):
            return None if pk is None else join_key(*parts)

    return Column(name, key_type(target), description, lookups, value, reference=table)


# --- columns read off a model --------------------------------------------------------------------


def _describe(model_field) -> str:
    text = capfirst(str(model_field.verbose_name))
    if model_field.help_text:
        text = f"{text}. {model_field.help_text}"
    return text if text.endswith(".") else f"{text}."


def _translated_fields(model) -> set[str]:
    try:
        return set(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return set()


def _english_first(*values):
    """The first value given, in the order English reads them (English, then its fallbacks)."""
    for value in values:
        if value:
            return value
    return None


def _value_column(model_field, name: str, lookup: str, description: str) -> Column:
    """A column holding a field's own value."""
    constraints = {}
    if not model_field.null and not model_field.blank:
        constraints["required"] = True
    if model_field.choices:
        constraints["enum"] = [str(value) for value, _label in model_field.flatchoices if value != ""]
        labels = "; ".join(f"{value}: {label}" for value, label in model_field.flatchoices if value != "")
        description = f"{description} One of: {labels}."
    if isinstance(model_field, PartialDateField):
        constraints["pattern"] = PARTIAL_DATE_PATTERN
        return Column(name, "string", f"{description} {PARTIAL_DATE_NOTE}", (lookup,), constraints=constraints)
    if isinstance(model_field, models.BooleanField):
        kind = "boolean"
    elif isinstance(model_field, models.IntegerField):
        kind = "integer"
    elif isinstance(model_field, models.DecimalField):
        kind = "number"
    elif isinstance(model_field, models.DateTimeField):
        kind = "datetime"
    elif isinstance(model_field, models.DateField):
        kind = "date"
    elif isinstance(model_field, models.CharField | models.TextField):
        kind = "string"
    else:
        raise UnknownField(f"{model_field.model.__name__}.{model_field.name}: {type(model_field).__name__}")
    return Column(name, kind, description, (lookup,), constraints=constraints)


def field_columns(model, tables: dict, *, exclude=()) -> list[Column]:
    """The columns of ``model``'s concrete fields, in the model's order (see the module's
    docstring); ``tables`` maps a model to the name of its table, for foreign keys."""
    translated = _translated_fields(model)
    translation_columns = {f"{name}_{code}" for name in translated for code in LANGUAGES}
    keys = key_paths(model)
    single_key = keys[0] if len(keys) == 1 else None
    label_field = getattr(model, "REQUIRED_TRANSLATION", None)
    order = [settings.LANGUAGE_CODE, *settings.MODELTRANSLATION_FALLBACK_LANGUAGES[settings.LANGUAGE_CODE]]
    # The fields of the natural key first, in its order (a membership: network, city, start).
    leading = [path.split("__")[0] for path in natural_key(model)]
    fields = sorted(
        model._meta.concrete_fields,
        key=lambda model_field: leading.index(model_field.name) if model_field.name in leading else len(leading),
    )
    columns = []
    for model_field in fields:
        name = model_field.name
        if name in SKIPPED_FIELDS or name in exclude or name in translation_columns or name == single_key:
            continue
        description = _describe(model_field)
        if name in translated:
            if name == label_field:
                columns.append(
                    Column(
                        name,
                        "string",
                        f"{description} In English, or else in the first language that has it ({', '.join(order)}).",
                        tuple(f"{name}_{code}" for code in order),
                        _english_first,
                    )
                )
            for code in LANGUAGES:
                column = f"{name}_{code}"
                columns.append(Column(column, "string", f"{description} Language: {code}.", (column,)))
        elif model_field.is_relation:
            target = model_field.related_model
            if target not in tables:
                raise UnknownField(f"{model.__name__}.{name}: no table for {target.__name__}")
            columns.append(reference_column(name, description, target, name, tables[target]))
            if not model_field.null:
                columns[-1] = replace(columns[-1], constraints={"required": True})
        else:
            columns.append(_value_column(model_field, name, name, description))
    return columns


def _queryset_rows(model, columns, order: tuple[str, ...]) -> Callable[[str], Iterator[tuple]]:
    def rows(using: str) -> Iterator[tuple]:
        queryset = model._default_manager.using(using).order_by(*order, "pk")
        return queryset.values_list(*_lookups(columns)).iterator(chunk_size=CHUNK)

    return rows


def model_table(model, name: str, title: str, description: str, tables: dict, *, key: str = "", exclude=()) -> Table:
    """The table of ``model``'s records: ``key`` first (described by ``key``), then its fields."""
    columns = [key_column(model, key), *field_columns(model, tables, exclude=exclude)]
    return Table(name, title, description, tuple(columns), _queryset_rows(model, columns, natural_key(model)))


def link_table(model, name: str, title: str, description: str, tables: dict, links: tuple[str, str]) -> Table:
    """A table of rows linking two records (a many-to-many relation or a breakdown row): its
    primary key is the two records' keys."""
    columns = field_columns(model, tables)
    first, second = links
    order = tuple(
        f"{link}__{path}" for link in links for path in natural_key(model._meta.get_field(link).related_model)
    )
    return Table(name, title, description, tuple(columns), _queryset_rows(model, columns, order), (first, second))


# --- the citations -------------------------------------------------------------------------------


def citations_table(cited: dict) -> Table:
    """Every citation: which record (by table and key) cites which source, with its locator.
    One query per cited table."""
    resources = sorted(cited.values())
    columns = (
        Column(
            "resource",
            "string",
            "The table of the record that cites the source.",
            ("resource",),
            constraints={"required": True, "enum": resources},
        ),
        Column("record", "string", "The key of the record in that table.", ("record",), constraints={"required": True}),
        Column(
            "source",
            "string",
            "The key of the source cited.",
            ("source",),
            constraints={"required": True},
            reference="sources",
        ),
        Column("locator", "string", "Page, section or paragraph of the source, when given.", ("locator",)),
    )

    def rows(using: str) -> Iterator[tuple]:
        for model, resource in sorted(cited.items(), key=lambda item: item[1]):
            citation_model = model._meta.get_field("citations").related_model
            paths = key_paths(model)
            lookups = [f"record__{path}" for path in paths]
            queryset = (
                citation_model._default_manager.using(using)
                .order_by(*lookups, "source__key", "pk")
                .values_list(*lookups, "source__key", "locator")
            )
            for *parts, source, locator in queryset.iterator(chunk_size=CHUNK):
                yield (resource, join_key(*parts), source, locator)

    return Table(
        "citations",
        "Citations",
        "Which source each fact comes from: one row per record and source cited. Every table of "
        "facts is cited here (the key of a record is its table's key column).",
        columns,
        rows,
        ("resource", "record", "source"),
    )


# --- the tables, in the order of the data package ------------------------------------------------

KEY = "The record's key, as the API gives it: its natural key, parts joined by “~”, an unknown part left empty."

#: (model, table, title, description, key): ``key`` describes the ``key`` column of a record's
#: table, or names the two columns that key a table linking two records. Each table comes after
#: the tables its foreign keys point to.
TABLES = (
    (Source, "sources", "Sources", "The documents every fact comes from (the bibliography).",
     "The source's key (used in citations)."),
    (Country, "countries", "Countries",
     "Sovereign states (ISO 3166-1) and what their subnational governments may do abroad.",
     "ISO 3166-1 alpha-2 code."),
    (RegionalBloc, "regional_blocs", "Regional blocs", "Regional integration blocs of states (MERCOSUR…).",
     "The bloc's slug."),
    (BlocParticipation, "bloc_participations", "Bloc participations",
     "A country's participation in a regional bloc for a period, with its status.", KEY),
    (City, "cities", "Cities",
     "Cities and other subnational governments (municipalities, metropolitan and intermediate governments).",
     "The city's slug: name and country code."),
    (Twinning, "twinnings", "Twinnings",
     "Agreements between two cities (twinning, sister cities, friendship, cooperation).", KEY),
    (Network, "networks", "Networks", "Networks of cities and other subnational governments.",
     "The network's slug."),
    (GoverningBody, "governing_bodies", "Governing bodies",
     "The governing bodies of each network, in force for a period.", KEY),
    (ThematicUnit, "thematic_units", "Thematic units",
     "Standing working bodies of a network on one theme (thematic units, committees, forums…).", KEY),
    (Summit, "summits", "Summits",
     "Meetings of a network's members (summits, congresses, general assemblies).", KEY),
    (Membership, "memberships", "Memberships",
     "A city's membership of a network for a period. Only memberships whose certainty is “stated” are "
     "counted as members by Paradiplo; “probable” and “uncertain” ones are recorded evidence, never counted.",
     KEY),
    (Office, "offices", "Offices",
     "A city holding a role in a network (presidency, secretariat, coordination of a thematic unit…) for a "
     "period.", KEY),
    (MembershipFigure, "membership_figures", "Reported membership figures",
     "Membership sizes reported by a source (“N members in C countries on date D”), kept beside the "
     "memberships recorded.", KEY),
    (MembershipFigureCountry, "membership_figure_countries", "Reported figures by country",
     "One country's line in a reported membership breakdown.", ("figure", "country")),
    (SDG, "sdgs", "Sustainable Development Goals", "The 17 Sustainable Development Goals.", "The goal's number."),
    (Organization, "organizations", "Organizations",
     "Funders and partners that are not member cities (banks, agencies, universities…).",
     "The organization's slug."),
    (Programme, "programmes", "Programmes", "Networks' funding lines.", "The programme's slug."),
    (Programme.sdgs.through, "programme_sdgs", "Programmes' SDGs",
     "The goals a source says a programme selects its projects for.", ("programme", "sdg")),
    (Project, "projects", "Projects", "Cooperation projects that cities run together.", "The project's slug."),
    (Project.sdgs.through, "project_sdgs", "Projects' SDGs", "The goals a source says a project works towards.",
     ("project", "sdg")),
    (ProjectCity, "project_cities", "Projects' cities", "The cities taking part in each project, with their role.",
     KEY),
    (ProjectOrganization, "project_organizations", "Projects' organizations",
     "The organizations in each project, with their role and, for funders, the amount contributed.", KEY),
)  # fmt: skip

#: The table of each kind of record, for foreign keys.
MODEL_TABLES = {model: name for model, name, _title, _description, key in TABLES if isinstance(key, str)}


def tables() -> list[Table]:
    """The tables of the dataset, in the order of :data:`TABLES`, then the citations."""
    result = [
        model_table(model, name, title, description, MODEL_TABLES, key=key)
        if isinstance(key, str)
        else link_table(model, name, title, description, MODEL_TABLES, key)
        for model, name, title, description, key in TABLES
    ]
    cited = {model: name for model, name in MODEL_TABLES.items() if _has_citations(model)}
    return [*result, citations_table(cited)]


def _has_citations(model) -> bool:
    try:
        model._meta.get_field("citations")
    except FieldDoesNotExist:
        return False
    return True
