"""Audit history (django-simple-history) for every model of Paradiplo's apps.

Registered from each app's ``ready()``, which runs after django-modeltranslation has added the
translated columns, so the history tables record every language.

**Every record has a history from its first state.** Records written one by one (the admin, the
API, the member import) get a row from simple_history's signals. Bulk writers, which skip the
signals (the real-data loader saves raw, the gazetteer uses ``COPY``/``bulk_create``), call
:func:`write_baseline` once per model and batch: one ``INSERT … SELECT`` copies the records as
stored into their history table ("+" for a record without history yet, "~" otherwise), so a
loaded record can be reverted to its loaded state after its first edit.

**Citations travel with each version.** A record's citations (its ``…Citation`` rows: source and
locator) are facts about the record, so each historical row of a record that has citations
carries a snapshot of them in ``history_citations`` (a JSON list of ``{"source": id, "locator":
text}``, ordered by source). Why a snapshot rather than reading the citation tables' own history
"as of" a version's date: a deletion removes the citations *before* the record (a cascade), and
the admin saves inline citations *after* the record, so no date separates "the citations of
this version" reliably; a snapshot taken with the row says it directly, and a revert or a
restore (:func:`restore_citations`) puts exactly it back. The citation tables keep their own
history too (who added or removed each citation).

The snapshot is taken when the row is written (:func:`_snapshot`): none for a new record (it
cannot have citations yet), the citations as stored for a change, and for a deletion those read
just before it (``pre_delete``: the cascade has removed them by ``post_delete``). Writers that
change citations after saving the record in the same operation (the admin's inlines, the member
import) call :func:`refresh_citations` afterwards, which rewrites the snapshot of the record's
latest row."""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.db import connections, models, router
from django.db.models import OuterRef, Subquery
from django.db.models.signals import pre_delete
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history import register
from simple_history.models import HistoricalChanges
from simple_history.signals import pre_create_historical_record

from . import ownership

#: the field of a historical row that holds the record's citations at that version
CITATIONS_FIELD = "history_citations"
#: record fields a revert, an undo or a comparison leaves out: they say when, not what
TIMESTAMPS = ("created_at", "updated_at")
#: rows per ``INSERT … SELECT`` of a baseline (SQLite caps the parameters of a statement)
BASELINE_CHUNK = 2000


class CitationSnapshot(models.Model):
    """Abstract base of the historical models of records that cite sources."""

    history_citations = models.JSONField(
        _("citations"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The record's citations at this version: source ids and locators."),
    )

    class Meta:
        abstract = True


def register_history(app_config, exclude: tuple[str, ...] = ()) -> None:
    for model in list(app_config.get_models()):
        if issubclass(model, HistoricalChanges) or model.__name__ in exclude:
            continue
        if hasattr(model._meta, "simple_history_manager_attribute"):
            continue
        if citation_model(model) is not None:
            register(model, app=app_config.label, bases=[CitationSnapshot])
            pre_delete.connect(_before_delete, sender=model, weak=False, dispatch_uid=f"history.{model._meta.label}")
            pre_create_historical_record.connect(
                _snapshot, sender=model.history.model, weak=False, dispatch_uid=f"history.{model._meta.label}"
            )
        else:
            register(model, app=app_config.label)


def citation_model(model: type[models.Model]) -> type[models.Model] | None:
    """The citation table of ``model`` (its ``citations`` relation), or None."""
    for relation in model._meta.related_objects:
        if relation.get_accessor_name() == "citations" and relation.field.name == "record":
            return relation.related_model
    return None


def history_rows(model: type[models.Model]) -> models.QuerySet:
    """Every historical row of ``model`` (simple_history's queryset, which can fetch each row's
    related records)."""
    return getattr(model, model._meta.simple_history_manager_attribute).all()


def history_model(model: type[models.Model]) -> type[models.Model] | None:
    manager = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, manager).model if manager else None


def citations_of(instance: models.Model) -> list[dict]:
    """The citations of ``instance`` as stored, in the snapshot's shape."""
    rows = citation_model(type(instance))._default_manager.filter(record_id=instance.pk).order_by("source_id")
    return [{"source": source, "locator": locator} for source, locator in rows.values_list("source_id", "locator")]


def _before_delete(sender, instance, **kwargs) -> None:
    instance._history_citations = citations_of(instance)


def _snapshot(sender, instance, history_instance, **kwargs) -> None:
    if hasattr(instance, "_history_citations"):
        history_instance.history_citations = instance._history_citations
        del instance._history_citations
    elif history_instance.history_type == "+":
        history_instance.history_citations = []
    else:
        history_instance.history_citations = citations_of(instance)


def _citations_sql(connection, model: type[models.Model], record_ref: str) -> str:
    """A scalar SQL expression: the snapshot of the citations of the record whose id is
    ``record_ref`` (a qualified column), as :func:`citations_of` writes it."""
    citation = citation_model(model)._meta
    quote = connection.ops.quote_name
    table = quote(citation.db_table)
    record, source, locator = (quote(citation.get_field(name).column) for name in ("record", "source", "locator"))
    if connection.vendor == "postgresql":
        return (
            f"COALESCE((SELECT jsonb_agg(jsonb_build_object('source', c.{source}, 'locator', c.{locator}) "
            f"ORDER BY c.{source}) FROM {table} c WHERE c.{record} = {record_ref}), '[]'::jsonb)"
        )
    return (
        f"(SELECT json_group_array(json_object('source', s.{source}, 'locator', s.{locator})) FROM "
        f"(SELECT c.{source}, c.{locator} FROM {table} c WHERE c.{record} = {record_ref} ORDER BY c.{source}) s)"
    )


def write_baseline(
    model: type[models.Model], pks: Iterable, *, reason: str, user=None, missing_only: bool = False, date=None
) -> None:
    """Copy the records ``pks`` of ``model`` as stored into their history table, in one
    ``INSERT … SELECT`` per :data:`BASELINE_CHUNK` records: "+" for a record without history
    yet, "~" for one that has some; with ``missing_only``, only records without history get a
    row. The rows are dated ``date`` (now by default), by ``user`` (None: a load), for
    ``reason``."""
    history = history_model(model)
    if history is None:
        return
    using = router.db_for_write(model)
    connection = connections[using]
    quote = connection.ops.quote_name
    table, history_table = quote(model._meta.db_table), quote(history._meta.db_table)
    pk = quote(model._meta.pk.column)
    columns = [quote(field.column) for field in history.tracked_fields]
    has_history = f"EXISTS (SELECT 1 FROM {history_table} h WHERE h.{pk} = t.{pk})"
    target = [*columns, "history_date", "history_type", "history_change_reason", "history_user_id"]
    history_type = f"CASE WHEN {has_history} THEN '~' ELSE '+' END"
    selected = [*(f"t.{column}" for column in columns), "%s", history_type, "%s", "%s"]
    if issubclass(history, CitationSnapshot):
        target.append(CITATIONS_FIELD)
        selected.append(_citations_sql(connection, model, f"t.{pk}"))
    date = connection.ops.adapt_datetimefield_value(date or timezone.now())
    pks = list(pks)
    for start in range(0, len(pks), BASELINE_CHUNK):
        chunk = pks[start : start + BASELINE_CHUNK]
        sql = (
            f"INSERT INTO {history_table} ({', '.join(quote(name) for name in target)}) "
            f"SELECT {', '.join(selected)} FROM {table} t WHERE t.{pk} IN ({', '.join(['%s'] * len(chunk))})"
        )
        if missing_only:
            sql += f" AND NOT {has_history}"
        with connection.cursor() as cursor:
            cursor.execute(sql, [date, str(reason)[:100], getattr(user, "pk", None), *chunk])


def refresh_citations(model: type[models.Model], pks: Iterable[int]) -> None:
    """Rewrite the citation snapshot of the latest history row of each record ``pks`` of
    ``model`` with its citations as stored now (one ``UPDATE`` per chunk)."""
    history = history_model(model)
    if history is None or not issubclass(history, CitationSnapshot):
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    history_table = quote(history._meta.db_table)
    pk = quote(model._meta.pk.column)
    pks = list(pks)
    for start in range(0, len(pks), BASELINE_CHUNK):
        chunk = pks[start : start + BASELINE_CHUNK]
        sql = (
            f"UPDATE {history_table} SET {CITATIONS_FIELD} = "
            f"{_citations_sql(connection, model, f'{history_table}.{pk}')} "
            f"WHERE history_id IN (SELECT MAX(h.history_id) FROM {history_table} h "
            f"WHERE h.{pk} IN ({', '.join(['%s'] * len(chunk))}) GROUP BY h.{pk})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, chunk)


def restore_citations(instance: models.Model, snapshot: list[dict] | None, *, user=None, reason: str = "") -> list[int]:
    """Make the citations of ``instance`` those of ``snapshot`` (a version's
    ``history_citations``): remove the others, put the locators back, add the missing ones.
    Returns the ids of the sources that no longer exist (their citations cannot come back).
    ``None`` (a version written before snapshots existed) leaves the citations alone."""
    if snapshot is None:
        return []
    model = citation_model(type(instance))
    source_model = model._meta.get_field("source").related_model
    wanted = {item["source"]: item["locator"] for item in snapshot}
    existing_sources = set(source_model._default_manager.filter(pk__in=wanted).values_list("pk", flat=True))
    missing = sorted(set(wanted) - existing_sources)

    def stamp(citation):
        citation._history_user = user
        citation._change_reason = reason[:100]
        return citation

    for citation in model._default_manager.filter(record_id=instance.pk):
        locator = wanted.pop(citation.source_id, None)
        if locator is None:
            stamp(citation).delete()
        elif citation.locator != locator:
            citation.locator = locator
            stamp(citation).save()
    for source_id, locator in wanted.items():
        if source_id in existing_sources:
            stamp(model(record_id=instance.pk, source_id=source_id, locator=locator)).save()
    return missing


def changed_fields(newer, older) -> set[str]:
    """The names of the record's fields (and ``"citations"``) that differ between two
    historical rows of one record, timestamps left out."""
    delta = newer.diff_against(older, excluded_fields=TIMESTAMPS)
    changed = set(delta.changed_fields)
    snapshots = getattr(newer, CITATIONS_FIELD, None), getattr(older, CITATIONS_FIELD, None)
    if None not in snapshots and snapshots[0] != snapshots[1]:
        changed.add("citations")
    return changed


# Reads for the admin: a version, the trash, the citations of a version, related histories.


def record_pk(version):
    """The primary key of the record a historical row is a version of."""
    return getattr(version, version.instance_type._meta.pk.attname)


def version(model: type[models.Model], object_id, version_id):
    """The historical row ``version_id`` of the record ``object_id`` of ``model``, or None."""
    try:
        return history_rows(model).filter(**{model._meta.pk.attname: object_id}, history_id=version_id).first()
    except (TypeError, ValueError):
        return None


def _scoped(history: models.QuerySet, model: type[models.Model], user) -> models.QuerySet:
    """Historical rows of ``model`` that ``user`` may see, as :func:`core.ownership.scope_queryset`
    scopes the records: the rows' own relations lead to the network (a row of a network's record
    names its network as the record did)."""
    if ownership.is_curator(user):
        return history
    path = ownership.owner_path(model)
    if path is None:
        return history
    lookup = f"{model._meta.pk.attname}__in" if path == "pk" else f"{path}__in"
    return history.filter(**{lookup: ownership.editable_network_ids(user)})


def deleted_versions(model: type[models.Model], user) -> models.QuerySet:
    """The trash of ``model``: for each record that no longer exists, its deletion row (the
    latest row of the record, of type "-"), scoped to what ``user`` may see, latest first; the
    related records of each row and its user are fetched with it."""
    history = history_model(model)
    pk = model._meta.pk.attname
    latest = (
        history._default_manager.filter(**{pk: OuterRef(pk)})
        .order_by("-history_date", "-history_id")
        .values("history_id")
    )
    rows = (
        history_rows(model)
        .filter(history_type="-", history_id=Subquery(latest[:1]))
        .exclude(**{f"{pk}__in": model._base_manager.values("pk")})
        .select_related("history_user")
        ._select_related_history_tracked_objs()
        .order_by("-history_date", "-history_id")
    )
    return _scoped(rows, model, user)


def version_instance(version) -> models.Model:
    """The record as ``version`` holds it, with the related records the row was fetched with
    (so that writing it, e.g. a membership's city and network, costs no query)."""
    instance = version.instance
    for field in version.instance_type._meta.concrete_fields:
        if field.is_relation:
            history_field = type(version)._meta.get_field(field.name)
            if history_field.is_cached(version):
                field.set_cached_value(instance, history_field.get_cached_value(version))
    return instance


def cited_sources(version) -> list[tuple[models.Model | None, str]]:
    """The citations of a version as (source, locator) pairs, a source that no longer exists
    as None (one query)."""
    snapshot = getattr(version, CITATIONS_FIELD, None) or []
    if not snapshot:
        return []
    source_model = citation_model(version.instance_type)._meta.get_field("source").related_model
    sources = source_model._default_manager.in_bulk([item["source"] for item in snapshot])
    return [(sources.get(item["source"]), item["locator"]) for item in snapshot]


def add_citation_changes(rows: list) -> None:
    """Add a "citations" entry to the changes each historical row of one record (newest first,
    as the history page lists them) shows, when its citations differ from the row before (one
    query for every source named)."""
    pairs = [
        (newer, older)
        for newer, older in zip(rows, rows[1:], strict=False)
        if None not in (getattr(newer, CITATIONS_FIELD, None), getattr(older, CITATIONS_FIELD, None))
        and newer.history_citations != older.history_citations
    ]
    if not pairs:
        return
    source_model = citation_model(rows[0].instance_type)._meta.get_field("source").related_model
    ids = {item["source"] for pair in pairs for row in pair for item in row.history_citations}
    sources = source_model._default_manager.in_bulk(ids)

    def text(snapshot):
        return (
            "; ".join(
                str(sources.get(item["source"], f"#{item['source']}"))
                + (f", {item['locator']}" if item["locator"] else "")
                for item in snapshot
            )
            or "—"
        )

    for newer, older in pairs:
        changes = list(getattr(newer, "history_delta_changes", None) or [])
        changes.append(
            {"field": _("citations"), "old": text(older.history_citations), "new": text(newer.history_citations)}
        )
        newer.history_delta_changes = changes


#: the most rows of related records a history page lists
RELATED_HISTORY_LIMIT = 200


def related_history(pairs: list[tuple[str, str]], object_id, user) -> list[dict]:
    """For a record edited through inlines (a summit: the memberships it admitted, the offices
    it elected), the history of those inline records: every row of each record that pointed to
    this one through ``field`` at any version, newest first, with what each row changed. One
    group per ``(model label, field)`` pair; a fixed number of queries per group."""
    groups = []
    for label, field in pairs:
        model = apps.get_model(label)
        history = history_model(model)
        pk = model._meta.pk.attname
        ids = history._default_manager.filter(**{f"{field}_id": object_id}).values(pk)
        rows = list(
            _scoped(history_rows(model).filter(**{f"{pk}__in": ids}), model, user)
            .select_related("history_user")
            ._select_related_history_tracked_objs()
            .order_by(pk, "history_id")
        )
        for older, newer in zip([None, *rows], rows, strict=False):
            newer.record = version_instance(newer)
            newer.record_pk = record_pk(newer)
            newer.changes = []
            if older is not None and record_pk(older) == record_pk(newer):
                delta = newer.diff_against(older, excluded_fields=TIMESTAMPS)
                newer.changes = [
                    {"field": model._meta.get_field(change.field).verbose_name, "old": change.old, "new": change.new}
                    for change in delta.changes
                ]
        rows.sort(key=lambda row: (row.history_date, row.history_id), reverse=True)
        groups.append(
            {
                "label": model._meta.get_field(field).verbose_name,
                "model": model._meta.verbose_name_plural,
                "opts": model._meta,
                "rows": rows[:RELATED_HISTORY_LIMIT],
                "more": max(len(rows) - RELATED_HISTORY_LIMIT, 0),
            }
        )
    return groups
