"""Aggregates researchers ask for: members by country, membership growth. Each runs a fixed
number of queries whatever the size of the network."""

from __future__ import annotations

import datetime

from django.db.models import Count
from django.utils import timezone

from cities.models import Country

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


def membership_growth(network: Network, until: datetime.date | None = None) -> dict:
    """Year by year: members recorded at the end of each year (a partial date counts as in
    :mod:`paradiplo.periods`), beside the figures sources reported that year. Two queries."""
    until = until or timezone.localdate()
    spans = list(Membership.objects.filter(network=network).values_list("start", "first_attested", "end"))
    figures = list(
        MembershipFigure.objects.filter(network=network, date__isnull=False)
        .order_by("date")
        .values("date", "members", "at_least", "countries")
    )
    years = [(start or attested).year for start, attested, _ in spans if start or attested]
    years += [f["date"].year for f in figures]
    if network.founded:
        years.append(network.founded.year)
    first = min(years) if years else until.year
    reported: dict[int, list] = {}
    for figure in figures:
        reported.setdefault(figure["date"].year, []).append(
            {
                "date": figure["date"].isoformat(),
                "members": figure["members"],
                "at_least": figure["at_least"],
                "countries": figure["countries"],
            }
        )
    result = []
    for year in range(first, until.year + 1):
        day = min(datetime.date(year, 12, 31), until)
        recorded = 0
        for start, attested, end in spans:
            since = start or attested
            # Undated evidence of membership counts only for the current year (as in current()).
            started = since.lower <= day if since else day == until
            recorded += started and (end is None or end.upper >= day)
        result.append({"year": year, "recorded_members": recorded, "reported": reported.get(year, [])})
    return {"years": result}
