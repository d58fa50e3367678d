"""Writes shared by every app: validate fully, then save, in one transaction."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

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
