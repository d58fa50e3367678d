"""Query building blocks shared by the apps' selectors (public pages, API, admin): translated-name
ordering, correlated counts and the citations of records, each adding a fixed number of queries
whatever the number of rows."""

from __future__ import annotations

import functools

from django.conf import settings
from django.db.models import CharField, Count, Func, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation

from .records import LANGUAGE_CODES
from .text import fold

#: How names sort on PostgreSQL: ICU's root collation, built into PostgreSQL's ICU builds (the
#: Unicode Collation Algorithm: "São Paulo" before "Sydney", "Łódź" among the Ls, case second).
POSTGRESQL_NAME_COLLATION = "und-x-icu"
#: … and on SQLite: a collation registered on every connection (:func:`register_name_collation`).
SQLITE_NAME_COLLATION = "paradiplo_names"


@functools.lru_cache(maxsize=65536)
def name_sort_key(text: str | None) -> tuple[str, str, str]:
    """How names sort (SQLite and Python): by their letters without accents and case
    (:func:`core.text.fold`), then by case, then as written: "São Paulo" before "Sydney"."""
    text = text or ""
    return fold(text), text.casefold(), text


def _compare_names(first: str, second: str) -> int:
    one, other = name_sort_key(first), name_sort_key(second)
    return (one > other) - (one < other)


def register_name_collation(sender, connection, **kwargs):
    """``connection_created`` receiver: SQLite learns :data:`SQLITE_NAME_COLLATION` (PostgreSQL
    has its ICU collation already)."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_NAME_COLLATION, _compare_names)


class NameOrder(Func):
    """``expression COLLATE <the database's collation of names>``: a text that sorts (and compares)
    as people sort names, not by code point, on both databases."""

    template = "%(expressions)s"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        template = f'(%(expressions)s) COLLATE "{POSTGRESQL_NAME_COLLATION}"'
        return self.as_sql(compiler, connection, template=template, **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        template = f"(%(expressions)s) COLLATE {SQLITE_NAME_COLLATION}"
        return self.as_sql(compiler, connection, template=template, **extra_context)


def name_coalesce(field: str = "name"):
    """Sort key for a translated name, in the active language with its fallbacks (``filter()``
    and ``order_by()`` do not apply modeltranslation's fallbacks themselves), in the names'
    collation (:class:`NameOrder`: "São Paulo" before "Sydney" on both databases). Build it per
    request, after the language is activated."""
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    fallbacks = settings.MODELTRANSLATION_FALLBACK_LANGUAGES
    order = [language, *fallbacks.get(language, fallbacks["default"])]
    order = [code for code in dict.fromkeys(order) if code in LANGUAGE_CODES]
    names = Coalesce(*[NullIf(f"{field}_{code}", Value("")) for code in order], Value(""), output_field=CharField())
    return NameOrder(names)


def correlated_count(queryset: QuerySet, outer_field: str, outer_ref: str = "pk", distinct: str = "pk") -> Coalesce:
    """A correlated COUNT of ``queryset`` rows whose ``outer_field`` is the outer row: several of
    these in one query do not multiply each other's rows as joined ``Count()`` would."""
    counted = (
        queryset.filter(**{outer_field: OuterRef(outer_ref)})
        .order_by()
        .values(outer_field)
        .annotate(n=Count(distinct, distinct=True))
    )
    return Coalesce(Subquery(counted.values("n")[:1], output_field=IntegerField()), Value(0))


def citations_prefetch(record_model, prefix: str = "") -> Prefetch:
    """The ``citations`` of ``record_model`` rows (reached through ``prefix``, e.g. ``"city__"``)
    with their sources, in the order they were recorded, so that a page numbers its references
    the same way on every request and database. One query."""
    citation_model = record_model._meta.get_field("citations").related_model
    return Prefetch(f"{prefix}citations", queryset=citation_model.objects.select_related("source").order_by("pk"))
