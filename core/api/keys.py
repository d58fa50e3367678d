"""Stable identifiers for API routes: a record's key.

Networks, cities, projects, organizations, programmes, regional blocs and sources are identified
by their slug (``mercociudades``), countries by ISO code (``UY``), SDGs by number. Renaming one
changes its key: the old key stays an alias of the record (:class:`core.models.KeyAlias`), so
``GET`` on it answers 301 to the new one, and the deletion feed lists the old key with the new
one as ``replaced_by`` (:mod:`core.tombstones`).

Records without a slug of their own, and those whose key names a parent (a membership, an office,
a summit, a twinning…, :class:`core.records.KeyedRecord`), have a key stored when they are first
saved: their natural key joined with "~", e.g. a membership is
``mercociudades~montevideo-uy~1995-11-11`` (network, city, start); an unknown part (an unknown
start) is left empty: ``c40~london-gb~``. The key never changes after that: correcting the start,
or renaming the network's slug, leaves it as it was. A new record whose natural key is already
another record's key (that record's date was corrected since) gets the first free suffix:
``mercociudades~montevideo-uy~1995-11-11~2``. Keys are opaque: clients store them, they do not
build them (a natural key built from today's values still finds the record: ``GET`` on it
answers 301 to the stored key, as for an old slug).
"""

from __future__ import annotations

from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist, ValidationError
from django.db import models
from django.http import Http404

from core import naturalkeys
from core.partialdates import PartialDate, PartialDateField

SEPARATOR = "~"
#: the column of a :class:`core.records.KeyedRecord` that holds its key
KEY_FIELD = "key"


def stores_key(model) -> bool:
    return bool(getattr(model, "STORED_KEY", False))


def key_paths(model) -> tuple[str, ...]:
    """The field paths a record's key is read from: its ``key`` column when it stores one, else
    its natural key's fields."""
    if stores_key(model):
        return (KEY_FIELD,)
    return tuple(getattr(model, "NATURAL_KEY", ()))


def join_parts(parts) -> str:
    """A key from the values of a natural key (PartialDates as ISO text, None as empty)."""
    return SEPARATOR.join(
        "" if part is None else part.isoformat() if isinstance(part, PartialDate) else str(part) for part in parts
    )


def natural_key_text(instance) -> str:
    """The record's natural key joined with "~" (what a new record's stored key starts from)."""
    return join_parts(instance.natural_key())


def record_key(instance) -> str:
    """The record's key in the API."""
    if stores_key(type(instance)):
        return getattr(instance, KEY_FIELD) or natural_key_text(instance)
    return natural_key_text(instance)


def split_key(key: str) -> list[str | None]:
    return [part if part != "" else None for part in key.split(SEPARATOR)]


def assign_key(instance, using: str) -> None:
    """Give a new :class:`core.records.KeyedRecord` its key: its natural key joined with "~",
    or that with the first free suffix ``~2``, ``~3``… when another record of the model holds it
    (one query; none while a fixture load fills a table that started empty, where every key is a
    natural key and the constraints of the natural key keep them apart)."""
    base = natural_key_text(instance)
    model = type(instance)
    if naturalkeys.filling_empty_table(model, using):
        setattr(instance, KEY_FIELD, base)
        return
    taken = set(
        model._base_manager.using(using)
        .filter(models.Q(key=base) | models.Q(key__startswith=base + SEPARATOR))
        .exclude(pk=instance.pk)
        .values_list(KEY_FIELD, flat=True)
    )
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}{SEPARATOR}{number}"
    setattr(instance, KEY_FIELD, key)


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


def get_by_key(queryset, key: str, *, aliases: bool = False):
    """The record of ``queryset`` with this key, or Http404. With ``aliases``, an old key of a
    renamed record (:func:`renamed_record`) finds it too."""
    model = queryset.model
    try:
        if stores_key(model):
            return queryset.get(**{KEY_FIELD: key})
        parts = split_key(key)
        _check_integer_parts(model, parts)
        return queryset.get_by_natural_key(*parts)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError) as error:
        found = renamed_record(queryset, key) if aliases else None
        if found is not None:
            return found
        raise Http404(f"No {model._meta.verbose_name} with the key “{key}”.") from error


def renamed_record(queryset, key: str):
    """The record of ``queryset`` that ``key`` names without being its key, or None: a renamed
    record's old key (one query: the alias joined to the record), or, for a record with a stored
    key, its natural key as it stands now (built from today's slugs and dates, as the search
    index does)."""
    from core.models import KeyAlias

    model = queryset.model
    if stores_key(model):
        parts = split_key(key)
        if len(parts) != len(model.NATURAL_KEY):
            return None
        try:
            _check_integer_parts(model, parts)
            return queryset.get_by_natural_key(*parts)
        except (ObjectDoesNotExist, ValueError, TypeError, ValidationError, MultipleObjectsReturned):
            return None
    record_ids = KeyAlias.objects.filter(model=queryset.model._meta.label_lower, old_key=key).values("record_id")
    return queryset.filter(pk__in=record_ids).first()
