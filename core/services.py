"""Writes shared by every app: validate fully, then save, in one transaction."""

from __future__ import annotations

from django.db import models, transaction

from .deletion import HasDependants, dependants


@transaction.atomic
def save_record(instance: models.Model, *, m2m: dict | None = None) -> models.Model:
    """Validate ``instance`` (fields, model rules, constraints) and save it, then set its
    many-to-many relations. Raises django.core.exceptions.ValidationError with per-field
    messages; nothing is written when it does."""
    instance.full_clean()
    instance.save()
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    return instance


@transaction.atomic
def delete_record(instance: models.Model) -> None:
    """Delete ``instance`` with its own parts (citations, many-to-many rows, rows owned through
    it), or raise :class:`core.deletion.HasDependants` listing the other records that depend
    on it: a deletion never takes other records along nor changes them."""
    records, counts = dependants(instance)
    if counts:
        raise HasDependants(instance, records, counts)
    instance.delete()
