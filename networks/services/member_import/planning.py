"""Planning an import: every row validated and matched against the database (its city, the
membership it updates, its source), duplicates and overlapping memberships found, and what
each valid row will write decided. Nothing is written here."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from cities.models import City
from sources.models import Source

from ...models import Membership, MembershipCitation, Network
from .matching import NewCities, load_cities, match_city
from .report import ImportReport, message
from .rows import Row, bounds, overlap, period_text, reject
from .validation import left_before_joined, load_vocabulary, parse_row


@dataclass
class Plan:
    """What an import will write: the rows (each with its ``action``), the cities to create and
    the sources by address (None: to create)."""

    network: Network
    rows: list[Row]
    new_cities: NewCities
    sources: dict[str, Source | None] = field(default_factory=dict)


def plan_import(network: Network, raws: list[dict], report: ImportReport) -> Plan:
    """Validate and plan ``raws`` (rows as read) for ``network``; every problem goes to ``report``,
    and so do the counts of what the plan would write."""
    vocabulary = load_vocabulary()
    rows = [parse_row(raw, vocabulary, report) for raw in raws]
    resolvable = [row for row in rows if row.country is not None and row.city_name]
    index = load_cities(resolvable, network)
    plan = Plan(network, rows, NewCities())
    for row in resolvable:
        match_city(row, index, plan.new_cities, report)
    city_pks = _fetch_matched_cities(rows)
    report.matched_cities = len(city_pks)
    existing: dict[int, list[Membership]] = defaultdict(list)
    for membership in Membership.objects.filter(network=network, city_id__in=city_pks):
        existing[membership.city_id].append(membership)
    plan.sources, cited = _sources(network, rows, city_pks)
    for city_rows in _rows_by_city(rows, report).values():
        _match_memberships(city_rows, existing, network, report)
    for row in rows:
        if row.valid:
            _decide_action(row, plan.sources, cited)
    _count(report, plan)
    return plan


def _fetch_matched_cities(rows: list[Row]) -> set[int]:
    """Replace the pks of cities matched by name with the cities, fetched at once; the pks of
    every matched city."""
    city_pks = {row.city for row in rows if isinstance(row.city, int)}
    city_pks |= {row.city.pk for row in rows if isinstance(row.city, City)}
    cities = City.objects.in_bulk(city_pks)
    for row in rows:
        if isinstance(row.city, int):
            row.city = cities[row.city]
    return city_pks


def _sources(network: Network, rows: list[Row], city_pks: set[int]) -> tuple[dict, set[tuple[int, int]]]:
    """The sources the rows cite, by address (None: not recorded yet), and the (membership,
    source) pairs already cited among the network's memberships of those cities."""
    urls = {row.source_url for row in rows if row.source_url}
    found: dict[str, Source] = {}
    for source in Source.objects.filter(url__in=urls).order_by("pk"):
        found.setdefault(source.url, source)
    cited: set[tuple[int, int]] = set()
    if found:
        citations = MembershipCitation.objects.filter(
            record__network=network, record__city_id__in=city_pks, source__in=found.values()
        )
        cited = set(citations.values_list("record_id", "source_id"))
    return {url: found.get(url) for url in urls}, cited


def _rows_by_city(rows: list[Row], report: ImportReport) -> dict[tuple, list[Row]]:
    """The rows with a city, by city; a row repeating another's city, country and joined date
    is rejected as a duplicate."""
    first_row: dict[tuple, int] = {}
    by_city: dict[tuple, list[Row]] = defaultdict(list)
    for row in rows:
        if row.country is None or not row.city_name:
            continue
        key = (row.city_key, row.joined_key)
        if key in first_row:
            template = _("the same city, country and joined date as row %(first)s (a duplicate row).")
            reject(report, row, "city", message(template, first=first_row[key]))
            continue
        first_row[key] = row.row
        if row.city is not None:
            by_city[row.city_key].append(row)
    return by_city


def _match_memberships(city_rows: list[Row], existing: dict, network: Network, report: ImportReport) -> None:
    """The rows of one city: each matched to the recorded membership with its joined date, and
    rejected if it would overlap a membership recorded or given in another row."""
    city = city_rows[0].city
    recorded = existing.get(city.pk, []) if isinstance(city, City) else []
    by_start = {int(membership.start) if membership.start else None: membership for membership in recorded}
    for row in city_rows:
        row.membership = by_start.get(row.joined_key)
    matched = {row.membership.pk for row in city_rows if row.membership is not None}
    untouched = [membership for membership in recorded if membership.pk not in matched]
    checked: list[Row] = []
    for row in city_rows:
        if not row.dates_valid:
            continue  # its dates are reported already; an overlap would be a guess
        problem = _overlap_problem(row, untouched, checked, network)
        if problem is not None:
            column, text = problem
            reject(report, row, column, text)
        else:
            checked.append(row)


def _overlap_problem(row: Row, untouched: list[Membership], checked: list[Row], network: Network):
    """(column, message) when the row ends its membership before it began or overlaps another
    membership of the city, else None."""
    membership = row.membership
    if membership is not None and row.left is not None and membership.start:
        if row.left.upper < membership.start.lower:
            return "left", left_before_joined(row.left, membership.start)
    period = bounds(row.joined, row.final_end)
    clash = next((other for other in untouched if overlap(period, bounds(other.start, other.end))), None)
    if clash is not None:
        return "joined", overlap_message(row.city, clash, network)
    other = next((other for other in checked if overlap(period, bounds(other.joined, other.final_end))), None)
    if other is not None:
        template = _(
            "this membership (%(period)s) overlaps the one in row %(other)s (%(other_period)s): "
            "a city holds one membership of a network at a time."
        )
        other_period = period_text(other.joined, other.final_end)
        own_period = period_text(row.joined, row.final_end)
        return "joined", message(template, period=own_period, other=other.row, other_period=other_period)
    return None


def overlap_message(city, membership: Membership, network: Network):
    """Why a row cannot add a membership overlapping ``membership``, and how to update it."""
    if membership.start is None:
        template = _(
            "%(city)s is already a member of %(network)s with no joined date recorded, which overlaps this "
            "row; to update that membership, leave the joined date empty."
        )
        return message(template, city=city, network=network)
    template = _(
        "%(city)s is already a member of %(network)s for an overlapping period (%(period)s); to update "
        "that membership, give its joined date, %(start)s."
    )
    period = period_text(membership.start, membership.end)
    return message(template, city=city, network=network, period=period, start=membership.start.isoformat())


def _decide_action(row: Row, sources: dict[str, Source | None], cited: set[tuple[int, int]]) -> None:
    """What writing a valid row does: create a membership, update one (its end, category or
    citation), or nothing."""
    if row.membership is None:
        row.action = "create"
        row.cite = bool(row.source_url)
        return
    membership = row.membership
    if row.left is not None and membership.end != row.left:
        row.changes["end"] = row.left
    if row.category is not None and membership.category != row.category:
        row.changes["category"] = row.category
    source = sources.get(row.source_url) if row.source_url else None
    row.cite = bool(row.source_url) and (source is None or (membership.pk, source.pk) not in cited)
    row.action = "update" if row.changes or row.cite else "unchanged"


def _count(report: ImportReport, plan: Plan) -> None:
    report.created_cities = len(plan.new_cities.cities)
    report.created_memberships = sum(row.action == "create" for row in plan.rows)
    report.updated_memberships = sum(row.action == "update" for row in plan.rows)
    report.unchanged_memberships = sum(row.action == "unchanged" for row in plan.rows)
    report.created_sources = sum(source is None for source in plan.sources.values())
