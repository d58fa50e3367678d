"""Who may edit what: one rule for the admin, the API, exports and imports.

- Curators (users with the ``OWNERSHIP_CURATE_PERMISSION``, ``networks.curate_all``) and
  superusers edit everything.
- A network's editors (rows of the ``OWNERSHIP_GRANT_MODEL``, ``networks.NetworkEditor``) see and edit only that
  network's own records: the network itself, its memberships, governing bodies, offices,
  thematic units, summits, membership figures, programmes and projects (and their citations,
  participants and per-country rows).
- Shared reference records (cities, countries, organizations, sources, regional blocs, SDGs,
  twinnings) can be read and added by any editor; changing or deleting them is for curators.

Each network-owned model declares how to reach its network in ``NETWORK_PATH`` (as it declares
``NATURAL_KEY``); this module reads those declarations and imports no domain app.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import models


def curate_permission() -> str:
    """The permission that makes a user a curator of every network (``app_label.codename``)."""
    return settings.OWNERSHIP_CURATE_PERMISSION


def grant_model() -> type[models.Model]:
    """The model whose rows grant a user the editing of one network (``user``, ``network``), named
    by the ``OWNERSHIP_GRANT_MODEL`` setting as ``AUTH_USER_MODEL`` names the user model."""
    return apps.get_model(settings.OWNERSHIP_GRANT_MODEL)


def owner_path(model: type[models.Model]) -> str | None:
    """The path from ``model`` to the id of its owning network: the model's own ``NETWORK_PATH``
    (``"network"``, ``"project__network"``, ``"pk"`` for the network itself); a citation table
    belongs to whoever owns the cited record; None for shared records."""
    path = getattr(model, "NETWORK_PATH", None)
    if path is not None:
        return path
    record = next((f for f in model._meta.fields if f.name == "record"), None)
    if record is not None and getattr(record.related_model, "NETWORK_PATH", None) is not None:
        return f"record__{record.related_model.NETWORK_PATH}".replace("__pk", "")
    return None


def is_curator(user) -> bool:
    return bool(user and user.is_active and (user.is_superuser or user.has_perm(curate_permission())))


def editable_network_ids(user) -> frozenset[int]:
    """The networks this user edits (cached on the user object for the request)."""
    if not user or not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_paradiplo_network_ids"):
        user._paradiplo_network_ids = frozenset(
            grant_model().objects.filter(user=user).values_list("network_id", flat=True)
        )
    return user._paradiplo_network_ids


def is_editor(user) -> bool:
    return is_curator(user) or bool(editable_network_ids(user))


def network_id_of(obj: models.Model) -> int | None:
    """The id of the network that owns ``obj`` (None for shared records and network-less projects)."""
    path = owner_path(type(obj))
    if path is None:
        return None
    value = obj
    parts = path.split("__")
    for part in parts[:-1]:
        value = getattr(value, part, None)
        if value is None:
            return None
    last = parts[-1]
    return value.pk if last == "pk" else getattr(value, f"{last}_id", None)


def scope_queryset(user, queryset: models.QuerySet) -> models.QuerySet:
    """What this user may see in the editing tools: everything for curators; for editors, their
    networks' own records and all shared records."""
    if is_curator(user):
        return queryset
    path = owner_path(queryset.model)
    if path is None:
        return queryset
    lookup = "pk__in" if path == "pk" else f"{path}__in"
    return queryset.filter(**{lookup: editable_network_ids(user)})


def can_edit(user, obj: models.Model | None = None, model: type[models.Model] | None = None) -> bool:
    """May ``user`` change or delete ``obj`` (or, without ``obj``, some record of ``model``)?"""
    if is_curator(user):
        return True
    model = model or type(obj)
    path = owner_path(model)
    if path is None:
        # Shared reference records: curators, or the editor who added one that nothing else uses.
        return obj is not None and obj.pk is not None and added_by(user, obj) and not used_by_others(user, obj)
    if obj is None:
        return bool(editable_network_ids(user))
    return network_id_of(obj) in editable_network_ids(user)


def added_by(user, obj: models.Model) -> bool:
    """Whether the audit history shows ``user`` as the one who created ``obj``."""
    history = getattr(type(obj), "history", None)
    if history is None or not user or not user.is_authenticated:
        return False
    first = history.filter(**{type(obj)._meta.pk.attname: obj.pk}, history_type="+").order_by("history_date").first()
    return first is not None and first.history_user_id == user.pk


def used_by_others(user, obj: models.Model) -> bool:
    """Whether any record outside the user's networks refers to the shared record ``obj`` (its
    own citations excepted). Records of the user's own networks may refer to it freely."""
    networks = editable_network_ids(user)
    for relation in obj._meta.related_objects:
        related = relation.related_model
        if related.__name__.startswith("Historical") or related is grant_model():
            continue
        if relation.field.name == "record" and relation.field.model is related:
            continue  # the record's own citations
        referring = related._default_manager.filter(**{relation.field.name: obj})
        path = owner_path(related)
        if path is None:
            if referring.exists():
                return True
        elif referring.exclude(**{"pk__in" if path == "pk" else f"{path}__in": networks}).exists():
            return True
    return False


def can_add(user, model: type[models.Model]) -> bool:
    return is_curator(user) or bool(editable_network_ids(user))


def can_write(user, obj: models.Model) -> bool:
    """May ``user`` save ``obj`` as it now stands (a new record, or a changed one whose network
    may itself have changed)? New shared records may be added by any editor."""
    if obj._state.adding and owner_path(type(obj)) is None:
        return can_add(user, type(obj))
    return can_edit(user, obj)
