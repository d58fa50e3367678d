"""Reads of the bibliography pages: sources with how often they are cited, and the records
that cite one source, found in every concrete citation table.

Each fact-bearing model has its own citation table (``MembershipCitation``…, see
:func:`sources.models.citation_model`); they are discovered here, so a table added later shows
up on the pages without a change. Every read runs a fixed number of queries: counts are
correlated subqueries on the ``source`` foreign key (indexed), and the citing records of one
source take at most one query per citation table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import add

from django.apps import apps
from django.db.models import Count, IntegerField, Model, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.text import capfirst
from django.utils.translation import get_language

from core.queries import name_sort_key
from core.records import lang_of

from .models import Citation, Source

#: the most citing records listed per record type on a source's page: those whose citation of
#: the source was recorded last (the counts are exact).
CITING_RECORDS_LIMIT = 500

#: translated fields that may name a record, in the order :func:`record_name` looks for them.
NAME_FIELDS = ("name", "title", "short_name")


#: apps whose records come first on a source's page (what researchers look for first); the
#: others follow in the order of the installed apps.
APP_ORDER = ("networks", "projects", "cities")


def citation_models() -> list[type[Citation]]:
    """Every concrete citation table: networks' first, then projects', then places', each app's
    in the order its models are defined."""
    models = [model for model in apps.get_models() if issubclass(model, Citation)]

    def rank(model):
        label = model._meta.app_label
        return APP_ORDER.index(label) if label in APP_ORDER else len(APP_ORDER)

    return sorted(models, key=rank)  # stable: keeps the definition order within an app


def record_model(citation_model: type[Citation]) -> type[Model]:
    return citation_model._meta.get_field("record").related_model


def count_name(citation_model: type[Citation]) -> str:
    return f"cited_in_{citation_model._meta.model_name}"


def _count_subquery(citation_model: type[Citation]):
    counts = (
        citation_model.objects.filter(source=OuterRef("pk"))
        .order_by()
        .values("source")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def with_citation_count(queryset: QuerySet) -> QuerySet:
    """Sources annotated with ``citation_count``: how many records cite each, all tables together."""
    return queryset.annotate(citation_count=reduce(add, (_count_subquery(model) for model in citation_models())))


def source_rows() -> QuerySet:
    """The bibliography: every source with its citation count, by title."""
    return with_citation_count(Source.objects.all()).order_by("title", "key")


def source_export_rows() -> QuerySet:
    """Sources for the BibTeX and CSL-JSON exports: deterministic, sorted by key."""
    return Source.objects.order_by("key")


def source_detail_queryset() -> QuerySet:
    """Sources annotated with their citation count in each table (``cited_in_<table>``)."""
    return Source.objects.annotate(**{count_name(model): _count_subquery(model) for model in citation_models()})


def source_languages() -> list[str]:
    """The languages sources are written in (ISO 639-1 codes), for the language filter."""
    return list(Source.objects.exclude(language="").order_by("language").values_list("language", flat=True).distinct())


# --- The records that cite one source ------------------------------------------------------


@dataclass
class Link:
    text: str
    url: str
    lang: str | None = None  # set when the text is shown in another language than the page's


@dataclass
class CitingRecord:
    label: str
    url: str | None
    lang: str | None
    locator: str
    #: for a record without a page of its own: the pages it ties together, one per column of
    #: its group (None where the record has no such link)
    related: list[Link | None] = field(default_factory=list)


@dataclass
class CitingGroup:
    """The records of one type (memberships, summits…) that cite a source. A type without
    pages of its own (memberships, offices…) has a column per related page (network, city…)."""

    model: type[Model]
    total: int
    records: list[CitingRecord]
    columns: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def key(self) -> str:
        return self.model._meta.model_name

    @property
    def truncated(self) -> bool:
        return self.total > len(self.records)


def _has_page(model: type[Model]) -> bool:
    return hasattr(model, "get_absolute_url")


def _foreign_keys(model: type[Model]) -> list:
    return [f for f in model._meta.concrete_fields if f.many_to_one and f.related_model is not None]


def _related_paths(model: type[Model]) -> list[str]:
    """What ``select_related`` needs to label and link a record of ``model`` without queries:
    its foreign keys (``__str__`` of memberships, summits and offices uses them; thematic units
    and summits need their network for their URL); for records without a page of their own,
    also the foreign keys of the records they link to (an office's summit needs its network)."""
    paths = []
    for fk in _foreign_keys(model):
        paths.append(f"record__{fk.name}")
        if not _has_page(model) and _has_page(fk.related_model):
            paths.extend(f"record__{fk.name}__{inner.name}" for inner in _foreign_keys(fk.related_model))
    return paths


def record_name(obj: Model) -> tuple[str, str | None]:
    """A record's name as the page shows it and, when that name is in another language than
    the active one (a translation fallback), the language it is in."""
    text = str(obj)
    active = (get_language() or "en").split("-")[0]
    for name in NAME_FIELDS:
        if hasattr(obj, f"{name}_en") and getattr(obj, name, None) == text:
            shown = lang_of(obj, name, active)
            return text, (shown if shown and shown != active else None)
    return text, None


def _linked_keys(model: type[Model]) -> list:
    """The foreign keys of a record without a page that lead to pages (a membership's network,
    city and admitting summit), in the order of the model's fields: the owner comes first."""
    if _has_page(model):
        return []
    return [fk for fk in _foreign_keys(model) if _has_page(fk.related_model)]


def _citing_record(citation: Citation, linked_keys: list) -> CitingRecord:
    record = citation.record
    label, lang = record_name(record)
    if not linked_keys:
        return CitingRecord(
            label, record.get_absolute_url() if _has_page(type(record)) else None, lang, citation.locator
        )
    related: list[Link | None] = []
    for fk in linked_keys:
        target = getattr(record, fk.name) if getattr(record, fk.attname) is not None else None
        if target is None:
            related.append(None)
        else:
            text, text_lang = record_name(target)
            related.append(Link(text, target.get_absolute_url(), text_lang))
    owner = next((link for link in related if link is not None), None)
    return CitingRecord(label, owner.url if owner else None, lang, citation.locator, related)


def citing_groups(source: Source) -> list[CitingGroup]:
    """The records that cite ``source``, grouped by type, each group sorted by label. A group
    with more than :data:`CITING_RECORDS_LIMIT` records lists those whose citation of the source
    was recorded last (the newest citation rows, chosen in SQL before the slice), so that the subset
    shown is the same on every request and database and can be described on the page.

    ``source`` comes from :func:`source_detail_queryset`: tables that do not cite it are not
    queried at all; each of the others takes one query (at most :data:`CITING_RECORDS_LIMIT`
    rows)."""
    groups = []
    for model in citation_models():
        total = getattr(source, count_name(model), None)
        if total is None:  # not annotated: count now (one query)
            total = model.objects.filter(source=source).count()
        if not total:
            continue
        target = record_model(model)
        citations = (
            model.objects.filter(source=source)
            .select_related("record", *_related_paths(target))
            .order_by("-pk")[:CITING_RECORDS_LIMIT]
        )
        linked_keys = _linked_keys(target)
        records = sorted(
            (_citing_record(citation, linked_keys) for citation in citations), key=lambda r: name_sort_key(r.label)
        )
        columns = [capfirst(fk.verbose_name) for fk in linked_keys]
        groups.append(CitingGroup(target, total, records, columns))
    return groups
