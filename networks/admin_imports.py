"""The member import's admin pages, served under a network (``NetworkAdmin.get_urls``): the
upload page (with the empty templates and the current member list in the import's columns),
and the confirmation or retry of a job. A job's own page is core's (``core/jobs_admin.py``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core import exports
from core.models import Job, JobKind, JobStatus

from . import selectors
from .forms import MemberImportForm
from .services.member_import import export
from .services.member_import import jobs as import_jobs

#: The formats of the template and the export: (extension, writer).
FORMATS = {"csv": lambda header, rows, name: exports.csv_response(exports.csv_lines(header, rows), name)}
FORMATS["xlsx"] = exports.xlsx_response


def job_url(job: Job) -> str:
    return reverse("admin:core_job_change", args=[job.pk])


def import_page(model_admin, request, network):
    """Upload a member list: "Preview" checks every row and writes nothing, "Import" writes all
    rows or, if any is bad, nothing. Either way the file is kept in a job and the job's page
    shows the report (the worker runs large files); a preview's file is then imported from that
    page without a second upload."""
    form = MemberImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        dry_run = "_import" not in request.POST
        job = import_jobs.submit(network, form.cleaned_data["file"], user=request.user, dry_run=dry_run)
        if job.report and job.report.get("written"):
            messages.success(request, job.report["counts"])
        return redirect(job_url(job))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": network,
        "title": _("Import members of %(network)s") % {"network": network},
        "form": form,
        "jobs": selectors.recent_jobs(network),
        "background_rows": import_jobs.background_rows(),
        "formats": list(FORMATS),
        "has_view_permission": True,
    }
    return TemplateResponse(request, "admin/networks/network/import_members.html", context)


def template_download(request, network, file_format: str):
    """The empty import file: the column names in the active language, no rows."""
    return FORMATS[file_format](export.header(), [], f"{network.slug}-members-template.{file_format}")


def members_download(request, network, file_format: str):
    """The network's memberships in the import's columns: imported again, nothing changes."""
    return FORMATS[file_format](export.header(), export.member_file(network), f"{network.slug}-members.{file_format}")


def _member_job(request, network, job_id) -> Job:
    return get_object_or_404(
        Job.objects.select_related("network"), pk=job_id, network=network, kind=JobKind.MEMBER_IMPORT
    )


@require_POST
def confirm(request, network, job_id):
    """ "Import this file" on a successful preview's page: the same job, written for real."""
    job = _member_job(request, network, job_id)
    if not import_jobs.importable(job):
        raise PermissionDenied
    job = import_jobs.confirm(job, user=request.user)
    if job.status == JobStatus.SUCCEEDED and job.report and job.report.get("written"):
        messages.success(request, job.report["counts"])
    return redirect(job_url(job))


@require_POST
def retry(request, network, job_id):
    """ "Run again" on a failed job's page."""
    job = _member_job(request, network, job_id)
    if job.status != JobStatus.FAILED:
        raise PermissionDenied
    return redirect(job_url(import_jobs.retry(job, user=request.user)))
