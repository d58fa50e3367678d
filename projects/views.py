"""Public pages of projects, programmes, organizations and SDGs (under a language prefix).

The views are thin: the querysets are shaped in :mod:`projects.selectors` (a fixed number of
queries per page), the filters are in :mod:`projects.filtersets`."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from core.browse import PAGE_SIZE, BrowseListView, CSVDownloadMixin, filter_query

from . import selectors
from .filtersets import OrganizationBrowseFilter, ProjectBrowseFilter
from .models import SDG, Organization, OrganizationRole, Project


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


PROJECT_CSV_COLUMNS = [
    (_("Identifier"), "slug"),
    (_("Title"), "title"),
    (_("Network"), "network"),
    (_("Programme"), "programme"),
    (_("Thematic unit"), "thematic_unit"),
    (_("Status"), "get_status_display"),
    (_("Modality"), "get_modality_display"),
    (_("Start"), "start"),
    (_("End"), "end"),
    (_("Planned start"), "planned_start"),
    (_("Planned end"), "planned_end"),
    (_("Budget"), "budget"),
    (_("Currency"), "currency"),
    (_("Cities and roles"), _cities),
    (_("City identifiers and roles"), _city_keys),
    (_("Funders and amounts"), _funders),
    (_("Other organizations and roles"), _other_organizations),
    (_("SDGs"), _sdgs),
    (_("Sources"), _source_keys),
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
        context["csv_query"] = filter_query(self.request, format="csv")
        return context


# Projects ------------------------------------------------------------------------------------


class ProjectListView(BrowseListView):
    """Cooperation projects, filtered by network, programme, SDG, status, modality, year, funder,
    country and city."""

    model = Project
    filterset_class = ProjectBrowseFilter
    template_name = "projects/project_list.html"
    page_title = _("Cooperation projects")
    csv_columns = PROJECT_CSV_COLUMNS
    csv_filename = "projects"

    def get_queryset(self):
        return selectors.projects_for_list()


def project_json_ld(request, project: Project) -> dict:
    """schema.org ``Project``: its name, description, dates, funders and participants."""

    def absolute(record):
        return request.build_absolute_uri(record.get_absolute_url())

    data = {
        "@context": "https://schema.org",
        "@type": "Project",
        "@id": absolute(project),
        "url": absolute(project),
        "identifier": project.slug,
        "name": project.title or project.slug,
    }
    if project.summary:
        data["description"] = project.summary
    if project.start:
        data["startDate"] = project.start.isoformat()
    if project.end:
        data["endDate"] = project.end.isoformat()
    if project.network_id:
        data["parentOrganization"] = {
            "@type": "Organization",
            "name": str(project.network),
            "url": absolute(project.network),
        }
    funders, members = [], []
    for role in project.organization_roles.all():
        organization = {
            "@type": "Organization",
            "name": role.organization.name or str(role.organization),
            "url": absolute(role.organization),
        }
        if role.organization.acronym:
            organization["alternateName"] = role.organization.acronym
        if role.role == OrganizationRole.FUNDER:
            funders.append(organization)
        else:
            members.append({"@type": "OrganizationRole", "roleName": role.get_role_display(), "member": organization})
    for role in project.participants.all():
        city = {"@type": "GovernmentOrganization", "name": str(role.city), "url": absolute(role.city)}
        members.append({"@type": "OrganizationRole", "roleName": role.get_role_display(), "member": city})
    if funders:
        data["funder"] = funders
    if members:
        data["member"] = members
    sdgs = list(project.sdgs.all())
    if sdgs:
        data["about"] = [
            {"@type": "DefinedTerm", "termCode": str(sdg.number), "name": sdg.short_name, "url": absolute(sdg)}
            for sdg in sdgs
        ]
    return data


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
        context["json_ld"] = project_json_ld(self.request, project)
        return context


# Programmes ----------------------------------------------------------------------------------


class ProgrammeDetailView(RelatedListMixin, DetailView):
    template_name = "projects/programme_detail.html"
    context_object_name = "programme"
    related_name = "projects"
    csv_columns = PROJECT_CSV_COLUMNS

    def get_object(self, queryset=None):
        return get_object_or_404(selectors.programme_detail(), slug=self.kwargs["slug"])

    def get_related(self):
        return selectors.programme_projects(self.object)

    def get_csv_filename(self):
        return f"{self.object.slug}-projects"


# Organizations -------------------------------------------------------------------------------


class OrganizationListView(BrowseListView):
    """Funders and partners that are not member cities, filtered by kind and country."""

    model = Organization
    filterset_class = OrganizationBrowseFilter
    template_name = "projects/organization_list.html"
    page_title = _("Organizations")
    csv_filename = "organizations"
    csv_columns = [
        (_("Identifier"), "slug"),
        (_("Name"), "name"),
        (_("Acronym"), "acronym"),
        (_("Kind"), "get_kind_display"),
        (_("Country code"), "country.code"),
        (_("Country"), "country"),
        (_("Website"), "website"),
        (_("Projects funded"), "funded_count"),
        (_("Projects taken part in"), "project_count"),
        (_("Sources"), _source_keys),
    ]

    def get_queryset(self):
        return selectors.organizations_for_list()


ROLE_CSV_COLUMNS = [
    (_("Project identifier"), "project.slug"),
    (_("Project"), "project.title"),
    (_("Role"), "get_role_display"),
    (_("Amount"), "amount"),
    (_("Currency"), "currency"),
    (_("Network"), "project.network"),
    (_("Programme"), "project.programme"),
    (_("Start"), "project.start"),
    (_("End"), "project.end"),
    (_("Sources"), lambda role: _source_keys(role.project)),
]


class OrganizationDetailView(RelatedListMixin, DetailView):
    template_name = "projects/organization_detail.html"
    context_object_name = "organization"
    related_name = "roles"
    csv_columns = ROLE_CSV_COLUMNS

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


class SDGListView(CSVDownloadMixin, ListView):
    """The 17 Sustainable Development Goals with how many projects work towards each."""

    model = SDG
    template_name = "projects/sdg_list.html"
    context_object_name = "sdgs"
    paginate_by = PAGE_SIZE
    csv_filename = "sdgs"
    csv_columns = [
        (_("Number"), "number"),
        (_("Short name"), "short_name"),
        (_("Title"), "title"),
        (_("Projects"), "project_count"),
    ]

    # Out-of-range or malformed page numbers show the nearest page, as on the other lists.
    paginate_queryset = BrowseListView.paginate_queryset

    def get_queryset(self):
        return selectors.sdgs_with_counts()

    def get(self, request, *args, **kwargs):
        if self.wants_csv():
            return self.csv_download(self.get_queryset())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["csv_query"] = filter_query(self.request, format="csv")
        return context


class SDGDetailView(RelatedListMixin, DetailView):
    template_name = "projects/sdg_detail.html"
    context_object_name = "sdg"
    related_name = "projects"
    csv_columns = PROJECT_CSV_COLUMNS

    def get_object(self, queryset=None):
        return get_object_or_404(selectors.sdg_detail(), number=self.kwargs["number"])

    def get_related(self):
        return selectors.sdg_projects(self.object)

    def get_csv_filename(self):
        return f"sdg-{self.object.number}-projects"
