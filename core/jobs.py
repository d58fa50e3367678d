"""Background jobs as staff follow them (:class:`core.models.Job`), around Django's tasks API.

A job row is written when the work is asked for (with the uploaded file, if any); the task
enqueued for it (django-tasks, database backend: ``settings.TASKS``) carries only the job's id.
The worker (``manage.py db_worker``) calls :func:`run`, which marks the job running, gives the
work a :class:`Progress` to report to, and stores its report, or its error, when it ends.

Nothing is half-written: each kind of work does its writes in one transaction (the member
import already does), so a worker that raises rolls back, and a worker that dies (killed, out of
memory, machine lost) leaves its transaction to be rolled back by the database when the
connection drops. Such a job is left "running"; :func:`fail_stale` — run by the job pages and
by each worker before it takes work — marks it failed once it has not been heard from for
``PARADIPLO_JOB_STALE_SECONDS``, and it may be retried (:func:`retry`): the file is still in
the row.

The progress and the heartbeat are written by a small thread with its own database connection
(PostgreSQL), so that other processes see them while the work's transaction is still open. On
SQLite, where one writer locks the whole file, they are written only between the work's phases.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import Job, JobStatus

logger = logging.getLogger(__name__)

#: Seconds between two writes of the progress (and of the heartbeat when nothing moves).
PROGRESS_INTERVAL = 1.0
HEARTBEAT_INTERVAL = 15.0


def stale_after() -> timedelta:
    return timedelta(seconds=settings.PARADIPLO_JOB_STALE_SECONDS)


def fail_stale() -> int:
    """Mark failed every running job not heard from for ``PARADIPLO_JOB_STALE_SECONDS``: its
    worker died, and its transaction was rolled back with its connection. Returns how many."""
    now = timezone.now()
    stale = dict(
        Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=now - stale_after()).values_list("pk", "task_id")
    )
    if not stale:
        return 0  # the usual case: one query
    failed = Job.objects.filter(pk__in=stale, status=JobStatus.RUNNING).update(
        status=JobStatus.FAILED,
        finished_at=now,
        error=_("The worker stopped while running this job; nothing it did was kept. You may run it again."),
    )
    task_ids = [task_id for task_id in stale.values() if task_id]
    if task_ids:  # the task queue's own record of them, left "running" by the dead worker
        DBTaskResult.objects.filter(id__in=task_ids, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED, finished_at=now
        )
    return failed


def enqueue(job: Job, task) -> Job:
    """Queue ``job`` for ``task`` (a django-tasks task taking the job's id). With the database
    backend the task's row is written in the caller's transaction, beside the job's."""
    job.status = JobStatus.QUEUED
    job.save()
    result = task.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.task_id = str(result.id)
    return job


def retry(job: Job, task) -> Job:
    """Queue a failed job again (its file and parameters are kept)."""
    job.status, job.done, job.report, job.error = JobStatus.QUEUED, 0, None, ""
    job.started_at = job.finished_at = job.heartbeat_at = None
    return enqueue(job, task)


class Progress:
    """What a job's work reports as it goes: ``progress(done, total)``. Writes are throttled and,
    on PostgreSQL, made by a thread with its own connection, outside the work's transaction."""

    def __init__(self, job: Job, *, threaded: bool | None = None):
        self.job = job
        self.done, self.total = job.done, job.total
        self.threaded = connection.vendor != "sqlite" if threaded is None else threaded
        self._stop = threading.Event()
        self._thread = None

    def __call__(self, done: int, total: int | None = None) -> None:
        if total is not None:
            self.total = total
        self.done = min(done, self.total) if self.total else 0
        if not self.threaded and not connection.in_atomic_block:
            self.write()

    def write(self) -> None:
        Job.objects.filter(pk=self.job.pk, status=JobStatus.RUNNING).update(
            done=self.done, total=self.total, heartbeat_at=timezone.now()
        )

    def start(self) -> None:
        if self.threaded:
            self._thread = threading.Thread(target=self._beat, name=f"job-{self.job.pk}-progress", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _beat(self) -> None:
        written, last = None, 0.0
        try:
            while not self._stop.wait(PROGRESS_INTERVAL):
                state = (self.done, self.total)
                if state != written or time.monotonic() - last >= HEARTBEAT_INTERVAL:
                    try:
                        self.write()
                    except Exception:  # a lost connection must not end the work; the next beat retries
                        logger.warning("Job %s: progress not written", self.job.pk, exc_info=True)
                        connection.close()
                        continue
                    written, last = state, time.monotonic()
        finally:
            connection.close()  # this thread's own connection


def run(job_id: int, work: Callable[[Job, Progress], dict], *, threaded: bool | None = None) -> dict | None:
    """Run ``work(job, progress)`` for a queued job and store the report it returns. A job not
    queued (run already, or cancelled as stale) is left alone. An exception marks the job failed
    (the work's transaction has rolled back) and is raised again for the task's own record.
    ``threaded=False`` writes the progress only between phases (a short run inside a request)."""
    fail_stale()
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, done=0
    )
    if not claimed:
        logger.info("Job %s is not queued: not run", job_id)
        return None
    job = Job.objects.select_related("network", "user").get(pk=job_id)
    progress = Progress(job, threaded=threaded)
    progress.start()
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            report = work(job, progress)
    except BaseException as error:
        progress.stop()
        Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED, finished_at=timezone.now(), error=f"{type(error).__name__}: {error}"[:2000]
        )
        raise
    progress.stop()
    with transaction.atomic():
        Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
            status=JobStatus.SUCCEEDED,
            finished_at=timezone.now(),
            heartbeat_at=timezone.now(),
            report=report,
            done=progress.total,
            total=progress.total,
        )
    return report


def status_payload(job: Job) -> dict:
    """The small JSON a job page polls."""
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "finished": job.finished,
    }
