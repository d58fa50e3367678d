"""The search index's background task (django-tasks; run by ``manage.py db_worker``)."""

from django.db import connections, transaction
from django_tasks import task

from core import jobs
from core.models import Job, JobKind

from . import database as search_database
from .kinds import KIND_BY_CODE, KINDS
from .models import SearchEntry


def rebuild(codes: list[str] | None = None, alias: str = "default") -> str:
    """Re-create the triggers and rewrite the index (of the kinds ``codes``, default all) in one
    transaction: a rebuild that fails or is killed leaves the index as it was."""
    connection = connections[alias]
    if connection.vendor not in ("postgresql", "sqlite"):
        raise ValueError(f"Search supports PostgreSQL and SQLite, not {connection.vendor}.")
    kinds = [KIND_BY_CODE[code] for code in codes] if codes else list(KINDS)
    with transaction.atomic(using=alias):
        search_database.install_triggers(connection)
        search_database.rebuild(connection, kinds)
    total = SearchEntry.objects.using(alias).filter(kind__in=[kind.code for kind in kinds]).count()
    return f"Search index rebuilt: {total} entries ({', '.join(kind.code for kind in kinds)})."


def rebuild_job(*, user=None, codes: list[str] | None = None) -> Job:
    """Queue a rebuild of the search index."""
    return jobs.enqueue(Job(kind=JobKind.SEARCH_REBUILD, user=user, params={"codes": codes or []}), run_rebuild)


@task()
def run_rebuild(job_id: int) -> dict | None:
    return jobs.run(job_id, lambda job, progress: {"lines": [rebuild(job.params.get("codes") or None)]})
