"""Natural-key lookups remembered for the length of one fixture load.

Django's deserializer finds every record and every foreign key of a natural-key fixture with a
query of its own (``get_by_natural_key``), and builds each record's own key by following its
foreign keys (``natural_key()``), one query per relation: about 55,000 queries for the 4,300
records of the real data. Inside :func:`remembered` (which :func:`core.loading.load_fixtures`
uses), a record found or saved once is found again without a query, and a table that was empty
when the load began is known to hold only what the load saved, so a key missing from it is
missing without a query either. Outside a load nothing changes.

The memory belongs to one load, in one transaction on one database: it is a context variable, so
two loads in two threads do not share it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import models


@dataclass
class _Memory:
    using: str
    by_key: dict[tuple[type[models.Model], tuple], models.Model] = field(default_factory=dict)
    by_pk: dict[tuple[type[models.Model], object], models.Model] = field(default_factory=dict)
    started_empty: dict[type[models.Model], bool] = field(default_factory=dict)

    def was_empty(self, model: type[models.Model]) -> bool:
        if model not in self.started_empty:
            self.started_empty[model] = not model._base_manager.using(self.using).exists()
        return self.started_empty[model]


_memory: ContextVar[_Memory | None] = ContextVar("natural_key_memory", default=None)


@contextmanager
def remembered(using: str) -> Iterator[None]:
    """Remember natural-key lookups on the database ``using`` until the block ends."""
    token = _memory.set(_Memory(using))
    try:
        yield
    finally:
        _memory.reset(token)


def lookup(queryset: models.QuerySet, key: tuple, fetch: Callable[[], models.Model]) -> models.Model:
    """``fetch()`` (the record of ``queryset.model`` with the natural key ``key``), or what a
    lookup of the same key, or a save, already gave during the current load."""
    memory = _memory.get()
    if memory is None or queryset.db != memory.using:
        return fetch()
    model = queryset.model
    found = memory.by_key.get((model, tuple(key)))
    if found is not None:
        return found
    if memory.was_empty(model):
        raise model.DoesNotExist(f"{model._meta.object_name} matching the natural key {key!r} does not exist.")
    found = fetch()
    memory.by_key[(model, tuple(key))] = found
    memory.by_pk[(model, found.pk)] = found
    return found


def related(instance: models.Model, name: str):
    """``getattr(instance, name)``; for a foreign key during a load, the related record already
    found or saved, without a query."""
    memory = _memory.get()
    if memory is None:
        return getattr(instance, name)
    relation = instance._meta.get_field(name)
    if not (relation.many_to_one or relation.one_to_one) or not relation.concrete:
        return getattr(instance, name)
    pk = getattr(instance, relation.attname)
    if pk is None:
        return None
    model = relation.related_model
    found = memory.by_pk.get((model, pk))
    if found is None:
        found = getattr(instance, name)
        memory.by_pk[(model, pk)] = found
    return found


def stored(model: type[models.Model], pk) -> models.Model | None:
    """The record ``pk`` of ``model`` as the current load last found or saved it, if it did."""
    memory = _memory.get()
    return None if memory is None else memory.by_pk.get((model, pk))


def remember(instance: models.Model) -> None:
    """Note a record the current load just saved, under its primary key and its natural key."""
    memory = _memory.get()
    if memory is None:
        return
    model = type(instance)
    memory.by_pk[(model, instance.pk)] = instance
    if hasattr(instance, "natural_key"):
        memory.by_key[(model, tuple(instance.natural_key()))] = instance


def filling_empty_table(model: type[models.Model], using: str) -> bool:
    """Whether the current load (on ``using``) is filling a table of ``model`` that was empty when
    it began: every row in it was saved by this load."""
    memory = _memory.get()
    return memory is not None and memory.using == using and memory.was_empty(model)
