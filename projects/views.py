"""Public pages of projects, programmes, organizations and SDGs (under a language prefix).

The views are thin: the querysets are shaped in :mod:`projects.selectors` (a fixed number of
queries per page), the filters are in :mod:`projects.filters`."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from core import jsonld
from core.browse import PAGE_SIZE, BrowseListView, Column, CSVDownloadMixin, linked
from core.pagecache import CachedPageMixin
from core.templatetags.paradiplo import period, record_link

from . import selectors
from .filters import OrganizationFilter, ProjectFilter
from .models import SDG, CityRole, Organization, OrganizationRole, Project


def _money(amount, currency: str) -> str:
    if amount is None:
        return ""
    return f"{amount} {currency}".strip()


def _cities(project: Project) -> str:
    return "; ".join(f"{role.city} ({role.get_role_display()})" for role in project.participants.all())


def _city_keys(project: Project) -> str:
    return "; ".join(f"{role.city.slug} ({role.role})" for role in project.participants.all())


def _funders(project: Project) -> str:
    parts = []
    for role in project.funder_roles:
        amount = _money(role.amount, role.currency)
        parts.append(f"{role.organization} ({amount})" if amount else str(role.organization))
    return "; ".join(parts)


def _other_organizations(project: Project) -> str:
    return "; ".join(
        f"{role.organization} ({role.get_role_display()})"
        for role in project.organization_roles.all()
        if role.role != OrganizationRole.FUNDER
    )


def _sdgs(project: Project) -> str:
    return "; ".join(str(sdg.number) for sdg in project.sdgs.all())


def _source_keys(record) -> str:
    return "; ".join(citation.source.key for citation in record.citations.all())


def _joined(links) -> str:
    return format_html_join(", ", "{}", ((link,) for link in links)) or "—"


def _city_links(project: Project) -> str:
    return _joined(
        format_html(
            "{}{}",
            record_link(role.city),
            format_html(" <small>({})</small>", role.get_role_display()) if role.role == CityRole.COORDINATOR else "",
        )
        for role in project.participants.all()
    )


def _funder_links(project: Project) -> str:
    return _joined(
        format_html(
            '<a href="{}"><abbr title="{}">{}</abbr></a>',
            role.organization.get_absolute_url(),
            role.organization.name,
            role.organization.acronym,
        )
        if role.organization.acronym
        else record_link(role.organization)
        for role in project.funder_roles
    )


def _sdg_links(project: Project) -> str:
    return _joined(
        format_html(
            '<a href="{}" title="{}" aria-label="{}">{}</a>',
            sdg.get_absolute_url(),
            sdg.short_name,
            gettext("SDG %(number)s: %(name)s") % {"number": sdg.number, "name": sdg.short_name},
            sdg.number,
        )
        for sdg in project.sdgs.all()
    )


#: The project lists' network column (a programme's page leaves it out: its projects share it).
PROJECT_NETWORK_COLUMN = Column(_("Network"), _("Network"), "network", cell=linked("network"))

PROJECT_COLUMNS = [
    Column(csv_header=_("Identifier"), value="slug"),
    Column(_("Project"), _("Title"), "title", cell="projects/cells/project.html", row_header=True),
    PROJECT_NETWORK_COLUMN,
    Column(csv_header=_("Programme"), value="programme"),
    Column(csv_header=_("Thematic unit"), value="thematic_unit"),
    Column(_("Dates"), cell=period),
    Column(
        _("Status"),
        _("Status"),
        "get_status_display",
        cell=lambda project: format_html('<span class="badge">{}</span>', project.get_status_display()),
    ),
    Column(csv_header=_("Modality"), value="get_modality_display"),
    Column(csv_header=_("Start"), value="start"),
    Column(csv_header=_("End"), value="end"),
    Column(csv_header=_("Planned start"), value="planned_start"),
    Column(csv_header=_("Planned end"), value="planned_end"),
    Column(csv_header=_("Budget"), value="budget"),
    Column(csv_header=_("Currency"), value="currency"),
    Column(_("Cities"), _("Cities and roles"), _cities, cell=_city_links),
    Column(csv_header=_("City identifiers and roles"), value=_city_keys),
    Column(_("Funders"), _("Funders and amounts"), _funders, cell=_funder_links),
    Column(csv_header=_("Other organizations and roles"), value=_other_organizations),
    Column(_("SDGs"), _("SDGs"), _sdgs, cell=_sdg_links),
    Column(csv_header=_("Sources"), value=_source_keys),
]


def _page(request, queryset):
    """One page of a related list, with the context names of includes/pagination.html. Like
    :meth:`BrowseListView.paginate_queryset <core.browse.BrowseListView.paginate_queryset>`,
    an out-of-range or malformed page number shows the nearest page instead of a 404
    (``Paginator.get_page``)."""
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page_obj": page, "paginator": page.paginator, "is_paginated": page.has_other_pages()}


class RelatedListMixin(CSVDownloadMixin):
    """A detail page with one paginated list of related rows, also downloadable as CSV."""

    related_name = "rows"

    def get_object(self, queryset=None):
        raise NotImplementedError

    def get_related(self):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.wants_csv():
            return self.csv_download(self.get_related())
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paged = _page(self.request, self.get_related())
        context.update(paged)
        context[self.related_name] = paged["page_obj"].object_list
        return context


# Projects ------------------------------------------------------------------------------------


class ProjectListView(BrowseListView):
    """Cooperation projects, filtered by network, programme, SDG, status, modality, year, funder,
    country and city."""

    model = Project
    filterset_class = ProjectFilter
    page_title = _("Cooperation projects")
    columns = PROJECT_COLUMNS
    csv_filename = "projects"

    def get_queryset(self):
        return selectors.projects_for_list()


class ProjectDetailView(DetailView):
    template_name = "projects/project_detail.html"
    context_object_name = "project"

    def get_queryset(self):
        return selectors.project_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.object
        roles = list(project.organization_roles.all())
        context["funder_roles"] = [role for role in roles if role.role == OrganizationRole.FUNDER]
        context["other_organization_roles"] = [role for role in roles if role.role != OrganizationRole.FUNDER]
        context["participants"] = list(project.participants.all())
        context["sdgs"] = list(project.sdgs.all())
        context["json_ld"] = jsonld.project_data(
            project,
            self.request.build_absolute_uri,
            funder_roles=context["funder_roles"],
            other_roles=context["other_organization_roles"],
            participants=context["participants"],
            sdgs=context["sdgs"],
        )
        return context


# Programmes ----------------------------------------------------------------------------------


class ProgrammeDetailView(RelatedListMixin, DetailView):
    template_name = "projects/programme_detail.html"
    context_object_name = "programme"
    related_name = "projects"
    columns = PROJECT_COLUMNS

    def get_object(self, queryset=None):
        return get_object_or_404(selectors.programme_detail(), slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["columns"] = [column for column in context["columns"] if column is not PROJECT_NETWORK_COLUMN]
        return context

    def get_related(self):
        return selectors.programme_projects(self.object)

    def get_csv_filename(self):
        return f"{self.object.slug}-projects"


# Organizations -------------------------------------------------------------------------------


class OrganizationListView(BrowseListView):
    """Funders and partners that are not member cities, filtered by kind and country."""

    model = Organization
    filterset_class = OrganizationFilter
    page_title = _("Funders and partner organizations")
    csv_filename = "organizations"
    columns = [
        Column(csv_header=_("Identifier"), value="slug"),
        Column(_("Organization"), _("Name"), "name", cell="projects/cells/organization.html", row_header=True),
        Column(csv_header=_("Acronym"), value="acronym"),
        Column(
            _("Kind"),
            _("Kind"),
            "get_kind_display",
            cell=lambda organization: capfirst(organization.get_kind_display()),
        ),
        Column(csv_header=_("Country code"), value="country.code"),
        Column(_("Country"), _("Country"), "country", cell=linked("country")),
        Column(csv_header=_("Website"), value="website"),
        Column(_("Projects funded"), _("Projects funded"), "funded_count", numeric=True),
        Column(_("Projects taken part in"), _("Projects taken part in"), "project_count", numeric=True),
        Column(csv_header=_("Sources"), value=_source_keys),
    ]

    def get_queryset(self):
        return selectors.organizations_for_list()


ROLE_COLUMNS = [
    Column(csv_header=_("Project identifier"), value="project.slug"),
    Column(_("Project"), _("Project"), "project.title", cell="projects/cells/role_project.html", row_header=True),
    Column(_("Role"), _("Role"), "get_role_display", cell=lambda role: capfirst(role.get_role_display())),
    Column(_("Amount"), _("Amount"), "amount", cell="projects/cells/amount.html", numeric=True, css_class="amount"),
    Column(csv_header=_("Currency"), value="currency"),
    Column(_("Network"), _("Network"), "project.network", cell=linked("project.network")),
    Column(csv_header=_("Programme"), value="project.programme"),
    Column(_("Dates"), cell=lambda role: period(role.project)),
    Column(csv_header=_("Start"), value="project.start"),
    Column(csv_header=_("End"), value="project.end"),
    Column(csv_header=_("Sources"), value=lambda role: _source_keys(role.project)),
]


class OrganizationDetailView(RelatedListMixin, DetailView):
    template_name = "projects/organization_detail.html"
    context_object_name = "organization"
    related_name = "roles"
    columns = ROLE_COLUMNS

    def get_object(self, queryset=None):
        return get_object_or_404(selectors.organization_detail(), slug=self.kwargs["slug"])

    def get_related(self):
        return selectors.organization_roles(self.object)

    def get_csv_filename(self):
        return f"{self.object.slug}-projects"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["role_counts"] = selectors.organization_role_counts(self.object)
        return context


# SDGs ----------------------------------------------------------------------------------------


class SDGListView(CachedPageMixin, CSVDownloadMixin, ListView):
    """The 17 Sustainable Development Goals with how many projects work towards each (cached
    per content version, as the other indexes)."""

    model = SDG
    context_object_name = "sdgs"
    paginate_by = PAGE_SIZE
    page_title = _("Sustainable Development Goals")
    csv_filename = "sdgs"
    columns = [
        Column(_("Number"), _("Number"), "number", numeric=True),
        Column(_("Goal"), _("Short name"), "short_name", cell="projects/cells/sdg.html", row_header=True),
        Column(csv_header=_("Title"), value="title"),
        Column(_("Projects"), _("Projects"), "project_count", numeric=True),
    ]

    # Out-of-range or malformed page numbers show the nearest page, as on the other lists.
    paginate_queryset = BrowseListView.paginate_queryset

    def get_queryset(self):
        return selectors.sdgs_with_counts()

    def page_cacheable(self) -> bool:
        return not self.wants_csv()

    def get(self, request, *args, **kwargs):
        if self.wants_csv():
            return self.csv_download(self.get_queryset())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_title"] = self.page_title
        return context


class SDGDetailView(RelatedListMixin, DetailView):
    template_name = "projects/sdg_detail.html"
    context_object_name = "sdg"
    related_name = "projects"
    columns = PROJECT_COLUMNS

    def get_object(self, queryset=None):
        return get_object_or_404(selectors.sdg_detail(), number=self.kwargs["number"])

    def get_related(self):
        return selectors.sdg_projects(self.object)

    def get_csv_filename(self):
        return f"sdg-{self.object.number}-projects"
