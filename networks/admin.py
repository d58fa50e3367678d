from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from paradiplo.admin_tools import TranslatedAdmin, citation_inline, translated_search_fields, year_filter

from .models import (
    GoverningBody,
    GoverningBodyCitation,
    Membership,
    MembershipCitation,
    MembershipFigure,
    MembershipFigureCitation,
    MembershipFigureCountry,
    Network,
    NetworkCitation,
    Office,
    OfficeCitation,
    Summit,
    SummitCitation,
    ThematicUnit,
    ThematicUnitCitation,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "network"
    autocomplete_fields = ["city", "admitted_at"]
    fields = ["city", "category", "founding", "start", "end", "admitted_at"]
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("city", "admitted_at", "admitted_at__host_city")


@admin.register(Network)
class NetworkAdmin(TranslatedAdmin):
    list_display = ["name", "acronym", "scope", "founded", "secretariat_city", "status", "parent"]
    list_filter = ["scope", "status", year_filter("founded", _("founding year"))]
    list_select_related = ["secretariat_city", "parent"]
    search_fields = ["slug", "acronym", *translated_search_fields("name")]
    autocomplete_fields = ["founded_city", "secretariat_city", "parent"]
    prepopulated_fields = {"slug": ["acronym"]}
    inlines = [MembershipInline, citation_inline(NetworkCitation)]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["city", "network", "category", "founding", "start", "end", "admitted_at"]
    list_filter = [
        "network",
        "category",
        "founding",
        year_filter("start", _("year joined")),
        year_filter("end", _("year left")),
    ]
    list_select_related = ["city", "network", "admitted_at"]
    search_fields = ["city__slug", "city__native_name", *translated_search_fields("city__name")]
    autocomplete_fields = ["network", "city", "admitted_at"]
    inlines = [citation_inline(MembershipCitation)]
    list_per_page = 50
    show_full_result_count = False


@admin.register(GoverningBody)
class GoverningBodyAdmin(TranslatedAdmin):
    list_display = ["name", "network", "kind", "start", "end"]
    list_filter = ["network", "kind"]
    list_select_related = ["network"]
    search_fields = ["slug", *translated_search_fields("name")]
    autocomplete_fields = ["network"]
    inlines = [citation_inline(GoverningBodyCitation)]


@admin.register(ThematicUnit)
class ThematicUnitAdmin(TranslatedAdmin):
    list_display = ["name", "acronym", "network", "kind", "start", "end"]
    list_filter = ["network", "kind"]
    list_select_related = ["network"]
    search_fields = ["slug", "acronym", *translated_search_fields("name")]
    autocomplete_fields = ["network"]
    inlines = [citation_inline(ThematicUnitCitation)]


class AdmittedInline(admin.TabularInline):
    model = Membership
    fk_name = "admitted_at"
    autocomplete_fields = ["city", "network"]
    fields = ["network", "city", "category", "start"]
    extra = 0
    verbose_name = _("membership admitted")
    verbose_name_plural = _("memberships admitted")


class ElectedInline(admin.TabularInline):
    model = Office
    fk_name = "elected_at"
    autocomplete_fields = ["city", "network", "body", "thematic_unit"]
    fields = ["network", "city", "role", "body", "thematic_unit", "person", "start", "end"]
    extra = 0
    verbose_name = _("office elected")
    verbose_name_plural = _("offices elected")


@admin.register(Summit)
class SummitAdmin(TranslatedAdmin):
    list_display = ["__str__", "network", "number", "start", "host_city", "format"]
    list_filter = ["network", "kind", "format", year_filter("start", _("year"))]
    list_select_related = ["network", "host_city"]
    search_fields = [
        "slug",
        *translated_search_fields("name"),
        *translated_search_fields("motto"),
        *translated_search_fields("host_city__name"),
    ]
    autocomplete_fields = ["network", "host_city"]
    inlines = [AdmittedInline, ElectedInline, citation_inline(SummitCitation)]


@admin.register(Office)
class OfficeAdmin(TranslatedAdmin):
    list_display = ["city", "role", "network", "thematic_unit", "person", "start", "end"]
    list_filter = ["network", "role", year_filter("start", _("start year"))]
    list_select_related = ["city", "network", "thematic_unit"]
    search_fields = ["person", "city__native_name", *translated_search_fields("city__name")]
    autocomplete_fields = ["network", "city", "body", "thematic_unit", "elected_at"]
    inlines = [citation_inline(OfficeCitation)]


class FigureCountryInline(admin.TabularInline):
    model = MembershipFigureCountry
    autocomplete_fields = ["country"]
    extra = 0


@admin.register(MembershipFigure)
class MembershipFigureAdmin(TranslatedAdmin):
    list_display = ["network", "date", "members", "at_least", "countries"]
    list_filter = ["network", year_filter("date", _("year"))]
    list_select_related = ["network"]
    search_fields = ["network__slug", *translated_search_fields("network__name")]
    autocomplete_fields = ["network"]
    inlines = [FigureCountryInline, citation_inline(MembershipFigureCitation)]
