"""Who may edit what: one rule for the admin, the API, exports and imports.

- Curators (users with the ``OWNERSHIP_CURATE_PERMISSION``, ``networks.curate_all``) and
  superusers edit everything.
- A network's editors (rows of the ``OWNERSHIP_GRANT_MODEL``, ``networks.NetworkEditor``) see and edit only that
  network's own records: the network itself, its memberships, governing bodies, offices,
  thematic units, summits, membership figures, programmes and projects (and their citations,
  participants and per-country rows).
- Shared reference records (cities, countries, organizations, sources, regional blocs, SDGs,
  twinnings) can be read and added by any editor; changing or deleting them is for curators.
- Every write (admin change, inline, history revert or restore, API, import) is checked by
  :func:`write_refusal` against the record as it is stored *now* and as it will be *after* the
  change, and every relation it sets into a network's records (a thematic unit, a parent
  network, the summit that admitted a member, an office's body…) must point into a network
  the user edits. Deleting a network is for curators only (:func:`can_delete`).

Each network-owned model declares how to reach its network in ``NETWORK_PATH`` (as it declares
``NATURAL_KEY``); this module reads those declarations and imports no domain app.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


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


def can_delete(user, obj: models.Model | None = None, model: type[models.Model] | None = None) -> bool:
    """May ``user`` delete ``obj``? As :func:`can_edit`, except that a network itself (whose
    ``NETWORK_PATH`` is ``"pk"``) is deleted by curators only: its editors edit it but cannot
    remove it."""
    model = model or type(obj)
    if owner_path(model) == "pk" and not is_curator(user):
        return False
    return can_edit(user, obj, model)


def stored_version(obj: models.Model) -> models.Model | None:
    """``obj`` as the database holds it now (None for a new or deleted record): a history
    revert, a form or an API request hands over the record as it will be."""
    if obj.pk is None:
        return None
    return type(obj)._base_manager.filter(pk=obj.pk).first()


def refused_relations(user, obj: models.Model, stored: models.Model | None = None) -> list[str]:
    """The names of ``obj``'s relations that point to a network's record in a network the user
    does not edit, among those set by this change (every one, for a new or restored record)."""
    if is_curator(user):
        return []
    networks = editable_network_ids(user)
    refused = []
    for field in obj._meta.concrete_fields:
        if not field.is_relation or owner_path(field.related_model) is None:
            continue
        value = getattr(obj, field.attname)
        if value is None or (stored is not None and getattr(stored, field.attname) == value):
            continue
        target = field.related_model._base_manager.filter(pk=value).first()
        if target is not None and network_id_of(target) not in networks:
            refused.append(field.name)
    return refused


def write_refusal(user, obj: models.Model, stored: models.Model | None = None):
    """Why ``user`` may not save ``obj`` as it now stands, or None when the write is allowed:

    - the stored record (``stored``, read when not given) must be one the user edits now: a
      revert of an old version from when it was theirs cannot take back a record that a
      curator moved to another network;
    - the record as it will be saved must be one the user may write (:func:`can_write`);
    - every relation the change sets into a network's records must point into a network the
      user edits (:func:`refused_relations`)."""
    if is_curator(user):
        return None
    if stored is None:
        stored = stored_version(obj)
    if stored is not None and not can_edit(user, stored):
        return _("This record belongs to a network you do not edit.")
    if stored is None and obj.pk is not None and not obj._state.adding:
        obj._state.adding = True  # a restored (deleted) record is checked as a new one
        try:
            allowed = can_write(user, obj)
        finally:
            obj._state.adding = False
    else:
        allowed = can_write(user, obj)
    if not allowed:
        return _("You may not write records of this network.")
    refused = refused_relations(user, obj, stored)
    if refused:
        names = ", ".join(str(obj._meta.get_field(name).verbose_name) for name in refused)
        return format_lazy(_("These fields point to records of a network you do not edit: {fields}."), fields=names)
    return None


def read_only_reason(user, obj: models.Model):
    """Why ``user`` may read ``obj`` but not change it (None when they may change it): said on
    the record's admin page, beside the form that proposes a correction to the curators."""
    if can_edit(user, obj):
        return None
    if owner_path(type(obj)) is not None:
        return _("This record belongs to a network you do not edit.")
    if added_by(user, obj):
        return _(
            "You added this shared record, but records of other networks now use it: only curators change it, "
            "so that a correction made for one network does not silently change another's."
        )
    return _(
        "This is a shared record (every network's records may use it): only curators change it, so that a "
        "correction made for one network does not silently change another's."
    )


def editable_queryset(user, queryset: models.QuerySet) -> models.QuerySet:
    """The rows of ``queryset`` that ``user`` may change (:func:`can_edit`, set-wise): all for a
    curator; a network's records in the user's networks; shared records the user added (the
    first "created" row of their history is theirs) that no record outside the user's networks
    uses. For worklists, whose counts must be work the user can do."""
    if is_curator(user):
        return queryset
    model = queryset.model
    path = owner_path(model)
    if path is not None:
        return scope_queryset(user, queryset)
    history = getattr(model, "history", None)
    if history is None or not user or not user.is_authenticated:
        return queryset.none()
    pk = model._meta.pk.attname
    first_author = (
        history.filter(**{pk: models.OuterRef("pk")}, history_type="+")
        .order_by("history_date")
        .values("history_user_id")[:1]
    )
    queryset = queryset.annotate(_first_author=models.Subquery(first_author)).filter(_first_author=user.pk)
    networks = editable_network_ids(user)
    for relation in model._meta.related_objects:
        related = relation.related_model
        if related.__name__.startswith("Historical") or related is grant_model():
            continue
        if relation.field.name == "record" and relation.field.model is related:
            continue  # the record's own citations
        referring = related._default_manager.filter(**{relation.field.name: models.OuterRef("pk")})
        related_path = owner_path(related)
        if related_path is not None:
            referring = referring.exclude(**{"pk__in" if related_path == "pk" else f"{related_path}__in": networks})
        queryset = queryset.exclude(models.Exists(referring))
    return queryset
