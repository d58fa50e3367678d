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
