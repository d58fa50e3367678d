"""Reads for the public pages of networks: the index, a network's profile and its member list.

Every function returns a queryset (or list) shaped so that the page runs a fixed number of
queries whatever the number of networks, memberships, offices, summits and projects:
related rows come through ``select_related`` or one ``prefetch_related`` query each, counts
through annotations or one aggregate.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse

from cities.models import Country
from core.browse import language_name
from core.periods import not_ended_condition
from core.queries import citations_prefetch, name_coalesce
from core.records import LANGUAGE_CODES
from projects.models import Project

from .aggregates import membership_growth
from .models import (
    GoverningBody,
    Membership,
    MembershipFigure,
    MembershipFigureCountry,
    Network,
    Office,
    Role,
    Summit,
    ThematicUnit,
)
from .selectors import latest_figure_prefetch, networks_with_counts

#: How many memberships the profile lists before linking to the full member page.
MEMBER_PREVIEW_LIMIT = 25
#: How many projects the profile lists (the most recent first) before linking to the project index.
PROJECT_LIMIT = 20
#: Roles that lead a network, shown as "presidency over time" on the profile.
LEAD_ROLES = (Role.PRESIDENT, Role.CO_PRESIDENT, Role.CHAIR, Role.CO_CHAIR, Role.EXECUTIVE_SECRETARIAT)


# Index ---------------------------------------------------------------------------------------


def network_rows() -> QuerySet[Network]:
    """Every network with its counts (see :func:`networks.selectors.networks_with_counts`), the
    secretariat's country and the network's sources: three queries per page."""
    return (
        networks_with_counts()
        .select_related("founded_city", "secretariat_city__country", "parent")
        .prefetch_related(citations_prefetch(Network), latest_figure_prefetch())
    )


def network_csv_rows() -> QuerySet[Network]:
    """The index's rows for the CSV download (no sources)."""
    return networks_with_counts().select_related("founded_city", "secretariat_city__country", "parent")


# Profile -------------------------------------------------------------------------------------


def network_profile_queryset() -> QuerySet[Network]:
    """The network with its places, parent, sections (by name) and sources: three queries."""
    sections = Network.objects.annotate(sort_name=name_coalesce()).order_by("sort_name", "slug")
    return Network.objects.select_related(
        "founded_city__country", "secretariat_city__country", "parent"
    ).prefetch_related(citations_prefetch(Network), Prefetch("sections", queryset=sections))


def member_counts_by_country(network: Network, on: datetime.date) -> list[dict]:
    """The network's memberships counted by the country of their city (``city__country``, None
    when unknown): ``recorded`` (at any time), ``current`` (in force on ``on``, undated
    evidence of membership included, as in ``current()``) and ``founding``. One query, one row
    per country, whatever the number of members."""
    current = Membership.objects.started_by(on, include_undated=True) & not_ended_condition(on)
    return list(
        Membership.objects.filter(network=network)
        .order_by()
        .values("city__country")
        .annotate(
            recorded=Count("pk"),
            current=Count("pk", filter=current),
            founding=Count("pk", filter=Q(founding=True)),
        )
    )


def membership_counts(by_country: list[dict]) -> dict:
    """How many memberships are recorded, in force and founding: the sums of
    :func:`member_counts_by_country`'s rows. No query."""
    return {key: sum(row[key] for row in by_country) for key in ("recorded", "current", "founding")}


#: Stands for a city's slug in its URL, replaced by each map point's own.
_SLUG = "city-slug-placeholder"


def map_points(network: Network, on: datetime.date) -> list[dict]:
    """The member cities in force on ``on`` that have coordinates, for ``includes/map.html``:
    ``[{name, lat, lon, url, founding}]``. One query of plain values (no model objects); the
    URL is built once and filled with each slug. A city holds at most one membership of a
    network at a time, so each point is one member city."""
    prefix, suffix = reverse("city-detail", kwargs={"slug": _SLUG}).split(_SLUG)
    rows = (
        Membership.objects.current(on)
        .filter(network=network, city__latitude__isnull=False, city__longitude__isnull=False)
        .annotate(city_name=name_coalesce("city__name"))
        .order_by("city_name", "city__slug")
        .values_list("city__slug", "city_name", "city__native_name", "city__latitude", "city__longitude", "founding")
    )
    return [
        {
            # As City.__str__: the name in the active language, else the native name, else the slug.
            "name": name or native or slug,
            "lat": float(latitude),
            "lon": float(longitude),
            "url": f"{prefix}{slug}{suffix}",
            "founding": founding,
        }
        for slug, name, native, latitude, longitude, founding in rows
    ]


@dataclass
class CountryRow:
    """One country's line in the profile's "members by country" table (shares in percent)."""

    country: Country | None
    recorded: int = 0
    recorded_share: float | None = None
    reported: int | None = None
    reported_share: float | None = None


def members_by_country(
    by_country: list[dict], countries: dict[int, Country], breakdown: list[MembershipFigureCountry]
) -> list[CountryRow]:
    """Members in force counted by country (:func:`member_counts_by_country`) beside a reported
    per-country breakdown, biggest first (by the reported figure, then the recorded count). No
    query: ``countries`` holds the countries of both (:func:`profile_countries`)."""
    rows: dict[object, CountryRow] = {}
    for line in by_country:
        if line["current"]:
            key = line["city__country"]
            rows[key] = CountryRow(countries.get(key), recorded=line["current"])
    for line in breakdown:
        row = rows.setdefault(line.country_id, CountryRow(line.country))
        row.reported = line.members
        row.reported_share = line.share * 100 if line.share is not None else None
    total = sum(row.recorded for row in rows.values())
    for row in rows.values():
        row.recorded_share = row.recorded * 100 / total if total else None
    return sorted(
        rows.values(),
        key=lambda row: (-(row.reported or 0), -row.recorded, str(row.country) if row.country else "\uffff"),
    )


def profile_countries(by_country: list[dict], breakdown: list[MembershipFigureCountry]) -> dict[int, Country]:
    """The countries of the members and of the reported breakdown, by primary key; each
    breakdown line gets its country from them. One query (none when there are no countries)."""
    keys = {row["city__country"] for row in by_country if row["city__country"] is not None}
    keys |= {line.country_id for line in breakdown}
    countries = Country.objects.in_bulk(keys) if keys else {}
    for line in breakdown:
        line.country = countries[line.country_id]
    return countries


def membership_figures(network: Network) -> list[MembershipFigure]:
    """The sizes sources reported for the network, oldest first (undated ones first), each with
    ``has_breakdown`` (whether a per-country breakdown is recorded) and its sources: two queries."""
    return list(
        MembershipFigure.objects.filter(network=network)
        .annotate(has_breakdown=Exists(MembershipFigureCountry.objects.filter(figure=OuterRef("pk"))))
        .prefetch_related(citations_prefetch(MembershipFigure))
        .order_by(F("date").asc(nulls_first=True), "members", "pk")
    )


def latest_figure(figures: list[MembershipFigure], *, with_breakdown: bool = False) -> MembershipFigure | None:
    """The most recent dated figure (an undated one only when none is dated); with
    ``with_breakdown``, the most recent that has a per-country breakdown."""
    candidates = [figure for figure in figures if figure.has_breakdown or not with_breakdown]
    dated = [figure for figure in candidates if figure.date]
    if dated:
        return max(dated, key=lambda figure: (figure.date, figure.members))
    return candidates[-1] if candidates else None


def figure_breakdown(figure: MembershipFigure | None) -> list[MembershipFigureCountry]:
    """A figure's per-country lines, biggest first (their countries come from
    :func:`profile_countries`): one query."""
    if figure is None:
        return []
    lines = list(MembershipFigureCountry.objects.filter(figure=figure).order_by("-members", "country__code"))
    for line in lines:
        line.figure = figure  # for its share, without a query per line
    return lines


def member_preview(network: Network, limit: int = MEMBER_PREVIEW_LIMIT) -> list[Membership]:
    """The first ``limit`` memberships in order of joining (founders first): two queries."""
    return list(member_rows(network)[:limit])


def governing_bodies(network: Network) -> list[GoverningBody]:
    """The network's governing bodies, oldest first, with their sources: two queries."""
    return list(
        GoverningBody.objects.filter(network=network)
        .prefetch_related(citations_prefetch(GoverningBody))
        .annotate(sort_name=name_coalesce())
        .order_by(F("start").asc(nulls_first=True), "sort_name", "slug")
    )


def network_offices(network: Network) -> list[Office]:
    """Every office of the network (governing bodies and thematic units alike), in order of
    time, with city, country, body, unit, the summit that elected it and sources: two queries."""
    return list(
        Office.objects.filter(network=network)
        .select_related("city__country", "body", "thematic_unit__network", "elected_at__network")
        .prefetch_related(citations_prefetch(Office))
        .order_by(F("start").asc(nulls_first=True), F("end").asc(nulls_last=True), "role", "city__slug", "pk")
    )


def thematic_units(network: Network) -> list[ThematicUnit]:
    """The network's thematic units by name, with their sources: two queries."""
    return list(
        ThematicUnit.objects.filter(network=network)
        .select_related("network")
        .prefetch_related(citations_prefetch(ThematicUnit))
        .annotate(sort_name=name_coalesce())
        .order_by("sort_name", "slug")
    )


def network_summits(network: Network) -> list[Summit]:
    """The network's summits in order of time (by start, else end), with host city and sources:
    two queries."""
    return list(
        Summit.objects.filter(network=network)
        .select_related("network", "host_city__country")
        .prefetch_related(citations_prefetch(Summit))
        .annotate(date_key=Coalesce("start", "end"))
        .order_by(F("date_key").asc(nulls_last=True), F("number").asc(nulls_last=True), "slug")
    )


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


@dataclass
class BodyOffices:
    """A governing body (or ``None``: offices recorded without a body) with its office holders."""

    body: GoverningBody | None
    current: list[Office] = field(default_factory=list)
    history: list[Office] = field(default_factory=list)


def offices_by_body(bodies: list[GoverningBody], offices: list[Office], on: datetime.date) -> list[BodyOffices]:
    """Group the network's offices (those not of a thematic unit) by governing body: bodies in
    force first, then former ones; each with the offices in force on ``on`` and the whole
    history. No query."""
    groups = {body.pk: BodyOffices(body) for body in bodies}
    loose = BodyOffices(None)
    for office in offices:
        if office.thematic_unit_id:
            continue
        group = groups.get(office.body_id, loose)
        group.history.append(office)
        if office.is_in_force(on):
            group.current.append(office)
    ordered = sorted(groups.values(), key=lambda group: not group.body.is_in_force(on))
    if loose.history:
        ordered.append(loose)
    return ordered


@dataclass
class UnitOffices:
    unit: ThematicUnit
    current: list[Office] = field(default_factory=list)
    history: list[Office] = field(default_factory=list)


def offices_by_unit(units: list[ThematicUnit], offices: list[Office], on: datetime.date) -> list[UnitOffices]:
    """Each thematic unit with its coordinators now and over time. No query."""
    groups = {unit.pk: UnitOffices(unit) for unit in units}
    for office in offices:
        group = groups.get(office.thematic_unit_id)
        if group is None:
            continue
        group.history.append(office)
        if office.is_in_force(on):
            group.current.append(office)
    return list(groups.values())


def lead_offices(offices: list[Office]) -> list[Office]:
    """The presidencies (and chairs, executive secretariats) over time, oldest first. No query."""
    return [office for office in offices if office.role in LEAD_ROLES and not office.thematic_unit_id]


def growth_rows(growth: dict, figures: list[MembershipFigure]) -> list[dict]:
    """:func:`networks.aggregates.membership_growth`'s years with the reported figures as
    records (so that the page can cite their sources). No query."""
    by_key = defaultdict(list)
    for figure in figures:
        if figure.date:
            by_key[(figure.date.isoformat(), figure.members)].append(figure)
    rows = []
    for year in growth["years"]:
        reported = []
        for item in year["reported"]:
            for figure in by_key.get((item["date"], item["members"]), []):
                if figure not in reported:
                    reported.append(figure)
        rows.append({"year": year["year"], "recorded": year["recorded_members"], "reported": reported})
    return rows


def member_countries(network: Network) -> QuerySet[Country]:
    """Countries of the network's member cities (for the member list's country filter), by
    name in the active language: one query when evaluated."""
    return (
        Country.objects.filter(pk__in=Membership.objects.filter(network=network).values("city__country"))
        .annotate(sort_name=name_coalesce())
        .order_by("sort_name", "code")
    )


# Member list ---------------------------------------------------------------------------------


def member_rows(network: Network) -> QuerySet[Membership]:
    """The network's memberships in order of joining (by the joining date, else the first date
    a source shows the city as a member; undated ones last), then by city name, with city,
    country, admitting summit and sources: two queries per page (per 2,000 rows in the CSV)."""
    return (
        Membership.objects.filter(network=network)
        .select_related("network", "city__country", "admitted_at__network")
        .prefetch_related(citations_prefetch(Membership))
        .annotate(joined_key=Coalesce("start", "first_attested"), city_name=name_coalesce("city__name"))
        .order_by(F("joined_key").asc(nulls_last=True), "city_name", "city__slug", "pk")
    )


# The profile as a whole --------------------------------------------------------------------------


def language_names(codes: list[str]) -> list[dict]:
    """ISO 639-1 codes with their names in the active language (the code alone when unknown)."""
    return [{"code": code, "name": language_name(code)} for code in codes]


def network_profile(network: Network, on: datetime.date) -> dict:
    """Everything a network's profile shows besides the network itself (loaded by
    :func:`network_profile_queryset`), as of ``on``: names and languages; members recorded,
    in force, by country, on a map and year by year beside the sizes sources reported; the
    governing bodies, presidencies and thematic units with their office holders; summits and
    projects. A fixed number of queries whatever the size of the network."""
    by_country = member_counts_by_country(network, on)
    counts = membership_counts(by_country)
    figures = membership_figures(network)
    broken_down = latest_figure(figures, with_breakdown=True)
    breakdown = figure_breakdown(broken_down)
    countries = profile_countries(by_country, breakdown)
    points = map_points(network, on)
    offices = network_offices(network)
    projects, project_count = network_projects(network)
    return {
        "today": on,
        "languages": language_names(network.language_list),
        "names": [
            {"code": item["code"], "language": item["name"], "name": getattr(network, f"name_{item['code']}")}
            for item in language_names(LANGUAGE_CODES)
            if getattr(network, f"name_{item['code']}", "")
        ],
        "counts": counts,
        "figures": figures,
        "latest_figure": latest_figure(figures),
        "breakdown_figure": broken_down,
        "country_rows": members_by_country(by_country, countries, breakdown),
        "map_points": points,
        "mapped_count": len(points),
        "growth_rows": growth_rows(membership_growth(network, on, figures=figures), figures),
        "member_preview": member_preview(network),
        "lead_offices": lead_offices(offices),
        "body_groups": offices_by_body(governing_bodies(network), offices, on),
        "unit_groups": offices_by_unit(thematic_units(network), offices, on),
        "summits": network_summits(network),
        "projects": projects,
        "project_count": project_count,
        "project_limit": PROJECT_LIMIT,
    }
