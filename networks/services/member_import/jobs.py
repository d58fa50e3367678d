"""Member imports as background jobs (:mod:`core.jobs`): the uploaded file is kept in the job,
so a preview's file is imported by confirming the job, without a second upload; files of more
than ``PARADIPLO_IMPORT_BACKGROUND_ROWS`` rows are read, checked and written by the task worker,
smaller ones in the request. Either way the job ends with the same report."""

from __future__ import annotations

import logging
import os

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from core import jobs
from core.models import Job, JobKind, JobStatus
from core.ownership import can_edit

from ...models import Network
from . import import_members
from .reading import read_rows
from .report import FileRefused, ImportReport

logger = logging.getLogger(__name__)


def background_rows() -> int:
    return settings.PARADIPLO_IMPORT_BACKGROUND_ROWS


def submit(network: Network, upload, *, user, dry_run: bool) -> Job:
    """Keep ``upload`` (an uploaded file) in a new job and run it: at once when it is small,
    else through the task worker. The caller shows the job's page."""
    if not can_edit(user, network):
        raise PermissionDenied(_("You may not edit this network's members."))
    upload.seek(0)
    job = Job(
        kind=JobKind.MEMBER_IMPORT,
        user=user,
        network=network,
        filename=os.path.basename(upload.name or "")[:255],
        data=upload.read(),
        dry_run=dry_run,
        language=get_language() or "",
    )
    return _dispatch(job)


def confirm(job: Job, *, user) -> Job:
    """Import the file a successful preview checked: the same job, run again for real."""
    if not importable(job):
        raise PermissionDenied(_("Only a preview that found no problem can be imported."))
    if not can_edit(user, job.network):
        raise PermissionDenied(_("You may not edit this network's members."))
    job.dry_run, job.report, job.done, job.error = False, None, 0, ""
    job.user, job.language = user, get_language() or job.language
    job.started_at = job.finished_at = job.heartbeat_at = None
    return _dispatch(job)


def retry(job: Job, *, user) -> Job:
    """Run a failed job again (its worker died, or it raised): the file is still in the job."""
    if job.status != JobStatus.FAILED or job.kind != JobKind.MEMBER_IMPORT:
        raise PermissionDenied(_("Only a failed job can be run again."))
    if not can_edit(user, job.network):
        raise PermissionDenied(_("You may not edit this network's members."))
    job.status, job.report, job.done, job.error = JobStatus.QUEUED, None, 0, ""
    job.started_at = job.finished_at = job.heartbeat_at = None
    return _dispatch(job)


def importable(job: Job) -> bool:
    """A finished preview whose every row was valid: "Import" writes it."""
    return (
        job.kind == JobKind.MEMBER_IMPORT
        and job.dry_run
        and job.status == JobStatus.SUCCEEDED
        and bool(job.report and job.report.get("ok"))
    )


def _row_count(job: Job) -> int:
    """The file's rows (0 when it is refused as a whole: that is reported at once)."""
    try:
        return len(read_rows(bytes(job.data), job.filename))
    except FileRefused:
        return 0


def _dispatch(job: Job) -> Job:
    rows = _row_count(job)
    job.total = rows
    if rows > background_rows():
        return jobs.enqueue(job, run_member_import)
    job.status = JobStatus.QUEUED
    job.save()
    try:
        jobs.run(job.pk, execute, threaded=False)
    except Exception:
        # Marked failed, its transaction rolled back: its page says so and offers to run it again.
        logger.exception("Member import job %s failed", job.pk)
    job.refresh_from_db()
    return job


@task()
def run_member_import(job_id: int) -> dict | None:
    """The task (run by ``manage.py db_worker``): preview or import the file kept in the job."""
    return jobs.run(job_id, execute)


def execute(job: Job, progress) -> dict:
    """The work of a member-import job: the import itself (one transaction), then its report."""
    report = import_members(
        job.network, bytes(job.data), dry_run=job.dry_run, user=job.user, filename=job.filename, progress=progress
    )
    return report_data(report)


def report_data(report: ImportReport) -> dict:
    """The report as stored in the job (JSON), its messages rendered in the active language."""
    return {
        "rows": report.rows,
        "ok": report.ok,
        "dry_run": report.dry_run,
        "written": report.written,
        "created_cities": report.created_cities,
        "matched_cities": report.matched_cities,
        "created_memberships": report.created_memberships,
        "updated_memberships": report.updated_memberships,
        "unchanged_memberships": report.unchanged_memberships,
        "created_sources": report.created_sources,
        "errors": [
            {"row": error.row, "column": error.column, "message": str(error.message)} for error in report.errors
        ],
        "rows_with_errors": report.rows_with_errors,
        "counts": report.counts(),
        "outcome": report.outcome(),
    }
