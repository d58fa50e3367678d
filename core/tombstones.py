"""Tombstones: a row of :class:`core.models.Tombstone` for every record deleted, so that partners
mirroring the API can remove it too (``/api/v1/deleted/``, :mod:`core.api.sync`).

Every model of a domain app that is a :class:`core.records.Record` (it has a stable key) gets
one, written in ``pre_delete`` (while the rows its key names still exist, in the deleting
transaction: a rolled-back delete leaves no tombstone): the admin, the API, services, cascades
and the shell are all covered. ``QuerySet.update()``/raw SQL deletes send no signal; code that
deletes that way calls :func:`record` itself.

What is left out: a record whose key changes (a renamed slug) is not a deletion; its old key is
not tombstoned (see docs/deployment.md, "Mirroring the API")."""

from __future__ import annotations

from django.db.models.signals import pre_delete
from django.utils import timezone

from .api.keys import record_key


def record(instance) -> None:
    from .models import Tombstone

    Tombstone.objects.using(instance._state.db or "default").create(
        model=instance._meta.label_lower, key=record_key(instance), deleted_at=timezone.now()
    )


def withdraw(instance) -> None:
    """A deleted record restored (:func:`core.services.restore_version`) is not deleted any
    more: its tombstones go, so a partner that reads the deletions after the restore's update
    does not remove it again."""
    from .models import Tombstone

    if getattr(instance, "NATURAL_KEY", None):
        Tombstone.objects.using(instance._state.db or "default").filter(
            model=instance._meta.label_lower, key=record_key(instance)
        ).delete()


def _deleted(sender, instance, **kwargs) -> None:
    record(instance)


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
                pre_delete.connect(_deleted, sender=model, weak=False, dispatch_uid=f"tombstone.{model._meta.label}")
