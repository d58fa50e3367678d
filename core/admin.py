"""Admin building blocks shared by every app: citation inlines, partial-date year filters,
and the tabbed translation admin that works offline (jQuery UI is vendored)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from core import exports
from core import ownership as permissions

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
            if self.value() and self.value().isdigit():
                return queryset.filter(**{f"{field}__year": int(self.value())})
            return queryset

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
        return super().has_delete_permission(request, obj) and permissions.can_edit(request.user, obj, self.model)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Editors choose only among their own networks (and their records).
        if permissions.owner_path(db_field.related_model) is not None and "queryset" not in kwargs:
            kwargs["queryset"] = permissions.scope_queryset(request.user, db_field.related_model._default_manager.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not permissions.can_write(request.user, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


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
