"""The dataset release's background task (django-tasks; run by ``manage.py db_worker``)."""

import datetime

from django.utils import timezone
from django_tasks import task

from core import jobs
from core.models import Job, JobKind

from .dataset import export_dataset, release_dir


def export_job(*, user=None, release_date: datetime.date | None = None) -> Job:
    """Queue the writing of a dataset release (of ``release_date``, default the day it runs)."""
    params = {"date": release_date.isoformat() if release_date else ""}
    return jobs.enqueue(Job(kind=JobKind.DATASET_EXPORT, user=user, params=params), run_export)


def _export(job: Job, progress) -> dict:
    value = job.params.get("date")
    release_date = datetime.date.fromisoformat(value) if value else timezone.localdate()
    release = export_dataset(release_dir(release_date), release_date=release_date)
    return {"lines": [f"{release.title}: {len(release.files)} files in {release.path}"]}


@task()
def run_export(job_id: int) -> dict | None:
    # The release is written beside its folder and moved into place when complete
    # (paradiplo.dataset): a worker killed half-way leaves the previous release served.
    return jobs.run(job_id, _export)
