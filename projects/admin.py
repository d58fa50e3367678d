from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import (
    ScopedInlineMixin,
    TranslatedAdmin,
    citation_inline,
    translated_search_fields,
    year_filter,
)

from .models import (
    SDG,
    Organization,
    OrganizationCitation,
    Programme,
    ProgrammeCitation,
    Project,
    ProjectCitation,
    ProjectCity,
    ProjectOrganization,
    SDGCitation,
)


@admin.register(SDG)
class SDGAdmin(TranslatedAdmin):
    list_display = ["number", "short_name", "title"]
    search_fields = ["=number", *translated_search_fields("short_name")]
    inlines = [citation_inline(SDGCitation)]


@admin.register(Organization)
class OrganizationAdmin(TranslatedAdmin):
    list_display = ["name", "acronym", "kind", "country"]
    list_filter = ["kind"]
    list_select_related = ["country"]
    search_fields = ["slug", "acronym", *translated_search_fields("name")]
    autocomplete_fields = ["country"]
    inlines = [citation_inline(OrganizationCitation)]


@admin.register(Programme)
class ProgrammeAdmin(TranslatedAdmin):
    list_display = ["name", "network", "start", "end"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["network"]
    search_fields = ["slug", *translated_search_fields("name")]
    autocomplete_fields = ["network", "sdgs"]
    inlines = [citation_inline(ProgrammeCitation)]


class ProjectCityInline(ScopedInlineMixin, admin.TabularInline):
    model = ProjectCity
    autocomplete_fields = ["city"]
    extra = 0


class ProjectOrganizationInline(ScopedInlineMixin, admin.TabularInline):
    model = ProjectOrganization
    autocomplete_fields = ["organization"]
    extra = 0


@admin.register(Project)
class ProjectAdmin(TranslatedAdmin):
    list_display = ["title", "network", "programme", "status", "modality", "start", "end", "budget", "currency"]
    list_filter = [
        ("network", admin.RelatedOnlyFieldListFilter),
        "status",
        "modality",
        "sdgs",
        year_filter("start", _("start year")),
    ]
    list_select_related = ["network", "programme"]
    search_fields = ["slug", *translated_search_fields("title")]
    autocomplete_fields = ["network", "programme", "thematic_unit", "sdgs"]
    inlines = [ProjectCityInline, ProjectOrganizationInline, citation_inline(ProjectCitation)]
