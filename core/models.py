"""The models of the shared library: the content version (one row)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentVersion(models.Model):
    """The version of the published content: one row whose token changes whenever a record of a
    domain app changes (see :mod:`core.contentversion`). Cached pages are keyed by it, so an edit
    made by any process is seen by every process on its next request.

    Example: ``ContentVersion(pk=1, token="3f0c…", changed_at=2026-12-01T10:00Z)``."""

    token = models.CharField(_("token"), max_length=32)
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("content version")
        verbose_name_plural = _("content versions")
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="contentversion_single_row")]

    def __str__(self):
        return self.token


class Tombstone(models.Model):
    """A record deleted from the published content, for partners who mirror the API: they read
    ``/api/v1/deleted/`` and remove what was deleted (:mod:`core.tombstones` writes one on every
    delete of a record, by any means that sends Django's signals).

    Example: ``Tombstone(model="networks.membership", key="mercociudades~montevideo-uy~1995-11-11",
    deleted_at=2026-12-02T15:00Z)``."""

    model = models.CharField(_("model"), max_length=100)
    key = models.CharField(_("key"), max_length=500)
    deleted_at = models.DateTimeField(_("deleted at"), db_index=True)

    class Meta:
        verbose_name = _("deleted record")
        verbose_name_plural = _("deleted records")
        indexes = [models.Index(fields=["deleted_at", "id"], name="tombstone_walk")]

    def __str__(self):
        return f"{self.model} {self.key}"
