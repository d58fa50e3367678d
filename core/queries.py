"""Query building blocks shared by the apps' selectors (public pages, API, admin): translated-name
ordering, correlated counts and the citations of records, each adding a fixed number of queries
whatever the number of rows."""

from __future__ import annotations

from django.conf import settings
from django.db.models import CharField, Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation

from .records import LANGUAGE_CODES


def name_coalesce(field: str = "name"):
    """Sort key for a translated name, in the active language with its fallbacks (``filter()``
    and ``order_by()`` do not apply modeltranslation's fallbacks themselves). Build it per
    request, after the language is activated."""
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    fallbacks = settings.MODELTRANSLATION_FALLBACK_LANGUAGES
    order = [language, *fallbacks.get(language, fallbacks["default"])]
    order = [code for code in dict.fromkeys(order) if code in LANGUAGE_CODES]
    return Coalesce(*[NullIf(f"{field}_{code}", Value("")) for code in order], Value(""), output_field=CharField())


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
