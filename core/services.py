"""Writes shared by every app: validate fully, then save, in one transaction."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import history, ownership, tombstones
from .deletion import HasDependants, dependants
from .models import AdminPreference, CorrectionProposal


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


class HistoryRefusal(Exception):
    """A restore or an undo that cannot be done, with why (shown to the user)."""


@transaction.atomic
def restore_version(version, *, user=None, reason: str = "") -> tuple[models.Model, list[int]]:
    """Bring back a deleted record as ``version`` (a historical row, normally its deletion row)
    holds it, with the citations of that version, checked as a new record
    (:func:`core.ownership.write_refusal`) and validated as every write is. Returns the record
    and the ids of cited sources that no longer exist (those citations cannot come back)."""
    model = version.instance_type
    if model._base_manager.filter(pk=_record_pk(version)).exists():
        raise HistoryRefusal(_("This record exists: it is not in the trash."))
    record = version.instance
    record._state.adding = False
    if user is not None:
        refusal = ownership.write_refusal(user, record)
        if refusal is not None:
            raise PermissionDenied(refusal)
    key = getattr(record, "key", None) if getattr(model, "STORED_KEY", False) else None
    if key and model._base_manager.filter(key=key).exclude(pk=record.pk).exists():
        # A record made since the deletion holds its key: it comes back with a new one (the
        # first free suffix, core.api.keys.assign_key); the old key's tombstone stays.
        record.key = None
    record._history_user = user
    record._change_reason = reason[:100]
    record._history_citations = []  # its citations come back below, then the snapshot says so
    save_record(record)
    tombstones.withdraw(record)
    missing = []
    if history.citation_model(model) is not None:
        missing = history.restore_citations(record, version.history_citations, user=user, reason=reason)
        history.refresh_citations(model, [record.pk])
    return record, missing


@transaction.atomic
def undo_change(version, *, user=None, reason: str = "") -> models.Model:
    """Undo the one change that ``version`` (a historical "~" row) recorded: the fields (and
    the citations) it changed go back to their values just before it, as a new change.
    Refused (:class:`HistoryRefusal`) when the record no longer exists, when ``version`` is not
    a change, or when a later change touched one of the same fields: undoing it would throw
    that later change away too (revert to an older version for that)."""
    model = version.instance_type
    rows = type(version)._default_manager.filter(**{model._meta.pk.attname: _record_pk(version)})
    previous = rows.filter(history_id__lt=version.history_id).order_by("-history_id").first()
    if version.history_type != "~" or previous is None:
        raise HistoryRefusal(_("Only a change can be undone; a creation or a deletion cannot."))
    record = model._base_manager.select_for_update().filter(pk=_record_pk(version)).first()
    if record is None:
        raise HistoryRefusal(_("This record has been deleted: restore it from the trash first."))
    changed = history.changed_fields(version, previous)
    if not changed:
        raise HistoryRefusal(_("This entry changed nothing: there is nothing to undo."))
    later = list(rows.filter(history_id__gt=version.history_id).order_by("history_id"))
    conflicts: set[str] = set()
    for older, newer in zip([version, *later], later, strict=False):
        conflicts |= changed & history.changed_fields(newer, older)
    if conflicts:
        names = ", ".join(
            str(_("citations")) if name == "citations" else str(model._meta.get_field(name).verbose_name)
            for name in sorted(conflicts)
        )
        raise HistoryRefusal(
            format_lazy(
                _("A later change modified the same fields ({fields}): undo it first, or revert to an older version."),
                fields=names,
            )
        )
    for name in changed - {"citations"}:
        attname = model._meta.get_field(name).attname
        setattr(record, attname, getattr(previous, attname))
    if user is not None:
        refusal = ownership.write_refusal(user, record)
        if refusal is not None:
            raise PermissionDenied(refusal)
    record._history_user = user
    record._change_reason = reason[:100]
    save_record(record)
    if "citations" in changed:
        history.restore_citations(record, previous.history_citations, user=user, reason=reason)
        history.refresh_citations(model, [record.pk])
    return record


def _record_pk(version):
    return getattr(version, version.instance_type._meta.pk.attname)


def propose_correction(*, record: models.Model, text: str, author) -> CorrectionProposal:
    """Record an editor's proposed correction of ``record`` for the curators' worklist."""
    proposal = CorrectionProposal(
        content_type=ContentType.objects.get_for_model(record, for_concrete_model=True),
        object_id=str(record.pk),
        record_label=str(record)[:300],
        text=text,
        author=author if getattr(author, "is_authenticated", False) else None,
    )
    proposal.full_clean()
    proposal.save()
    return proposal


def remember_admin_language(*, user, language: str) -> None:
    """Keep ``language`` as the admin language of ``user`` (applied on every admin page by
    :class:`core.middleware.AdminLanguageMiddleware`)."""
    if getattr(user, "is_authenticated", False):
        AdminPreference.objects.update_or_create(user=user, defaults={"language": language})
