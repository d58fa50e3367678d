"""Stable identifiers for API routes: a record's natural key joined with "~".

Networks, cities and projects are identified by their slug (``mercociudades``), countries by
ISO code (``UY``), SDGs by number; records without a slug by the natural key that identifies
them across databases: a membership is ``mercociudades~montevideo-uy~1995-11-11`` (network,
city, start). An unknown part (e.g. an unknown start) is left empty: ``c40~london-gb~``.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404

SEPARATOR = "~"


def record_key(instance) -> str:
    return SEPARATOR.join("" if part is None else str(part) for part in instance.natural_key())


def split_key(key: str) -> list[str | None]:
    return [part if part != "" else None for part in key.split(SEPARATOR)]


def get_by_key(queryset, key: str):
    """The record of ``queryset`` with this key, or Http404."""
    try:
        return queryset.get_by_natural_key(*split_key(key))
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError) as error:
        raise Http404(f"No {queryset.model._meta.verbose_name} with the key “{key}”.") from error
