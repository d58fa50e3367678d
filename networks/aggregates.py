"""Aggregates researchers ask for: members by country, membership growth. Each runs a fixed
number of queries whatever the size of the network."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count
from django.db.models.functions import Coalesce
from django.utils import timezone

from cities.models import Country
from core.partialdates import PartialDate

from .models import Membership, MembershipFigure, Network


def members_by_country(network: Network, on: datetime.date | None = None) -> dict:
    """Members recorded on ``on`` (default today), counted by country, with shares. Two queries."""
    memberships = Membership.objects.filter(network=network)
    memberships = memberships.as_of(on) if on else memberships.current()
    on = on or timezone.localdate()
    rows = list(memberships.values("city__country").annotate(members=Count("city", distinct=True)).order_by("-members"))
    countries = Country.objects.in_bulk([row["city__country"] for row in rows])
    total = sum(row["members"] for row in rows)

    def country(pk):
        # A city whose country no source states is counted under an unknown country.
        return {"code": countries[pk].code, "name": countries[pk].name} if pk in countries else None

    return {
        "at": on.isoformat(),
        "members": total,
        "countries": [
            {
                "country": country(row["city__country"]),
                "members": row["members"],
                "share": round(row["members"] / total, 4) if total else None,
            }
            for row in rows
        ],
    }


def membership_growth(network: Network, until: datetime.date | None = None, figures: list | None = None) -> dict:
    """Year by year: members recorded at the end of each year (a partial date counts as in
    :mod:`core.periods`; the current year counts on ``until``), beside the figures sources
    reported that year. Two queries (one when the caller passes the network's ``figures``,
    e.g. the profile's :class:`~networks.models.MembershipFigure` list).

    The memberships are counted in SQL by their (start or first attestation, end) pair, and
    each pair adds its count to the years it spans in one pass with a running total: the work
    grows with the number of distinct dates, not with members × years."""
    until = until or timezone.localdate()
    spans = (
        Membership.objects.filter(network=network)
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
    for since, end, count in spans:
        since, end = PartialDate.coerce(since), PartialDate.coerce(end)
        if since is not None:
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
    return {"years": result}


def _first_year_counted(since: PartialDate | None, until: datetime.date) -> int | None:
    """The first year whose end (``until`` in the last year) falls on or after the start: the
    year of the start's first day. Undated evidence of membership counts only on ``until`` (as
    in ``current()``). ``None`` when the membership starts after ``until``."""
    if since is None:
        return until.year
    return since.lower.year if since.lower <= until else None


def _last_year_counted(end: PartialDate | None, until: datetime.date) -> int:
    """The last year whose end (``until`` in the last year) falls on or before the last day the
    membership's end may stand for."""
    if end is None or end.upper >= until:
        return until.year
    upper = end.upper
    return upper.year if (upper.month, upper.day) == (12, 31) else upper.year - 1
