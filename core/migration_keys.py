"""The data migration that gives existing records their stored key (:class:`core.records.KeyedRecord`).

Each record gets the key the API gave it until then (its natural key joined with "~"), so nothing
a partner holds changes; two records that shared one (a fact recorded twice) are told apart by
the suffix a new record would get (``~2``, in the order of their ids). Their historical rows get
the key of their record (the live one's, or, for a deleted record, the key its last version had),
so reverting to an old version, or restoring a deleted record, keeps it.

The natural key is given to :func:`filler` as it stood when the migration was written, so a later
change of ``NATURAL_KEY`` does not change what the migration does."""

from __future__ import annotations

from collections.abc import Callable

from core.api.keys import SEPARATOR, join_parts

BATCH = 1000


def filler(app_label: str, model_name: str, paths: tuple[str, ...]) -> Callable:
    def fill(apps, schema_editor) -> None:
        using = schema_editor.connection.alias
        model = apps.get_model(app_label, model_name)
        historical = apps.get_model(app_label, f"Historical{model_name}")
        resolve = _resolver(apps, model, using)
        keys: dict[int, str] = {}
        taken: set[str] = set()
        rows = model._base_manager.using(using).order_by("pk")
        changed = []
        for record in rows.iterator(chunk_size=BATCH):
            base = join_parts(resolve(record, path) for path in paths)
            key, number = base, 1
            while key in taken:
                number += 1
                key = f"{base}{SEPARATOR}{number}"
            taken.add(key)
            keys[record.pk] = record.key = key
            changed.append(record)
            if len(changed) == BATCH:
                model._base_manager.using(using).bulk_update(changed, ["key"])
                changed = []
        if changed:
            model._base_manager.using(using).bulk_update(changed, ["key"])
        # Historical rows, newest first: a deleted record's key is the one its last version had.
        versions = historical._base_manager.using(using).order_by("-history_id")
        changed = []
        for version in versions.iterator(chunk_size=BATCH):
            if version.id not in keys:
                keys[version.id] = join_parts(resolve(version, path) for path in paths)
            version.key = keys[version.id]
            changed.append(version)
            if len(changed) == BATCH:
                historical._base_manager.using(using).bulk_update(changed, ["key"])
                changed = []
        if changed:
            historical._base_manager.using(using).bulk_update(changed, ["key"])

    return fill


def _resolver(apps, model, using: str) -> Callable:
    """``resolve(row, path)``: the value of a natural-key path (``network__slug``) for a row of
    ``model`` or of its history, reading a related record's slug from its table (or, once it is
    deleted, from its last historical version), each related table once."""
    cache: dict[tuple, dict] = {}

    def values(related_model, field: str) -> dict:
        label = (related_model._meta.app_label, related_model.__name__, field)
        if label not in cache:
            found = {}
            try:
                history = apps.get_model(related_model._meta.app_label, f"Historical{related_model.__name__}")
            except LookupError:
                history = None
            if history is not None:
                for pk, value in history._base_manager.using(using).order_by("history_id").values_list("id", field):
                    found[pk] = value
            found.update(related_model._base_manager.using(using).values_list("pk", field))
            cache[label] = found
        return cache[label]

    def resolve(row, path: str):
        name, _sep, rest = path.partition("__")
        if not rest:
            return getattr(row, name)
        relation = model._meta.get_field(name)
        pk = getattr(row, relation.attname)
        return None if pk is None else values(relation.related_model, rest).get(pk)

    return resolve


def noop(apps, schema_editor) -> None:
    """Going back drops the column: nothing to undo."""
