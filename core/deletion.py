"""Deleting a record never takes other records along.

Django's ``on_delete`` rules would cascade (a network's memberships, a thematic unit's offices),
set other records' relations to null (the summit that admitted a member) or refuse with an
exception (a country's cities, a city's summits). :func:`dependants` finds, before anything is
written, every other record that deleting a record would delete, change or is kept from
deleting by; :func:`core.services.delete_record` refuses with :class:`HasDependants` while there
is one. The admin shows them on its delete confirmation page instead of offering the cascade,
and the API answers 409 listing them.

A record's own parts go with it: its citations (tables with a ``record`` relation), the rows of
its many-to-many relations, rows whose ownership is reached through it (a project's
participating cities, a figure's per-country rows: their ``NETWORK_PATH`` goes through it) and
the grants of editing a network (``OWNERSHIP_GRANT_MODEL``).
"""

from __future__ import annotations

from collections import Counter

from django.db import models, router
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import ownership

#: Dependants listed one by one (the count is always complete).
LISTED = 20


class HasDependants(Exception):
    """A record cannot be deleted while others depend on it: ``records`` (up to :data:`LISTED`)
    and ``counts`` (every dependant, by model)."""

    def __init__(self, instance: models.Model, records: list[models.Model], counts: Counter):
        self.instance, self.records, self.counts = instance, records, counts
        super().__init__(str(self.summary()))

    def summary(self):
        parts = ", ".join(
            f"{model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural}: {count}"
            for model, count in self.counts.items()
        )
        return format_lazy(
            _(
                "“{record}” cannot be deleted while other records depend on it ({dependants}). "
                "Delete them or link them elsewhere first."
            ),
            record=self.instance,
            dependants=parts,
        )


def is_part(model: type[models.Model], owner: type[models.Model]) -> bool:
    """Whether rows of ``model`` are parts of records of ``owner`` that go with them."""
    if model._meta.auto_created or model.__name__.startswith("Historical") or model is ownership.grant_model():
        return True
    path = getattr(model, "NETWORK_PATH", None) or ""
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model is owner:
            if field.name == "record" or path.startswith(f"{field.name}__"):
                return True
    return False


def dependants(instance: models.Model) -> tuple[list[models.Model], Counter]:
    """The records, other than ``instance`` and its parts, that deleting it would delete, change
    (a relation set to null) or is refused by (protected relations): up to :data:`LISTED` of
    them, and how many of each model there are."""
    collector = Collector(using=router.db_for_write(type(instance), instance=instance))
    found: list = []
    try:
        collector.collect([instance])
    except ProtectedError as error:
        found.extend(error.protected_objects)
    except RestrictedError as error:
        found.extend(error.restricted_objects)
    owners = {type(instance)}
    for model, objects in collector.data.items():
        if model is type(instance):
            found.extend(obj for obj in objects if obj.pk != instance.pk)
        elif not any(is_part(model, owner) for owner in owners | set(collector.data)):
            found.extend(objects)
    changed = [objs for batches in collector.field_updates.values() for objs in batches]
    for objs in [*changed, *collector.fast_deletes]:
        rows = list(objs[: LISTED + 1])
        if rows and not any(is_part(type(rows[0]), owner) for owner in owners | set(collector.data)):
            found.extend(rows)
    unique = list({(type(obj), obj.pk): obj for obj in found}.values())
    return unique[:LISTED], Counter(type(obj) for obj in unique)
