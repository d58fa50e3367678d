"""Admin building blocks shared by every app: citation inlines, partial-date year filters,
and the tabbed translation admin that works offline (jQuery UI is vendored)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from core import deletion, exports, services
from core import ownership as permissions
from core.validation import whole_number

from .records import LANGUAGE_CODES


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
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # Every way the admin saves a record comes here: the change form, and a revert or a
        # restore from the history. The stored record, the record as saved and its relations
        # into networks' records are all checked (core.ownership.write_refusal).
        refusal = permissions.write_refusal(request.user, obj)
        if refusal is not None:
            raise PermissionDenied(refusal)
        super().save_model(request, obj, form, change)

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

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """An old version is reverted onto the record as it stands: the record must be one the
        user edits now (a version from when it was theirs does not make it theirs again)."""
        current = self.model._default_manager.filter(pk=object_id).first()
        if current is not None and not permissions.can_edit(request.user, current):
            raise PermissionDenied
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
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RecordAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Every Paradiplo model admin: scoped by network, with an audit history that can revert."""

    actions = [export_csv]
    list_per_page = 50
    show_full_result_count = False  # avoids a COUNT(*) over large tables on every page


class TranslatedAdmin(ScopedAdminMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    """Tabbed en/es/pt/fr editing. Staff may fill any one language: the model requires one name,
    not English."""

    actions = [export_csv]
    list_per_page = 50
    show_full_result_count = False


# The background jobs' pages (core/jobs_admin.py).
from . import jobs_admin  # noqa: E402, F401
