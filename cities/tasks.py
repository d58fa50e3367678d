"""The cities' background tasks (django-tasks; run by ``manage.py db_worker``)."""

from django_tasks import task

from core import jobs
from core.models import Job, JobKind

from .services.gazetteer import import_gazetteer


def gazetteer_job(*, user=None, **params) -> Job:
    """Queue a gazetteer import (``params``: those of :func:`import_gazetteer` the command takes:
    ``countries``, ``min_population``, ``limit``, ``batch_size``)."""
    return jobs.enqueue(Job(kind=JobKind.GAZETTEER, user=user, params=params), run_gazetteer_import)


@task()
def run_gazetteer_import(job_id: int) -> dict | None:
    """Import GeoNames places as job ``job_id`` says. A worker that dies half way leaves the
    batches written so far: the import is idempotent, and running the job again completes it."""
    return jobs.run(job_id, _import)


def _import(job: Job, progress) -> dict:
    report = import_gazetteer(**job.params)
    return {"lines": report.lines(max_skipped=50)}
