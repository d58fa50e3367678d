"""Idempotent loading of natural-key fixtures: a record is written only when it changed.

Every record written gets a baseline row in its audit history (:func:`core.history.write_baseline`,
one ``INSERT … SELECT`` per model and chunk once everything is saved): the raw saves of fixtures
send no history signal, and without it the first edit of a loaded record could not be reverted.

Django's ``loaddata`` rewrites every object on every run (resetting timestamps); this loader
compares each deserialized object with the stored one and saves only what is new or different,
so loading the same fixtures twice changes nothing (not even the content version: cached pages
stay; a load that changed something gives a new one, see :mod:`core.contentversion`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core import serializers
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone

from . import contentversion, history, naturalkeys

TIMESTAMPS = {"created_at", "updated_at"}
#: the change reason of the history rows a load writes
LOAD_REASON = "Real data load (fixtures/)"


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())

    def lines(self) -> list[str]:
        labels = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        return [
            f"{label}: {self.created[label]} created, {self.updated[label]} updated, {self.unchanged[label]} unchanged"
            for label in labels
        ]


def _field_values(instance) -> dict:
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if not f.primary_key and f.name not in TIMESTAMPS
    }


def _m2m_values(instance) -> dict:
    return {
        f.name: {obj.pk for obj in getattr(instance, f.name).all()}
        for f in instance._meta.many_to_many
        if f.remote_field.through._meta.auto_created
    }


def load_fixtures(paths: list[Path]) -> LoadReport:
    """Load the fixtures in order, in one transaction: all of them, or nothing.

    Natural keys found or saved once are not looked up again (:mod:`core.naturalkeys`): into an
    empty database the load is about one query per record."""
    report = LoadReport()
    now = timezone.now()
    written: dict[type, list] = {}
    with transaction.atomic(), naturalkeys.remembered(DEFAULT_DB_ALIAS):
        deferred = []
        for path in paths:
            with open(path, encoding="utf-8") as stream:
                for wrapper in serializers.deserialize("json", stream, handle_forward_references=True):
                    instance = wrapper.object
                    model = type(instance)
                    label = model._meta.label_lower
                    stored = None
                    if instance.pk is not None:
                        stored = naturalkeys.stored(model, instance.pk)
                        if stored is None:
                            stored = model._default_manager.filter(pk=instance.pk).first()
                    if stored is not None and getattr(model, "STORED_KEY", False) and not instance.key:
                        # Fixtures carry no stored key (core.records.KeyedRecord): the record keeps its own.
                        instance.key = stored.key
                    m2m = {name: {int(pk) for pk in pks} for name, pks in (wrapper.m2m_data or {}).items()}
                    if stored is not None:
                        same_fields = _field_values(stored) == _field_values(instance)
                        same_m2m = all(_m2m_values(stored).get(name) == pks for name, pks in m2m.items())
                        if same_fields and same_m2m and not wrapper.deferred_fields:
                            report.unchanged[label] += 1
                            continue
                        report.updated[label] += 1
                    else:
                        report.created[label] += 1
                    if hasattr(instance, "updated_at"):
                        instance.created_at = stored.created_at if stored is not None else now
                        instance.updated_at = now
                    wrapper.save()
                    naturalkeys.remember(instance)
                    written.setdefault(model, []).append(instance.pk)
                    if wrapper.deferred_fields:
                        deferred.append(wrapper)
        for wrapper in deferred:
            wrapper.save_deferred_fields()
        for model, pks in written.items():
            history.write_baseline(model, pks, reason=LOAD_REASON, date=now)
        if report.changed:
            # Each save sent its signals already (raw saves too); said here as well so that the
            # load changes the version, once, when it commits, however its records are written.
            contentversion.bump()
    return report
