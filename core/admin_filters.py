"""Change-list filters that any record's admin may use: records without a source, names missing
a translation, places without coordinates. The data-quality worklists
(paradiplo/admin_worklists.py) link to change lists filtered by them."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import ownership
from .records import LANGUAGE_CODES


class ConditionFilter(admin.SimpleListFilter):
    """A list filter whose choices are named conditions: ``conditions = {value: (label, condition)}``,
    where a condition is a ``Q`` or a function that takes and returns a queryset."""

    conditions: dict = {}

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _condition) in self.conditions.items()]

    def queryset(self, request, queryset):
        choice = self.conditions.get(self.value())
        if choice is None:
            return queryset
        condition = choice[1]
        return queryset.filter(condition) if isinstance(condition, Q) else condition(queryset)


class WithoutSourceFilter(ConditionFilter):
    """Records that cite no source."""

    title = _("sources")
    parameter_name = "sourced"
    conditions = {
        "no": (_("without a source"), Q(citations__isnull=True)),
        "yes": (_("with a source"), lambda queryset: queryset.filter(citations__isnull=False).distinct()),
    }


def missing_translation_filter(field: str = "name"):
    """A list filter of records whose ``field`` is missing in any language, or in one."""

    def missing_in(code: str) -> Q:
        return Q(**{f"{field}_{code}__isnull": True}) | Q(**{f"{field}_{code}": ""})

    return type(
        "MissingTranslationFilter",
        (ConditionFilter,),
        {
            "title": _("missing translation"),
            "parameter_name": "missing_translation",
            "conditions": {
                "any": (_("in any language"), missing_any_translation(field)),
                **{code: (code, missing_in(code)) for code in LANGUAGE_CODES},
            },
        },
    )


def missing_any_translation(field: str = "name") -> Q:
    condition = Q()
    for code in LANGUAGE_CODES:
        condition |= Q(**{f"{field}_{code}__isnull": True}) | Q(**{f"{field}_{code}": ""})
    return condition


class CoordinatesFilter(ConditionFilter):
    title = _("coordinates")
    parameter_name = "coordinates"
    conditions = {
        "missing": (_("missing"), Q(latitude__isnull=True) | Q(longitude__isnull=True)),
        "known": (_("known"), Q(latitude__isnull=False, longitude__isnull=False)),
    }


class EditableFilter(admin.SimpleListFilter):
    """Records the user may change (:func:`core.ownership.editable_queryset`): for an editor, the
    shared records they added that no other network uses; the worklists link here."""

    title = _("who may change it")
    parameter_name = "editable"

    def lookups(self, request, model_admin):
        return [("yes", _("records I may change"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return ownership.editable_queryset(request.user, queryset)
        return queryset
