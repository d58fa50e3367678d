from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from core import ownership as permissions
from core.admin import (
    RecordAdmin,
    ScopedInlineMixin,
    TranslatedAdmin,
    citation_inline,
    translated_search_fields,
    year_filter,
)
from core.admin_filters import WithoutSourceFilter, missing_translation_filter

from . import admin_imports, selectors, services
from .admin_filters import JoinDateFilter, ShortOfReportedFilter
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
    NetworkEditor,
    Office,
    OfficeCitation,
    Summit,
    SummitCitation,
    ThematicUnit,
    ThematicUnitCitation,
)


class NetworkEditorInline(admin.TabularInline):
    """Making someone a network's editor: one row here (curators only)."""

    model = NetworkEditor
    autocomplete_fields = ["user"]
    extra = 0
    verbose_name = _("editor of this network")
    verbose_name_plural = _("editors of this network")

    def has_view_permission(self, request, obj=None):
        return permissions.is_curator(request.user)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


@admin.register(Network)
class NetworkAdmin(TranslatedAdmin):
    list_display = ["name", "acronym", "scope", "founded", "secretariat_city", "status", "parent", "wikidata_id"]
    list_filter = [
        "scope",
        "status",
        year_filter("founded", _("founding year")),
        ShortOfReportedFilter,
        WithoutSourceFilter,
        missing_translation_filter("name"),
    ]
    list_select_related = ["secretariat_city", "parent"]
    search_fields = ["slug", "acronym", "wikidata_id", *translated_search_fields("name")]
    autocomplete_fields = ["founded_city", "secretariat_city", "parent"]
    prepopulated_fields = {"slug": ["acronym"]}
    # No membership inline: a network's members (thousands for some) are listed, filtered and
    # imported on the membership change list, linked from this page; the page stays as light at
    # 5,000 members as at 5.
    inlines = [NetworkEditorInline, citation_inline(NetworkCitation)]

    def has_add_permission(self, request, *args):
        # Networks are added by curators; an editor is never offered what they cannot complete.
        return permissions.is_curator(request.user) and super().has_add_permission(request, *args)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "members_url": members_url(object_id)}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            # Before the object URLs, which would read "coverage" as a network's id.
            path("coverage/", self.admin_site.admin_view(self.coverage_view), name="networks_network_coverage"),
            path(
                "<path:object_id>/import-members/",
                self.admin_site.admin_view(self.import_members_view),
                name="networks_network_import_members",
            ),
            *self.member_import_urls(),
            *super().get_urls(),
        ]

    def coverage_view(self, request):
        """The coverage report (``manage.py coverage_report`` as a page): per network the user may
        see, recorded against reported members and what the next research pass should complete;
        the shared records' gaps (sources, cities, countries) for those who may view them."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        networks = permissions.scope_queryset(request.user, Network.objects.all())
        user = request.user
        totals = selectors.coverage_totals()
        visible = {
            "sources_without_access_date": user.has_perm("sources.view_source"),
            "cities_without_wikidata_id": user.has_perm("cities.view_city"),
            "countries_without_wikidata_id": user.has_perm("cities.view_country"),
            "networks_without_wikidata_id": permissions.is_curator(user),
        }
        labels = {
            "sources_without_access_date": _("Sources without an access date"),
            "cities_without_wikidata_id": _("Cities without a Wikidata id"),
            "countries_without_wikidata_id": _("Countries without a Wikidata id"),
            "networks_without_wikidata_id": _("Networks without a Wikidata id"),
        }
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Coverage report"),
            "rows": selectors.coverage_rows(networks),
            "totals": [(labels[key], count) for key, count in totals.items() if visible[key]],
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/networks/network/coverage.html", context)

    def member_import_urls(self):
        """The import's other pages (networks/admin_imports.py): templates, the member list in
        the import's columns, and a job's confirmation or retry."""
        routes = [
            ("template.<str:file_format>", admin_imports.template_download, "template"),
            ("members.<str:file_format>", admin_imports.members_download, "export"),
            ("<int:job_id>/confirm/", admin_imports.confirm, "confirm"),
            ("<int:job_id>/retry/", admin_imports.retry, "retry"),
        ]
        return [
            path(
                f"<path:object_id>/import-members/{route}",
                self.admin_site.admin_view(self._editable_network_view(view)),
                name=f"networks_network_import_{name}",
            )
            for route, view, name in routes
        ]

    def _editable_network_view(self, view):
        def wrapped(request, object_id, **kwargs):
            network = self.get_object(request, object_id)
            if network is None or not self.has_change_permission(request, network):
                raise PermissionDenied
            if kwargs.get("file_format", "csv") not in admin_imports.FORMATS:
                raise Http404
            return view(request, network, **kwargs)

        return wrapped

    def import_members_view(self, request, object_id):
        """Upload a member list (networks/admin_imports.py; networks/services/member_import/)."""
        network = self.get_object(request, object_id)
        if network is None or not self.has_change_permission(request, network):
            raise PermissionDenied
        return admin_imports.import_page(self, request, network)

    def save_formset(self, request, form, formset, change):
        if formset.model is not NetworkEditor:
            return super().save_formset(request, form, formset, change)
        # Editors are granted through the service, which also gives them staff access.
        for editor in formset.save(commit=False):
            services.grant_editor(user=editor.user, network=form.instance)
        for editor in formset.deleted_objects:
            services.revoke_editor(user=editor.user, network=editor.network)


def members_url(network_id) -> str:
    """The membership change list filtered to one network (where its members are imported)."""
    return f"{reverse('admin:networks_membership_changelist')}?network__id__exact={network_id}"


@admin.register(Membership)
class MembershipAdmin(RecordAdmin):
    list_display = ["city", "network", "category", "founding", "start", "end", "admitted_at", "certainty"]
    list_filter = [
        ("network", admin.RelatedOnlyFieldListFilter),
        "category",
        "certainty",
        "founding",
        year_filter("start", _("year joined")),
        year_filter("end", _("year left")),
        JoinDateFilter,
        WithoutSourceFilter,
    ]
    list_select_related = ["city", "network", "admitted_at"]
    search_fields = ["city__slug", "city__native_name", *translated_search_fields("city__name")]
    autocomplete_fields = ["network", "city", "admitted_at"]
    inlines = [citation_inline(MembershipCitation)]
    list_per_page = 50
    show_full_result_count = False

    def changelist_view(self, request, extra_context=None):
        """The "Import members" button, for the network the list is filtered to (or the editor's
        only network) when the user may change it."""
        network = self.import_network(request)
        extra_context = {**(extra_context or {}), "import_network": network}
        return super().changelist_view(request, extra_context)

    def import_network(self, request):
        value = request.GET.get("network__id__exact", "")
        if value.isascii() and value.isdigit():
            network_id = int(value)
        else:
            networks = permissions.editable_network_ids(request.user)
            if permissions.is_curator(request.user) or len(networks) != 1:
                return None
            network_id = next(iter(networks))
        network = Network.objects.filter(pk=network_id).first()
        if network is None or not permissions.can_edit(request.user, network):
            return None
        return network


@admin.register(GoverningBody)
class GoverningBodyAdmin(TranslatedAdmin):
    list_display = ["name", "network", "kind", "start", "end"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter), "kind"]
    list_select_related = ["network"]
    search_fields = ["slug", *translated_search_fields("name")]
    autocomplete_fields = ["network"]
    inlines = [citation_inline(GoverningBodyCitation)]


@admin.register(ThematicUnit)
class ThematicUnitAdmin(TranslatedAdmin):
    list_display = ["name", "acronym", "network", "kind", "start", "end"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter), "kind"]
    list_select_related = ["network"]
    search_fields = ["slug", "acronym", *translated_search_fields("name")]
    autocomplete_fields = ["network"]
    inlines = [citation_inline(ThematicUnitCitation)]


class SummitRowsMixin:
    """Rows added under a summit (memberships it admitted, offices it elected) belong to the
    summit's network and start on its date: both are filled in, and the network is fixed."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None and obj.pk is not None:
            fields = formset.form.base_fields  # a form class made for this request
            if "network" in fields:
                fields["network"].initial = obj.network_id
                fields["network"].disabled = True
            if "start" in fields and obj.start is not None:
                fields["start"].initial = obj.start
        return formset


class AdmittedInline(SummitRowsMixin, ScopedInlineMixin, admin.TabularInline):
    model = Membership
    fk_name = "admitted_at"
    autocomplete_fields = ["city", "network"]
    fields = ["network", "city", "category", "start"]
    extra = 0
    verbose_name = _("membership admitted")
    verbose_name_plural = _("memberships admitted")


class ElectedInline(SummitRowsMixin, ScopedInlineMixin, admin.TabularInline):
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
    list_filter = [("network", admin.RelatedOnlyFieldListFilter), "kind", "format", year_filter("start", _("year"))]
    list_select_related = ["network", "host_city"]
    search_fields = [
        "slug",
        *translated_search_fields("name"),
        *translated_search_fields("motto"),
        *translated_search_fields("host_city__name"),
    ]
    autocomplete_fields = ["network", "host_city"]
    inlines = [AdmittedInline, ElectedInline, citation_inline(SummitCitation)]
    # The summit's history also lists what was done through its inlines.
    history_related = [
        ("networks.Membership", "admitted_at"),
        ("networks.Office", "elected_at"),
        ("networks.Office", "took_office_at"),
    ]


@admin.register(Office)
class OfficeAdmin(TranslatedAdmin):
    list_display = ["city", "role", "network", "thematic_unit", "person", "start", "end", "certainty"]
    list_filter = [
        ("network", admin.RelatedOnlyFieldListFilter),
        "role",
        "certainty",
        year_filter("start", _("start year")),
    ]
    list_select_related = ["city", "network", "thematic_unit"]
    search_fields = ["person", "city__native_name", *translated_search_fields("city__name")]
    autocomplete_fields = ["network", "city", "body", "thematic_unit", "elected_at", "took_office_at"]
    inlines = [citation_inline(OfficeCitation)]


class FigureCountryInline(ScopedInlineMixin, admin.TabularInline):
    model = MembershipFigureCountry
    autocomplete_fields = ["country"]
    extra = 0


@admin.register(MembershipFigure)
class MembershipFigureAdmin(TranslatedAdmin):
    list_display = ["network", "date", "members", "at_least", "countries"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter), year_filter("date", _("year"))]
    list_select_related = ["network"]
    search_fields = ["network__slug", *translated_search_fields("network__name")]
    autocomplete_fields = ["network"]
    inlines = [FigureCountryInline, citation_inline(MembershipFigureCitation)]


@admin.register(NetworkEditor)
class NetworkEditorAdmin(admin.ModelAdmin):
    list_display = ["user", "network", "created_at"]
    list_filter = ["network"]
    list_select_related = ["user", "network"]
    autocomplete_fields = ["user", "network"]
    search_fields = ["user__username", "user__email", "network__slug"]

    def has_module_permission(self, request):
        return permissions.is_curator(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.is_curator(request.user)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission
