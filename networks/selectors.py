"""Reads of the networks app, shared by its pages, its API and the admin: querysets and lists
shaped so that every page and endpoint runs a fixed number of queries whatever the number of
networks, memberships, offices, summits and projects (related rows through ``select_related``
or one ``prefetch_related`` query each, counts through annotations or one aggregate).

Sections: networks and their counts; aggregates researchers ask for (members by country,
membership growth); the networks index, a network's profile and member list; summits and
thematic units. A summit's place in time is its start, or its end when only the end is known
(some sources give only the closing day): :func:`summit_date_key` orders summits by it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from cities.models import BlocParticipation, BlocStatus, City, Country
from core.api.filters import in_force
from core.browse import language_name
from core.models import Job
from core.partialdates import PartialDate
from core.periods import at_bounds, date_within_condition, not_ended_condition
from core.queries import citations_prefetch, correlated_count, name_coalesce, name_sort_key
from core.records import LANGUAGE_CODES
from sources.models import Certainty, Source

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

# --- counted members ---------------------------------------------------------------------------
#: The one condition that makes a membership count: a source states it (probable and uncertain
#: memberships are shown apart, never counted).
COUNTED = Q(certainty=Certainty.STATED)


def counted_memberships(on: datetime.date | PartialDate | None = None) -> QuerySet[Membership]:
    """**The counted members**: memberships a source states, in force on ``on`` (default today;
    undated evidence of membership counts today, as in
    :meth:`~networks.models.MembershipQuerySet.current`). Every count of members — a network's
    profile, member list, map, growth chart, members by country, a city's or a country's "member
    of N networks", the index, the home page and the API — is taken from this queryset or its
    condition (:data:`COUNTED`).

    ``on`` a PartialDate is a page's or endpoint's ``?at=`` (:func:`core.periods.parse_at`): the
    members on that day, or on at least one day of that month or year
    (:meth:`~core.periods.PeriodQuerySet.at`); undated evidence counts only when that window
    reaches today, since nothing places it in the past."""
    if isinstance(on, PartialDate):
        return Membership.objects.filter(COUNTED).at(on)
    return Membership.objects.filter(COUNTED).current(on or timezone.localdate())


def stated_memberships() -> QuerySet[Membership]:
    """Memberships a source states, at any time (the record; see :data:`COUNTED`)."""
    return Membership.objects.counted()


def uncounted_memberships() -> QuerySet[Membership]:
    """Probable and uncertain memberships, at any time: shown apart, never counted."""
    return Membership.objects.exclude(COUNTED)


# --- networks and their counts ---------------------------------------------------------------
def count_per_network(queryset: QuerySet) -> Coalesce:
    """A correlated COUNT of ``queryset`` rows per network (see
    :func:`core.queries.correlated_count`)."""
    return correlated_count(queryset, "network")


def networks_with_counts(on: datetime.date | None = None):
    """Networks with their counted members (``current_members``, :func:`counted_memberships`),
    their probable or uncertain ones (``uncounted_members``, at any time), summits and latest
    reported figure.

    One query whatever the number of networks, memberships and summits."""
    on = on or timezone.localdate()
    latest_figure = MembershipFigure.objects.filter(network=OuterRef("pk")).order_by(
        F("date").desc(nulls_last=True), "-members"
    )
    return (
        Network.objects.select_related("secretariat_city", "parent")
        .annotate(
            sort_name=name_coalesce(),
            current_members=count_per_network(counted_memberships(on)),
            uncounted_members=count_per_network(uncounted_memberships()),
            summit_count=count_per_network(Summit.objects.all()),
            reported_members=Subquery(latest_figure.values("members")[:1]),
            reported_date=Subquery(
                latest_figure.values("date")[:1], output_field=MembershipFigure._meta.get_field("date")
            ),
        )
        .order_by(F("parent").asc(nulls_first=True), "sort_name", "slug")
    )


def latest_figure_prefetch(at: PartialDate | None = None) -> Prefetch:
    """Each network's latest reported size (``network.latest_figures``: a list of at most one
    figure) with its sources, so that lists can show and cite it: two queries. With ``at``, the
    latest reported by then (dated on or before the last day ``at`` stands for)."""
    reported = MembershipFigure.objects.filter(network=OuterRef("network"))
    if at is not None:
        reported = reported.filter(reported_by_condition(at))
    latest = reported.order_by(F("date").desc(nulls_last=True), "-members", "-pk").values("pk")[:1]
    figures = MembershipFigure.objects.filter(pk=Subquery(latest)).prefetch_related(
        citations_prefetch(MembershipFigure)
    )
    return Prefetch("figures", queryset=figures, to_attr="latest_figures")


@dataclass
class Coverage:
    """How much of a network's membership Paradiplo records: ``recorded`` counted members (see
    :func:`counted_memberships`) of about ``reported`` (the latest figure a source reported,
    ``figure``, with its date and sources), ``percent`` of it (``None`` without a figure)."""

    recorded: int
    figure: MembershipFigure | None = None

    @property
    def reported(self) -> int | None:
        return self.figure.members if self.figure else None

    @property
    def reported_on(self):
        return self.figure.date if self.figure else None

    @property
    def percent(self) -> int | None:
        if not self.reported:
            return None
        return round(self.recorded * 100 / self.reported)

    def as_dict(self, source_url=None) -> dict:
        """The API's ``coverage`` object; ``source_url(source)`` gives a cited source's address."""
        figure = self.figure
        sources = [citation.source for citation in figure.citations.all()] if figure else []
        return {
            "recorded": self.recorded,
            "reported": self.reported,
            "reported_at_least": figure.at_least if figure else None,
            "reported_on": str(figure.date) if figure and figure.date else None,
            "reported_sources": [
                {"key": source.key, "url": source_url(source) if source_url else source.url} for source in sources
            ],
            "percent": self.percent,
        }


def reported_by_condition(at: PartialDate) -> Q:
    """Figures a source reported by ``at``: dated, and the date's first possible day on or before
    the last day ``at`` stands for (the inclusive reading of :mod:`core.periods`)."""
    return Q(date__isnull=False, date__lte=int(PartialDate.coerce(at_bounds(at)[1])))


def network_coverage(network: Network) -> Coverage:
    """The coverage of a network of :func:`networks_with_counts` (``current_members``) with
    :func:`latest_figure_prefetch` (``latest_figures``). No query."""
    figures = getattr(network, "latest_figures", [])
    return Coverage(recorded=network.current_members or 0, figure=figures[0] if figures else None)


def networks_short_of_reported(queryset):
    """Networks whose current recorded members are fewer than their latest reported figure."""
    latest = MembershipFigure.objects.filter(network=OuterRef("pk")).order_by("-date", "-members")
    return queryset.annotate(
        recorded=count_per_network(counted_memberships()),
        reported=Subquery(latest.values("members")[:1]),
    ).filter(reported__isnull=False, recorded__lt=F("reported"))


# --- aggregates: members by country, membership growth -----------------------------------------
def members_by_country(network: Network, at: PartialDate | None = None) -> dict:
    """Counted members (:func:`counted_memberships`) today, or as of ``at`` (a page's or the
    API's ``?at=``: on that day, or on at least one day of that month or year), by country,
    largest first, with shares: ``{"at": the date at its precision, "members": n, "countries":
    [{"country": a Country or None (a city whose country no source states), "members": n,
    "share": …}]}``. Two queries."""
    memberships = counted_memberships(at).filter(network=network)
    rows = list(
        memberships.values("city__country")
        .annotate(members=Count("city", distinct=True))
        .order_by("-members", "city__country__code")
    )
    countries = Country.objects.in_bulk([row["city__country"] for row in rows])
    total = sum(row["members"] for row in rows)
    return {
        "at": (at or timezone.localdate()).isoformat(),
        "members": total,
        "countries": [
            {
                "country": countries.get(row["city__country"]),
                "members": row["members"],
                "share": round(row["members"] / total, 4) if total else None,
            }
            for row in rows
        ],
    }


def membership_growth(network: Network, until: datetime.date | None = None, figures: list | None = None) -> dict:
    """Year by year: counted members (:data:`COUNTED`) with a date — a joining date or a first
    attestation — at the end of each year (a partial date counts as in :mod:`core.periods`; the
    current year counts on ``until``), beside the figures sources reported that year; and, apart
    (``undated_members``), the counted members in force on ``until`` that have no date at all:
    they count today but cannot be placed in time, so they are never added to a year (that would
    draw a jump that is only a gap in the record). Two queries (one when the caller passes the
    network's ``figures``, e.g. the profile's :class:`~networks.models.MembershipFigure` list).

    The memberships are counted in SQL by their (start or first attestation, end) pair, and
    each pair adds its count to the years it spans in one pass with a running total: the work
    grows with the number of distinct dates, not with members × years."""
    until = until or timezone.localdate()
    spans = (
        stated_memberships()
        .filter(network=network)
        .order_by()
        .values_list(Coalesce("start", "first_attested"), "end")
        .annotate(n=Count("pk"))
    )
    if figures is None:
        figures = MembershipFigure.objects.filter(network=network, date__isnull=False).order_by("date", "members", "pk")
    figures = [
        {"date": figure.date, "members": figure.members, "at_least": figure.at_least, "countries": figure.countries}
        for figure in figures
        if figure.date
    ]
    last = until.year
    # changes[year]: memberships counted from that year on (+) or no longer after it (-).
    changes: dict[int, int] = defaultdict(int)
    years = [figure["date"].year for figure in figures]
    undated = 0
    for since, end, count in spans:
        since, end = PartialDate.coerce(since), PartialDate.coerce(end)
        if since is None:
            if end is None or end.upper >= until:
                undated += count
            continue
        years.append(since.year)
        first_counted = _first_year_counted(since, until)
        last_counted = _last_year_counted(end, until)
        if first_counted is not None and first_counted <= last_counted:
            changes[first_counted] += count
            changes[last_counted + 1] -= count
    if network.founded:
        years.append(network.founded.year)
    first = min(years) if years else last
    reported: dict[int, list] = {}
    for figure in figures:
        reported.setdefault(figure["date"].year, []).append({**figure, "date": figure["date"].isoformat()})
    # Memberships counted from before the first year shown (not possible with the years above,
    # kept for safety) start the running total.
    recorded = sum(count for year, count in changes.items() if year < first)
    result = []
    for year in range(first, last + 1):
        recorded += changes.get(year, 0)
        result.append({"year": year, "recorded_members": recorded, "reported": reported.get(year, [])})
    return {"years": result, "undated_members": undated}


def _first_year_counted(since: PartialDate, until: datetime.date) -> int | None:
    """The first year whose end (``until`` in the last year) falls on or after the start: the
    year of the start's first day. ``None`` when the membership starts after ``until``."""
    return since.lower.year if since.lower <= until else None


def _last_year_counted(end: PartialDate | None, until: datetime.date) -> int:
    """The last year whose end (``until`` in the last year) falls on or before the last day the
    membership's end may stand for."""
    if end is None or end.upper >= until:
        return until.year
    upper = end.upper
    return upper.year if (upper.month, upper.day) == (12, 31) else upper.year - 1


# --- the networks index, a network's profile and member list ---------------------------------
#: How many memberships the profile lists before linking to the full member page.
MEMBER_PREVIEW_LIMIT = 25
#: Roles that lead a network, shown as "presidency over time" on the profile.
LEAD_ROLES = (Role.PRESIDENT, Role.CO_PRESIDENT, Role.CHAIR, Role.CO_CHAIR, Role.EXECUTIVE_SECRETARIAT)


# Index ---------------------------------------------------------------------------------------


def network_rows() -> QuerySet[Network]:
    """Every network with its counts (see :func:`networks_with_counts`), the
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


def member_counts_by_country(network: Network, on: datetime.date | PartialDate) -> list[dict]:
    """The network's memberships counted by the country of their city (``city__country``, None
    when unknown): ``recorded`` (stated, at any time), ``current`` (counted: stated and in
    force on ``on``, undated evidence of membership included, as in ``current()``), ``dated``
    (counted, with a joining date or a first attestation), ``located`` (counted and with the
    city's coordinates: the points of :func:`member_map`), ``founding`` (stated) and
    ``uncounted`` (probable or uncertain, at any time). One query, one row per country, whatever
    the number of members. ``on`` a PartialDate (a page's ``?at=``) counts ``current`` and the
    rest as :func:`counted_memberships` does."""
    first, last = at_bounds(on)
    # A day (today on the profile) counts undated evidence, as current() does; an ``at`` only
    # when its window reaches today.
    include_undated = None if isinstance(on, PartialDate) else True
    current = (
        COUNTED & Membership.objects.started_by(last, include_undated=include_undated) & not_ended_condition(first)
    )
    located = current & Q(city__latitude__isnull=False, city__longitude__isnull=False)
    dated = current & (Q(start__isnull=False) | Q(first_attested__isnull=False))
    return list(
        Membership.objects.filter(network=network)
        .order_by()
        .values("city__country")
        .annotate(
            recorded=Count("pk", filter=COUNTED),
            current=Count("pk", filter=current),
            dated=Count("pk", filter=dated),
            located=Count("pk", filter=located),
            founding=Count("pk", filter=COUNTED & Q(founding=True)),
            uncounted=Count("pk", filter=~COUNTED),
        )
    )


COUNT_KEYS = ("recorded", "current", "dated", "located", "founding", "uncounted")


def membership_counts(by_country: list[dict]) -> dict:
    """How many memberships are recorded (stated), counted (stated and in force), counted with a
    date, counted with a place on the map, founding, and probable or uncertain: the sums of
    :func:`member_counts_by_country`'s rows. No query."""
    return {key: sum(row[key] for row in by_country) for key in COUNT_KEYS}


#: Stands for a city's slug in its URL, replaced by each map point's own.
_SLUG = "city-slug-placeholder"


def member_map(network: Network, on: datetime.date | PartialDate) -> dict:
    """The member cities in force on ``on`` that have coordinates, as a GeoJSON
    ``FeatureCollection`` of points (``[longitude, latitude]``) whose properties are the city's
    ``name`` (in the active language), ``url`` (its page) and ``founding``, by name. One query of
    plain values (no model objects), whatever the number of members; the URL is built once and
    filled with each slug. A city holds at most one membership of a network at a time, so each
    point is one member city."""
    prefix, suffix = reverse("city-detail", kwargs={"slug": _SLUG}).split(_SLUG)
    rows = (
        counted_memberships(on)
        .filter(network=network, city__latitude__isnull=False, city__longitude__isnull=False)
        .annotate(city_name=name_coalesce("city__name"))
        .order_by("city_name", "city__slug")
        .values_list("city__slug", "city_name", "city__native_name", "city__latitude", "city__longitude", "founding")
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(longitude), float(latitude)]},
                # As City.__str__: the name in the active language, else the native name, else the slug.
                "properties": {"name": name or native or slug, "url": f"{prefix}{slug}{suffix}", "founding": founding},
            }
            for slug, name, native, latitude, longitude, founding in rows
        ],
    }


@dataclass
class CountryRow:
    """One country's line in the profile's "members by country" table (shares in percent)."""

    country: Country | None
    recorded: int = 0
    recorded_share: float | None = None
    reported: int | None = None
    reported_share: float | None = None


def country_rows(
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
        key=lambda row: (
            -(row.reported or 0),
            -row.recorded,
            name_sort_key(str(row.country)) if row.country else ("\uffff",),
        ),
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


def uncounted_member_rows(network: Network) -> list[Membership]:
    """Every probable or uncertain membership of the network, stronger evidence first, then in
    order of the evidence's date: two queries (the list is short: research leads, not members)."""
    return uncounted_rows(member_rows(network, counted=False))


def uncounted_rows(rows: QuerySet[Membership]) -> list[Membership]:
    """:func:`member_rows` with ``counted=False``, stronger evidence first: two queries."""
    return list(rows.order_by("certainty", F("joined_key").asc(nulls_last=True), "city_name", "city__slug", "pk"))


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


@dataclass
class BodyOffices:
    """A governing body (or ``None``: offices recorded without a body) with its office holders."""

    body: GoverningBody | None
    current: list[Office] = field(default_factory=list)
    history: list[Office] = field(default_factory=list)

    @property
    def former(self) -> list[Office]:
        """The offices of ``history`` not in force (``current`` lists the others): each holder is
        listed once."""
        return [office for office in self.history if office not in self.current]


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

    former = BodyOffices.former


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
    """:func:`membership_growth`'s years with the reported figures as
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
    """Countries of the network's member cities (stated memberships: for the member list's
    country filter), by name in the active language: one query when evaluated."""
    return (
        Country.objects.filter(pk__in=stated_memberships().filter(network=network).values("city__country"))
        .annotate(sort_name=name_coalesce())
        .order_by("sort_name", "code")
    )


# Member list ---------------------------------------------------------------------------------


def member_rows(network: Network, *, counted: bool = True) -> QuerySet[Membership]:
    """The network's stated memberships (with ``counted=False``, its probable and uncertain
    ones) in order of joining (by the joining date, else the first date a source shows the city
    as a member; undated ones last), then by city name, with city, country, admitting summit and
    sources: two queries per page (per 2,000 rows in the CSV)."""
    memberships = stated_memberships() if counted else uncounted_memberships()
    return (
        memberships.filter(network=network)
        .select_related("network", "city__country", "admitted_at__network")
        .prefetch_related(citations_prefetch(Membership))
        .annotate(joined_key=Coalesce("start", "first_attested"), city_name=name_coalesce("city__name"))
        .order_by(F("joined_key").asc(nulls_last=True), "city_name", "city__slug", "pk")
    )


# The profile as a whole --------------------------------------------------------------------------


def language_names(codes: list[str]) -> list[dict]:
    """ISO 639-1 codes with their names in the active language (the code alone when unknown)."""
    return [{"code": code, "name": language_name(code)} for code in codes]


def network_profile(network: Network, on: datetime.date | PartialDate) -> dict:
    """Everything a network's profile shows besides the network itself (loaded by
    :func:`network_profile_queryset`), as of ``on``: names and languages; members recorded,
    in force, by country, how many are on the map (:func:`member_map` gives the points) and
    year by year beside the sizes sources reported; the
    governing bodies, presidencies and thematic units with their office holders; summits. (Its
    projects are contributed by the projects app: :mod:`core.composition`.) A fixed number of
    queries whatever the size of the network.

    ``on`` a PartialDate is the page's ``?at=`` (:func:`core.periods.parse_at`): the members in
    force then (:func:`counted_memberships`), the earliest members and the probable ones among
    them, the sizes reported by then, the growth up to then, and the bodies, offices and summits
    recorded up to then, their holders "now" being those of that date."""
    as_of = on if isinstance(on, PartialDate) else None
    by_country = member_counts_by_country(network, on)
    counts = membership_counts(by_country)
    figures = membership_figures(network)
    offices = network_offices(network)
    bodies = governing_bodies(network)
    units = thematic_units(network)
    summits = network_summits(network)
    preview = member_rows(network)
    uncounted = member_rows(network, counted=False)
    until = on
    if as_of is not None:
        last = as_of.upper
        until = min(last, timezone.localdate())
        figures = [figure for figure in figures if figure.date and figure.date.lower <= last]
        offices, bodies, units = (begun_by(records, last) for records in (offices, bodies, units))
        summits = [summit for summit in summits if _summit_held_by(summit, last)]
        preview, uncounted = preview.at(as_of), uncounted.at(as_of)
    broken_down = latest_figure(figures, with_breakdown=True)
    breakdown = figure_breakdown(broken_down)
    countries = profile_countries(by_country, breakdown)
    growth = membership_growth(network, until, figures=figures)
    return {
        "today": on,
        "languages": language_names(network.language_list),
        "names": [
            {"code": item["code"], "language": item["name"], "name": getattr(network, f"name_{item['code']}")}
            for item in language_names(LANGUAGE_CODES)
            if getattr(network, f"name_{item['code']}", "")
        ],
        "counts": counts,
        "coverage": Coverage(recorded=counts["current"], figure=latest_figure(figures)),
        "figures": figures,
        "latest_figure": latest_figure(figures),
        "breakdown_figure": broken_down,
        "country_rows": country_rows(by_country, countries, breakdown),
        # The points themselves come from the member map's own address (member_map).
        "mapped_count": counts["located"],
        "growth": growth,
        "growth_rows": growth_rows(growth, figures),
        "member_preview": list(preview[:MEMBER_PREVIEW_LIMIT]),
        "uncounted_members": uncounted_rows(uncounted),
        "lead_offices": lead_offices(offices),
        "body_groups": offices_by_body(bodies, offices, on),
        "unit_groups": offices_by_unit(units, offices, on),
        "summits": summits,
    }


def _summit_held_by(summit: Summit, last: datetime.date) -> bool:
    when = summit.start or summit.end
    return when is not None and when.lower <= last


def begun_by(records: list, last: datetime.date) -> list:
    """The time-bounded ``records`` whose start may fall on or before ``last`` (an unknown start
    included): what had begun by then. No query."""
    return [record for record in records if record.start is None or record.start.lower <= last]


# --- what changed between two dates ---------------------------------------------------------


def counted_condition(at: PartialDate) -> Q:
    """The condition of :func:`counted_memberships` for an ``at`` (on Membership rows)."""
    first, last = at_bounds(at)
    return COUNTED & Membership.objects.started_by(last) & not_ended_condition(first)


def _within(date: PartialDate | None, first: datetime.date, last: datetime.date) -> bool:
    """:func:`core.periods.date_within_condition` in Python."""
    return date is not None and date.lower <= last and date.upper >= first


@dataclass
class NetworkChanges:
    """What changed in a network from ``since`` to ``until`` (partial dates: the window runs from
    the first day ``since`` stands for to the last day ``until`` stands for, both included, and a
    date known to the year or month is in it when it may fall in it): the counted members
    joining (by the joining date, else the first attestation: ``joined_key``) and leaving, the
    offices taken and left, and the counted members at ``since`` and at ``until`` (each read as
    a page's ``?at=``: :func:`counted_memberships`)."""

    since: PartialDate
    until: PartialDate
    members_at_since: int
    members_at_until: int
    joined: list[Membership] = field(default_factory=list)
    left: list[Membership] = field(default_factory=list)
    offices_taken: list[Office] = field(default_factory=list)
    offices_left: list[Office] = field(default_factory=list)

    @property
    def first(self) -> datetime.date:
        return self.since.lower

    @property
    def last(self) -> datetime.date:
        return self.until.upper


def network_changes(network: Network, since: PartialDate, until: PartialDate) -> NetworkChanges:
    """:class:`NetworkChanges` of ``network`` from ``since`` to ``until``. Five queries whatever
    the number of members and offices (the counts; memberships and offices, each with their
    sources)."""
    first, last = since.lower, until.upper
    counts = Membership.objects.filter(network=network).aggregate(
        since=Count("pk", filter=counted_condition(since)), until=Count("pk", filter=counted_condition(until))
    )
    memberships = list(
        member_rows(network).filter(
            date_within_condition("joined_key", first, last) | date_within_condition("end", first, last)
        )
    )
    offices = list(
        Office.objects.filter(network=network)
        .filter(date_within_condition("start", first, last) | date_within_condition("end", first, last))
        .select_related("network", "city__country", "body__network", "thematic_unit__network", "elected_at__network")
        .prefetch_related(citations_prefetch(Office))
        .order_by(F("start").asc(nulls_first=True), F("end").asc(nulls_last=True), "role", "city__slug", "pk")
    )
    ended = [membership for membership in memberships if _within(membership.end, first, last)]
    return NetworkChanges(
        since=since,
        until=until,
        members_at_since=counts["since"],
        members_at_until=counts["until"],
        joined=[membership for membership in memberships if _within(membership.joined_key, first, last)],
        left=sorted(ended, key=lambda membership: (int(membership.end), membership.city_name or "", membership.pk)),
        offices_taken=[office for office in offices if _within(office.start, first, last)],
        offices_left=sorted(
            (office for office in offices if _within(office.end, first, last)),
            key=lambda office: (int(office.end), office.pk),
        ),
    )


# --- summits and thematic units -------------------------------------------------------------


def summit_date_key():
    """The date a summit is placed at: its start, else its end (both encoded YYYYMMDD)."""
    return Coalesce("start", "end")


def summit_rows() -> QuerySet[Summit]:
    """Every network's summits for the index: newest first, then by network name (in the active
    language), with network, host city, country and cited sources in a fixed number of queries."""
    return (
        Summit.objects.select_related("network", "host_city", "host_city__country")
        .prefetch_related(citations_prefetch(Summit))
        .annotate(date_key=summit_date_key(), network_name=name_coalesce("network__name"))
        .order_by(F("date_key").desc(nulls_last=True), "network_name", "network__slug", "-number", "slug")
    )


def networks_with_summits() -> QuerySet[Network]:
    """Networks that have at least one summit (for the index's network filter)."""
    return (
        Network.objects.filter(pk__in=Summit.objects.values("network"))
        .annotate(sort_name=name_coalesce())
        .order_by("sort_name", "slug")
    )


def host_countries() -> QuerySet[Country]:
    """Countries where at least one summit was held (for the index's country filter)."""
    return (
        Country.objects.filter(pk__in=Summit.objects.filter(host_city__isnull=False).values("host_city__country"))
        .annotate(sort_name=name_coalesce())
        .order_by("sort_name", "code")
    )


def summit_detail_queryset() -> QuerySet[Summit]:
    return (
        Summit.objects.select_related("network", "host_city", "host_city__country")
        .prefetch_related(citations_prefetch(Summit))
        .annotate(date_key=summit_date_key())
    )


def summit_admissions(summit: Summit) -> QuerySet[Membership]:
    """The memberships this summit admitted, by city name."""
    return (
        Membership.objects.filter(admitted_at=summit)
        .select_related("city", "city__country")
        .prefetch_related(citations_prefetch(Membership))
        .annotate(city_name=name_coalesce("city__name"))
        .order_by("city_name", "city__slug", "start")
    )


def summit_elections(summit: Summit) -> QuerySet[Office]:
    """The offices this summit elected, in the order they began."""
    return (
        Office.objects.filter(elected_at=summit)
        .select_related("city", "city__country", "body", "thematic_unit", "thematic_unit__network")
        .prefetch_related(citations_prefetch(Office))
        .order_by(F("start").asc(nulls_last=True), "role", "city__slug")
    )


def neighbouring_summits(summit: Summit) -> tuple[Summit | None, Summit | None]:
    """The previous and next summits of the same network (by date, else by number): two queries."""
    others = (
        Summit.objects.filter(network_id=summit.network_id).exclude(pk=summit.pk).select_related("network", "host_city")
    )
    key = getattr(summit, "date_key", None)
    if key is None:
        key = summit.start or summit.end
    if key is not None:
        key = int(key)
        others = others.annotate(date_key=summit_date_key())
        earlier = others.filter(Q(date_key__lt=key) | Q(date_key=key, pk__lt=summit.pk))
        later = others.filter(Q(date_key__gt=key) | Q(date_key=key, pk__gt=summit.pk))
        previous = earlier.order_by("-date_key", "-pk").first()
        following = later.order_by("date_key", "pk").first()
    elif summit.number is not None:
        previous = others.filter(number__lt=summit.number).order_by("-number").first()
        following = others.filter(number__gt=summit.number).order_by("number").first()
    else:
        return None, None
    return previous, following


def thematic_unit_queryset() -> QuerySet[ThematicUnit]:
    return ThematicUnit.objects.select_related("network").prefetch_related(citations_prefetch(ThematicUnit))


def unit_offices(unit: ThematicUnit) -> QuerySet[Office]:
    """Who coordinated (or otherwise held an office of) the unit, in order of time."""
    return (
        Office.objects.filter(thematic_unit=unit)
        .select_related("city", "city__country", "elected_at", "elected_at__network")
        .prefetch_related(citations_prefetch(Office))
        .order_by(F("start").asc(nulls_first=True), "role", "city__slug")
    )


# --- what networks record about cities and countries (contributed to the cities app's pages) --
#: How many of a country's cities its page lists (the rest are on the city index, filtered).
COUNTRY_CITY_LIMIT = 50


def current_memberships(on: datetime.date | PartialDate | None = None) -> QuerySet[Membership]:
    """The counted memberships (:func:`counted_memberships`)."""
    return counted_memberships(on)


def city_memberships(city: City, on: datetime.date | PartialDate | None = None) -> list[Membership]:
    """Every membership of ``city``, all networks on one timeline, oldest first (undated last).
    ``in_force`` tells whether it counts today (or on ``on``): stated and in force by the rule of
    :func:`counted_memberships` (a first attestation stands for an unknown start), the one the
    network pages and the indexes use; probable and uncertain ones never count. ``on`` a
    PartialDate (the page's ``?at=``) keeps only the memberships in force then."""
    current = current_memberships(on).filter(pk=OuterRef("pk"))
    memberships = Membership.objects.filter(city=city)
    if isinstance(on, PartialDate):
        memberships = memberships.at(on)
    return list(
        memberships.select_related("network", "admitted_at", "admitted_at__network")
        .prefetch_related(citations_prefetch(Membership))
        .annotate(in_force=Exists(current))
        .order_by(Coalesce("start", "first_attested").asc(nulls_last=True), "network__slug", "pk")
    )


def city_offices(city: City, at: PartialDate | None = None) -> list[Office]:
    """Every office ``city`` has held (with ``at``, those it held then), oldest first (undated
    last)."""
    offices = Office.objects.filter(city=city)
    if at is not None:
        offices = offices.at(at)
    return list(
        offices.select_related("network", "body", "thematic_unit", "thematic_unit__network")
        .prefetch_related(citations_prefetch(Office))
        .order_by(F("start").asc(nulls_last=True), "network__slug", "role", "pk")
    )


def city_summits(city: City, at: PartialDate | None = None) -> list[Summit]:
    """The summits ``city`` hosted (with ``at``, those held by the last day it stands for),
    oldest first."""
    summits = Summit.objects.filter(host_city=city)
    if at is not None:
        summits = summits.annotate(held=Coalesce("start", "end")).filter(held__lte=int(PartialDate.coerce(at.upper)))
    return list(
        summits.select_related("network")
        .prefetch_related(citations_prefetch(Summit))
        .order_by(Coalesce("start", "end").asc(nulls_last=True), "network__slug", "number")
    )


def city_secretariats(city: City) -> list[Network]:
    """The networks whose secretariat ``city`` hosts."""
    return list(Network.objects.filter(secretariat_city=city).annotate(sort_name=name_coalesce()).order_by("sort_name"))


def country_cities(country: Country, on: datetime.date | None = None, limit: int = COUNTRY_CITY_LIMIT) -> list[City]:
    """The country's cities that belong or belonged to a network (the ones Paradiplo is about;
    the gazetteer adds many more), the most connected first, at most ``limit``."""
    members = stated_memberships().filter(city__country=country).values("city")
    return list(
        City.objects.filter(country=country, pk__in=members)
        .annotate(
            sort_name=name_coalesce(),
            current_networks=correlated_count(current_memberships(on), "city", distinct="network"),
            all_networks=correlated_count(stated_memberships(), "city", distinct="network"),
        )
        .order_by("-current_networks", "-all_networks", "sort_name", "slug")[:limit]
    )


def country_member_city_total(country: Country) -> int:
    """How many of the country's cities belong or belonged to a network (stated memberships)."""
    return stated_memberships().filter(city__country=country).values("city").distinct().count()


def country_networks(country: Country, on: datetime.date | None = None) -> list[Network]:
    """Networks with member cities in ``country``: ``current_members`` (today) and
    ``ever_members`` (at any time), the largest first."""
    on = on or timezone.localdate()
    in_country = stated_memberships().filter(city__country=country)
    return list(
        Network.objects.filter(pk__in=in_country.values("network"))
        .annotate(
            sort_name=name_coalesce(),
            current_members=correlated_count(in_country.current(on), "network", distinct="city"),
            ever_members=correlated_count(in_country, "network", distinct="city"),
        )
        .order_by("-current_members", "-ever_members", "sort_name", "slug")
    )


def with_current_networks(cities: QuerySet) -> QuerySet:
    """Cities annotated with ``current_networks``: how many networks they belong to today."""
    return cities.annotate(current_networks=correlated_count(current_memberships(), "city", distinct="network"))


def with_member_city_count(countries: QuerySet) -> QuerySet:
    """Countries annotated with ``member_city_count``: how many of their cities belong to a
    network today."""
    return countries.annotate(
        member_city_count=correlated_count(current_memberships(), "city__country", distinct="city")
    )


@dataclass
class OfficeEvidence:
    """A network where the city held an office but has no stated membership recorded: the
    offices are the evidence (an office of a network is held by a member), shown as such."""

    network: Network
    offices: list[Office] = field(default_factory=list)


def office_evidence(memberships: list[Membership], offices: list[Office]) -> list[OfficeEvidence]:
    """The networks of ``offices`` that none of the stated ``memberships`` is of, each with its
    offices, in order of the first office. No query."""
    stated = {membership.network_id for membership in memberships if membership.certainty == Certainty.STATED}
    groups: dict[int, OfficeEvidence] = {}
    for office in offices:
        if office.network_id not in stated:
            groups.setdefault(office.network_id, OfficeEvidence(office.network)).offices.append(office)
    return list(groups.values())


def city_profile_context(city, at: PartialDate | None = None) -> dict:
    """A city's memberships: ``current_memberships`` (counted: stated and in force today),
    ``uncounted_memberships`` (probable or uncertain, shown apart), ``office_evidence`` (networks
    where it held an office but no stated membership is recorded); the offices it held, the
    summits it hosted and the networks whose secretariat it hosts. With ``at`` (the page's
    ``?at=``: :func:`core.periods.parse_at`), the memberships and offices in force then and the
    summits held by then."""
    memberships = city_memberships(city, at)
    offices = city_offices(city, at)
    return {
        "memberships": memberships,
        "current_memberships": [membership for membership in memberships if membership.in_force],
        "recorded_memberships": [m for m in memberships if m.certainty == Certainty.STATED],
        "uncounted_memberships": [m for m in memberships if m.certainty != Certainty.STATED],
        "office_evidence": office_evidence(memberships, offices),
        "offices": offices,
        "summits": city_summits(city, at),
        "secretariats": city_secretariats(city),
    }


def country_profile_context(country) -> dict:
    """A country's cities that belong or belonged to a network (at most ``city_limit``), how many
    they are, and the networks with member cities there."""
    cities = country_cities(country)
    total = country_member_city_total(country) if len(cities) >= COUNTRY_CITY_LIMIT else len(cities)
    return {
        "cities": cities,
        "city_limit": COUNTRY_CITY_LIMIT,
        "member_city_total": total,
        "networks": country_networks(country),
    }


# --- the co-membership graph (read by networks.graph) -----------------------------------------


def graph_memberships(at: PartialDate | None = None, networks: Collection[str] = ()) -> QuerySet[Membership]:
    """The memberships the co-membership graph draws: the counted ones (stated: :data:`COUNTED`)
    in force on ``at`` as the API's memberships ``?at=`` reads it (a day: in force that day; a
    month or a year: at any time in it; :func:`core.api.filters.in_force`), or today
    (:func:`counted_memberships`) without one; of the ``networks`` named by slug, or of all."""
    memberships = counted_memberships() if at is None else in_force(stated_memberships(), at)
    if networks:
        memberships = memberships.filter(network__slug__in=list(networks))
    return memberships


def graph_rows(at: PartialDate | None = None, networks: Collection[str] = ()) -> list[tuple]:
    """One row per membership of :func:`graph_memberships`: ``(city slug, city name, country
    code, network slug, network name, country name)``, names in the active language (a city
    without one: its native name, else its slug; a network: its acronym, else its slug; a
    country: its code), ordered by network and city. One query of plain values, whatever the
    number of members."""
    rows = (
        graph_memberships(at, networks)
        .annotate(
            city_label=name_coalesce("city__name"),
            network_label=name_coalesce("network__name"),
            country_label=name_coalesce("city__country__name"),
        )
        .order_by("network__slug", "city__slug", "pk")
        .values_list(
            "city__slug",
            "city_label",
            "city__native_name",
            "city__country__code",
            "network__slug",
            "network_label",
            "network__acronym",
            "country_label",
        )
    )
    return [
        (city, city_name or native or city, country, network, network_name or acronym or network, country_name)
        for city, city_name, native, country, network, network_name, acronym, country_name in rows
    ]


def graph_network_choices() -> list[tuple[str, str]]:
    """Every network as ``(slug, name)``, by name in the active language: the graph's network
    choices. One query."""
    rows = Network.objects.annotate(sort_name=name_coalesce()).order_by("sort_name", "slug")
    return [(slug, name or acronym or slug) for slug, name, acronym in rows.values_list("slug", "sort_name", "acronym")]


# --- the coverage report (curators' worklist for the next research pass) ----------------------


def _unsourced(model) -> QuerySet:
    """Rows of ``model`` that cite no source."""
    citation = model._meta.get_field("citations").related_model
    return model.objects.filter(~Exists(citation.objects.filter(record=OuterRef("pk"))))


def coverage_rows(networks: QuerySet[Network] | None = None, on: datetime.date | None = None) -> list[dict]:
    """Per network (``networks``, default all, by slug): counted members (``recorded``) against the
    latest reported figure (``reported``, its date ``reported_on``, ``percent``), probable and
    uncertain memberships, counted members with and without a date, and the facts that cite no
    source (memberships, offices, summits, reported figures). Three queries whatever the number of
    networks and records (one annotated query, the latest figures and their sources)."""
    on = on or timezone.localdate()
    counted = counted_memberships(on)
    dated = Q(start__isnull=False) | Q(first_attested__isnull=False)
    queryset = (networks if networks is not None else Network.objects.all()).annotate(
        current_members=count_per_network(counted),
        dated_members=count_per_network(counted.filter(dated)),
        probable_members=count_per_network(Membership.objects.filter(certainty=Certainty.PROBABLE)),
        uncertain_members=count_per_network(Membership.objects.filter(certainty=Certainty.UNCERTAIN)),
        unsourced_memberships=count_per_network(_unsourced(Membership)),
        unsourced_offices=count_per_network(_unsourced(Office)),
        unsourced_summits=count_per_network(_unsourced(Summit)),
        unsourced_figures=count_per_network(_unsourced(MembershipFigure)),
    )
    rows = []
    for network in queryset.prefetch_related(latest_figure_prefetch()).order_by("slug"):
        coverage = network_coverage(network)
        rows.append(
            {
                "network": network,
                "slug": network.slug,
                "recorded": coverage.recorded,
                "reported": coverage.reported,
                "reported_at_least": coverage.figure.at_least if coverage.figure else None,
                "reported_on": str(coverage.reported_on) if coverage.reported_on else None,
                "percent": coverage.percent,
                "probable": network.probable_members,
                "uncertain": network.uncertain_members,
                "dated": network.dated_members,
                "undated": network.current_members - network.dated_members,
                "unsourced_memberships": network.unsourced_memberships,
                "unsourced_offices": network.unsourced_offices,
                "unsourced_summits": network.unsourced_summits,
                "unsourced_figures": network.unsourced_figures,
                "without_wikidata_id": not network.wikidata_id,
            }
        )
    return rows


def coverage_totals() -> dict:
    """The records shared by every network that the next research pass should complete: sources
    without an access date; cities, countries and networks without a Wikidata id. Four counts."""
    return {
        "sources_without_access_date": Source.objects.filter(accessed__isnull=True).count(),
        "cities_without_wikidata_id": City.objects.filter(wikidata_id="").count(),
        "countries_without_wikidata_id": Country.objects.filter(wikidata_id="").count(),
        "networks_without_wikidata_id": Network.objects.filter(wikidata_id="").count(),
    }


# --- comparing networks side by side ----------------------------------------------------------
#: How many networks the comparison takes at once (fewer than two is no comparison; more than
#: four no longer fits a table beside a chart).
COMPARE_MIN = 2
COMPARE_MAX = 4


def networks_to_compare() -> QuerySet[Network]:
    """Every network, by name in the active language (the comparison form's choices)."""
    return Network.objects.annotate(sort_name=name_coalesce()).order_by("sort_name", "slug")


@dataclass
class SharedMember:
    """A city counted today as a member of two or more of the compared networks."""

    city: City
    network_ids: set[int]


@dataclass
class OfficeTie:
    """A city counted as a member of one compared network (``member_of``) that held an office in
    another (``office.network``) where no stated membership of it is recorded: the office is the
    evidence of a tie the membership lists do not show (as on a city's page)."""

    city: City
    member_of: list[Network]
    office: Office


@dataclass
class NetworkPair:
    """Two compared networks, their shared counted members and the Jaccard overlap of their
    counted members (shared / either; ``None`` when neither has a counted member)."""

    first: Network
    second: Network
    shared: int
    either: int

    @property
    def jaccard(self) -> float | None:
        return round(self.shared / self.either, 4) if self.either else None


@dataclass
class NetworkComparison:
    """What :func:`compare_networks` gives the comparison page and its CSV download."""

    on: datetime.date
    networks: list[Network]
    #: per network slug: :func:`membership_growth`'s result
    growth: dict[str, dict]
    #: per network slug: its dated reported figures, oldest first
    figures: dict[str, list[MembershipFigure]]
    #: [(country or None, {slug: members})], the most members first
    by_country: list[tuple[Country | None, dict[str, int]]]
    #: [(region code, label, {slug: members})]
    by_region: list[tuple[str, str, dict[str, int]]]
    #: [(bloc, {slug: members})]: members whose country is a member of the bloc on ``on``
    by_bloc: list[tuple[object, dict[str, int]]]
    pairs: list[NetworkPair]
    shared: list[SharedMember]
    office_ties: list[OfficeTie]
    bodies: dict[str, list[GoverningBody]]
    units: dict[str, list[ThematicUnit]]
    #: [(year, {slug: summits})], oldest first; summits without a date are left out
    summits_by_year: list[tuple[int, dict[str, int]]]
    undated_summits: dict[str, int]

    def summits_by_year_of(self, slug: str) -> list[int]:
        """The network's summits per year (of the years any compared network held one)."""
        return [values.get(slug, 0) for _year, values in self.summits_by_year]

    def shared_networks(self, member: SharedMember) -> list[Network]:
        return [network for network in self.networks if network.pk in member.network_ids]

    @property
    def years(self) -> list[int]:
        """Every year of the growth rows of any of the networks, in order."""
        return sorted({row["year"] for growth in self.growth.values() for row in growth["years"]})

    def growth_table(self) -> list[tuple[int, list[int | None]]]:
        """Per year, each network's counted members with a date at its end (None before the
        network's first year)."""
        by_slug = {
            slug: {row["year"]: row["recorded_members"] for row in growth["years"]}
            for slug, growth in self.growth.items()
        }
        return [(year, [by_slug[network.slug].get(year) for network in self.networks]) for year in self.years]


def compare_networks(slugs: list[str], on: datetime.date | None = None) -> NetworkComparison:
    """The networks ``slugs`` (in that order) side by side, as of ``on`` (default today): their
    counted members (:func:`counted_memberships`) by year (:func:`membership_growth`, with the
    reported figures), by country, by world region and by regional bloc; the members they share,
    pair by pair, with the Jaccard overlap; cities tied to one through membership and to another
    through an office only; their governing bodies and thematic units; their summits by year.

    A fixed number of queries whatever the number of members, offices and summits: 13, plus one
    per network (its growth)."""
    on = on or timezone.localdate()
    found = {network.slug: network for network in networks_with_counts(on).filter(slug__in=slugs)}
    networks = [found[slug] for slug in slugs if slug in found]
    ids = [network.pk for network in networks]
    slug_of = {network.pk: network.slug for network in networks}
    by_id = {network.pk: network for network in networks}

    figures: dict[str, list[MembershipFigure]] = {network.slug: [] for network in networks}
    for figure in MembershipFigure.objects.filter(network__in=ids, date__isnull=False).order_by(
        "date", "members", "pk"
    ):
        figures[slug_of[figure.network_id]].append(figure)
    growth = {network.slug: membership_growth(network, on, figures=figures[network.slug]) for network in networks}

    # Members by country, world region and regional bloc: one query of counts, one of countries.
    counts = (
        counted_memberships(on)
        .filter(network__in=ids)
        .order_by()
        .values_list("network", "city__country")
        .annotate(n=Count("city", distinct=True))
    )
    per_country: dict[int | None, dict[str, int]] = defaultdict(dict)
    for network_id, country_id, n in counts:
        per_country[country_id][slug_of[network_id]] = n
    countries = Country.objects.in_bulk([pk for pk in per_country if pk is not None])
    by_country = sorted(
        ((countries.get(pk), values) for pk, values in per_country.items()),
        key=lambda item: (-sum(item[1].values()), str(item[0]) if item[0] else "\uffff"),
    )
    regions: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for country, values in by_country:
        for slug, n in values.items():
            regions[country.region if country else ""][slug] += n
    region_labels = dict(Country._meta.get_field("region").choices)
    by_region = sorted(
        (
            (code, str(region_labels.get(code, "")) if code else gettext("Region unknown"), dict(values))
            for code, values in regions.items()
        ),
        key=lambda item: (-sum(item[2].values()), item[0] == "", item[1]),
    )
    by_bloc = _members_by_bloc(per_country, on)

    # Shared members: the counted (network, city) pairs, one query of plain values.
    members: dict[int, set[int]] = defaultdict(set)
    for network_id, city_id in (
        counted_memberships(on).filter(network__in=ids).order_by().values_list("network", "city").distinct()
    ):
        members[city_id].add(network_id)
    of_network = {pk: {city for city, nets in members.items() if pk in nets} for pk in ids}
    pairs = [
        NetworkPair(
            first,
            second,
            len(of_network[first.pk] & of_network[second.pk]),
            len(of_network[first.pk] | of_network[second.pk]),
        )
        for index, first in enumerate(networks)
        for second in networks[index + 1 :]
    ]
    shared_ids = {city for city, nets in members.items() if len(nets) > 1}

    # Offices in one network held by a counted member of another, where no stated membership of
    # the office's network is recorded: two queries (offices, stated memberships).
    offices = list(
        Office.objects.filter(network__in=ids, city__in=counted_memberships(on).filter(network__in=ids).values("city"))
        .select_related("network", "body", "thematic_unit")
        .order_by(F("start").asc(nulls_last=True), "network__slug", "role", "pk")
    )
    stated = set(
        stated_memberships()
        .filter(network__in=ids, city__in={office.city_id for office in offices})
        .values_list("network", "city")
    )
    tie_offices = [
        office
        for office in offices
        if (office.network_id, office.city_id) not in stated and members[office.city_id] - {office.network_id}
    ]
    cities = (
        City.objects.select_related("country")
        .annotate(sort_name=name_coalesce())
        .in_bulk(shared_ids | {office.city_id for office in tie_offices})
    )
    shared = sorted(
        (SharedMember(cities[pk], members[pk]) for pk in shared_ids),
        key=lambda member: (-len(member.network_ids), member.city.sort_name.casefold(), member.city.slug),
    )
    office_ties = [
        OfficeTie(
            city=cities[office.city_id],
            member_of=[network for network in networks if network.pk in members[office.city_id] - {office.network_id}],
            office=office,
        )
        for office in tie_offices
    ]
    office_ties.sort(key=lambda tie: (tie.city.sort_name.casefold(), tie.city.slug))

    # Governing structure and summits: three queries.
    bodies: dict[str, list[GoverningBody]] = {network.slug: [] for network in networks}
    for body in (
        GoverningBody.objects.filter(network__in=ids)
        .annotate(sort_name=name_coalesce())
        .order_by(F("start").asc(nulls_first=True), "sort_name", "slug")
    ):
        bodies[slug_of[body.network_id]].append(body)
    units: dict[str, list[ThematicUnit]] = {network.slug: [] for network in networks}
    for unit in (
        ThematicUnit.objects.filter(network__in=ids).annotate(sort_name=name_coalesce()).order_by("sort_name", "slug")
    ):
        unit.network = by_id[unit.network_id]  # for its address, without a query per unit
        units[slug_of[unit.network_id]].append(unit)
    summit_years: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    undated_summits = {network.slug: 0 for network in networks}
    for network_id, when in Summit.objects.filter(network__in=ids).order_by().values_list("network", summit_date_key()):
        when = PartialDate.coerce(when)
        if when is None:
            undated_summits[slug_of[network_id]] += 1
        else:
            summit_years[when.year][slug_of[network_id]] += 1

    return NetworkComparison(
        on=on,
        networks=networks,
        growth=growth,
        figures=figures,
        by_country=by_country,
        by_region=by_region,
        by_bloc=by_bloc,
        pairs=pairs,
        shared=shared,
        office_ties=office_ties,
        bodies=bodies,
        units=units,
        summits_by_year=[(year, dict(summit_years[year])) for year in sorted(summit_years)],
        undated_summits=undated_summits,
    )


def _members_by_bloc(
    per_country: dict[int | None, dict[str, int]], on: datetime.date
) -> list[tuple[object, dict[str, int]]]:
    """Counted members by the regional bloc their country is a member of on ``on`` (a city of a
    country in two blocs counts in both): one query."""
    participations = (
        BlocParticipation.objects.current(on)
        .filter(status=BlocStatus.MEMBER, country__in=[pk for pk in per_country if pk is not None])
        .select_related("bloc")
        .order_by("bloc__slug", "country_id")
    )
    blocs: dict[int, tuple[object, dict[str, int]]] = {}
    for participation in participations:
        _bloc, values = blocs.setdefault(participation.bloc_id, (participation.bloc, defaultdict(int)))
        for slug, n in per_country[participation.country_id].items():
            values[slug] += n
    return sorted(
        ((bloc, dict(values)) for bloc, values in blocs.values()),
        key=lambda item: (-sum(item[1].values()), str(item[0])),
    )


# The member list as an import file ----------------------------------------------------------


def member_file_rows(network: Network) -> QuerySet[Membership]:
    """Every membership of the network (stated, probable and uncertain), with its city, country
    and cited sources, in the order of the cities' names then joining: what an export in the
    import's columns writes. Two queries per 2,000 rows."""
    return (
        Membership.objects.filter(network=network)
        .select_related("city__country")
        .prefetch_related(citations_prefetch(Membership))
        .annotate(city_name=name_coalesce("city__name"))
        .order_by("city_name", "city__slug", F("start").asc(nulls_first=True), "pk")
    )


def recent_jobs(network: Network, limit: int = 10):
    """The network's latest background jobs (its imports), newest first, without their files."""
    return (
        Job.objects.filter(network=network).select_related("user").defer("data").order_by("-created_at", "-pk")[:limit]
    )
