"""Who edits a network: editors granted and revoked."""

from django.db import transaction

from ..models import Network, NetworkEditor


@transaction.atomic
def grant_editor(*, user, network: Network) -> NetworkEditor:
    """Make ``user`` an editor of ``network``: staff access to the admin and the right to edit
    that network's records (idempotent)."""
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    editor, _created = NetworkEditor.objects.get_or_create(user=user, network=network)
    return editor


@transaction.atomic
def revoke_editor(*, user, network: Network) -> None:
    """Take back ``user``'s right to edit ``network`` (their staff status stays)."""
    NetworkEditor.objects.filter(user=user, network=network).delete()
