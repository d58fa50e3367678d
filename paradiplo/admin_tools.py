"""Admin building blocks shared by every app: citation inlines, partial-date year filters,
and the tabbed translation admin that works offline (jQuery UI is vendored)."""

from django.conf import settings
from django.contrib import admin
from django.db.models import CharField, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from .records import LANGUAGE_CODES


def citation_inline(citation_model):
    """A tabular inline for a record's citations (source + locator)."""
    return type(
        f"{citation_model.__name__}Inline",
        (admin.TabularInline,),
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


def name_coalesce(field: str = "name"):
    """Sort key for a translated name, in the active language with its fallbacks (``filter()``
    and ``order_by()`` do not apply modeltranslation's fallbacks themselves). Build it per
    request, after the language is activated."""
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    fallbacks = settings.MODELTRANSLATION_FALLBACK_LANGUAGES
    order = [language, *fallbacks.get(language, fallbacks["default"])]
    order = [code for code in dict.fromkeys(order) if code in LANGUAGE_CODES]
    return Coalesce(*[NullIf(f"{field}_{code}", Value("")) for code in order], Value(""), output_field=CharField())


class TranslatedAdmin(TabbedTranslationAdmin):
    """Tabbed en/es/pt/fr editing. Staff may fill any one language: the model requires one name,
    not English."""

    list_per_page = 50
    show_full_result_count = False  # avoids a COUNT(*) over large tables on every page
