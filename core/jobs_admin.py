"""The background jobs in the admin: a list of the jobs of the user's networks (curators: all),
and a job's page, which shows its progress while it runs (a static script polls its small JSON
status) and its report once it has finished; the page can be returned to at any time."""

from django.contrib import admin
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from core import jobs
from core import ownership as permissions
from core.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "network", "user", "status", "progress", "dry_run", "created_at", "finished_at"]
    list_filter = ["status", "kind", "dry_run", ("network", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["network", "user"]
    list_per_page = 50
    show_full_result_count = False
    # The file itself stays out of every query of the list and the status endpoint.
    deferred = ["data"]

    @admin.display(description=_("progress"))
    def progress(self, job):
        return f"{job.done} / {job.total}" if job.total else "—"

    def get_queryset(self, request):
        queryset = super().get_queryset(request).defer(*self.deferred)
        return permissions.scope_queryset(request.user, queryset)

    def has_module_permission(self, request):
        return permissions.is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        if not (request.user.is_active and request.user.is_staff and permissions.is_editor(request.user)):
            return False
        if obj is None or permissions.is_curator(request.user):
            return True
        return obj.network_id is not None and obj.network_id in permissions.editable_network_ids(request.user)

    def has_add_permission(self, request):
        return False  # jobs are started where their work is asked for (the member import page …)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return permissions.is_curator(request.user)

    def get_urls(self):
        return [
            path("<int:job_id>/status/", self.admin_site.admin_view(self.status_view), name="core_job_status"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        jobs.fail_stale()
        return super().changelist_view(request, extra_context)

    def _job(self, request, job_id):
        job = self.get_queryset(request).select_related("network", "user").filter(pk=job_id).first()
        if job is None or not self.has_view_permission(request, job):
            return None
        return job

    def status_view(self, request, job_id):
        """``…/jobs/<id>/status/``: the job's status and progress as JSON, polled by its page."""
        jobs.fail_stale()
        job = self._job(request, job_id)
        if job is None:
            return JsonResponse({"detail": str(_("No such job."))}, status=404)
        response = JsonResponse(jobs.status_payload(job))
        response["Cache-Control"] = "no-store"
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A job's page: its status, progress and (when finished) its report."""
        jobs.fail_stale()
        job = self._job(request, object_id) if str(object_id).isdigit() else None
        if job is None:
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": job,
            "job": job,
            "report": job.report,
            "title": str(job),
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/core/job/detail.html", context)
