"""The models of the shared library: the content version (one row), tombstones, old keys, proposed
corrections of shared records and staff members' admin preferences."""

from django.conf import settings
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

    A record whose key was renamed (a network's slug) leaves one too, for its old key, with the new
    key in ``replaced_by``: under its old key, it is gone.

    Example: ``Tombstone(model="networks.membership", key="mercociudades~montevideo-uy~1995-11-11",
    deleted_at=2026-12-02T15:00Z)``; ``Tombstone(model="networks.network", key="mercocidades",
    replaced_by="mercociudades", deleted_at=…)``."""

    model = models.CharField(_("model"), max_length=100)
    key = models.CharField(_("key"), max_length=500)
    deleted_at = models.DateTimeField(_("deleted at"), db_index=True)
    replaced_by = models.CharField(
        _("replaced by"), max_length=500, blank=True, help_text=_("The record's new key, when it was renamed.")
    )

    class Meta:
        verbose_name = _("deleted record")
        verbose_name_plural = _("deleted records")
        indexes = [models.Index(fields=["deleted_at", "id"], name="tombstone_walk")]

    def __str__(self):
        return f"{self.model} {self.key}"


class KeyAlias(models.Model):
    """An old key of a renamed record (a network whose slug changed), so that the API and the
    pages still find it there and redirect to its new key (:mod:`core.tombstones` writes one on
    every save that changes a record's key). A record keeps every key it had; a key a record
    holds now is nobody's alias.

    Example: ``KeyAlias(model="networks.network", old_key="mercocidades", record_id=1)`` while
    the network's slug is ``mercociudades``."""

    model = models.CharField(_("model"), max_length=100)
    old_key = models.CharField(_("old key"), max_length=500)
    record_id = models.BigIntegerField(_("record id"))
    created_at = models.DateTimeField(_("renamed at"))

    class Meta:
        verbose_name = _("old key")
        verbose_name_plural = _("old keys")
        constraints = [
            models.UniqueConstraint(
                fields=["model", "old_key"],
                name="keyalias_unique_old_key",
                violation_error_message=_("This old key already leads to a record."),
            )
        ]
        indexes = [models.Index(fields=["model", "record_id"], name="keyalias_record")]

    def __str__(self):
        return f"{self.model} {self.old_key}"


class CorrectionStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("corrected")
    DECLINED = "declined", _("declined")


class CorrectionProposal(models.Model):
    """A correction an editor proposes to a record they may read but not change (a city that
    several networks share): a note for the curators, who see the open ones in a worklist.

    Example: "The population of San Justo (AR) is 23,000 per the 2022 census" on the city
    san-justo-ar, by a Mercociudades editor, open."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, verbose_name=_("kind of record")
    )
    object_id = models.CharField(_("record id"), max_length=64)
    record_label = models.CharField(
        _("record"), max_length=300, help_text=_("The record as it was named when the proposal was made.")
    )
    text = models.TextField(_("proposed correction"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="correction_proposals",
        verbose_name=_("proposed by"),
    )
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.OPEN
    )

    class Meta:
        verbose_name = _("correction proposal")
        verbose_name_plural = _("correction proposals")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="correction_status_created")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=CorrectionStatus.values), name="correctionproposal_status_valid"
            )
        ]

    def __str__(self):
        return f"{self.record_label}: {self.text[:60]}"


class AdminPreference(models.Model):
    """A staff member's preferences in the admin, kept across devices: the admin's language.

    Example: the Mercociudades editor ``ana`` works in Spanish (``language="es"``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="admin_preference", verbose_name=_("user")
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("admin preference")
        verbose_name_plural = _("admin preferences")

    def __str__(self):
        return f"{self.user}: {self.language}"


class JobKind(models.TextChoices):
    MEMBER_IMPORT = "member_import", _("member import")
    GAZETTEER = "gazetteer", _("gazetteer import")
    SEARCH_REBUILD = "search_rebuild", _("search index rebuild")
    DATASET_EXPORT = "dataset_export", _("dataset export")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    SUCCEEDED = "succeeded", _("finished")
    FAILED = "failed", _("failed")


class Job(models.Model):
    """Long work done by the task worker (:mod:`core.jobs`), as staff follow it: who asked, for
    which network, the file it works on (kept in the row, so a preview's file can be imported
    without a second upload), its progress and, once finished, its report.

    Example: ``Job(kind="member_import", network=<Mercociudades>, filename="miembros.csv",
    dry_run=True, status="succeeded", done=5000, total=5000, report={...})``."""

    NETWORK_PATH = "network"
    ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)

    kind = models.CharField(_("kind"), max_length=20, choices=JobKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Named by a setting, as AUTH_USER_MODEL names the user model: the shared library imports no
    # domain app (docs/architecture.md).
    network = models.ForeignKey(
        settings.OWNERSHIP_NETWORK_MODEL,
        verbose_name=_("network"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    data = models.BinaryField(_("file"), blank=True, default=b"", editable=False)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    report = models.JSONField(_("report"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last heard from"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat")]
        constraints = [
            models.CheckConstraint(condition=models.Q(done__lte=models.F("total")), name="job_done_within_total"),
        ]

    def __str__(self):
        label = self.get_kind_display()
        return f"{label}: {self.filename}" if self.filename else str(label)

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else (100 if self.finished else 0)
