"""Tombstones: a row of :class:`core.models.Tombstone` for every record deleted, and for the old
key of every record renamed, so that partners mirroring the API can remove it too
(``/api/v1/deleted/``, :mod:`core.api.sync`).

Every model of a domain app that is a :class:`core.records.Record` (it has a stable key) gets
one. A deletion's tombstones are gathered in ``pre_delete`` (while the rows a key names still
exist) and written together, by one ``INSERT``, at the deletion's first ``post_delete``: Django
sends every ``pre_delete`` of a deletion before it deletes anything, and its ``post_delete`` in
the deleting transaction (a rolled-back delete leaves no tombstone). A key is read off the record
itself (its slug, or its stored key: :mod:`core.api.keys`), never through a query, so a cascade
over a thousand memberships costs one query here, as one membership does. The admin, the API,
services, cascades and the shell are all covered. ``QuerySet.update()``/raw SQL deletes send no
signal; code that deletes that way calls :func:`record` itself.

A save that changes a record's key (a renamed slug: :mod:`core.recordkeys`) calls
:func:`renamed`: a tombstone for the old key with ``replaced_by`` the new one."""

from __future__ import annotations

import threading

from django.db.models.signals import post_delete, pre_delete
from django.utils import timezone

from .api.keys import record_key

#: tombstones gathered by deletions under way: (database, id of the deletion's origin) ->
#: (the origin, {(model, key): tombstone}); the origin is held so that its id stays its own.
_pending = threading.local()


def _gathered() -> dict:
    if not hasattr(_pending, "rows"):
        _pending.rows = {}
    return _pending.rows


def record(instance) -> None:
    from .models import Tombstone

    Tombstone.objects.using(instance._state.db or "default").create(
        model=instance._meta.label_lower, key=record_key(instance), deleted_at=timezone.now()
    )


def renamed(instance, old_key: str, new_key: str, using: str) -> None:
    """``instance``'s key changed from ``old_key`` to ``new_key``: under the old key, it is gone."""
    from .models import Tombstone

    Tombstone.objects.using(using).create(
        model=instance._meta.label_lower, key=old_key, replaced_by=new_key, deleted_at=timezone.now()
    )


def withdraw(instance) -> None:
    """A deleted record restored (:func:`core.services.restore_version`) is not deleted any
    more: its tombstones go, so a partner that reads the deletions after the restore's update
    does not remove it again."""
    from .models import Tombstone

    if getattr(instance, "NATURAL_KEY", None):
        Tombstone.objects.using(instance._state.db or "default").filter(
            model=instance._meta.label_lower, key=record_key(instance), replaced_by=""
        ).delete()


def _deleting(sender, instance, using, origin=None, **kwargs) -> None:
    from .models import Tombstone

    gathered = _gathered()
    slot = (using, id(origin))
    entry = gathered.get(slot)
    if entry is None or entry[0] is not origin:
        entry = gathered[slot] = (origin, {})
    label, key = instance._meta.label_lower, record_key(instance)
    entry[1][(label, key)] = Tombstone(model=label, key=key, deleted_at=timezone.now())


def _deleted(sender, instance, using, origin=None, **kwargs) -> None:
    from .models import Tombstone

    entry = _gathered().pop((using, id(origin)), None)
    if entry is not None and entry[0] is origin and entry[1]:
        Tombstone.objects.using(using).bulk_create(list(entry[1].values()))


def connect_domain_models() -> None:
    """Connected model by model, as core.contentversion does, so that other models keep Django's
    fast deletes."""
    from django.apps import apps

    from .appconfig import DomainAppConfig
    from .records import Record

    for app_config in apps.get_app_configs():
        if not isinstance(app_config, DomainAppConfig):
            continue
        for model in app_config.get_models():
            if issubclass(model, Record) and model.NATURAL_KEY:
                uid = f"tombstone.{model._meta.label}"
                pre_delete.connect(_deleting, sender=model, weak=False, dispatch_uid=uid)
                post_delete.connect(_deleted, sender=model, weak=False, dispatch_uid=uid)
