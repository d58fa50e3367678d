"""Admin building blocks shared by every app: citation inlines, partial-date year filters,
and the tabbed translation admin that works offline (jQuery UI is vendored)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import router, transaction
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from core import deletion, exports, history, services, tombstones
from core import ownership as permissions
from core.models import CorrectionProposal
from core.validation import whole_number

from .records import LANGUAGE_CODES
from .text import fold


def citation_inline(citation_model):
    """A tabular inline for a record's citations (source + locator)."""
    return type(
        f"{citation_model.__name__}Inline",
        (ScopedInlineMixin, admin.TabularInline),
        {
            "model": citation_model,
            "autocomplete_fields": ["source"],
            "extra": 0,
            "verbose_name": _("source cited"),
            "verbose_name_plural": _("sources cited"),
        },
    )


def year_filter(field: str, title):
    """A list filter on the year of a partial date: "2003" matches 2003, 2003-05 and 2003-05-11."""

    class PartialDateYearFilter(admin.SimpleListFilter):
        parameter_name = f"{field}_year"

        def lookups(self, request, model_admin):
            years = (
                model_admin.get_queryset(request)
                .filter(**{f"{field}__isnull": False})
                .values_list(f"{field}__year", flat=True)
                .distinct()
                .order_by(f"-{field}__year")
            )
            return [(str(year), str(year)) for year in years]

        def queryset(self, request, queryset):
            # ASCII digits only: "²".isdigit() is true, and int("²") fails.
            year = whole_number(self.value(), minimum=1, maximum=9999)
            return queryset if year is None else queryset.filter(**{f"{field}__year": year})

    PartialDateYearFilter.title = title
    return PartialDateYearFilter


def translated_search_fields(*fields: str) -> list[str]:
    """Search every language column of translated fields."""
    return [f"{field}_{code}" for field in fields for code in LANGUAGE_CODES]


class ScopedAdminMixin:
    """The editing rule of :mod:`core.ownership` in the admin: list pages, change, delete
    and history views, autocomplete (which asks the target model's admin for its queryset) and
    actions all see only what the user may see, and obey :func:`can_edit` for each object."""

    def get_queryset(self, request):
        return permissions.scope_queryset(request.user, super().get_queryset(request))

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        if obj is None or permissions.is_curator(request.user) or permissions.owner_path(type(obj)) is None:
            return True
        return permissions.network_id_of(obj) in permissions.editable_network_ids(request.user)

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request, *args) and permissions.can_add(request.user, self.model)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and permissions.can_edit(request.user, obj, self.model)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and permissions.can_delete(request.user, obj, self.model)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Editors choose only among their own networks (and their records).
        if permissions.owner_path(db_field.related_model) is not None and "queryset" not in kwargs:
            kwargs["queryset"] = permissions.scope_queryset(request.user, db_field.related_model._default_manager.all())
        return fix_single_network(db_field, request, super().formfield_for_foreignkey(db_field, request, **kwargs))

    def save_model(self, request, obj, form, change):
        # Every way the admin saves a record comes here: the change form, and a revert or a
        # restore from the history. The stored record, the record as saved and its relations
        # into networks' records are all checked (core.ownership.write_refusal).
        stored = permissions.stored_version(obj)
        refusal = permissions.write_refusal(request.user, obj, stored)
        if refusal is not None:
            raise PermissionDenied(refusal)
        super().save_model(request, obj, form, change)
        version = getattr(request, "_paradiplo_reverting", None)
        if version is not None and stored is None:
            tombstones.withdraw(obj)  # a deleted record restored from its history page
        if version is not None and history.citation_model(type(obj)) is not None:
            # A revert (or a restore from the history page) brings the version's citations back.
            reason = gettext("Reverted to the version of %(date)s") % {"date": version.history_date.isoformat()}
            history.restore_citations(obj, version.history_citations, user=request.user, reason=reason)
            history.refresh_citations(type(obj), [obj.pk])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if history.citation_model(type(form.instance)) is not None:
            # The history row of this save was written before the inline citations were saved.
            history.refresh_citations(type(form.instance), [form.instance.pk])

    def save_formset(self, request, form, formset, change):
        """Inline rows obey the same rule as the record: each new or changed row is checked as
        :meth:`save_model` checks the record, each deleted one as a deletion."""
        instances = formset.save(commit=False)
        for obj in instances:
            refusal = permissions.write_refusal(request.user, obj)
            if refusal is not None:
                raise PermissionDenied(refusal)
        for obj in formset.deleted_objects:
            if not permissions.can_delete(request.user, obj):
                raise PermissionDenied
            services.delete_record(obj)
        for obj in instances:
            obj.save()
        formset.save_m2m()

    def get_urls(self):
        return [
            path(
                "<path:object_id>/propose-correction/",
                self.admin_site.admin_view(self.propose_correction_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_propose_correction",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A record the user may read but not change says why, and offers to propose a
        correction to the curators (:class:`core.models.CorrectionProposal`)."""
        extra_context = dict(extra_context or {})
        obj = self.get_object(request, object_id) if request.method == "GET" else None
        if obj is not None and self.has_view_permission(request, obj):
            reason = permissions.read_only_reason(request.user, obj)
            if reason is not None and not self.has_change_permission(request, obj):
                extra_context["read_only_reason"] = reason
                extra_context["correction_form"] = CorrectionProposalForm()
                extra_context["correction_url"] = reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_propose_correction",
                    args=[quote(obj.pk)],
                    current_app=self.admin_site.name,
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def propose_correction_view(self, request, object_id):
        """POST: record the proposed correction of a record the user may read, then back to it."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_permission(request, obj):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form = CorrectionProposalForm(request.POST)
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[quote(obj.pk)],
            current_app=self.admin_site.name,
        )
        if form.is_valid():
            services.propose_correction(record=obj, text=form.cleaned_data["text"], author=request.user)
            self.message_user(request, _("Thank you: your proposed correction was sent to the curators."))
        else:
            self.message_user(request, _("Write the correction you propose."), level=messages.ERROR)
        return HttpResponseRedirect(change_url)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """An old version is reverted onto the record as it stands: the record must be one the
        user edits now (a version from when it was theirs does not make it theirs again)."""
        current = self.model._default_manager.filter(pk=object_id).first()
        if current is not None and not permissions.can_edit(request.user, current):
            raise PermissionDenied
        version = history.version(self.model, unquote(object_id), version_id)
        if version is None:
            raise Http404
        request._paradiplo_reverting = version
        extra_context = {**(extra_context or {}), "version_citations": history.cited_sources(version)}
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def get_deleted_objects(self, objs, request):
        """The delete confirmation never offers a cascade: the records that depend on one to
        delete (core.deletion) are shown as protected, which keeps the page from deleting."""
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = list(protected)
        for obj in objs:
            records, counts = deletion.dependants(obj)
            if counts:
                protected.append(deletion.HasDependants(obj, records, counts).summary())
                protected.extend(format_html("{}: {}", record._meta.verbose_name, record) for record in records)
        return to_delete, model_count, perms_needed, protected

    def delete_model(self, request, obj):
        services.delete_record(obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic(using=router.db_for_write(queryset.model)):
            for obj in queryset:
                services.delete_record(obj)


@admin.action(description=_("Export the selected rows as CSV"))
def export_csv(modeladmin, request, queryset):
    """Every column of the selected rows (only those the user may see: the queryset is scoped),
    written by :mod:`core.exports` as every download is."""
    names = [field.attname for field in queryset.model._meta.concrete_fields]
    rows = ([getattr(obj, name) for name in names] for obj in queryset.order_by("pk").iterator(chunk_size=2000))
    return exports.csv_response(exports.csv_lines(names, rows), f"{queryset.model._meta.model_name}.csv")


class ScopedInlineMixin:
    def get_queryset(self, request):
        return permissions.scope_queryset(request.user, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if permissions.owner_path(db_field.related_model) is not None and "queryset" not in kwargs:
            kwargs["queryset"] = permissions.scope_queryset(request.user, db_field.related_model._default_manager.all())
        return fix_single_network(db_field, request, super().formfield_for_foreignkey(db_field, request, **kwargs))


def fix_single_network(db_field, request, formfield):
    """An editor of one network never chooses it: a record's ``network`` field is filled in
    with it and cannot be changed (a disabled field keeps its initial value whatever is posted)."""
    if formfield is None or db_field.name != "network" or permissions.owner_path(db_field.related_model) != "pk":
        return formfield
    if permissions.is_curator(request.user):
        return formfield
    networks = permissions.editable_network_ids(request.user)
    if len(networks) == 1:
        formfield.initial = next(iter(networks))
        formfield.disabled = True
        formfield.help_text = _("The network you edit.")
    return formfield


class HistoryAdminMixin:
    """What the audit history offers staff besides simple_history's list and revert: a trash
    per model (deleted records, scoped like everything else, each with a restore button), an
    undo button on each change of a record's history, the citations of each version, and, on
    the history of a record edited through inlines (a summit's admissions and elections), the
    history of those inline records (``history_related``: ``(model label, field)`` pairs)."""

    object_history_template = "admin/history/object_history.html"
    object_history_list_template = "admin/history/object_history_list.html"
    object_history_form_template = "admin/history/object_history_form.html"
    trash_template = "admin/history/trash.html"
    trash_per_page = 50
    history_related: list[tuple[str, str]] = []

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        view = self.admin_site.admin_view
        return [
            path("trash/", view(self.trash_view), name="{}_{}_trash".format(*info)),
            path("trash/<int:version_id>/restore/", view(self.restore_view), name="{}_{}_restore".format(*info)),
            path(
                "<path:object_id>/history/<int:version_id>/undo/",
                view(self.undo_view),
                name="{}_{}_undo".format(*info),
            ),
            *super().get_urls(),
        ]

    def _url(self, name: str, *args) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}", args=args, current_app=self.admin_site.name)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "trash_url": self._url("trash")}
        return super().changelist_view(request, extra_context)

    def trash_view(self, request):
        """The deleted records of this model the user may see, latest deletion first."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        versions = history.deleted_versions(self.model, request.user)
        page = Paginator(versions, self.trash_per_page).get_page(request.GET.get("p"))
        rows = [
            {
                "version": version,
                "record": history.version_instance(version),
                "history_url": self._url("history", history.record_pk(version)),
            }
            for version in page.object_list
        ]
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": format_html("{}: {}", _("Trash"), opts.verbose_name_plural),
            "opts": opts,
            "rows": rows,
            "page_obj": page,
            "can_restore": self.has_add_permission(request),
            "changelist_url": self._url("changelist"),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.trash_template, context)

    def restore_view(self, request, version_id):
        """POST: bring a record of the trash back, with its citations."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        version = history.deleted_versions(self.model, request.user).filter(history_id=version_id).first()
        if version is None:
            raise Http404
        if not self.has_add_permission(request):
            raise PermissionDenied
        try:
            record, missing = services.restore_version(
                version, user=request.user, reason=gettext("Restored from the trash")
            )
        except (services.HistoryRefusal, ValidationError) as error:
            self.message_user(request, _refusal_text(error), messages.ERROR)
            return HttpResponseRedirect(self._url("trash"))
        self.message_user(
            request,
            format_html(
                gettext("“{}” was restored with its citations.")
                if history.citation_model(self.model) is not None
                else gettext("“{}” was restored."),
                record,
            ),
            messages.SUCCESS,
        )
        if missing:
            self.message_user(
                request,
                gettext("Some cited sources no longer exist; their citations could not come back: %(ids)s")
                % {"ids": ", ".join(map(str, missing))},
                messages.WARNING,
            )
        return HttpResponseRedirect(self._url("change", record.pk))

    def undo_view(self, request, object_id, version_id):
        """POST: undo one change of a record's history, as a new change."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        record = self.get_object(request, unquote(object_id))
        version = history.version(self.model, unquote(object_id), version_id)
        if record is None or version is None:
            raise Http404
        if not self.has_change_permission(request, record):
            raise PermissionDenied
        reason = gettext("Undid the change of %(date)s") % {"date": version.history_date.isoformat()}
        try:
            services.undo_change(version, user=request.user, reason=reason)
        except (services.HistoryRefusal, ValidationError) as error:
            self.message_user(request, _refusal_text(error), messages.ERROR)
        else:
            self.message_user(request, gettext("The change was undone."), messages.SUCCESS)
        return HttpResponseRedirect(self._url("history", record.pk))

    def history_view(self, request, object_id, extra_context=None):
        extra_context = dict(extra_context or {})
        if self.history_related:
            extra_context["related_history"] = history.related_history(
                self.history_related, unquote(object_id), request.user
            )
        return super().history_view(request, object_id, extra_context)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        history.add_citation_changes(list(historical_records))


def _refusal_text(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


class RecordAdmin(HistoryAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    """Every Paradiplo model admin: scoped by network, with an audit history that can revert."""

    actions = [export_csv]
    list_per_page = 50
    show_full_result_count = False  # avoids a COUNT(*) over large tables on every page

    class Media:
        # The autocomplete ranks the cities of the form's network first (cities/admin.py).
        js = ["admin/js/jquery.init.js", "admin/js/paradiplo-autocomplete.js"]


class DerivedSlugForm(forms.ModelForm):
    """A record's slug may be left empty: it is derived from the record's name (the model's
    ``REQUIRED_TRANSLATION``) in the editor's language, else in another one, folded as every
    slug is ("Unidad Temática de Género" → ``unidad-tematica-de-genero``). A slug unique on its
    own gets ``-2``, ``-3``… while taken; one unique within a network is checked by the model."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields and self.slug_source():
            self.fields["slug"].required = False
            self.fields["slug"].help_text = format_lazy(
                "{} {}", self.fields["slug"].help_text or "", _("Leave it empty to derive it from the name.")
            )

    def slug_source(self) -> str | None:
        return getattr(self._meta.model, "REQUIRED_TRANSLATION", None)

    def derived_slug_base(self, cleaned: dict) -> str | None:
        """The slug the name gives (None without a name)."""
        field = self.slug_source()
        codes = [translation.get_language() or "", *LANGUAGE_CODES]
        name = next((cleaned.get(f"{field}_{code}") for code in codes if cleaned.get(f"{field}_{code}")), None)
        if not name:
            return None
        return slugify(fold(name))[:70].strip("-") or None

    def clean(self):
        cleaned = super().clean()
        if "slug" in self.fields and self.slug_source() and not cleaned.get("slug"):
            base = self.derived_slug_base(cleaned)
            if base:
                cleaned["slug"] = self.unique_slug(base)
        return cleaned

    def unique_slug(self, base: str) -> str:
        model = self._meta.model
        if not model._meta.get_field("slug").unique:
            return base
        others = model._default_manager.exclude(pk=self.instance.pk) if self.instance.pk else model._default_manager
        slug, number = base, 1
        while others.filter(slug=slug).exists():
            number += 1
            slug = f"{base}-{number}"
        return slug


class TranslatedAdmin(HistoryAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    """Tabbed en/es/pt/fr editing. Staff may fill any one language: the model requires one name,
    not English. The slug, left empty, is derived from the name (:class:`DerivedSlugForm`)."""

    form = DerivedSlugForm
    actions = [export_csv]
    list_per_page = 50
    show_full_result_count = False

    class Media:
        # The autocomplete ranks the cities of the form's network first (cities/admin.py).
        js = ["admin/js/jquery.init.js", "admin/js/paradiplo-autocomplete.js"]


class CorrectionProposalForm(forms.Form):
    text = forms.CharField(
        label=_("Propose a correction"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        max_length=5000,
        help_text=_("What is wrong and what it should be, with a source if you have one. Curators review it."),
    )


@admin.register(CorrectionProposal)
class CorrectionProposalAdmin(admin.ModelAdmin):
    """The curators' worklist of proposed corrections (the admin index links to the open ones)."""

    list_display = ["record_label", "content_type", "text", "author", "created_at", "status"]
    list_filter = ["status", "content_type"]
    list_select_related = ["content_type", "author"]
    list_editable = ["status"]
    search_fields = ["record_label", "text"]
    readonly_fields = ["content_type", "object_id", "record_label", "text", "author", "created_at", "record_link"]
    fields = ["record_link", "record_label", "content_type", "object_id", "text", "author", "created_at", "status"]

    @admin.display(description=_("record"))
    def record_link(self, proposal):
        model = proposal.content_type.model_class()
        if model is None:
            return proposal.record_label
        url = reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_change",
            args=[quote(proposal.object_id)],
            current_app=self.admin_site.name,
        )
        return format_html('<a href="{}">{}</a>', url, proposal.record_label)

    def has_module_permission(self, request):
        return permissions.is_curator(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.is_curator(request.user)

    has_change_permission = has_view_permission

    def has_add_permission(self, request):
        return False  # proposals come from the records' pages

    def has_delete_permission(self, request, obj=None):
        return permissions.is_curator(request.user)


def is_autocomplete(request) -> bool:
    """Whether the admin request is an autocomplete lookup (not a change list search)."""
    return request.resolver_match is not None and request.resolver_match.url_name == "autocomplete"


# The background jobs' pages (core/jobs_admin.py).
from . import jobs_admin  # noqa: E402, F401
