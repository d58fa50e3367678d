"""Keys that partners can keep (:mod:`core.api.keys`), by every write path that sends Django's
signals (the admin, the API, services, fixture loads, the shell):

- a new :class:`core.records.KeyedRecord` gets its stored key in ``pre_save``
  (:func:`core.api.keys.assign_key`); a saved one keeps the key it has;
- a save that changes a record's slug (or code, number…: its natural key, when the key is not
  stored) leaves the old key as an alias of the record (:class:`core.models.KeyAlias`: ``GET`` on
  it redirects) and a tombstone with ``replaced_by`` (:func:`core.tombstones.renamed`).

The old key is the one the record was read with (:meth:`core.records.Record.from_db` keeps it);
a record saved without having been read (made from a historical row) costs one query to find it.
``bulk_create`` gives no signal: code that makes keyed records that way sets their key itself
(:func:`core.api.keys.assign_key`); ``QuerySet.update()`` of a slug leaves no alias."""

from __future__ import annotations

from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from . import tombstones
from .api.keys import KEY_FIELD, assign_key, join_parts


def _assign(sender, instance, raw, using, **kwargs) -> None:
    if getattr(instance, KEY_FIELD):
        return
    if instance.pk is not None and (raw or not instance._state.adding):
        # A record saved again without its key (a version from before keys were stored, a
        # fixture): it keeps the one it has.
        stored = sender._base_manager.using(using).filter(pk=instance.pk).values_list(KEY_FIELD, flat=True).first()
        if stored:
            setattr(instance, KEY_FIELD, stored)
            return
    assign_key(instance, using)


def _before_save(sender, instance, raw, using, update_fields=None, **kwargs) -> None:
    if raw or instance.pk is None or instance._state.adding:
        return
    if update_fields is not None and not set(sender.NATURAL_KEY) & set(update_fields):
        return
    old = instance.__dict__.get("_db_key")
    if old is None:
        old = sender._base_manager.using(using).filter(pk=instance.pk).values_list(*sender.NATURAL_KEY).first()
    new = tuple(getattr(instance, path) for path in sender.NATURAL_KEY)
    instance._renamed_from = join_parts(old) if old is not None and tuple(old) != new else None


def _after_save(sender, instance, created, raw, using, **kwargs) -> None:
    old_key = instance.__dict__.pop("_renamed_from", None)
    instance._db_key = tuple(getattr(instance, path) for path in sender.NATURAL_KEY)
    if old_key is None:
        return
    from .models import KeyAlias

    new_key = join_parts(instance._db_key)
    label = sender._meta.label_lower
    KeyAlias.objects.using(using).update_or_create(
        model=label, old_key=old_key, defaults={"record_id": instance.pk, "created_at": timezone.now()}
    )
    KeyAlias.objects.using(using).filter(model=label, old_key=new_key).delete()
    tombstones.renamed(instance, old_key, new_key, using)


def connect_domain_models() -> None:
    """Connected model by model (as core.tombstones does)."""
    from django.apps import apps

    from .appconfig import DomainAppConfig
    from .records import KeyedRecord, Record

    for app_config in apps.get_app_configs():
        if not isinstance(app_config, DomainAppConfig):
            continue
        for model in app_config.get_models():
            uid = f"recordkeys.{model._meta.label}"
            if issubclass(model, KeyedRecord):
                pre_save.connect(_assign, sender=model, weak=False, dispatch_uid=uid)
            elif issubclass(model, Record) and model.NATURAL_KEY:
                pre_save.connect(_before_save, sender=model, weak=False, dispatch_uid=uid)
                post_save.connect(_after_save, sender=model, weak=False, dispatch_uid=uid)


class RenamedPageMiddleware:
    """A public page addressed by a renamed record's old key (``/en/networks/<old-slug>/``)
    answers 301 to the page at its new key, when the page's view gave 404.

    ``settings.KEY_ALIAS_PAGES`` says which URL parameter of which page names which model's key:
    ``{"network-detail": {"slug": "networks.network"}, …}``. Costs nothing unless a page is not
    found (then one query per named key, and one for each old key found)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.apps import apps
        from django.conf import settings
        from django.http import Http404, HttpResponsePermanentRedirect
        from django.urls import NoReverseMatch, reverse

        match = getattr(request, "resolver_match", None)
        if not isinstance(exception, Http404) or match is None or request.method not in ("GET", "HEAD"):
            return None
        pages = getattr(settings, "KEY_ALIAS_PAGES", {})
        named = pages.get(match.url_name, {})
        kwargs, moved = dict(match.kwargs), False
        for name, label in named.items():
            if name not in kwargs:
                continue
            model = apps.get_model(label)
            field = model.NATURAL_KEY[0]
            old = str(kwargs[name])
            if model._base_manager.filter(**{field: kwargs[name]}).exists():
                continue  # the key is a record's now: the 404 is about something else
            from .api.keys import renamed_record

            record = renamed_record(model._base_manager.all(), old)
            if record is not None:
                kwargs[name], moved = getattr(record, field), True
        if not moved:
            return None
        try:
            path = reverse(f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name, kwargs=kwargs)
        except NoReverseMatch:
            return None
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(path + (f"?{query}" if query else ""))
