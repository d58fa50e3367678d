"""Reads: querysets shaped for the public pages of projects, programmes, organizations and SDGs.

Every page runs a fixed number of queries whatever the number of rows: related records come
through ``select_related`` or ``Prefetch`` querysets (one query per relation per page or CSV
chunk) and counts through correlated subqueries (one query for the whole list)."""

from __future__ import annotations

from django.db.models import Count, F, Prefetch, Q, QuerySet

from cities.models import City
from core.queries import citations_prefetch, correlated_count, name_coalesce
from networks.models import Network, ThematicUnit

from .models import SDG, Organization, OrganizationRole, Programme, Project, ProjectCity, ProjectOrganization

# Newest first; projects without a known start at the end, on SQLite and PostgreSQL alike.
PROJECT_ORDER = (F("start").desc(nulls_last=True), F("planned_start").desc(nulls_last=True), "slug")


def participants_prefetch() -> Prefetch:
    return Prefetch(
        "participants",
        ProjectCity.objects.select_related("city__country").order_by("role", "city__slug"),
    )


def organization_roles_prefetch() -> Prefetch:
    return Prefetch(
        "organization_roles",
        ProjectOrganization.objects.select_related("organization").order_by("role", "organization__slug"),
    )


def funder_roles_prefetch() -> Prefetch:
    """The project's funders alone, as ``project.funder_roles`` (a list)."""
    return Prefetch(
        "organization_roles",
        ProjectOrganization.objects.filter(role=OrganizationRole.FUNDER)
        .select_related("organization")
        .order_by("organization__slug"),
        to_attr="funder_roles",
    )


def sdgs_prefetch() -> Prefetch:
    return Prefetch("sdgs", SDG.objects.order_by("number"))


def projects_for_list() -> QuerySet[Project]:
    """Projects with what a list row shows: network, programme, cities, organizations, SDGs and
    sources (a fixed number of queries per page, and per chunk of the CSV download)."""
    return (
        Project.objects.select_related("network", "programme", "thematic_unit__network")
        .prefetch_related(
            participants_prefetch(),
            organization_roles_prefetch(),
            funder_roles_prefetch(),
            sdgs_prefetch(),
            citations_prefetch(Project),
        )
        .order_by(*PROJECT_ORDER)
    )


def project_detail() -> QuerySet[Project]:
    """The queryset a project page looks its project up in (the page splits funders out itself)."""
    return Project.objects.select_related("network", "programme", "thematic_unit__network").prefetch_related(
        participants_prefetch(), organization_roles_prefetch(), sdgs_prefetch(), citations_prefetch(Project)
    )


def programme_detail() -> QuerySet[Programme]:
    return Programme.objects.select_related("network").prefetch_related(citations_prefetch(Programme))


def programme_projects(programme: Programme) -> QuerySet[Project]:
    return projects_for_list().filter(programme=programme)


def organizations_for_list() -> QuerySet[Organization]:
    """Organizations in the active language's name order, with how many projects each funded
    and took part in (one query for the page whatever the number of projects)."""
    roles = ProjectOrganization.objects.all()
    return (
        Organization.objects.select_related("country")
        .prefetch_related(citations_prefetch(Organization))
        .annotate(
            sort_name=name_coalesce(),
            funded_count=correlated_count(
                roles.filter(role=OrganizationRole.FUNDER), "organization", distinct="project"
            ),
            project_count=correlated_count(roles, "organization", distinct="project"),
        )
        .order_by("sort_name", "slug")
    )


def organization_detail() -> QuerySet[Organization]:
    return Organization.objects.select_related("country").prefetch_related(citations_prefetch(Organization))


def organization_roles(organization: Organization) -> QuerySet[ProjectOrganization]:
    """The organization's roles in projects: funders first, then the newest projects."""
    return (
        ProjectOrganization.objects.filter(organization=organization)
        .select_related("project__network", "project__programme")
        .prefetch_related(citations_prefetch(Project, "project__"))
        .order_by(
            "role",
            F("project__start").desc(nulls_last=True),
            F("project__planned_start").desc(nulls_last=True),
            "project__slug",
            "pk",
        )
    )


def organization_role_counts(organization: Organization) -> dict[str, int]:
    """How many distinct projects the organization funded, and took part in at all (one query)."""
    return ProjectOrganization.objects.filter(organization=organization).aggregate(
        total=Count("project", distinct=True),
        funded=Count("project", distinct=True, filter=Q(role=OrganizationRole.FUNDER)),
    )


def sdgs_with_counts() -> QuerySet[SDG]:
    """The 17 goals with how many projects work towards each (one query)."""
    through = Project.sdgs.through.objects.all()
    return (
        SDG.objects.prefetch_related(citations_prefetch(SDG))
        .annotate(project_count=correlated_count(through, "sdg", distinct="project"))
        .order_by("number")
    )


def sdg_detail() -> QuerySet[SDG]:
    return SDG.objects.prefetch_related(citations_prefetch(SDG))


def sdg_projects(sdg: SDG) -> QuerySet[Project]:
    return projects_for_list().filter(sdgs=sdg)


# --- what projects record about cities, networks and thematic units (contributed to their pages) --
#: How many projects the profile lists (the most recent first) before linking to the project index.
PROJECT_LIMIT = 20
#: How many projects a thematic unit page lists (the most recent first).
UNIT_PROJECT_LIMIT = 50


def network_projects(network: Network, limit: int = PROJECT_LIMIT) -> tuple[list[Project], int]:
    """The network's ``limit`` most recent projects and how many it has: two or three queries."""
    queryset = Project.objects.filter(network=network)
    projects = list(
        queryset.select_related("programme", "thematic_unit__network")
        .prefetch_related(citations_prefetch(Project))
        .order_by(F("start").desc(nulls_last=True), "slug")[:limit]
    )
    total = queryset.count() if len(projects) >= limit else len(projects)
    return projects, total


def unit_projects(unit: ThematicUnit, limit: int = UNIT_PROJECT_LIMIT) -> list[Project]:
    """The unit's projects, most recent first, at most ``limit`` of them."""
    return list(
        Project.objects.filter(thematic_unit=unit)
        .prefetch_related(citations_prefetch(Project))
        .order_by(F("start").desc(nulls_last=True), "slug")[:limit]
    )


def unit_project_count(unit: ThematicUnit) -> int:
    return Project.objects.filter(thematic_unit=unit).count()


def city_projects(city: City) -> list[ProjectCity]:
    """The projects ``city`` took part in (its role in each), newest first, each project with its
    sources and its other participating cities (``project.partners``); projects without a
    known start come last (by their planned start)."""
    partners = (
        ProjectCity.objects.exclude(city=city).select_related("city", "city__country").order_by("role", "city__slug")
    )
    return list(
        ProjectCity.objects.filter(city=city)
        .select_related("project")
        .prefetch_related(
            citations_prefetch(Project, "project__"),
            Prefetch("project__participants", queryset=partners, to_attr="partners"),
        )
        .order_by(
            F("project__start").desc(nulls_last=True),
            F("project__planned_start").desc(nulls_last=True),
            "project__slug",
            "role",
            "pk",
        )
    )


def city_profile_context(city, at=None) -> dict:
    """The projects a city took part in (all of them, whatever the page's ``at``: a project's
    participation is not a period of its own)."""
    return {"projects": city_projects(city)}


def network_profile_context(network) -> dict:
    """A network's most recent projects and how many it has."""
    projects, project_count = network_projects(network)
    return {"projects": projects, "project_count": project_count, "project_limit": PROJECT_LIMIT}


def unit_profile_context(unit) -> dict:
    """A thematic unit's most recent projects and how many it has."""
    projects = unit_projects(unit)
    count = unit_project_count(unit) if len(projects) >= UNIT_PROJECT_LIMIT else len(projects)
    return {"projects": projects, "project_count": count, "project_limit": UNIT_PROJECT_LIMIT}
