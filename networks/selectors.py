"""Reads: querysets shaped for the pages that show networks (fixed number of queries)."""

from __future__ import annotations

import datetime

from django.db.models import F, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.queries import citations_prefetch, correlated_count, name_coalesce

from .models import Membership, MembershipFigure, Network, Summit


def count_per_network(queryset: QuerySet) -> Coalesce:
    """A correlated COUNT of ``queryset`` rows per network (see
    :func:`core.queries.correlated_count`)."""
    return correlated_count(queryset, "network")


def networks_with_counts(on: datetime.date | None = None):
    """Networks with their current recorded members, summits and latest reported figure.

    One query whatever the number of networks, memberships and summits."""
    on = on or timezone.localdate()
    latest_figure = MembershipFigure.objects.filter(network=OuterRef("pk")).order_by(
        F("date").desc(nulls_last=True), "-members"
    )
    return (
        Network.objects.select_related("secretariat_city", "parent")
        .annotate(
            sort_name=name_coalesce(),
            current_members=count_per_network(Membership.objects.current(on)),
            summit_count=count_per_network(Summit.objects.all()),
            reported_members=Subquery(latest_figure.values("members")[:1]),
            reported_date=Subquery(
                latest_figure.values("date")[:1], output_field=MembershipFigure._meta.get_field("date")
            ),
        )
        .order_by(F("parent").asc(nulls_first=True), "sort_name", "slug")
    )


def latest_figure_prefetch() -> Prefetch:
    """Each network's latest reported size (``network.latest_figures``: a list of at most one
    figure) with its sources, so that lists can show and cite it: two queries."""
    latest = (
        MembershipFigure.objects.filter(network=OuterRef("network"))
        .order_by(F("date").desc(nulls_last=True), "-members", "-pk")
        .values("pk")[:1]
    )
    figures = MembershipFigure.objects.filter(pk=Subquery(latest)).prefetch_related(
        citations_prefetch(MembershipFigure)
    )
    return Prefetch("figures", queryset=figures, to_attr="latest_figures")
