"""Change-list filters that any record's admin may use: records without a source, names missing
a translation, places without coordinates. The data-quality worklists
(paradiplo/admin_worklists.py) link to change lists filtered by them."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .records import LANGUAGE_CODES


class WithoutSourceFilter(admin.SimpleListFilter):
    """Records that cite no source."""

    title = _("sources")
    parameter_name = "sourced"

    def lookups(self, request, model_admin):
        return [("no", _("without a source")), ("yes", _("with a source"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(citations__isnull=True)
        if self.value() == "yes":
            return queryset.filter(citations__isnull=False).distinct()
        return queryset


def missing_translation_filter(field: str = "name"):
    class MissingTranslationFilter(admin.SimpleListFilter):
        title = _("missing translation")
        parameter_name = "missing_translation"

        def lookups(self, request, model_admin):
            return [("any", _("in any language")), *[(code, code) for code in LANGUAGE_CODES]]

        def queryset(self, request, queryset):
            if self.value() == "any":
                return queryset.filter(missing_any_translation(field))
            if self.value() in LANGUAGE_CODES:
                column = f"{field}_{self.value()}"
                return queryset.filter(Q(**{f"{column}__isnull": True}) | Q(**{column: ""}))
            return queryset

    return MissingTranslationFilter


def missing_any_translation(field: str = "name") -> Q:
    condition = Q()
    for code in LANGUAGE_CODES:
        condition |= Q(**{f"{field}_{code}__isnull": True}) | Q(**{f"{field}_{code}": ""})
    return condition


class CoordinatesFilter(admin.SimpleListFilter):
    title = _("coordinates")
    parameter_name = "coordinates"

    def lookups(self, request, model_admin):
        return [("missing", _("missing")), ("known", _("known"))]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(Q(latitude__isnull=True) | Q(longitude__isnull=True))
        if self.value() == "known":
            return queryset.filter(latitude__isnull=False, longitude__isnull=False)
        return queryset
