"""Stable identifiers for API routes: a record's natural key joined with "~".

Networks, cities and projects are identified by their slug (``mercociudades``), countries by
ISO code (``UY``), SDGs by number; records without a slug by the natural key that identifies
them across databases: a membership is ``mercociudades~montevideo-uy~1995-11-11`` (network,
city, start). An unknown part (e.g. an unknown start) is left empty: ``c40~london-gb~``.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.http import Http404

from core.partialdates import PartialDateField

SEPARATOR = "~"


def record_key(instance) -> str:
    return SEPARATOR.join("" if part is None else str(part) for part in instance.natural_key())


def split_key(key: str) -> list[str | None]:
    return [part if part != "" else None for part in key.split(SEPARATOR)]


INTEGER_RANGE = (-(2**31), 2**31 - 1)


def _check_integer_parts(model, parts) -> None:
    """Integer key parts must be integers the database can hold (PostgreSQL refuses, with an
    error, what SQLite would simply not find)."""
    for path, part in zip(model.NATURAL_KEY, parts, strict=False):
        field = model._meta.get_field(path.split("__")[0]) if "__" not in path else None
        if part is not None and isinstance(field, models.IntegerField) and not isinstance(field, PartialDateField):
            number = int(part)  # ValueError: not a key
            if not INTEGER_RANGE[0] <= number <= INTEGER_RANGE[1]:
                raise ValueError(part)


def get_by_key(queryset, key: str):
    """The record of ``queryset`` with this key, or Http404."""
    try:
        parts = split_key(key)
        _check_integer_parts(queryset.model, parts)
        return queryset.get_by_natural_key(*parts)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError) as error:
        raise Http404(f"No {queryset.model._meta.verbose_name} with the key “{key}”.") from error
